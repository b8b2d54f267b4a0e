"""The cascading region picker's fields (htmx loads each level; cases/_region_picker.html), shared
by the incident form and the person form (home address)."""

from django import forms
from django.utils.translation import gettext_lazy as _

PICKER_FIELDS = ("elsewhere_province", "elsewhere_regency", "elsewhere_district", "elsewhere_village")


class RegionPickerFields(forms.Form):
    elsewhere_province = forms.CharField(label=_("Province"), required=False, max_length=13)
    elsewhere_regency = forms.CharField(label=_("Regency/city"), required=False, max_length=13)
    elsewhere_district = forms.CharField(label=_("Kecamatan"), required=False, max_length=13)
    elsewhere_village = forms.CharField(label=_("Kelurahan/desa"), required=False, max_length=13)

    def _picked_elsewhere(self, data):
        """The deepest level chosen in the cascading picker that agrees with the levels above it
        (a deeper select left over from an earlier choice is ignored)."""
        picked = ""
        for name in PICKER_FIELDS:
            value = (data.get(name) or "").strip()
            if not value or (picked and not value.startswith(picked + ".")):
                break
            picked = value
        return picked
