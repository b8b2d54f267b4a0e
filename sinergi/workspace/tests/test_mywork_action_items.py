"""Action items owed by the user or their agency appear on "my work", partners included."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from sinergi.coordination.models import ActionItem


def _item(unit, *, due_in, description, **assignee):
    return ActionItem.objects.create(
        unit=unit,
        description=description,
        due_date=timezone.localdate() + dt.timedelta(days=due_in),
        **assignee,
    )


def test_a_partner_sees_its_agency_items_due_this_week(personas, login):
    overdue = _item(
        personas.orgs.unit,
        due_in=-2,
        description="Kirim hasil visum",
        assignee_organisation=personas.orgs.partner,
    )
    _item(
        personas.orgs.unit,
        due_in=30,
        description="Laporan triwulan",
        assignee_organisation=personas.orgs.partner,
    )
    _item(
        personas.orgs.unit,
        due_in=1,
        description="Tugas lembaga lain",
        assignee_organisation=personas.orgs.other_partner,
    )

    page = login(personas.mitra).get(reverse("home")).content.decode()

    assert 'id="work-action-items"' in page
    assert "Kirim hasil visum" in page
    assert reverse("coordination:action_item_detail", args=[overdue.public_id]) in page
    assert "Laporan triwulan" not in page  # not due within a week
    assert "Tugas lembaga lain" not in page  # another agency's


def test_staff_see_items_assigned_to_them_not_to_colleagues(personas, login):
    _item(personas.orgs.unit, due_in=3, description="Hubungi sekolah", assignee_user=personas.pendamping)
    _item(personas.orgs.unit, due_in=3, description="Tugas psikolog", assignee_user=personas.psikolog)

    page = login(personas.pendamping).get(reverse("home")).content.decode()

    assert "Hubungi sekolah" in page
    assert "Tugas psikolog" not in page


def test_no_section_without_items(personas, login):
    assert 'id="work-action-items"' not in login(personas.pendamping).get(reverse("home")).content.decode()


def test_a_list_longer_than_the_page_says_so(personas, login, monkeypatch):
    from sinergi.workspace import mywork

    monkeypatch.setattr(mywork, "LIST_LIMIT", 2)
    items = [
        _item(
            personas.orgs.unit,
            due_in=i,
            description=f"Tugas ke-{i}",
            assignee_organisation=personas.orgs.partner,
        )
        for i in range(3)
    ]
    page = login(personas.mitra).get(reverse("home")).content.decode()
    part = page.split('id="work-action-items"')[1].split("</section>")[0]
    assert "Tugas ke-0" in part and "Tugas ke-1" in part and "Tugas ke-2" not in part
    assert ">2+</span>" in part and "Menampilkan 2 yang pertama" in part
    # Exactly the page's length: nothing more is claimed.
    ActionItem.objects.filter(pk=items[2].pk).delete()
    part = login(personas.mitra).get(reverse("home")).content.decode().split('id="work-action-items"')[1]
    assert ">2</span>" in part.split("</section>")[0] and "Menampilkan 2 yang pertama" not in part
