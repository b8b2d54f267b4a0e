"""Views read through selectors and policies: no view module queries a model's manager itself.

ARCHITECTURE.md: "Never `Case.objects.get(...)` in a view." A query in a view skips the scope
rules the selectors and policies apply, so this test lists every `.objects` in a view module.
"""

import ast
from pathlib import Path

import sinergi

ROOT = Path(sinergi.__file__).parent


def view_modules():
    for path in sorted(ROOT.glob("*/views*.py")):
        yield path
    for path in sorted(ROOT.glob("*/views/**/*.py")):
        yield path


def manager_uses(path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in {"objects", "_default_manager", "_base_manager"}:
            yield node.lineno


def test_the_walk_finds_the_view_modules():
    names = {p.relative_to(ROOT).as_posix() for p in view_modules()}
    assert {"cases/views.py", "cases/views_workflow.py", "referrals/views_case.py"} <= names


def test_no_view_module_queries_a_manager():
    offenders = [f"{path.relative_to(ROOT)}:{line}" for path in view_modules() for line in manager_uses(path)]
    assert not offenders, "views query through selectors/policies, not `.objects`:\n" + "\n".join(offenders)
