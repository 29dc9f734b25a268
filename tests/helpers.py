"""Facts of the public contracts that several test modules check (shared, never imported
from one test module into another)."""

from __future__ import annotations

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


def screen_text(app: object) -> str:
    """The text a person sees on the app's screen right now, line by line (what the
    terminal shows, not what the widgets hold)."""
    screen = app.screen  # type: ignore[attr-defined]
    strips = screen._compositor.render_strips()
    return "\n".join(strip.text for strip in strips)
