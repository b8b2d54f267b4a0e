"""Re-encrypting stored values under the active data key, and reporting which key versions the
stored data uses (docs/keys.md; the commands `rotate_keys` and `check_keys`).

Every encrypted column is found from the models (EncryptedTextField), so a new encrypted field is
covered without a list to keep. Values are read and written as raw column values: an ordinary
save would touch `updated_at`, versions and audit events that a re-encryption must not change.

Safe while the system runs: each batch is one transaction, and each value is written back only
if the column still holds the token that was read (compare-and-set), so a value the application
rewrote meanwhile (already under the active key) is never overwritten. Resumable: the run only
touches values not yet under the active key, so after an interruption a new run continues where
the last one stopped; every value stays readable throughout, because old key versions stay in the
ring.
"""

import base64
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, models, transaction

from .crypto import DecryptionError, decrypt, encrypt, key_ring, parse_key_ring
from .fields import EncryptedTextField
from .files import delete_stored, new_storage_name, seal, unseal

DEFAULT_BATCH = 500
#: Columns that name the key version a sealed file (or an audit MAC) was made with.
FILE_VERSION_FIELDS = ("key_version", "file_key_version", "input_key_version")


def encrypted_columns():
    """[(model, field)] of every encrypted column of the installed models, in a stable order."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for f in model._meta.concrete_fields:
            if isinstance(f, EncryptedTextField):
                found.append((model, f))
    return sorted(found, key=lambda mf: (mf[0]._meta.label, mf[1].name))


def version_columns():
    """[(model, field)] of the columns holding a key version (sealed files, audit MACs)."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for f in model._meta.concrete_fields:
            if f.name in FILE_VERSION_FIELDS and isinstance(f, models.PositiveSmallIntegerField):
                found.append((model, f))
    return sorted(found, key=lambda mf: (mf[0]._meta.label, mf[1].name))


def label(model, f):
    return f"{model._meta.label}.{f.name}"


def token_version(token):
    """The key version a stored token names, or None when it is not a token of ours."""
    version, sep, _body = (token or "").partition("$")
    return int(version) if sep and version.isdigit() else None


def _sql(model, f):
    q = connection.ops.quote_name
    return q(model._meta.db_table), q(f.column), q(model._meta.pk.column)


def _batches(model, f, batch_size):
    """Raw (pk, token) rows of a column that hold a value, by primary key, `batch_size` at a time."""
    table, col, pk = _sql(model, f)
    last = None
    while True:
        where = f"{col} IS NOT NULL AND {col} <> ''"
        params = []
        if last is not None:
            where += f" AND {pk} > %s"
            params.append(last)
        with connection.cursor() as cursor:
            # Identifiers come from the models' metadata, quoted by the backend; values are parameters.
            sql = f"SELECT {pk}, {col} FROM {table} WHERE {where} ORDER BY {pk} LIMIT %s"  # noqa: S608
            cursor.execute(sql, [*params, batch_size])
            rows = cursor.fetchall()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


@dataclass
class ColumnReport:
    label: str
    versions: Counter = field(default_factory=Counter)
    unreadable: int = 0  # not a token, or a token no key of the ring opens (with verify)

    def old(self, active):
        return sum(n for v, n in self.versions.items() if v != active)


def check(*, verify=False, batch_size=DEFAULT_BATCH):
    """{"active", "columns": [ColumnReport], "files": [ColumnReport]}; `verify` also decrypts every
    value (slow) so a damaged one is found. Never returns a plaintext."""
    ring = key_ring()
    columns = []
    for model, f in encrypted_columns():
        report = ColumnReport(label(model, f))
        for rows in _batches(model, f, batch_size):
            for _pk, token in rows:
                version = token_version(token)
                if version is None:
                    report.unreadable += 1
                    continue
                report.versions[version] += 1
                if verify:
                    try:
                        decrypt(token, context=f._context)
                    except DecryptionError:
                        report.unreadable += 1
        columns.append(report)
    files = []
    for model, f in version_columns():
        rows = (
            model._default_manager.exclude(**{f.name: None})
            .values_list(f.name)
            .annotate(n=models.Count("pk"))
        )
        files.append(ColumnReport(label(model, f), Counter(dict(rows.order_by()))))
    return {"active": ring.active, "columns": columns, "files": files}


