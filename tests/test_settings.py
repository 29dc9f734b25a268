"""One settings object, built at the edge from the environment and the command line."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import groupfinder
from groupfinder.cli.main import build_parser, main
from groupfinder.cli.settings import DEFAULT_KIOSK_CONFIG, Settings

PACKAGE = Path(groupfinder.__file__).parent


def test_an_empty_environment_gives_the_defaults() -> None:
    assert Settings.from_environment({}) == Settings(
        language="en", data_dir=None, kiosk_config=DEFAULT_KIOSK_CONFIG, served=False, debug=False
    )


@pytest.mark.parametrize(
    ("environ", "language"),
    [
        ({"GROUPFINDER_LANG": "fr", "LANG": "nl_BE.UTF-8"}, "fr"),
        ({"LC_ALL": "nl_NL.UTF-8", "LANG": "fr_BE.UTF-8"}, "nl"),
        ({"LANG": "fr_BE.UTF-8"}, "fr"),
        ({"LANG": "en_GB.UTF-8"}, "en"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({"GROUPFINDER_LANG": "xx", "LANG": "nl_BE.UTF-8"}, "nl"),
    ],
)
def test_the_language_comes_from_groupfinder_lang_then_the_locale(
    environ: dict[str, str], language: str
) -> None:
    assert Settings.from_environment(environ).language == language


def test_the_command_line_wins_over_the_environment(tmp_path: Path) -> None:
    environ = {
        "GROUPFINDER_DATA": "/from/env",
        "GROUPFINDER_KIOSK_CONFIG": "env.toml",
        "GROUPFINDER_DEBUG": "1",
        "TEXTUAL_DRIVER": "textual.drivers.web_driver:WebDriver",
    }
    from_env = Settings.from_environment(environ)
    assert (from_env.data_dir, from_env.kiosk_config) == (Path("/from/env"), Path("env.toml"))
    assert from_env.served and from_env.debug
    args = build_parser("en").parse_args(["--data", str(tmp_path), "--config", "own.toml"])
    both = from_env.with_arguments(args)
    assert (both.data_dir, both.kiosk_config) == (tmp_path, Path("own.toml"))
    assert both.with_arguments(build_parser("en").parse_args([])) == both


def test_groupfinder_data_reaches_the_commands_through_the_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shipped = PACKAGE.parents[1] / "data" / "groups.csv"
    header = shipped.read_text(encoding="utf-8").splitlines()[0]
    (tmp_path / "groups.csv").write_text(header + "\n", encoding="utf-8")
    monkeypatch.setenv("GROUPFINDER_DATA", str(tmp_path))
    monkeypatch.setenv("GROUPFINDER_LANG", "en")
    assert main(["catalog", "validate"]) == 0
    out = capsys.readouterr().out
    assert "0 groups" in out
    assert f"groups.csv: {tmp_path / 'groups.csv'}" in out


def _reads_the_environment(path: Path) -> list[int]:
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv", "environb"):
            lines.append(node.lineno)
    return lines


def test_nothing_below_the_command_line_reads_the_environment() -> None:
    below = [p for p in PACKAGE.rglob("*.py") if p.relative_to(PACKAGE).parts[0] != "cli"]
    assert len(below) > 30
    assert {
        str(p.relative_to(PACKAGE)): lines for p in below if (lines := _reads_the_environment(p))
    } == {}
