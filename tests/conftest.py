"""Shared fixtures: the shipped catalog, a matcher, and small hand-made catalogs (the plain
helpers they use are in helpers.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from groupfinder.catalog.hsds import HsdsMapping
from groupfinder.catalog.loader import load_catalog, shipped_data_dir
from groupfinder.catalog.places import PlaceIndex
from groupfinder.domain.models import Catalog
from groupfinder.matching.matcher import Matcher
from helpers import MakeCatalog, csv_text


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


@pytest.fixture
def make_catalog(data_dir: Path, places: PlaceIndex) -> MakeCatalog:
    """A catalog with the shipped formats and helplines and just the given group rows."""

    def make(rows: list[dict[str, str]]) -> Catalog:
        (data_dir / "groups.csv").write_text(csv_text(rows), encoding="utf-8")
        return load_catalog(data_dir, places)

    return make


@pytest.fixture(scope="session")
def mapping(catalog: Catalog) -> HsdsMapping:
    """The shipped HSDS mapping file, for the shipped formats and topics."""
    from groupfinder.catalog import hsds
    from groupfinder.catalog.loader import data_file

    return hsds.load_mapping(data_file(hsds.MAPPING_FILE), catalog.formats, catalog.topics)
