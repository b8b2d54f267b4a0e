"""Search terms that name a person (NIK, phone, name) never travel in a URL (issue 15, item 8).

A search form is sent by POST; its personal terms are parked in the session under a random
short-lived id, and the page the browser is sent to carries only that id (`?cari=<id>`), so the
terms stay out of access logs, browser history, Referer headers and shared links. An id lasts
SEARCH_TTL seconds and only in the session that made it; a session keeps its last few searches.
The terms are encrypted with the data key ring before they go into the session (which the database
keeps): a NIK or a name is never stored in clear there either.
"""

import json
import secrets
import time

from django.http import QueryDict

from .crypto import DecryptionError, decrypt, encrypt

SESSION_KEY = "sinergi_searches"
PARAM = "cari"
SEARCH_TTL = 30 * 60
KEPT = 5
_CONTEXT = "sinergi.search_terms"


def park(request, terms):
    """The id under which `terms` (a dict of strings) wait in this session."""
    now = time.time()
    searches = {
        key: entry
        for key, entry in request.session.get(SESSION_KEY, {}).items()
        if now - entry["at"] < SEARCH_TTL
    }
    search_id = secrets.token_urlsafe(9)
    searches[search_id] = {"at": now, "terms": encrypt(json.dumps(terms), context=_CONTEXT)}
    request.session[SESSION_KEY] = dict(sorted(searches.items(), key=lambda kv: kv[1]["at"])[-KEPT:])
    return search_id


def parked(request, search_id):
    """The terms of a fresh id of this session, or None (unknown, expired, another session's)."""
    entry = request.session.get(SESSION_KEY, {}).get(str(search_id)[:32])
    if entry is None or time.time() - entry["at"] >= SEARCH_TTL:
        return None
    try:
        return json.loads(decrypt(entry["terms"], context=_CONTEXT))
    except (DecryptionError, TypeError, ValueError):  # a key retired since, or an older entry
        return None


def url_without(query, personal, search_id=None):
    """The query string of `query` (a QueryDict) with the personal fields replaced by the id."""
    kept = QueryDict(mutable=True)
    for key in query:
        if key not in personal and key not in {PARAM, "csrfmiddlewaretoken", "page"}:
            kept.setlist(key, [v for v in query.getlist(key) if v])
    if search_id:
        kept[PARAM] = search_id
    return kept.urlencode()
