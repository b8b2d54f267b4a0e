"""Role rights, read from access_control.md (the same file as docs/access-control.md).

has_permission(user, "case.register")      -> bool
permission_scope(user, "user.manage")      -> "all" | "unit" | "team" | "own" | None
case_scope(user)                           -> "unit" | "team" | "referrals" | "none"
"""

from functools import cache
from pathlib import Path

from .choices import Role

TABLE_FILE = Path(__file__).with_name("access_control.md")
SCOPES = {"all", "unit", "team", "own"}
CASE_SCOPES = {"unit", "team", "referrals", "none"}


class AccessTableError(Exception):
    pass


def _tables(text):
    """Yield each markdown table as a list of rows (lists of stripped cells), header first."""
    table = []
    for line in text.splitlines() + [""]:
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if not all(set(c) <= set("-: ") for c in cells):
                table.append(cells)
        elif table:
            yield table
            table = []


def _code(cell):
    return cell.strip("`")


@cache
def load_tables():
    """({permission: {role: scope}}, {role: case_scope}) from the markdown file."""
    text = TABLE_FILE.read_text(encoding="utf-8")
    permissions, case_scopes = None, None
    for table in _tables(text):
        header = table[0]
        if header[:2] == ["permission", "meaning"]:
            roles = header[2:]
            if set(roles) != set(Role.values):
                raise AccessTableError(f"function table roles {roles} differ from {sorted(Role.values)}")
            permissions = {}
            for row in table[1:]:
                perm = _code(row[0])
                grants = {}
                for role, cell in zip(roles, row[2:], strict=True):
                    if cell in SCOPES:
                        grants[role] = cell
                    elif cell not in {"—", "-"}:
                        raise AccessTableError(f"{perm}/{role}: unknown cell {cell!r}")
                permissions[perm] = grants
        elif header[:2] == ["role", "case scope"]:
            case_scopes = {}
            for row in table[1:]:
                if row[1] not in CASE_SCOPES:
                    raise AccessTableError(f"{row[0]}: unknown case scope {row[1]!r}")
                case_scopes[row[0]] = row[1]
            if set(case_scopes) != set(Role.values):
                raise AccessTableError("the case-level table must have one row per role")
    if permissions is None or case_scopes is None:
        raise AccessTableError(f"{TABLE_FILE} lacks the function-level or case-level table")
    return permissions, case_scopes


def permission_scope(user, permission):
    if not getattr(user, "is_authenticated", False) or not user.is_active or not user.role:
        return None
    permissions, _ = load_tables()
    if permission not in permissions:
        raise KeyError(f"unknown permission {permission!r}: add it to {TABLE_FILE.name}")
    return permissions[permission].get(user.role)


def permission_scope_of_role(role, permission):
    """The scope the access table gives `role` for `permission`, or None (who holds it)."""
    permissions, _ = load_tables()
    if permission not in permissions:
        raise KeyError(f"unknown permission {permission!r}: add it to {TABLE_FILE.name}")
    return permissions[permission].get(role)


def has_permission(user, permission):
    return permission_scope(user, permission) is not None


def case_scope(user):
    if not getattr(user, "is_authenticated", False) or not user.is_active or not user.role:
        return "none"
    return load_tables()[1][user.role]


def all_permissions():
    return sorted(load_tables()[0])
