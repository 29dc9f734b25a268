"""Facts of the public contracts that several test modules check (shared, never imported
from one test module into another)."""

from __future__ import annotations

from typing import Any

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

#: The keys of every entry of ``look_further`` in ``recommend --format json`` (contract 2).
JSON_LOOK_FURTHER_KEYS = ("name", "url", "about", "source", "checked")


def screen_text(app: Any) -> str:
    """What a running Textual app shows on its screen right now, as plain text lines."""
    import io

    from rich.console import Console

    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system=None,
        record=True,
        legacy_windows=False,
    )
    console.print(app.screen._compositor.render_update(full=True))
    return console.export_text()
