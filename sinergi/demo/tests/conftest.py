import pathlib

import pytest

_HERE = pathlib.Path(__file__).parent


def pytest_collection_modifyitems(items):
    # The demo loader fills an empty installation in one transaction, alone (`make demo`): nothing
    # runs beside it, so the lock order (sinergi.testing.lockorder) does not apply to it.
    for item in items:
        if _HERE in pathlib.Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.lock_order_exempt)
