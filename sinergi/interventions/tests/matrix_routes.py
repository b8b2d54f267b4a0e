"""Permission-matrix rows of the interventions routes (merged by workspace/tests/matrix_table.py)."""

import datetime as dt

from django.utils import timezone

from sinergi.interventions.forms import DATETIME_FORMAT
from sinergi.interventions.models import (
    CourtMonitoring,
    LegalProcessStage,
    Mediation,
    Restitution,
    RightsExplanation,
    ServiceDelivery,
    Shelter,
    ShelterBed,
    ShelterRoom,
    ShelterStay,
)
from sinergi.testing.matrix import (
    KEPALAS,
    Guarded,
    Row,
    _case_edit_route,
    _fresh,
    _post_only,
    _unit_case_id,
    _url,
    statuses,
)

UNIT_STAFF = "kepala petugas pendamping pendamping_lain psikolog"  # shelter.view in the unit
OTHER_UNITS_STAFF = "orang_luar kepala_provinsi kepala_luar"  # shelter.view, other units


def world_extras(w):
    shelter = Shelter.objects.create(unit=w.orgs.unit, name="Rumah Aman Matriks", address="Alamat rahasia")
    room = ShelterRoom.objects.create(shelter=shelter, name="Kamar A")
    bed = ShelterBed.objects.create(room=room, label="1")
    ShelterBed.objects.create(room=room, label="2")
    now = timezone.now()
    stay = ShelterStay.objects.create(
        case=w.unit_case,
        victim=w.unit_case_victim,
        bed=bed,
        admitted_at=now - dt.timedelta(days=1),
        planned_until=now + dt.timedelta(days=6),
        criteria=["nyawa_terancam"],
        recorded_by=w.pendamping,
    )
    mediation = Mediation.objects.create(
        case=w.unit_case, kind="mediasi", matter="nafkah", recorded_by=w.pendamping
    )
    restitution = Restitution.objects.create(
        case=w.unit_case,
        victim=w.unit_case_victim,
        forms=["penderitaan"],
        stage="diajukan",
        stage_date=timezone.localdate() - dt.timedelta(days=3),
        recorded_by=w.pendamping,
    )
    perpetrator = w.unit_case.persons.filter(role="pelaku").first() or w.unit_case_victim
    stage = LegalProcessStage.objects.create(
        case=w.unit_case,
        perpetrator=perpetrator,
        stage="sidang_tingkat_1",
        occurred_at=now - dt.timedelta(days=2),
        agency_name="Pengadilan Negeri Matriks",
        recorded_by=w.pendamping,
    )
    concern = CourtMonitoring.objects.create(
        stage=stage, accompanied=False, raise_at_rakor=True, problems="Rahasia", recorded_by=w.pendamping
    )
    return {
        "shelter": shelter,
        "shelter_stay": stay,
        "mediation": mediation,
        "restitution": restitution,
        "legal_stage": stage,
        "court_concern": concern,
    }


def _stay_id(w):
    return w.shelter_stay.public_id


def _stage_id(w):
    return w.legal_stage.public_id


def _case_view_route(name, *extra):
    """A page that shows part of the unit case: whoever sees the case (its team, its kepala)."""
    return Guarded(
        permission="case.view",
        rows=(
            Row(
                url=_url(name, _unit_case_id, *extra),
                expect=statuses({200: "kepala pendamping"}, default=404),
                denied="case.view",
                denied_case=lambda w: w.unit_case,
            ),
        ),
    )


def _case_post(name, data, effect, *extra):
    """The POST of a case edit page: the team's case worker and the kepala change it, nobody else."""
    return Row(
        url=_url(name, _unit_case_id, *extra),
        method="post",
        data=data,
        expect=statuses({302: "kepala pendamping"}, default=404),
        effect=effect,
        denied="case.view",
        denied_case=lambda w: w.unit_case,
    )


def _edit_with_post(name, data, effect, *extra):
    get = _case_edit_route(name, *extra)
    return Guarded(permission="case.edit", rows=(*get.rows, _case_post(name, data, effect, *extra)))


