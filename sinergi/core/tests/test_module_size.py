"""No module of the project grows past 600 lines: past that, it becomes a package whose
`__init__.py` re-exports its public names (docs/development.md)."""

from pathlib import Path

import sinergi

MAX_LINES = 600
ROOT = Path(sinergi.__file__).parent


def modules():
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def test_no_module_is_over_600_lines():
    too_long = {
        str(path.relative_to(ROOT.parent)): lines
        for path in modules()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not too_long, f"split these modules into packages (lines): {too_long}"


def test_the_walk_sees_the_apps_and_their_tests():
    seen = {str(p.relative_to(ROOT)) for p in modules()}
    assert "cases/workflow/__init__.py" in seen
    assert "workspace/tests/test_permission_matrix.py" in seen
    assert not any("/migrations/" in p for p in seen)
