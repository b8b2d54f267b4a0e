"""Showing a stored report's receipt again to a resubmit of the same form, without keeping the PIN
anywhere it could be read back.

The PIN is random and stored only as a password hash. For RECEIPT_MINUTES after the report is
stored, the cache holds the PIN sealed (AES-GCM) under a key derived from the server's secret,
the form's key and what she wrote: the form's key lives only in her page (the database keeps a
hash of it), so neither a copy of the database nor of the cache, nor the page as it was first
served (the key without her words), opens it. See docs/portal.md, "The receipt".
"""

import base64
import hashlib
import logging
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.core.cache import cache
from django.utils.crypto import salted_hmac

logger = logging.getLogger("sinergi.portal")

#: How long a resubmit of the same form shows the receipt again: long enough for a database
#: restart or a lost answer, short enough that a shared phone's back button soon shows nothing.
RECEIPT_MINUTES = 30


def form_key_digest(form_key):
    """What the database keeps of the form's key (its unique idempotency column)."""
    return hashlib.sha256(f"sinergi.portal.form-key:{form_key}".encode()).hexdigest()


def _sealing_key(form_key, narrative):
    words = hashlib.sha256((narrative or "").strip().encode()).hexdigest()
    return salted_hmac("sinergi.portal.receipt", f"{form_key}\0{words}", algorithm="sha256").digest()


def _cache_key(form_key):
    return f"portal-receipt:{form_key_digest(form_key)}"


def receipt_keep(form_key, narrative, pin):
    """Keep the PIN sealed for a resubmit; a cache that fails costs only the re-display."""
    nonce = os.urandom(12)
    sealed = nonce + AESGCM(_sealing_key(form_key, narrative)).encrypt(nonce, pin.encode(), None)
    try:
        cache.set(_cache_key(form_key), base64.b64encode(sealed).decode(), RECEIPT_MINUTES * 60)
    except Exception:  # the report is stored; the receipt of this answer does not need the cache
        logger.exception("portal receipt: the sealed PIN could not be kept for a resubmit")


def receipt_recall(form_key, narrative):
    """The PIN kept for this form and these words, or None (expired, other words, no cache)."""
    try:
        sealed = cache.get(_cache_key(form_key))
    except Exception:
        logger.exception("portal receipt: the cache could not be read")
        return None
    if not sealed:
        return None
    raw = base64.b64decode(sealed)
    try:
        return AESGCM(_sealing_key(form_key, narrative)).decrypt(raw[:12], raw[12:], None).decode()
    except InvalidTag:
        return None
