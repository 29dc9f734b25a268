"""Contract 2: the command line, its outputs and its exit codes."""

from __future__ import annotations

import gc
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any, ClassVar

import pytest

from groupfinder.cli.main import main
from helpers import JSON_GROUP_KEYS, JSON_LOOK_FURTHER_KEYS, csv_text, row, run_cli

EXAMPLE = Path(__file__).parents[1] / "examples" / "answers.json"


def write_answers(tmp_path: Path, **values: Any) -> str:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({"needs": ["recognition"], **values}), encoding="utf-8")
    return str(path)


@pytest.fixture(autouse=True)
def english_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GROUPFINDER_LANG", "en")
    monkeypatch.delenv("GROUPFINDER_DATA", raising=False)


def test_no_arguments_without_a_terminal_says_what_to_do(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run_cli(capsys)
    assert code == 2
    assert out == ""
    assert "needs a terminal" in err
    assert "groupfinder recommend --answers FILE" in err


def test_help_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--help"])
    assert caught.value.code == 0
    out = capsys.readouterr().out
    assert "usage: groupfinder" in out
    assert "recommend" in out
    assert "catalog" in out


def test_recommend_json_follows_the_contract(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(
        capsys, "recommend", "--answers", str(EXAMPLE), "--format", "json", "--limit", "3"
    )
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert list(data) == [
        "version",
        "answers",
        "crisis_help",
        "notices",
        "look_further",
        "formats",
        "groups",
        "near_misses",
        "help_line",
    ]
    assert data["version"] == 2
    assert data["look_further"]
    assert all(set(d) == set(JSON_LOOK_FURTHER_KEYS) for d in data["look_further"])
    assert data["crisis_help"] == []
    assert [n["id"] for n in data["notices"]] == ["sample_data"]
    assert data["answers"]["needs"] == ["therapy", "recognition"]
    assert data["formats"][0]["id"] == "therapy_group"
    assert set(data["formats"][0]) == {"id", "name", "score", "match", "reasons"}
    assert len(data["groups"]) == 3
    group = data["groups"][0]
    assert set(JSON_GROUP_KEYS) <= set(group)
    assert set(group["reasons"][0]) == {"rule", "points", "text"}
    assert all("missed" in g and "missed_rule" in g for g in data["near_misses"])
    scores = [g["score"] for g in data["groups"]]
    assert scores == sorted(scores, reverse=True)


def test_crisis_help_comes_first(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    answers = write_answers(tmp_path, risk="acute", location="Gent", language="en")
    code, out, _ = run_cli(capsys, "recommend", "--answers", answers, "--format", "json")
    data = json.loads(out)
    assert list(data)[:3] == ["version", "answers", "crisis_help"]
    assert data["crisis_help"][0] == {
        "name": "Zelfmoordlijn 1813",
        "phone": "1813",
        "url": "https://www.zelfmoord1813.be",
        "hours": "Day and night, free and anonymous",
        "about": data["crisis_help"][0]["about"],
        "languages": ["nl"],
        "crisis": True,
    }
    assert data["notices"][0]["id"] == "professional_help_first"
    assert data["formats"][0]["id"] == "therapy_group"
    code, out, _ = run_cli(capsys, "recommend", "--answers", answers)
    assert code == 0
    assert out.index("1813") < out.index("Kinds of group")


def test_lang_overrides_the_answers_language(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run_cli(
        capsys, "recommend", "--answers", str(EXAMPLE), "--format", "json", "--lang", "fr"
    )
    data = json.loads(out)
    assert data["answers"]["language"] == "fr"
    assert data["formats"][0]["name"] == "Groupe thérapeutique"


def test_markdown_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(
        capsys, "recommend", "--answers", str(EXAMPLE), "--format", "markdown", "--lang", "en"
    )
    assert code == 0
    assert out.startswith("# Your group suggestions\n")
    assert "## Kinds of group" in out and "## Groups" in out
    assert "1. **Therapy group**" in out
    assert "## Choosing and joining a group" in out
    assert out.rstrip().splitlines()[-1].startswith("Need to talk to someone now?")


def test_table_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "recommend", "--answers", str(EXAMPLE), "--lang", "en")
    assert code == 0
    assert "Kinds of group" in out and "Therapy group" in out and "%" in out
    assert "fictional examples" in out  # the sample_data notice
    ending = " ".join(out.rstrip().splitlines()[-3:])  # the help line, wrapped to the width
    assert "Need to talk to someone now?" in ending and ending.endswith("danger: 112")


def test_answers_from_standard_input(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO('{"needs": ["rest"], "language": "en"}'))
    code, out, _ = run_cli(capsys, "recommend", "--answers", "-", "--format", "json")
    assert code == 0
    assert json.loads(out)["formats"][0]["id"] == "wellness_retreat"


# Control characters are refused where the catalog is read (tests/test_hostile.py): here the
# markup that is left must come out literally.
EVIL_NAME = "[bold red]Boom[/] [@click=app.quit]q[/] *x* <b>|"


@pytest.fixture
def evil_data(tmp_path: Path) -> Path:
    data = tmp_path / "evil"
    data.mkdir()
    rows = [
        row(
            name=EVIL_NAME,
            description="[link=http://x]click[/link]",
            city="Gent[/]",
            schedule="[red]red[/red]",
        )
    ]
    (data / "groups.csv").write_text(csv_text(rows), encoding="utf-8")
    return data


@pytest.mark.parametrize("output", ["table", "markdown"])
def test_catalog_strings_come_out_literally(
    tmp_path: Path,
    evil_data: Path,
    output: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "400")  # no wrapping, so that cells read as one line
    answers = write_answers(tmp_path, language="en")
    code, out, _ = run_cli(
        capsys, "recommend", "--answers", answers, "--data", str(evil_data), "--format", output
    )
    assert code == 0
    assert "\x1b" not in out and "\x07" not in out
    flat = " ".join(out.split())
    if output == "table":
        assert "[bold red]Boom[/]" in flat
        assert "Gent[/]" in flat
    else:
        assert r"\[bold red\]Boom\[/\]" in flat
        assert r"\*x\* \<b\>\|" in flat


def test_markup_is_literal_even_on_a_colour_terminal(tmp_path: Path, evil_data: Path) -> None:
    from rich.console import Console

    from groupfinder.catalog.answers import read_answers
    from groupfinder.catalog.loader import load_catalog
    from groupfinder.matching.matcher import Matcher
    from groupfinder.present.table import print_table

    catalog = load_catalog(evil_data)
    rec = Matcher(catalog).recommend(read_answers(write_answers(tmp_path, language="en")))
    buffer = io.StringIO()
    print_table(rec, catalog, Console(file=buffer, force_terminal=True, width=200))
    text = buffer.getvalue()
    assert "[bold red]Boom[/]" in text
    assert "\x1b[2J" not in text and "\x1b]0;" not in text and "\x07" not in text


# ------------------------------------------------------------------ bad input: exit 2


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ('{"needs": ["rest"], "colour": "blue"}', "colour: unknown key"),
        ('{"needs": ["rest"], "group_size": "tiny"}', "group_size: unknown value 'tiny'"),
        ('{"language": "en"}', "needs: missing"),
        ('{"needs": ["rest"]', "not valid JSON"),
        ('{"needs": ["rest"], "topics": ["gardening"]}', "unknown topic 'gardening'"),
        ('{"needs": ["rest"], "location": "Gnet"}', "did you mean Gent"),
        ('{"needs": ["rest"], "location": "Bergen"}', "matches several places"),
    ],
)
def test_bad_answers_exit_2_with_a_clear_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, words: str
) -> None:
    path = tmp_path / "answers.json"
    path.write_text(content, encoding="utf-8")
    code, out, err = run_cli(capsys, "recommend", "--answers", str(path))
    assert code == 2
    assert out == ""
    assert str(path) in err and words in err
    assert "Traceback" not in err


