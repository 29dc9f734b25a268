"""The bytes are the contract: ``recommend --format json|markdown|table`` on the shipped
catalog, compared byte for byte with the files in tests/golden/.

After a deliberate change of an output, regenerate them and read the diff before committing:
``GROUPFINDER_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_golden.py``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from groupfinder.cli.main import main

HERE = Path(__file__).parent
GOLDEN = HERE / "golden"
EXAMPLE = HERE.parent / "examples" / "answers.json"
TODAY = "2026-12-01"
#: A French speaker in Brussels who has thoughts about not wanting to live: crisis help first.
AT_RISK = {
    "version": 2,
    "language": "fr",
    "risk": "thoughts",
    "in_care": False,
    "needs": ["recognition", "rest"],
    "topics": ["depression"],
    "setting": "no_preference",
    "location": "1000",
    "max_distance_km": 15,
    "languages": ["fr"],
}
SUFFIXES = {"json": "json", "markdown": "md", "table": "txt"}
CASES = [
    (name, output)
    for name in ("example-nl", "at-risk-fr")
    for output in ("json", "markdown", "table")
]


@pytest.fixture(autouse=True)
def fixed_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GROUPFINDER_DATA", raising=False)
    monkeypatch.setenv("GROUPFINDER_LANG", "en")
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("NO_COLOR", "1")


def answers_file(name: str, tmp_path: Path) -> Path:
    if name == "example-nl":
        return EXAMPLE
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(AT_RISK), encoding="utf-8")
    return path


@pytest.mark.parametrize(("name", "output"), CASES)
def test_recommend_prints_the_golden_bytes(
    name: str, output: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["recommend", "--answers", str(answers_file(name, tmp_path)), "--format", output]
    assert main([*argv, "--today", TODAY]) == 0
    printed = capsys.readouterr().out
    golden = GOLDEN / f"recommend-{name}.{SUFFIXES[output]}"
    if os.environ.get("GROUPFINDER_UPDATE_GOLDEN"):
        golden.write_text(printed, encoding="utf-8", newline="")
    assert golden.exists(), f"no golden file {golden.name}: regenerate (see the module's doc)"
    assert printed == golden.read_text(encoding="utf-8")


def test_the_golden_json_files_are_version_2_reports() -> None:
    for name in ("example-nl", "at-risk-fr"):
        report = json.loads((GOLDEN / f"recommend-{name}.json").read_text(encoding="utf-8"))
        assert report["version"] == 2
        assert report["groups"], name
    at_risk = json.loads((GOLDEN / "recommend-at-risk-fr.json").read_text(encoding="utf-8"))
    assert at_risk["crisis_help"], "a person at risk gets crisis help"
