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
