"""var/ is the app user's alone: the folder 0700, the SQLite database with its journals, the
generated keys and secrets, and uploads 0600, whatever the umask (issue 15, item 8)."""

import os
import re
import stat
import subprocess
import sys
from pathlib import Path

from sinergi.core.private_files import private_dir, private_file, write_private

ROOT = Path(__file__).resolve().parents[3]

PROBE = """
import os, stat
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
c = connection.cursor()
c.execute("CREATE TABLE t (x)")
c.execute("INSERT INTO t VALUES (1)")
name = default_storage.save("dokumen/2026/uji.bin", ContentFile(b"isi"))
paths = [settings.VAR_DIR / p for p in ("sinergi.sqlite3", "sinergi.sqlite3-wal", "sinergi.sqlite3-shm")]
paths += [settings.VAR_DIR / "media" / name, settings.VAR_DIR / "media" / "dokumen" / "2026"]
for path in paths:
    print(path.name, oct(stat.S_IMODE(os.stat(path).st_mode)))
"""


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def run_with_umask_022(*args, **env):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SINERGI_", "DATABASE_URL", "DJANGO_"))}
    base.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=lambda: os.umask(0o022),
    )


def test_a_fresh_var_folder_is_private_with_everything_in_it(tmp_path):
    var = tmp_path / "var"
    result = run_with_umask_022("shell", "-c", PROBE, SINERGI_VAR_DIR=str(var))
    assert result.returncode == 0, result.stderr
    modes = dict(line.split() for line in result.stdout.splitlines() if re.fullmatch(r"\S+ 0o[0-7]+", line))
    assert modes == {
        "sinergi.sqlite3": "0o600",
        "sinergi.sqlite3-wal": "0o600",
        "sinergi.sqlite3-shm": "0o600",
        "uji.bin": "0o600",
        "2026": "0o700",
    }
    assert mode(var) == 0o700
    generated = [p for p in var.iterdir() if p.is_file() and not p.name.startswith("sinergi.sqlite3")]
    assert {p.name for p in generated} >= {"data_keys.json"}
    assert {p.name: mode(p) for p in generated} == {p.name: 0o600 for p in generated}


def test_files_an_older_release_left_readable_are_tightened(tmp_path):
    folder = tmp_path / "var"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    database = folder / "db.sqlite3"
    database.write_text("")
    database.chmod(0o644)
    private_dir(folder)
    private_file(database)
    assert (mode(folder), mode(database)) == (0o700, 0o600)


def test_a_written_secret_is_private_from_its_first_byte(tmp_path):
    old = os.umask(0o022)
    try:
        path = write_private(tmp_path / "secret", "rahasia")
    finally:
        os.umask(old)
    assert mode(path) == 0o600 and path.read_text() == "rahasia"
