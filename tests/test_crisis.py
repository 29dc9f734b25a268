"""Help never depends on valid input (DESIGN.md): every error of a command that reads answers
ends with the short help line, and begins with the full crisis help when the raw input says or
suggests risk, in every output format."""

from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path

import pytest

from groupfinder.catalog.risk import read_raw
from groupfinder.cli.main import main
from helpers import run_cli

HELP_LINE = "Need to talk to someone now?"
CRISIS_TITLE = "Help right now"
FORMATS = ("table", "json", "markdown")

#: (name, text of the answers file, whether it says or suggests risk)
BROKEN: list[tuple[str, str | None, bool]] = [
    ("unknown place", '{"needs": ["rest"], "location": "Nergensdorp"}', False),
    ("ambiguous place", '{"needs": ["rest"], "location": "1060"}', False),
    ("topic typo", '{"needs": ["rest"], "topics": ["grieff"]}', False),
    ("no needs", '{"needs": []}', False),
    ("in_crisis as a string", '{"needs": ["rest"], "in_crisis": "true"}', True),
    ("only in_crisis", '{"in_crisis": true}', True),
    ("duplicate keys", '{"needs": ["rest"], "in_crisis": true, "in_crisis": false}', True),
    ("duplicate needs", '{"needs": ["rest"], "needs": ["therapy"]}', False),
    ("invalid JSON", '{"needs": ["rest"], "location": ', False),
    ("invalid JSON at risk", '{"needs": ["rest"], "risk": "acute"', True),
    ("risk with a space", '{"needs": ["rest"], "risk": "acute "}', True),
    ("thoughts and a typo", '{"needs": ["rest"], "risk": "thoughts", "topics": ["x"]}', True),
    ("thoughts, unknown place", '{"needs": ["rest"], "risk": "thoughts", "location": "Qq"}', True),
    ("not UTF-8 at risk", None, True),
    ("missing file", "", False),
    ("empty file", " ", False),
]


@pytest.fixture(autouse=True)
def english_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GROUPFINDER_LANG", "en")
    monkeypatch.delenv("GROUPFINDER_DATA", raising=False)
    monkeypatch.delenv("GROUPFINDER_DEBUG", raising=False)


def write(tmp_path: Path, text: str | None) -> str:
    path = tmp_path / "answers.json"
    if text is None:
        path.write_bytes(b'{"needs": ["rest"], "in_crisis": true, "x": "\xff"}')
    elif text:
        path.write_text(text, encoding="utf-8")
    return str(path)  # "" : the file is never written


def check_help(err: str, at_risk: bool) -> None:
    """The help line ends the message; the crisis help begins it when risk is said."""
    assert "Traceback" not in err
    assert err.rstrip().splitlines()[-1].startswith(HELP_LINE), err
    if at_risk:
        assert err.startswith(CRISIS_TITLE), err
        found = re.search(r"problems? found", err)
        problem = found.start() if found else len(err)
        assert err.index("1813") < problem and err.index("113 Zelfmoordpreventie") < problem
        assert "For anyone thinking about suicide" in err  # the about texts are shown
    else:
        assert CRISIS_TITLE not in err


@pytest.mark.parametrize("output", FORMATS)
@pytest.mark.parametrize(("name", "text", "at_risk"), BROKEN, ids=[b[0] for b in BROKEN])
def test_every_broken_answers_file_ends_with_help(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    output: str,
    name: str,
    text: str | None,
    at_risk: bool,
) -> None:
    answers = write(tmp_path, text)
    code, out, err = run_cli(capsys, "recommend", "--answers", answers, "--format", output)
    assert code == 2, name
    assert out == ""
    assert re.search(r"\d+ problems? found\.", err)
    check_help(err, at_risk)


@pytest.mark.parametrize("output", FORMATS)
@pytest.mark.parametrize(("name", "text", "at_risk"), BROKEN[:13], ids=[b[0] for b in BROKEN[:13]])
def test_broken_answers_on_standard_input_end_with_help(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    output: str,
    name: str,
    text: str,
    at_risk: bool,
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))
    code, out, err = run_cli(capsys, "recommend", "--answers", "-", "--format", output)
    assert (code, out) == (2, ""), name
    check_help(err, at_risk)


