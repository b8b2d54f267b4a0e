"""The front door: `/` is the public help page for anyone not logged in, the user's own work for
staff; Indonesian unless the person chose English; the public pages carry the unit's identity."""

import pytest
from django.urls import reverse

from sinergi.audit.models import AuditEvent
from sinergi.portal.models import PortalSettings

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_anonymous_at_the_root_gets_the_help_page(client, personas):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="tel:129"' in html and 'href="/lapor/"' in html and 'href="/lacak/"' in html
    assert "data-quick-exit" in html
    # Staff sign in from a small link.
    assert f'class="staff-login"><a href="{reverse("account_login")}"' in html
    assert "no-store" in response["Cache-Control"]


def test_staff_at_the_root_get_their_home(personas, login):
    response = login(personas.petugas).get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert personas.orgs.unit.name in html
    assert "data-quick-exit" not in html and "staff-login" not in html


def test_anonymous_may_not_post_to_the_root(client, db):
    assert client.post("/").status_code == 405


@pytest.mark.parametrize("path", ["/", "/bantuan/", "/akun/login/"])
def test_an_english_browser_still_sees_indonesian(client, db, path):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "id"
    assert '<html lang="id">' in response.content.decode()


def test_english_only_when_chosen_with_the_switch(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    response = client.get("/")
    assert response["Content-Language"] == "en"
    assert "Quick exit" in response.content.decode()
    client.post(reverse("set_language"), {"language": "id", "next": "/"})
    assert "Keluar cepat" in client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_an_unknown_language_cookie_means_indonesian(client, db, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert client.get("/")["Content-Language"] == "id"


def test_staff_with_an_english_browser_see_indonesian(personas, login):
    response = login(personas.kepala).get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Language"] == "id"


# --- the unit's official identity ----------------------------------------------------------------


def test_the_public_pages_name_the_unit_and_its_government(client, personas, settings):
    settings.SINERGI_HOME_REGION = personas.orgs.unit.region_id
    html = client.get("/").content.decode()
    assert personas.orgs.unit.name in html
    assert f"Pemerintah {personas.orgs.unit.region.display_name}" in html
    # No logo set: Sinergi's neutral emblem, and the logo address answers 404.
    assert 'src="/static/sinergi/favicon.svg"' in html
    assert client.get(reverse("portal:logo")).status_code == 404


def test_the_kepala_sets_the_official_name_and_logo(client, personas, login, settings, tmp_path):
    settings.SINERGI_HOME_REGION = personas.orgs.unit.region_id
    settings.SINERGI_BRANDING_DIR = tmp_path
    (tmp_path / "logo-kota.png").write_bytes(PNG)
    response = login(personas.kepala).post(
        reverse("portal:settings"),
        {
            "official_name": "UPTD PPA Kota Uji (resmi)",
            "government_name": "Pemerintah Kota Uji",
            "logo_file": "logo-kota.png",
            "hotline": "",
            "whatsapp": "",
            "office_address": "",
            "opening_hours": "",
            "alert_email": "",
        },
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="portal.settings.update").exists()
    client.logout()
    html = client.get("/").content.decode()
    assert "UPTD PPA Kota Uji (resmi)" in html and "Pemerintah Kota Uji" in html
    assert f'src="{reverse("portal:logo")}"' in html
    logo = client.get(reverse("portal:logo"))
    assert logo.status_code == 200 and logo["Content-Type"] == "image/png"
    assert b"".join(logo.streaming_content) == PNG


@pytest.mark.parametrize(
    "name, message",
    [
        ("../secret.png", "file name"),
        ("logo.svg", "file name"),
        ("tidak-ada.png", "no file"),
        ("besar.png", "200 KB"),
    ],
)
def test_a_wrong_logo_file_is_refused(personas, login, settings, tmp_path, name, message):
    settings.SINERGI_BRANDING_DIR = tmp_path
    (tmp_path / "besar.png").write_bytes(PNG + b"\x00" * 300 * 1024)
    (tmp_path / "logo.svg").write_text("<svg/>")
    client = login(personas.kepala)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(reverse("portal:settings"), {"logo_file": name, "hotline": ""})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PortalSettings.objects.exists()


def test_a_logo_file_removed_by_the_operator_falls_back_to_the_emblem(client, personas, settings, tmp_path):
    settings.SINERGI_HOME_REGION = personas.orgs.unit.region_id
    settings.SINERGI_BRANDING_DIR = tmp_path
    PortalSettings.objects.create(unit=personas.orgs.unit, logo_file="hilang.png")
    html = client.get("/").content.decode()
    assert 'src="/static/sinergi/favicon.svg"' in html
    assert client.get(reverse("portal:logo")).status_code == 404
