"""Files under var/ that only the app's own user may read: the SQLite database, generated keys
and secrets, uploads (issue 15, item 8). Folders 0700, files 0600, whatever the umask.

Plain Python (no Django): settings.py uses it before Django is set up.
"""

import os
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600


def _tighten(path, mode):
    """Drop group and other bits of a path this user owns (an older release made them 0644/0755)."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return
    if stat.st_uid == os.geteuid() and stat.st_mode & 0o077:
        path.chmod(mode)


def private_dir(path):
    """Create the folder (and missing parents) as 0700; tighten it when it exists."""
    path = Path(path)
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    _tighten(path, DIR_MODE)
    return path


def private_file(path):
    """Create an empty file as 0600 when missing (before another program creates it with the
    umask's mode, e.g. SQLite); tighten it when it exists."""
    path = Path(path)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    except FileExistsError:
        _tighten(path, FILE_MODE)
    return path


def write_private(path, text):
    """Write a new file that is 0600 from its first byte (no window where it is world-readable)."""
    path = Path(path)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    _tighten(path, FILE_MODE)
    return path
