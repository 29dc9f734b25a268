"""Facts of the public contracts that several test modules check (shared, never imported
from one test module into another)."""

from __future__ import annotations

from typing import Any

from textual.app import App

#: The keys every group (and near miss) has in ``recommend --format json`` (contract 2, v2).
JSON_GROUP_KEYS = (
    "id",
    "name",
    "format",
    "score",
    "match",
    "distance_km",
    "city",
    "setting",
    "for_whom",
    "age_min",
    "age_max",
    "restricted_to",
    "audience",
    "reasons",
    "contact",
)


def visible_lines(app: App[Any]) -> list[str]:
    """The text a person sees on the current screen, line by line: what the compositor
    draws (scrolled-away and clipped content is not there), not the widget tree."""
    strips = app.screen._compositor.render_strips()
    return ["".join(segment.text for segment in strip).rstrip() for strip in strips]
