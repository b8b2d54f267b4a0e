"""Small helpers to read settings from the environment (and `*_FILE` secrets)."""

import os
from pathlib import Path


class SinergiConfigError(Exception):
    """A configuration problem the operator must fix; manage.py prints it as one sentence."""


def env(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise SinergiConfigError(f"{name} must be 1/0, true/false, yes/no or on/off, not {raw!r}.")


def env_int(name, default):
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise SinergiConfigError(f"{name} must be a whole number, not {raw!r}.") from None


def env_secret(name, default=""):
    """Read a secret from NAME, or from the file named by NAME_FILE."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text().strip()
        except OSError as exc:
            raise SinergiConfigError(
                f"{name}_FILE points to {file_name}, which cannot be read ({exc.strerror})."
            ) from None
    return os.environ.get(name, default)
