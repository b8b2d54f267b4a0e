"""Region options for the cascading picker (provinsi → kab/kota → kecamatan → kelurahan/desa).

Reference data only (Kemendagri names and codes), for any logged-in user; htmx loads the next
level when a select changes. Without JavaScript, forms offer a code field instead.
"""

import re

from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .selectors import region_children

_CODE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2})?)?$")
#: Names of the picker's selects whose value is the parent of the next level.
PARENT_PARAMS = ("induk", "province", "regency", "district")


def _parent_code(request):
    for key, value in request.GET.items():
        if value and (key in PARENT_PARAMS or key.endswith(tuple(f"_{p}" for p in PARENT_PARAMS[1:]))):
            return value.strip()
    return ""


@require_GET
def region_options(request):
    parent = _parent_code(request)
    if parent and not _CODE.match(parent):
        return HttpResponseBadRequest("bad region code")
    regions = region_children(parent)
    if not parent:
        regions = regions.filter(level=1)
    return render(request, "regions/options.html", {"regions": regions})
