"""Labels that contexts above cases give their own events on a case's timeline.

Registered from their AppConfig.ready() (sinergi.referrals registers the referral and transfer
events), so that the case record never imports the apps built on it.
"""

from collections.abc import Mapping

_labels: dict[str, str] = {}


def register_timeline_labels(labels: Mapping[str, str]) -> None:
    """Add `{action: label}` entries; an action registered twice is a programming error."""
    clash = _labels.keys() & labels.keys()
    if clash:
        raise ValueError(f"timeline labels registered twice: {sorted(clash)}")
    _labels.update(labels)


def timeline_labels() -> Mapping[str, str]:
    return _labels
