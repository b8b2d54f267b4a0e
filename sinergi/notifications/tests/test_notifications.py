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


def test_every_notification_is_reachable_page_by_page(personas, login, monkeypatch):
    import re

    from sinergi.notifications import views
    from sinergi.testing.pages import keyset_pages

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for i in range(5):
        notification_send(recipient=personas.kepala, kind="uji", message=f"Pesan nomor {i}")
    pages = keyset_pages(login(personas.kepala), reverse("notifications:list"))
    seen = [n for part in pages for n in re.findall(r"Pesan nomor (\d)", part)]
    assert seen == ["4", "3", "2", "1", "0"]
