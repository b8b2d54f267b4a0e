"""access_control.md is the single source of role rights: check it parses and covers the code."""

import re
from pathlib import Path

import pytest

from sinergi.accounts import access
from sinergi.accounts.access import AccessTableError, all_permissions, load_tables
from sinergi.accounts.choices import Role

PACKAGE = Path(__file__).resolve().parents[2]
USES = re.compile(
    r"""(?:require_permission|has_permission|permission_scope)\((?:[^,()]*,\s*)?["']([a-z_.]+)["']|can:["']([a-z_.]+)["']"""
)


def test_docs_file_is_the_same_file():
    docs = PACKAGE.parent / "docs" / "access-control.md"
    assert docs.resolve() == access.TABLE_FILE.resolve()


def test_every_permission_the_code_uses_is_in_the_table():
    used = set()
    for path in list(PACKAGE.rglob("*.py")) + list(PACKAGE.rglob("*.html")):
        if "tests" in path.parts:
            continue
        for match in USES.finditer(path.read_text(encoding="utf-8")):
            used.add(match.group(1) or match.group(2))
    assert used, "the scan found no permission checks at all"
    assert used <= set(all_permissions()), used - set(all_permissions())


def test_every_role_has_a_case_scope():
    _, scopes = load_tables()
    assert set(scopes) == set(Role.values)


def test_unknown_permission_is_an_error(personas):
    with pytest.raises(KeyError):
        access.has_permission(personas.kepala, "case.fly")


def test_a_malformed_table_is_refused(tmp_path, monkeypatch):
    bad = access.TABLE_FILE.read_text().replace(
        "| `case.assign` | assign the case worker and team | — | unit |",
        "| `case.assign` | assign the case worker and team | — | maybe |",
    )
    path = tmp_path / "access_control.md"
    path.write_text(bad)
    monkeypatch.setattr(access, "TABLE_FILE", path)
    load_tables.cache_clear()
    try:
        with pytest.raises(AccessTableError, match="maybe"):
            load_tables()
    finally:
        load_tables.cache_clear()


def test_inactive_users_have_no_rights(personas):
    personas.kepala.is_active = False
    assert not access.has_permission(personas.kepala, "case.view")
    assert access.case_scope(personas.kepala) == "none"