def test_missing_answers_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, "recommend", "--answers", str(tmp_path / "nope.json"))
    assert code == 2
    assert "nope.json: file not found" in err


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    for args in (
        ["recommend"],
        ["recommend", "--answers", "x", "--limit", "0"],
        ["recommend", "--answers", "x", "--format", "pdf"],
        ["frobnicate"],
    ):
        with pytest.raises(SystemExit) as caught:
            main(args)
        assert caught.value.code == 2
    assert "usage:" in capsys.readouterr().err


def test_messages_follow_the_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GROUPFINDER_LANG", "nl")
    code, _, err = run_cli(capsys, "recommend", "--answers", str(tmp_path / "nope.json"))
    assert code == 2
    assert "file not found" not in err and "nope.json: " in err


def test_validate_ok_and_bad(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "catalog", "validate")
    assert code == 0 and "The catalog is valid" in out
    (tmp_path / "groups.csv").write_text(
        csv_text([row(id="a", format="nope"), row(id="a", leadership="boss")]), encoding="utf-8"
    )
    code, out, err = run_cli(capsys, "catalog", "validate", "--data", str(tmp_path))
    assert code == 2
    lines = err.strip().splitlines()
    assert lines[0].endswith(
        "groups.csv:2: format: unknown format 'nope'; expected one of: "
        "art_therapy_psychodrama, personal_development, support_group, "
        "talk_group, therapy_group, wellness_retreat, workshop"
    )
    assert "groups.csv:3: leadership: unknown value 'boss'" in lines[1]
    assert lines[-1] == "2 problems found."


