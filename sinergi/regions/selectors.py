"""Reads of the administrative hierarchy (public reference data: no scope)."""

from .models import Region


def provinces_for_choice():
    return Region.objects.filter(level=1).order_by("name").only("code", "name")


def region_children(parent):
    """The regions directly below `parent` (a code), or the provinces for none."""
    return Region.objects.filter(parent_id=parent or None).order_by("name").only("code", "name", "kind")
