"""Encryption of personal data at rest (AES-256-GCM under a versioned key ring) and blind indexes.

Key ring: JSON `{"active": 2, "keys": {"1": "<base64 32 bytes>", "2": "..."}, "index_key": "<base64>"}`
from SINERGI_DATA_KEYS or the file named by SINERGI_DATA_KEYS_FILE; in development it is generated
once into var/data_keys.json (0600). Keys never live in the database. Old key versions stay in the
ring so old values can be read (new values are written under the active one); `manage.py
rotate_keys` re-encrypts old values in batches and `check_keys` reports them (sinergi/core/rotation.py,
docs/keys.md).

Ciphertext: "<version>$<base64(nonce || ciphertext || tag)>"; the associated data binds a value to
its column ("app.Model.field"), so a value copied into another column does not decrypt.
Blind index: HMAC-SHA256 under a separate index key, over a normalised value, for exact-match
search (NIK, phone, name tokens) without plaintext in the database.
Derived keys: `derived_key(label, version)` is HKDF-SHA256 of data key `version` under a label of
its own (the audit trail's chain and checkpoint MACs), so no other use can stand in for it and the
ring needs no extra entries; a derived key rotates with the data key it comes from.
"""

import base64
import hashlib
import hmac
import json
import os
import re
import secrets
import unicodedata
from dataclasses import dataclass
from functools import cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

NONCE_BYTES = 12


class DecryptionError(Exception):
    pass


@dataclass(frozen=True)
class KeyRing:
    active: int
    keys: dict
    index_key: bytes

    def cipher(self, version):
        try:
            return AESGCM(self.keys[version])
        except KeyError:
            raise DecryptionError(f"key version {version} is not in the key ring") from None


def generate_key_ring_json():
    return json.dumps(
        {
            "active": 1,
            "keys": {"1": base64.b64encode(AESGCM.generate_key(bit_length=256)).decode()},
            "index_key": base64.b64encode(secrets.token_bytes(32)).decode(),
        },
        indent=2,
    )


def parse_key_ring(raw):
    try:
        data = json.loads(raw)
        keys = {int(v): base64.b64decode(k, validate=True) for v, k in data["keys"].items()}
        ring = KeyRing(active=int(data["active"]), keys=keys, index_key=base64.b64decode(data["index_key"]))
    except (ValueError, KeyError, TypeError) as exc:
        raise ImproperlyConfigured(
            f"The data key ring is not valid JSON of the documented shape ({exc})."
        ) from None
    if ring.active not in ring.keys:
        raise ImproperlyConfigured("The data key ring's active version has no key.")
    if any(len(k) != 32 for k in ring.keys.values()) or len(ring.index_key) < 32:
        raise ImproperlyConfigured(
            "Data keys must be 32 bytes (AES-256) and the index key at least 32 bytes."
        )
    return ring


@cache
def key_ring():
    raw = settings.SINERGI_DATA_KEYS
    if not raw:
        raise ImproperlyConfigured(
            "No data key ring: set SINERGI_DATA_KEYS_FILE (see docs/configuration.md)."
        )
    return parse_key_ring(raw)


class MissingKey(DecryptionError):
    """A value names a key version the ring no longer (or not yet) holds."""


@cache
def _hkdf(key, label):
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=label).derive(key)


def derived_key(label, version=None):
    """(version, 32-byte key) derived from data key `version` (the active one by default) for the
    purpose `label` (bytes). Raises MissingKey when the ring has no such version."""
    ring = key_ring()
    version = ring.active if version is None else version
    try:
        return version, _hkdf(ring.keys[version], label)
    except KeyError:
        raise MissingKey(f"key version {version} is not in the key ring") from None


def encrypt(plaintext, *, context):
    if plaintext is None:
        return None
    ring = key_ring()
    nonce = os.urandom(NONCE_BYTES)
    sealed = ring.cipher(ring.active).encrypt(nonce, plaintext.encode("utf-8"), context.encode())
    return f"{ring.active}${base64.b64encode(nonce + sealed).decode()}"


def decrypt(token, *, context):
    if token is None:
        return None
    version, sep, body = token.partition("$")
    if not sep or not version.isdigit():
        raise DecryptionError("not an encrypted value")
    raw = base64.b64decode(body)
    try:
        plain = (
            key_ring().cipher(int(version)).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode())
        )
    except Exception as exc:  # InvalidTag: wrong key, wrong column or tampered data
        raise DecryptionError("the value cannot be decrypted with this key ring") from exc
    return plain.decode("utf-8")


def key_version(token):
    return int(token.partition("$")[0]) if token else None


# --- blind indexes ---------------------------------------------------------------------------

_NON_DIGIT = re.compile(r"\D")
_NON_WORD = re.compile(r"[^a-z0-9 ]+")


def normalise_name(name):
    """Lower case, accents and punctuation removed, spaces collapsed: 'Siti  Nur'Aini' → 'siti nur aini'."""
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().lower()
    return " ".join(_NON_WORD.sub(" ", text).split())


def name_tokens(name):
    return sorted({t for t in normalise_name(name).split() if len(t) >= 2})


def normalise_phone(phone):
    """Indonesian numbers to one form: '0812-3456 7890', '+62 812…', '62812…' → '62812…'."""
    digits = _NON_DIGIT.sub("", phone or "")
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    elif digits.startswith("8"):
        digits = "62" + digits
    return digits


def blind_index(value, *, purpose):
    """A keyed hash for exact-match lookup; `purpose` keeps indexes of different kinds apart."""
    if not value:
        return ""
    mac = hmac.new(key_ring().index_key, f"{purpose}:{value}".encode(), hashlib.sha256)
    return mac.hexdigest()[:40]
