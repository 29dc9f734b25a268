"""Shared fixtures: the shipped catalog, a matcher, and small hand-made catalogs."""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from groupfinder.catalog.loader import COLUMNS, load_catalog, shipped_data_dir
from groupfinder.catalog.places import PlaceIndex
from groupfinder.domain.models import Answers, Catalog
from groupfinder.matching.matcher import Matcher

#: A valid group row; tests override the cells they care about.
BASE_ROW: dict[str, str] = {
    "id": "t-1",
    "name": "Test group",
    "format": "support_group",
    "topics": "grief",
    "leadership": "peer",
    "size_min": "6",
    "size_max": "12",
    "setting": "in_person",
    "drop_in": "yes",
    "address": "Teststraat 1",
    "postcode": "9000",
    "city": "Gent",
    "country": "BE",
    "latitude": "51.0543",
    "longitude": "3.7174",
    "languages": "nl",
    "schedule": "Elke maandag",
    "cost_eur": "0",
    "contact_phone": "",
    "contact_email": "t@example.org",
    "website": "https://example.org/t",
    "wheelchair": "yes",
    "audience": "Iedereen",
    "description": "Een testgroep.",
    "last_verified": "2026-01-01",
    "for_whom": "both",
    "age_min": "",
    "age_max": "",
    "restricted_to": "",
}


def csv_text(rows: list[dict[str, str]], columns: tuple[str, ...] = COLUMNS) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: row.get(c, "") for c in columns})
    return buffer.getvalue()


def row(**cells: str) -> dict[str, str]:
    return {**BASE_ROW, **cells}


@pytest.fixture(scope="session")
def places() -> PlaceIndex:
    return PlaceIndex.default()


@pytest.fixture(scope="session")
def catalog(places: PlaceIndex) -> Catalog:
    return load_catalog(shipped_data_dir(), places)


@pytest.fixture(scope="session")
def matcher(catalog: Catalog, places: PlaceIndex) -> Matcher:
    return Matcher(catalog, places)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A copy of the shipped catalog that a test may spoil."""
    target = tmp_path / "data"
    target.mkdir()
    for name in ("formats.toml", "groups.csv", "helplines.toml"):
        shutil.copy(shipped_data_dir() / name, target / name)
    return target


MakeCatalog = Callable[[list[dict[str, str]]], Catalog]


@pytest.fixture
def make_catalog(data_dir: Path, places: PlaceIndex) -> MakeCatalog:
    """A catalog with the shipped formats and helplines and just the given group rows."""

    def make(rows: list[dict[str, str]]) -> Catalog:
        (data_dir / "groups.csv").write_text(csv_text(rows), encoding="utf-8")
        return load_catalog(data_dir, places)

    return make


def answers(**values: Any) -> Answers:
    values.setdefault("needs", ["recognition"])
    return Answers.model_validate(values)
