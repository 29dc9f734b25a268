"""Where to look further, wired in: loaded with the catalog, chosen for the person's topics
and region by the matcher, and shown on every surface (JSON, Markdown, table, handout,
counselor summary, kiosk take-home); ``catalog validate`` and ``stats`` treat the file like
the other data files."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
from pathlib import Path
from typing import Any

import pypdf
import pytest
from rich.console import Console

from groupfinder.catalog.directories import DIRECTORIES_FILE
from groupfinder.catalog.loader import load_catalog, shipped_data_dir
from groupfinder.catalog.places import PlaceIndex
from groupfinder.cli.main import main
from groupfinder.domain.directory import REGIONS
from groupfinder.domain.errors import CatalogError
from groupfinder.domain.models import Catalog
from groupfinder.matching.matcher import LOOK_FURTHER_LIMIT, Matcher, Recommendation
from groupfinder.matching.notices import NOTHING_FITS, SAMPLE_DATA
from groupfinder.modes.record import Record
from groupfinder.present.export import summary_markdown
from groupfinder.present.further import look_further_lines, look_further_section
from groupfinder.present.handout import handout_pdf
from groupfinder.present.outputs import to_json, to_markdown
from groupfinder.present.qr import TakeHomeFurther, qr_pages, qr_payload
from groupfinder.present.stats import catalog_stats, stats_lines
from groupfinder.present.table import print_table
from helpers import JSON_LOOK_FURTHER_KEYS, MakeCatalog, answers, csv_text, row

GRIEF_BRUSSELS = {"location": "1000", "language": "fr", "languages": ["fr"], "topics": ["grief"]}


@pytest.fixture(autouse=True)
def english_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GROUPFINDER_LANG", "en")
    monkeypatch.delenv("GROUPFINDER_DATA", raising=False)


@pytest.fixture
def unfitting(make_catalog: MakeCatalog) -> Catalog:
    """An operator's catalog (not the sample) whose only group is in Dutch, in Gent."""
    return make_catalog([row(languages="nl")])


def _rec(catalog: Catalog, places: PlaceIndex, **values: Any) -> Recommendation:
    return Matcher(catalog, places).recommend(answers(**values))


def _table(rec: Recommendation, catalog: Catalog) -> str:
    console = Console(width=100, file=io.StringIO(), record=True, color_system=None)
    print_table(rec, catalog, console)
    return console.export_text()


# --------------------------------------------------------------------------- loading


def test_the_shipped_directories_load_with_the_catalog(catalog: Catalog) -> None:
    assert len(catalog.directories) >= 30
    assert catalog.sources[DIRECTORIES_FILE] == shipped_data_dir() / DIRECTORIES_FILE


def test_an_operator_folder_replaces_the_directories(data_dir: Path, places: PlaceIndex) -> None:
    own = (shipped_data_dir() / DIRECTORIES_FILE).read_text(encoding="utf-8")
    first = own.index("\n[[directories]]\n")
    second = own.index("\n[[directories]]\n", first + 1)
    (data_dir / DIRECTORIES_FILE).write_text(own[first:second], encoding="utf-8")
    catalog = load_catalog(data_dir, places)
    assert [d.id for d in catalog.directories] == ["sociale-kaart"]
    assert catalog.sources[DIRECTORIES_FILE] == data_dir / DIRECTORIES_FILE


def test_a_bad_directories_file_is_a_catalog_problem(data_dir: Path, places: PlaceIndex) -> None:
    (data_dir / DIRECTORIES_FILE).write_text(
        '[[directories]]\nid = "x"\nname = "X"\n', encoding="utf-8"
    )
    with pytest.raises(CatalogError) as info:
        load_catalog(data_dir, places)
    fields = {p.field for p in info.value.problems}
    assert "directories.0.url" in fields
    assert all(p.file == str(data_dir / DIRECTORIES_FILE) for p in info.value.problems)


def test_general_is_known_even_to_an_operators_formats_file(
    data_dir: Path, make_catalog: MakeCatalog
) -> None:
    formats = data_dir / "formats.toml"
    text = formats.read_text(encoding="utf-8")
    start = text.index("[topics.general]")
    end = text.find("\n[", start + 1)
    formats.write_text(text[:start] + (text[end + 1 :] if end != -1 else ""), encoding="utf-8")
    catalog = make_catalog([row()])
    assert "general" not in catalog.topics
    assert any(d.general for d in catalog.directories)


# --------------------------------------------------------------------------- choosing


def test_the_persons_topics_and_region_come_first(catalog: Catalog, places: PlaceIndex) -> None:
    rec = _rec(catalog, places, **GRIEF_BRUSSELS)
    ids = [d.id for d in rec.look_further]
    assert ids[0] == "prevention-suicide-deuil"  # grief, Brussels, French
    assert all("BE-BRU" in d.regions for d in rec.look_further)
    assert len(ids) <= LOOK_FURTHER_LIMIT


