from django.urls import reverse

from sinergi.notifications.services import notification_send


def test_it_lists_own_notifications_only(personas, login):
    notification_send(recipient=personas.kepala, kind="uji", message="Pesan untuk kepala")
    notification_send(recipient=personas.petugas, kind="uji", message="Pesan untuk petugas")
    html = login(personas.kepala).get(reverse("notifications:list")).content.decode()
    assert "Pesan untuk kepala" in html and "Pesan untuk petugas" not in html


def test_unread_count_in_the_header_and_mark_read(personas, login):
    notification_send(recipient=personas.kepala, kind="uji", message="Satu")
    client = login(personas.kepala)
    assert 'class="badge">1' in client.get("/").content.decode()
    assert client.post(reverse("notifications:mark_all_read")).status_code == 302
    assert 'class="badge">1' not in client.get("/").content.decode()