def test_data_dir_must_be_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, "catalog", "validate", "--data", str(tmp_path / "nope"))
    assert code == 2
    assert "is not a folder" in err


def test_unexpected_fault_exits_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import groupfinder.cli.main

    def boom(*args: object) -> int:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(groupfinder.cli.main, "cmd_validate", boom)
    code, _, err = run_cli(capsys, "catalog", "validate")
    assert code == 1
    assert "unexpected error" in err and "disk on fire" in err and "Traceback" not in err


def test_python_dash_m_runs_the_same_command() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "groupfinder",
            "recommend",
            "--answers",
            str(EXAMPLE),
            "--format",
            "json",
            "--limit",
            "1",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)["groups"]) == 1


def test_data_option_before_or_after_the_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "groups.csv").write_text(csv_text([row(id="only-one")]), encoding="utf-8")
    for args in (
        ["--data", str(tmp_path), "catalog", "validate"],
        ["catalog", "validate", "--data", str(tmp_path)],
    ):
        code, out, _ = run_cli(capsys, *args)
        assert code == 0
        assert "1 groups" in out or " 1 " in out
        assert str(tmp_path / "groups.csv") in out


def test_validate_checks_an_operators_place_list(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "places.csv").write_text(
        "country,postcode,place,municipality_nl,municipality_fr,latitude,longitude\n"
        "BE,9000,Gent,Gent,Gand,north,3.72\n",
        encoding="utf-8",
    )
    code, _, err = run_cli(capsys, "catalog", "validate", "--data", str(tmp_path))
    assert code == 2
    assert "places.csv:2: latitude: expected a number, got 'north'" in err


# ------------------------------------------------------------------ the app's start


class _FakeApp:
    """Stands in for the Textual app: records how it was made, runs at once."""

    made: ClassVar[list[dict[str, Any]]] = []
    return_code = 0

    def __init__(self, **kwargs: Any) -> None:
        _FakeApp.made.append(kwargs)

    def run(self) -> list[Any]:
        return []