def _reencrypt(model, f, stale):
    """Re-encrypt `stale` [(pk, token)] rows under the active key in one transaction; a row whose
    column no longer holds the token read is left alone. Returns the number rewritten."""
    table, col, pk = _sql(model, f)
    done = 0
    with transaction.atomic(), connection.cursor() as cursor:
        for row_pk, token in stale:
            fresh = encrypt(decrypt(token, context=f._context), context=f._context)
            sql = f"UPDATE {table} SET {col} = %s WHERE {pk} = %s AND {col} = %s"  # noqa: S608
            cursor.execute(sql, [fresh, row_pk, token])
            done += cursor.rowcount
    return done


def rotate(*, batch_size=DEFAULT_BATCH, after_batch=None):
    """Re-encrypt every value not under the active key. `after_batch(label, rewritten)` is called
    after each committed batch (progress; the tests interrupt a run there). Returns
    {label: rewritten} and the number of values that could not be read (left as they are)."""
    active = key_ring().active
    rewritten, unreadable = {}, 0
    for model, f in encrypted_columns():
        name = label(model, f)
        rewritten[name] = 0
        for rows in _batches(model, f, batch_size):
            stale = []
            for row_pk, token in rows:
                version = token_version(token)
                if version is None or version not in key_ring().keys:
                    unreadable += 1
                elif version != active:
                    stale.append((row_pk, token))
            if stale:
                rewritten[name] += _reencrypt(model, f, stale)
            if after_batch is not None:
                after_batch(name, rewritten[name])
    return rewritten, unreadable


def ring_with_new_key(raw):
    """The key ring JSON `raw` with a new 256-bit key as the next version, made active. Old
    versions stay: values and audit MACs made under them must stay readable."""
    ring = parse_key_ring(raw)
    data = json.loads(raw)
    version = max(ring.keys) + 1
    data["keys"][str(version)] = base64.b64encode(AESGCM.generate_key(bit_length=256)).decode()
    data["active"] = version
    text = json.dumps(data, indent=2)
    parse_key_ring(text)
    return version, text


# --- sealed files ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SealedFiles:
    """A model's sealed file: the columns naming its stored file and its key version, and the
    associated data the file is bound to (sinergi.core.files.seal's `public_id`)."""

    model: type
    name_field: str
    version_field: str
    bound_id: Callable  # row -> str


_sealed: list[SealedFiles] = []


def register_sealed_files(model, *, name_field, version_field, bound_id):
    """Called by the app owning the model (AppConfig.ready): core cannot import the apps above it."""
    if all((s.model, s.name_field) != (model, name_field) for s in _sealed):
        _sealed.append(SealedFiles(model, name_field, version_field, bound_id))


def _reseal(kind, row, active):
    """Re-seal one stored file under the active key: write the new file, then point the row at it
    only if the row still names the old file and version (else the new file is dropped); the old
    file is deleted after the commit. Returns 1 when re-sealed, 0 when left alone."""
    old_name, old_version = getattr(row, kind.name_field), getattr(row, kind.version_field)
    bound = kind.bound_id(row)
    with default_storage.open(old_name, "rb") as stored:
        data = unseal(stored.read(), public_id=bound, key_version=old_version)
    version, blob = seal(data, public_id=bound)
    new_name = default_storage.save(new_storage_name(), ContentFile(blob))
    with transaction.atomic():
        updated = kind.model._default_manager.filter(
            pk=row.pk, **{kind.name_field: old_name, kind.version_field: old_version}
        ).update(**{kind.name_field: new_name, kind.version_field: version})
        transaction.on_commit(lambda: delete_stored(old_name if updated else new_name))
    return updated


def rotate_files(*, batch_size=DEFAULT_BATCH, after_batch=None):
    """Re-seal every registered file not under the active key. Returns ({label: re-sealed},
    unreadable): a missing or damaged file is left as it is and counted."""
    active = key_ring().active
    resealed, unreadable = {}, 0
    for kind in _sealed:
        name = f"{kind.model._meta.label}.{kind.name_field}"
        resealed[name] = 0
        stale = (
            kind.model._default_manager.exclude(**{kind.version_field: None})
            .exclude(**{kind.version_field: active})
            .exclude(**{kind.name_field: ""})
            .order_by("pk")
        )
        last = None
        while True:
            page = stale if last is None else stale.filter(pk__gt=last)
            rows = list(page[:batch_size])
            if not rows:
                break
            for row in rows:
                try:
                    resealed[name] += _reseal(kind, row, active)
                except (OSError, DecryptionError, InvalidTag, ValueError):
                    unreadable += 1
            last = rows[-1].pk
            if after_batch is not None:
                after_batch(name, resealed[name])
    return resealed, unreadable
