"""Password rules beyond Django's own: an upper length limit and the words anyone here would try first.

Sinergi follows NIST SP 800-63B: long passwords, no composition rules (no "one digit, one capital"),
and a refusal of passwords an attacker would guess from the context. Configured in
AUTH_PASSWORD_VALIDATORS next to Django's minimum length (12), common-password, numeric and
user-attribute validators.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sinergi.regions.models import Region

#: Always refused: the system, the city, the kind of unit.
CONTEXT_WORDS = ("sinergi", "payakumbuh", "uptd", "ppa")

#: Words of organisation and region names too general to make a password guessable on their own
#: ("UPTD PPA Kota Payakumbuh" refuses "payakumbuh", not every password containing "kota").
GENERIC_NAME_WORDS = frozenset(
    {
        "kota",
        "kabupaten",
        "provinsi",
        "dinas",
        "kantor",
        "unit",
        "pusat",
        "badan",
        "lembaga",
        "negeri",
        "daerah",
        "demo",
    }
)

_NOT_ALPHANUMERIC = re.compile(r"[\W_]+")
_LETTER_RUNS = re.compile(r"[^\W\d_]+")


def _squash(text):
    """Case-folded, with spaces and punctuation removed: "Sinergi 2024!" → "sinergi2024"."""
    return _NOT_ALPHANUMERIC.sub("", (text or "").casefold())


def name_tokens(name, min_length=4):
    """The words of a name that are long and specific enough to refuse in a password."""
    return {
        token
        for token in _LETTER_RUNS.findall((name or "").casefold())
        if len(token) >= min_length and token not in GENERIC_NAME_WORDS
    }


class MaximumLengthValidator:
    """Refuse passwords longer than `max_length` (128 by default): long enough for any passphrase,
    short enough that hashing stays cheap."""

    def __init__(self, max_length=128):
        self.max_length = max_length

    def validate(self, password, user=None):
        if len(password) > self.max_length:
            raise ValidationError(
                _("This password is too long: use at most %(max_length)d characters."),
                code="password_too_long",
                params={"max_length": self.max_length},
            )

    def get_help_text(self):
        return gettext("Your password can be at most %(max_length)d characters long.") % {
            "max_length": self.max_length
        }


class ContextWordsValidator:
    """Refuse passwords that contain a word from Sinergi's context.

    Refused, ignoring case, spaces and punctuation: the fixed CONTEXT_WORDS, the user's username,
    and the words (four letters or more, generic ones excepted) of the user's organisation, of its
    region, of the installation's home region and of SINERGI_SITE_NAME.
    """

    def __init__(self, words=CONTEXT_WORDS, min_token_length=4):
        self.words = tuple(w.casefold() for w in words)
        self.min_token_length = min_token_length

    def context_words(self, user=None):
        words = set(self.words)
        words |= name_tokens(getattr(settings, "SINERGI_SITE_NAME", ""), self.min_token_length)
        words |= name_tokens(self._home_region_name(), self.min_token_length)
        if user is not None:
            username = _squash(getattr(user, "username", ""))
            if len(username) >= 3:
                words.add(username)
            organisation = (
                getattr(user, "organisation", None) if getattr(user, "organisation_id", None) else None
            )
            if organisation is not None:
                for name in (organisation.name, organisation.short_name):
                    words |= name_tokens(name, self.min_token_length)
                if organisation.region_id:
                    words |= name_tokens(organisation.region.name, self.min_token_length)
        return {w for w in words if w}

    @staticmethod
    def _home_region_name():
        code = getattr(settings, "SINERGI_HOME_REGION", "")
        if not code:
            return ""

        try:
            return Region.objects.filter(code=code).values_list("name", flat=True).first() or ""
        except DatabaseError:  # no regions table yet (e.g. before the first migrate)
            return ""

    def validate(self, password, user=None):
        squashed = _squash(password)
        # Longest first, so the message names "payakumbuh" rather than a shorter word inside it.
        for word in sorted(self.context_words(user), key=lambda w: (-len(w), w)):
            if word in squashed:
                raise ValidationError(
                    _(
                        "This password contains “%(word)s”, which anyone who knows this service could "
                        "guess (the system, the city, your unit or your username). Choose another."
                    ),
                    code="password_has_context_word",
                    params={"word": word},
                )

    def get_help_text(self):
        return gettext(
            "Your password cannot contain the name of this system, the city, your unit or your username."
        )