@pytest.fixture
def fake_app(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    from groupfinder.cli.settings import DRIVER_ENV, WEB_DRIVER
    from groupfinder.tui import app as tui_app

    _FakeApp.made = []
    monkeypatch.setenv(DRIVER_ENV, WEB_DRIVER)  # served: no terminal check
    monkeypatch.setattr(tui_app, "create_app", _FakeApp)
    return _FakeApp.made


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({"LANG": "en_GB.UTF-8"}, "en"),
        ({"LANG": "fr_BE.UTF-8"}, "fr"),
        ({"LANG": "nl_BE.UTF-8"}, "nl"),
        ({"LC_ALL": "fr_FR.UTF-8", "LANG": "nl_NL.UTF-8"}, "fr"),
        ({"LC_MESSAGES": "nl_NL.UTF-8", "LANG": "en_US.UTF-8"}, "nl"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({"LANG": "C"}, "en"),
    ],
)
def test_the_locale_picks_the_start_language(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    fake_app: list[dict[str, Any]],
    environment: dict[str, str],
    expected: str,
) -> None:
    for name in ("GROUPFINDER_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    code, _, _ = run_cli(capsys)
    assert code == 0
    assert fake_app[-1]["language"] == expected


def test_answers_opens_the_app_with_those_answers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fake_app: list[dict[str, Any]]
) -> None:
    path = write_answers(tmp_path, language="fr", location="Gent")
    code, _, err = run_cli(capsys, "--answers", path)
    assert (code, err) == (0, "")
    answers = fake_app[-1]["answers"]
    assert answers.needs == ("recognition",) and answers.language == "fr"
    assert fake_app[-1]["catalog"] is not None


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "nope.json"),
        ('{"needs": ["recognition"], "colour": "red"}', "colour"),
        ('{"needs": ["recognition"], "location": "Atlantis"}', "location"),
        ("{not json", "answers.json:1"),
    ],
)
def test_a_bad_answers_file_for_the_app_is_exit_2_with_its_message(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    fake_app: list[dict[str, Any]],
    content: str | None,
    expected: str,
) -> None:
    path = tmp_path / ("nope.json" if content is None else "answers.json")
    if content is not None:
        path.write_text(content, encoding="utf-8")
    code, out, err = run_cli(capsys, "--answers", str(path))
    assert code == 2 and out == ""
    assert expected in err and "Traceback" not in err
    *_, count, help_line = err.strip().splitlines()
    assert count == "1 problem found."
    assert help_line.startswith("Need to talk to someone now?") and "112" in help_line
    assert not fake_app, "no app opens on a bad file"


def test_answers_and_counselor_do_not_combine(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fake_app: list[dict[str, Any]]
) -> None:
    code, _, err = run_cli(capsys, "--counselor", "--answers", write_answers(tmp_path))
    assert code == 2 and "--counselor" in err


def test_the_program_runs_main_collecting_less_and_ends_with_its_status(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``groupfinder`` (the console script and ``python -m``) is cli.entry.run: main's exit
    status, with the start-up frozen out of collections, young collections rarer, and the
    garbage collected (its cycles finalized) before the end is frozen."""
    import groupfinder.cli.main as cli_main
    from groupfinder.cli import entry

    seen: dict[str, int] = {}
    finalized: list[str] = []

    class Cycle:
        def __init__(self) -> None:
            self.me = self

        def __del__(self) -> None:
            finalized.append("cycle")

    def fake_main() -> int:
        seen["young"], seen["frozen"] = gc.get_threshold()[0], gc.get_freeze_count()
        Cycle()  # garbage in a cycle, left for the collector
        return 2

    monkeypatch.setattr(cli_main, "main", fake_main)
    threshold = gc.get_threshold()
    try:
        with pytest.raises(SystemExit) as ended:
            entry.run()
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()
    assert ended.value.code == 2
    assert seen["young"] == entry.YOUNG_OBJECTS
    assert seen["frozen"] > 0
    assert finalized == ["cycle"], "the garbage is collected before the end is frozen"
    scripts = (Path(__file__).parents[1] / "pyproject.toml").read_text(encoding="utf-8")
    assert 'groupfinder = "groupfinder.cli.entry:run"' in scripts
    main_module = (Path(entry.__file__).parents[1] / "__main__.py").read_text(encoding="utf-8")
    assert "from groupfinder.cli.entry import run" in main_module