def test_the_help_is_in_the_persons_language_and_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A French speaker in Brussels with a typo: the French-language crisis line first, the
    help in French, the problem in the language of the command line (English here)."""
    answers = write(
        tmp_path,
        '{"needs": ["rest"], "language": "fr", "languages": ["fr"], "location": "1000",'
        ' "risk": "thoughts", "topics": ["rouw"]}',
    )
    code, _, err = run_cli(capsys, "recommend", "--answers", answers)
    assert code == 2
    assert err.startswith("Aide immédiate")
    assert err.index("0800 32 123") < err.index("1813") < err.index("Numéro d'urgence 112")
    assert "Ligne de crise pour les personnes qui pensent au suicide" in err
    assert "113" not in err.replace("0800 32 123", "")  # Brussels: only Belgium's lines and 112
    assert "unknown topic 'rouw'" in err
    last = err.rstrip().splitlines()[-1]
    assert last.startswith("Besoin de parler à quelqu'un maintenant ? Centre de Prévention")


def test_lang_chooses_the_language_of_the_help(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = write(tmp_path, '{"in_crisis": true}')
    _, _, err = run_cli(capsys, "recommend", "--answers", answers, "--lang", "nl")
    assert err.startswith("Meteen hulp")
    assert "Noodnummer 112" in err


def test_a_usage_error_ends_with_help_and_crisis_help_comes_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = write(tmp_path, '{"needs": ["rest"], "risk": "acute"}')
    with pytest.raises(SystemExit) as caught:
        main(["recommend", "--answers", answers, "--format", "pdf"])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(CRISIS_TITLE)
    assert err.index("1813") < err.index("invalid choice")
    check_help(err, at_risk=True)
    with pytest.raises(SystemExit):
        main(["recommend"])  # no --answers at all
    check_help(capsys.readouterr().err, at_risk=False)


def test_an_unexpected_fault_ends_with_help(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from groupfinder.matching.matcher import Matcher

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(Matcher, "recommend", broken)
    answers = write(tmp_path, '{"needs": ["rest"], "risk": "thoughts"}')
    code, out, err = run_cli(capsys, "recommend", "--answers", answers)
    assert (code, out) == (1, "")
    assert "unexpected error" in err
    check_help(err, at_risk=True)


def test_a_broken_catalog_still_gives_the_shipped_helplines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "helplines.toml").write_text("helplines = 3\n", encoding="utf-8")
    answers = write(tmp_path, '{"needs": ["rest"], "risk": "acute"}')
    code, _, err = run_cli(capsys, "recommend", "--answers", answers, "--data", str(data))
    assert code == 2
    assert "helplines.toml" in err
    check_help(err, at_risk=True)


def test_counselor_load_of_a_broken_record_ends_with_help(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record = tmp_path / "record.json"
    record.write_text(
        json.dumps(
            {"kind": "groupfinder-record", "answers": {"needs": ["rest"], "risk": "acute"}, "x": 1}
        ),
        encoding="utf-8",
    )
    code, _, err = run_cli(capsys, "--counselor", "--load", str(record))
    assert code == 2
    assert re.search(r"\d+ problems? found\.", err)
    check_help(err, at_risk=True)
    # --load without --counselor, and a missing file
    code, _, err = run_cli(capsys, "--load", str(record))
    assert code == 2
    check_help(err, at_risk=True)
    code, _, err = run_cli(capsys, "--counselor", "--load", str(tmp_path / "gone.json"))
    assert code == 2
    check_help(err, at_risk=False)


def test_counselor_load_without_a_terminal_still_says_the_help(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = write(tmp_path, '{"needs": ["rest"], "risk": "thoughts"}')
    code, _, err = run_cli(capsys, "--counselor", "--load", answers)
    assert code == 2
    assert "needs a terminal" in err
    check_help(err, at_risk=True)


@pytest.mark.parametrize(
    ("text", "at_risk"),
    [
        ('{"in_crisis": "true"}', True),
        ('{"in_crisis": "yes"}', True),
        ('{"inCrisis": 1}', True),
        ('{"In-Crisis": true}', True),
        ('{"risk": "acute "}', True),
        ('{"Risk": "Thoughts"}', True),
        ('{"answers": {"risk": "thoughts"}}', True),
        ('{"in_crisis": true, "in_crisis": false}', True),
        ('{"needs": ["rest"], "in_crisis" true', True),
        ("in_crisis = yes", True),
        ('{"risk": "none", "in_crisis": false}', False),
        ('{"risk": null', False),
        ('{"needs": ["rest"], "notes": "no risk"}', False),
        ('{"needs": ["rest"]}', False),
    ],
)
def test_risk_is_read_from_any_text(text: str, at_risk: bool) -> None:
    assert read_raw(text).at_risk is at_risk


def test_language_and_place_are_read_from_a_broken_file() -> None:
    raw = read_raw('{"language": "fr", "languages": ["fr", "xx"], "location": "1000"}')
    assert (raw.language, raw.languages, raw.location) == ("fr", ("fr",), "1000")
    assert read_raw('{"language": "fr", "needs": [').language == "fr"


HELP_LINES = {
    "en": "Need to talk to someone now?",
    "nl": "Wil je nu met iemand praten?",
    "fr": "Besoin de parler à quelqu'un maintenant ?",
}


@pytest.mark.parametrize("output", FORMATS)
@pytest.mark.parametrize("language", ["nl", "fr", "en"])
@pytest.mark.parametrize("risk", ["none", "thoughts"])
def test_every_output_carries_the_help_line_and_crisis_help_first_at_risk(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    output: str,
    language: str,
    risk: str,
) -> None:
    monkeypatch.setenv("COLUMNS", "400")  # the table's help line on one line
    answers = write(
        tmp_path,
        json.dumps({"needs": ["rest"], "risk": risk, "language": language, "location": "Gent"}),
    )
    code, out, err = run_cli(capsys, "recommend", "--answers", answers, "--format", output)
    assert (code, err) == (0, "")
    if output == "json":
        data = json.loads(out)
        assert data["help_line"].startswith(HELP_LINES[language])
        first = ["0800 32 123" if language == "fr" else "1813"] if risk != "none" else []
        assert [h["phone"] for h in data["crisis_help"]][:1] == first
        return
    last = out.rstrip().splitlines()[-1].replace("\\", "")  # Markdown escapes
    assert last.lstrip("│ ").startswith(HELP_LINES[language]), last
    if risk != "none":
        first_format = out.index("%")  # the first match of the ranking
        assert out.index("1813") < first_format
        assert out.index("0800 32 123") < first_format
        assert out.index("112") < first_format