ROUTES = {
    "interventions:case": _case_view_route("interventions:case"),
    "interventions:service_add": _edit_with_post(
        "interventions:service_add",
        lambda w: {
            "victim": w.unit_case_victim.public_id,
            "category": "kesehatan",
            "status": "sudah_diterima",
            "date": timezone.localdate().isoformat(),
        },
        lambda w: ServiceDelivery.objects.filter(case=w.unit_case, category="kesehatan").exists(),
    ),
    "interventions:shelter_admit": _case_edit_route("interventions:shelter_admit"),
    "interventions:stay_discharge": _case_edit_route("interventions:stay_discharge", _stay_id),
    "interventions:stay_extend": _edit_with_post(
        "interventions:stay_extend",
        lambda w: {
            "until": timezone.localtime(w.shelter_stay.planned_until + dt.timedelta(days=2)).strftime(
                DATETIME_FORMAT
            ),
            "reason": "Pelaku masih mencari korban",
        },
        lambda w: _fresh(w.shelter_stay).extensions.exists(),
        _stay_id,
    ),
    "interventions:mediation_start": _case_edit_route("interventions:mediation_start"),
    "interventions:mediation": _case_view_route("interventions:mediation", lambda w: w.mediation.public_id),
    "interventions:accompaniment_add": _case_edit_route("interventions:accompaniment_add"),
    "interventions:legal_stage_add": _case_edit_route("interventions:legal_stage_add"),
    "interventions:restitution_file": _case_edit_route("interventions:restitution_file"),
    "interventions:restitution_advance": _case_edit_route(
        "interventions:restitution_advance", lambda w: w.restitution.public_id
    ),
    "interventions:rights_record": _edit_with_post(
        "interventions:rights_record",
        lambda w: {
            "victim": w.unit_case_victim.public_id,
            "rights": ["restitusi", "bantuan_hukum"],
            "explained_on": timezone.localdate().isoformat(),
            "method": "leaflet",
        },
        lambda w: RightsExplanation.objects.filter(case=w.unit_case, method="leaflet").exists(),
    ),
    "interventions:rights_leaflet": _case_view_route("interventions:rights_leaflet"),
    "interventions:court_monitoring": _edit_with_post(
        "interventions:court_monitoring",
        lambda w: {"accompanied": "1", "not_confronted": "0", "raise_at_rakor": "on"},
        lambda w: _fresh(w.court_concern).not_confronted is False,
        _stage_id,
    ),
    "interventions:court_concern_resolve": Guarded(
        permission="case.edit",
        rows=(
            _post_only("interventions:court_concern_resolve", _unit_case_id, _stage_id),
            _case_post(
                "interventions:court_concern_resolve",
                lambda w: {},
                lambda w: _fresh(w.court_concern).concern_resolved_at is not None,
                _stage_id,
            ),
        ),
    ),
    "interventions:court_concerns": Guarded(
        permission="case.view",
        rows=(
            Row(
                url=_url("interventions:court_concerns"),
                expect=statuses({200: f"{UNIT_STAFF} {OTHER_UNITS_STAFF}"}, default=403),
                # The case code only for who may open the case; never the free text of the problem.
                shows=(
                    (lambda w: w.unit_case.pseudonym, "kepala pendamping"),
                    ("Pengadilan Negeri Matriks", UNIT_STAFF),
                    ("Rahasia", ""),
                ),
            ),
        ),
    ),
    "interventions:shelter_board": Guarded(
        permission="shelter.view",
        rows=(
            Row(
                url=_url("interventions:shelter_board"),
                expect=statuses({200: f"{UNIT_STAFF} {OTHER_UNITS_STAFF}"}, default=403),
                # Unit staff see which case is in which bed (by its code); other units see nothing.
                shows=((lambda w: w.unit_case.pseudonym, UNIT_STAFF), ("Rumah Aman Matriks", UNIT_STAFF)),
            ),
        ),
    ),
    "interventions:shelter_create": Guarded(
        permission="shelter.manage",
        rows=(
            Row(url=_url("interventions:shelter_create"), expect=statuses({200: KEPALAS}, default=403)),
            Row(
                url=_url("interventions:shelter_create"),
                method="post",
                data=lambda w: {"name": "Rumah Aman Baru", "address": "", "is_active": "on"},
                expect=statuses({302: KEPALAS}, default=403),
                effect=lambda w: Shelter.objects.filter(name="Rumah Aman Baru").exists(),
            ),
        ),
    ),
    "interventions:shelter_edit": Guarded(
        permission="shelter.manage",
        rows=(
            Row(
                url=_url("interventions:shelter_edit", lambda w: w.shelter.public_id),
                expect=statuses({200: "kepala", 404: "kepala_provinsi kepala_luar"}, default=403),
                denied="shelter.view",
            ),
        ),
    ),
}