def test_entries_in_a_language_the_person_speaks_come_first(
    catalog: Catalog, places: PlaceIndex
) -> None:
    rec = _rec(catalog, places, **GRIEF_BRUSSELS)
    spoken = [bool({"fr"} & set(d.languages)) for d in rec.look_further]
    assert spoken == sorted(spoken, reverse=True)
    assert spoken[0]


@pytest.mark.parametrize(
    ("location", "region"),
    [("9000", "BE-VLG"), ("Utrecht", "NL"), ("Liège", "BE-WAL"), ("1050", "BE-BRU")],
)
def test_the_region_comes_from_the_location(
    catalog: Catalog, places: PlaceIndex, location: str, region: str
) -> None:
    rec = _rec(catalog, places, location=location)
    assert rec.look_further
    assert all(region in d.regions for d in rec.look_further)


def test_without_a_region_every_region_counts(catalog: Catalog, places: PlaceIndex) -> None:
    for location in (None, "51.05,3.72"):
        rec = _rec(catalog, places, location=location, topics=["grief"], languages=["nl", "fr"])
        regions = {r for d in rec.look_further for r in d.regions}
        assert len(regions) > 1


def test_every_region_gets_somewhere_to_look(catalog: Catalog, places: PlaceIndex) -> None:
    for location in ("9000", "1000", "4000", "Utrecht"):
        for language in ("nl", "fr", "en"):
            rec = _rec(catalog, places, location=location, language=language, topics=["stress"])
            assert rec.look_further, (location, language)


# --------------------------------------------------------------------------- the outputs


def test_json_look_further(catalog: Catalog, places: PlaceIndex) -> None:
    rec = _rec(catalog, places, **GRIEF_BRUSSELS)
    data = to_json(rec, catalog)
    assert list(data)[list(data).index("notices") + 1] == "look_further"
    entries = data["look_further"]
    assert [e["name"] for e in entries] == [d.name for d in rec.look_further]
    first, directory = entries[0], rec.look_further[0]
    assert tuple(first) == JSON_LOOK_FURTHER_KEYS
    assert first["url"] == directory.url and first["source"] == directory.source
    assert first["about"] == directory.about.fr  # in the person's language
    assert first["checked"] == directory.checked.isoformat()
    dt.date.fromisoformat(first["checked"])
    assert json.loads(json.dumps(data)) == data


def _nothing_fits_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "groups.csv").write_text(csv_text([row(languages="nl")]), encoding="utf-8")
    return folder


@pytest.mark.parametrize("output", ["json", "markdown", "table"])
def test_when_nothing_fits_every_output_format_shows_the_directories(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], output: str
) -> None:
    folder = _nothing_fits_folder(tmp_path)
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({"needs": ["recognition"], **GRIEF_BRUSSELS}), encoding="utf-8")
    code = main(["recommend", "--answers", str(path), "--data", str(folder), "--format", output])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    if output == "json":
        data = json.loads(out)
        assert NOTHING_FITS in [n["id"] for n in data["notices"]]
        assert data["groups"] == []
        names = [e["name"] for e in data["look_further"]]
        assert "Centre de Prévention du Suicide" in names
        return
    assert "Pour aller plus loin" in out
    assert "Centre de Prévention du Suicide" in out
    assert "https://www.preventionsuicide.be" in out
    # An operator's catalog: the directories come after the groups.
    assert out.index("Pour aller plus loin") > out.index("Types de groupes")


def test_with_sample_data_the_real_directories_come_first(
    catalog: Catalog, places: PlaceIndex
) -> None:
    rec = _rec(catalog, places, **GRIEF_BRUSSELS)
    assert SAMPLE_DATA in [n.id for n in rec.notices]
    section = look_further_section(rec)
    assert section.first and section.sample
    markdown = to_markdown(rec, catalog)
    assert markdown.index("## Pour aller plus loin") < markdown.index("## Types de groupes")
    assert markdown.count(section.sample) == 1  # said once, among the notices
    table = _table(rec, catalog)
    assert table.index("Pour aller plus loin") < table.index("Types de groupes")


def test_data_is_never_markup(data_dir: Path, places: PlaceIndex) -> None:
    (data_dir / DIRECTORIES_FILE).write_text(
        "[[directories]]\n"
        'id = "odd"\n'
        'name = "[bold]Odd[/bold] *name* <b>x</b>"\n'
        'url = "https://odd.example.org/a_b_c"\n'
        'about = { nl = "[red]Een[/red].", fr = "Un.", en = "[link=https://x.org]One[/link]." }\n'
        'regions = ["BE-VLG"]\ntopics = ["general"]\nlanguages = ["nl"]\n'
        'source = "https://odd.example.org/about"\nchecked = 2026-01-01\n',
        encoding="utf-8",
    )
    catalog = load_catalog(data_dir, places)
    rec = _rec(catalog, places, location="9000", language="en")
    table = _table(rec, catalog)
    assert "[bold]Odd[/bold] *name* <b>x</b>" in table
    assert "[link=https://x.org]One[/link]." in table
    markdown = to_markdown(rec, catalog)
    assert r"\[bold\]Odd\[/bold\] \*name\* \<b\>x\</b\>" in markdown
    assert r"https://odd.example.org/a\_b\_c" in markdown


