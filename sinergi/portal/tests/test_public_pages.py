"""Every public page: open without a login, small, no-store, nothing from other sites, quick exit."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from sinergi.portal.models import PortalSettings

from .helpers import code_and_pin, post_report

PUBLIC_PAGES = ["portal:help", "portal:report", "portal:track", "portal:safety"]
PAGE_BUDGET = 100 * 1024
ASSET = re.compile(r'<(?:script|link)[^>]+(?:src|href)="(/static/[^"]+)"')
EXTERNAL_REQUEST = re.compile(
    r'<(?:script|link|img|iframe|source|video|audio)[^>]+(?:src|href)="(?:https?:)?//', re.I
)


@pytest.fixture
def unit(personas):
    return personas.orgs.unit


def pages(client, unit):
    """(name, response) of every public page, the receipt and the status page included."""
    out = [(name, client.get(reverse(name))) for name in PUBLIC_PAGES]
    receipt = post_report(client)
    out.append(("receipt", receipt))
    code, pin = code_and_pin(receipt)
    client.post(reverse("portal:track"), {"code": code, "pin": pin})
    out.append(("status", client.get(reverse("portal:status"))))
    return out


def test_public_pages_open_without_a_login(client, unit):
    for name, response in pages(client, unit):
        assert response.status_code == 200, name


def test_public_pages_are_never_cached(client, unit):
    for name, response in pages(client, unit) + [("exit", client.get(reverse("portal:exit")))]:
        assert "no-store" in response["Cache-Control"], name


def test_each_page_with_its_assets_is_under_100_kb(client, unit):
    for name, response in pages(client, unit):
        html = response.content
        total = len(html)
        for path in ASSET.findall(html.decode()):
            found = finders.find(path.removeprefix("/static/"))
            assert found, f"{name}: {path} is not a static file of ours"
            with open(found, "rb") as asset:
                total += len(asset.read())
        assert total < PAGE_BUDGET, f"{name}: {total} bytes"


def test_no_page_loads_anything_from_another_site(client, unit):
    for name, response in pages(client, unit):
        assert not EXTERNAL_REQUEST.search(response.content.decode()), name


def test_every_public_page_has_the_quick_exit_and_the_safety_note(client, unit):
    exit_url = reverse("portal:exit")
    for name, response in pages(client, unit):
        html = response.content.decode()
        assert f'href="{exit_url}" data-quick-exit' in html, name
        assert reverse("portal:safety") in html, name
        assert "/static/portal/portal.js" in html, name


def test_the_neutral_page_says_nothing_about_help(client, db):
    html = client.get(reverse("portal:exit")).content.decode().lower()
    for word in ("sinergi", "kekerasan", "lapor", "ppa", "bantuan", "/static/"):
        assert word not in html


def test_the_help_page_shows_the_units_configured_contacts(client, unit):
    PortalSettings.objects.create(
        unit=unit, hotline="0752-123456", whatsapp="0812-7000-1234", office_address="Jl. Soekarno-Hatta No. 1"
    )
    html = client.get(reverse("portal:help")).content.decode()
    assert "0752-123456" in html and "tel:0752123456" in html
    assert "https://wa.me/6281270001234" in html
    assert "Jl. Soekarno-Hatta No. 1" in html
    assert 'href="tel:129"' in html


def test_the_help_page_falls_back_to_the_unit_record(client, unit):
    type(unit).objects.filter(pk=unit.pk).update(phone="0752-99999", address="Kantor Uji")
    html = client.get(reverse("portal:help")).content.decode()
    assert "0752-99999" in html and "Kantor Uji" in html


def test_the_unit_for_the_home_region_receives_reports(personas, settings):
    from sinergi.portal.selectors import portal_unit

    assert portal_unit() == personas.orgs.unit
    settings.SINERGI_HOME_REGION = "13.71"
    assert portal_unit() == personas.orgs.other_unit
    settings.SINERGI_HOME_REGION = "99.99"
    assert portal_unit() is None  # several units, none at home: no guessing


def test_a_uptd_comes_before_another_agency_of_the_same_region(db):
    from sinergi.accounts.choices import AgencyType
    from sinergi.portal.selectors import portal_unit
    from sinergi.testing.factories import ServiceUnitFactory

    ServiceUnitFactory(name="DP3A Kota", agency_type=AgencyType.DINAS_PPA)
    uptd = ServiceUnitFactory(name="UPTD PPA Kota")
    assert portal_unit() == uptd


def test_english_is_available(client, unit):
    client.post(reverse("set_language"), {"language": "en", "next": reverse("portal:help")})
    html = client.get(reverse("portal:help")).content.decode()
    assert '<html lang="en">' in html and "Quick exit" in html


def test_the_neutral_page_goes_on_to_the_outside_site_when_one_is_set(client, db, settings):
    settings.SINERGI_QUICK_EXIT_URL = "https://www.example.org/resep"
    html = client.get("/keluar/").content.decode()
    assert 'data-exit-to="https://www.example.org/resep"' in html
    assert '<meta http-equiv="refresh" content="0; url=https://www.example.org/resep">' in html
    settings.SINERGI_QUICK_EXIT_URL = ""
    html = client.get("/keluar/").content.decode()
    assert 'data-exit-to="' not in html and 'http-equiv="refresh"' not in html
