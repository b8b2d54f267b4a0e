"""What the case-record services share: the fields they take, the edit check, optimistic locking
and code lists.
"""

from django.utils.translation import gettext as _

PERSON_FIELDS = (
    "name",
    "nik",
    "phone",
    "address",
    "region",
    "sex",
    "birth_date",
    "age_years",
    "age_estimated",
    "age_group_told",
    "education",
    "religion",
    "occupation",
    "marital_status",
    "nationality",
    "has_disability",
    "disabilities",
    "violence_types",
    "ampk_categories",
    "is_unknown",
    "is_anonymous",
    "reporter_kind",
)
INCIDENT_FIELDS = (
    "channel",
    "sapa_ticket",
    "reported_at",
    "case_type",
    "risk",
    "jurisdiction",
    "summary",
    "incident_date",
    "incident_date_precision",
    "place_type",
    "incident_region",
    "incident_address",
    "chronology",
    "frequency",
    "tppo_notes",
)


class StaleEdit(Exception):
    """Someone saved a newer version first; the caller shows both versions and keeps the input."""

    def __init__(self, current):
        super().__init__("stale edit")
        self.current = current


# --- who may ---------------------------------------------------------------------------------


def _lock_current(model, obj, version):
    current = model.objects.select_for_update().get(pk=obj.pk)
    if current.version != version:
        raise StaleEdit(current)
    return current


def _codes(values, choices, field, errors):
    values = list(dict.fromkeys(values or []))
    bad = [v for v in values if v not in choices.values]
    if bad:
        errors[field] = _("Unknown code: %(codes)s") % {"codes": ", ".join(bad)}
    return values