def test_no_entry_for_the_region_says_where_else_to_ask(data_dir: Path, places: PlaceIndex) -> None:
    (data_dir / DIRECTORIES_FILE).write_text("directories = []\n", encoding="utf-8")
    catalog = load_catalog(data_dir, places)
    rec = _rec(catalog, places, location="9000", language="en")
    assert rec.look_further == ()
    assert "Your GP can point you to groups" in to_markdown(rec, catalog)
    assert to_json(rec, catalog)["look_further"] == []


# --------------------------------------------------------------------------- counselor, kiosk


def _pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_handout_and_summary_show_where_to_look_further(
    catalog: Catalog, places: PlaceIndex, unfitting: Catalog
) -> None:
    for shown, sample in ((catalog, True), (unfitting, False)):
        rec = _rec(shown, places, **GRIEF_BRUSSELS)
        record = Record(answers=rec.answers)
        text = _pdf_text(handout_pdf(rec, shown, record))
        assert "Pour aller plus loin" in text
        assert "Centre de Prévention du Suicide" in text
        summary = summary_markdown(rec, shown, record)
        assert "## Pour aller plus loin" in summary
        assert "Centre de Prévention du Suicide" in summary
        sample_line = next((n.text for n in rec.notices if n.id == SAMPLE_DATA), None)
        assert (sample_line is not None) is sample
        if sample_line:
            assert sample_line in summary  # the summary shows no notices otherwise
            assert summary.index("Pour aller plus loin") < summary.index("## Réponses")
        else:
            assert summary.index("Pour aller plus loin") > summary.index("## Réponses")


def test_the_take_home_text_is_short(catalog: Catalog, places: PlaceIndex) -> None:
    rec = _rec(catalog, places, **GRIEF_BRUSSELS)
    section = look_further_section(rec)
    lines = look_further_lines(section, "fr")
    assert len(lines) == 3  # a heading that says the groups are examples, then two places
    assert "exemples" in lines[0]
    assert lines[1] == "Centre de Prévention du Suicide: https://www.preventionsuicide.be"
    further = TakeHomeFurther(tuple(lines), first=True)
    groups = [r.group for r in rec.groups[:2]]
    text = qr_payload(groups, [], "fr", further=further)
    assert text.index(lines[1]) < text.index(groups[0].name)
    after = qr_payload(groups, [], "fr", further=TakeHomeFurther(tuple(lines)))
    assert after.index(lines[1]) > after.index(groups[-1].name)
    pages = qr_pages(groups, [], "fr", 40, further=further)
    assert pages == [text]


# --------------------------------------------------------------------------- validate, stats


def test_validate_names_file_line_and_field_of_a_bad_directories_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    shipped = (shipped_data_dir() / DIRECTORIES_FILE).read_text(encoding="utf-8")
    bad = shipped.replace('topics = ["grief"]', 'topics = ["sadness"]', 1)
    assert bad != shipped
    path = folder / DIRECTORIES_FILE
    path.write_text(bad, encoding="utf-8")
    line = bad.splitlines().index('topics = ["sadness"]') + 1
    before = bad[: bad.index('topics = ["sadness"]')].splitlines()
    entry = before.count("[[directories]]") - 1
    code = main(["catalog", "validate", "--data", str(folder)])
    _out, err = capsys.readouterr()
    assert code == 2
    assert f"{path}:{line}: directories.{entry}.topics.0: unknown value 'sadness'" in err
    assert "Traceback" not in err


def test_validate_counts_and_lists_the_stale_directories(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["catalog", "validate"]) == 0
    out = capsys.readouterr().out
    assert f"Places to look further: {len(load_catalog().directories)}" in out
    assert "depressie-vereniging" in out
    assert f"directories.toml: {shipped_data_dir() / DIRECTORIES_FILE}" in out


def test_stats_counts_per_region_and_lists_the_stale(catalog: Catalog) -> None:
    stats = catalog_stats(catalog, dt.date(2026, 12, 1))
    assert stats.directories == len(catalog.directories)
    assert [r for r, _ in stats.directory_regions] and {
        r for r, _ in stats.directory_regions
    } == set(REGIONS)
    lines = stats_lines(stats, "en")
    assert f"Places to look further: {len(catalog.directories)}" in lines
    assert any(line.split()[1:3] == ["BE-WAL", "Wallonia"] for line in lines if "BE-WAL" in line)
    stale = lines.index(
        "Stale: 2 place(s) to look further last checked more than a year before 2026-12-01"
    )
    assert lines[stale + 1].split()[:2] == ["2021-01-18", "depressie-vereniging"]
    assert lines[stale + 2].split()[:2] == ["2023-02-21", "prevention-suicide-deuil"]


def test_stats_command_with_a_folder_of_its_own(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copy(shipped_data_dir() / DIRECTORIES_FILE, folder / DIRECTORIES_FILE)
    assert main(["catalog", "stats", "--data", str(folder), "--today", "2026-12-01"]) == 0
    assert "Stale: 2 place(s) to look further" in capsys.readouterr().out
