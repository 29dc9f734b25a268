"""The kiosk commands: ``--kiosk --config``, ``kiosk hash-pin``, ``kiosk run``, ``serve``."""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tomllib
from collections.abc import Sequence
from pathlib import Path

import pytest

import groupfinder.modes.kiosk as kiosk
from groupfinder.cli import kiosk as cli_kiosk
from groupfinder.cli.main import build_parser, main
from groupfinder.cli.settings import Settings
from groupfinder.domain.errors import InputError
from groupfinder.modes.kiosk import KioskConfig, hash_pin, verify_pin


@pytest.fixture(autouse=True)
def english_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GROUPFINDER_LANG", "en")
    monkeypatch.delenv("GROUPFINDER_DATA", raising=False)
    monkeypatch.delenv("GROUPFINDER_KIOSK_CONFIG", raising=False)


@pytest.fixture(scope="module")
def stored() -> str:
    return hash_pin("2580")


@pytest.fixture
def config(tmp_path: Path, stored: str) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(
        f'centre = "Buurthuis De Brug"\ncountry = "BE"\nlocation = "Gent"\npin_hash = "{stored}"\n',
        encoding="utf-8",
    )
    return path


def parse(*argv: str) -> argparse.Namespace:
    return build_parser("en").parse_args(list(argv))


def settings(args: argparse.Namespace) -> Settings:
    """The settings the command line builds for ``args`` in this environment."""
    return Settings.from_environment(os.environ).with_arguments(args)


def load_kiosk(*argv: str) -> KioskConfig | None:
    args = parse(*argv)
    return cli_kiosk.load_kiosk(args, settings(args))


def app_command(*argv: str) -> list[str]:
    args = parse(*argv)
    return cli_kiosk.app_command(args, settings(args))


class Stdin(io.StringIO):
    def __init__(self, text: str, tty: bool) -> None:
        super().__init__(text)
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


# ------------------------------------------------------------------ --kiosk --config


def test_kiosk_flags_exist_on_the_top_level(config: Path) -> None:
    args = parse("--kiosk", "--config", str(config))
    assert (args.kiosk, args.config, args.command) == (True, config, None)
    plain = parse()
    assert (plain.kiosk, plain.config) == (False, None)


def test_load_kiosk_validates_the_settings_early(config: Path) -> None:
    settings = load_kiosk("--kiosk", "--config", str(config))
    assert settings is not None and settings.centre == "Buurthuis De Brug"
    assert load_kiosk() is None


def test_load_kiosk_reads_the_environment_then_the_current_folder(
    config: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("GROUPFINDER_KIOSK_CONFIG", str(config))
    settings = load_kiosk("--kiosk")
    assert settings is not None and settings.location == "Gent"
    monkeypatch.delenv("GROUPFINDER_KIOSK_CONFIG")
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.chdir(empty)
    with pytest.raises(InputError) as caught:
        load_kiosk("--kiosk")
    assert [p.render() for p in caught.value.problems] == ["kiosk.toml: file not found"]


def test_config_without_kiosk_is_a_usage_error(config: Path) -> None:
    with pytest.raises(InputError) as caught:
        load_kiosk("--config", str(config))
    assert caught.value.problems[0].render() == f"{config}: --config: --config works with --kiosk"


def test_the_served_app_skips_the_terminal_check(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TEXTUAL_DRIVER", raising=False)
    assert not Settings.from_environment(os.environ).served
    monkeypatch.setenv("TEXTUAL_DRIVER", "textual.drivers.web_driver:WebDriver")
    assert Settings.from_environment(os.environ).served


# ------------------------------------------------------------------ kiosk hash-pin


def test_hash_pin_reads_the_pin_from_a_pipe_and_prints_a_toml_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", Stdin("2580\n", tty=False))
    assert main(["kiosk", "hash-pin"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out.startswith('pin_hash = "scrypt$16384$8$1$')
    assert verify_pin("2580", tomllib.loads(out)["pin_hash"])


@pytest.mark.parametrize("pin", ["12", "12ab", ""])
def test_hash_pin_refuses_a_bad_pin(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, pin: str
) -> None:
    monkeypatch.setattr(sys, "stdin", Stdin(pin + "\n", tty=False))
    assert main(["kiosk", "hash-pin"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == "groupfinder: the PIN must be 4 to 12 digits (0-9), nothing else\n"


def test_hash_pin_asks_twice_on_a_terminal(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = iter(["2580", "2580", "2580", "2581"])
    prompts: list[str] = []

    def fake_getpass(prompt: str = "") -> str:
        prompts.append(prompt)
        return next(answers)

    monkeypatch.setattr(sys, "stdin", Stdin("", tty=True))
    monkeypatch.setattr("getpass.getpass", fake_getpass)
    assert main(["kiosk", "hash-pin"]) == 0
    assert verify_pin("2580", tomllib.loads(capsys.readouterr().out)["pin_hash"])
    assert prompts == ["Exit PIN (4 to 12 digits): ", "The same PIN again: "]
    assert main(["kiosk", "hash-pin"]) == 2
    out, err = capsys.readouterr()
    assert (out, err) == ("", "groupfinder: the two PINs differ; nothing was made.\n")


def test_hash_pin_through_a_real_pipe() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "groupfinder", "kiosk", "hash-pin"],
        input="0000123\n",
        capture_output=True,
        text=True,
        check=False,
        env={"GROUPFINDER_LANG": "en", "PATH": "/usr/bin:/bin"},
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert verify_pin("0000123", tomllib.loads(result.stdout)["pin_hash"])


# ------------------------------------------------------------------ kiosk run


def test_kiosk_run_supervises_the_kiosk_app(config: Path, tmp_path: Path) -> None:
    codes = [1, -6, 0]
    commands: list[list[str]] = []
    sleeps: list[float] = []

    def run(command: Sequence[str]) -> int:
        commands.append(list(command))
        return codes.pop(0)

    log = tmp_path / "faults.log"
    args = parse("kiosk", "run", "--config", str(config), "--log", str(log))
    assert cli_kiosk.cmd_kiosk_run(args, "en", settings(args), run=run, sleep=sleeps.append) == 0
    expected = [sys.executable, "-m", "groupfinder", "--kiosk", "--config", str(config.resolve())]
    assert commands == [expected] * 3
    assert len(sleeps) == 2
    lines = log.read_text(encoding="utf-8").splitlines()
    assert [line.split(" ", 1)[1] for line in lines] == [
        "groupfinder kiosk: exit status 1; restart 1",
        "groupfinder kiosk: signal SIGABRT; restart 2",
    ]


def test_kiosk_run_passes_the_data_folder_on(config: Path, tmp_path: Path) -> None:
    commands: list[list[str]] = []

    def run(command: Sequence[str]) -> int:
        commands.append(list(command))
        return 0

    args = parse("--data", str(tmp_path), "kiosk", "run", "--config", str(config))
    assert cli_kiosk.cmd_kiosk_run(args, "en", settings(args), run=run, sleep=lambda _: None) == 0
    assert commands[0][3:5] == ["--data", str(tmp_path.resolve())]


def test_kiosk_run_reports_bad_settings_before_starting(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def never(command: Sequence[str]) -> int:
        raise AssertionError("the app must not start")

    monkeypatch.setattr(kiosk, "run_child", never)
    bad = tmp_path / "kiosk.toml"
    bad.write_text('centre = "X"\ncountry = "BE"\nlocation = "9000"\npin_hash = "1234"\n')
    assert main(["kiosk", "run", "--config", str(bad)]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"{bad}:4: pin_hash: not a PIN hash; make one with: groupfinder kiosk hash-pin",
        "1 problem found.",
    ]


def test_kiosk_run_cannot_write_its_log(config: Path, tmp_path: Path) -> None:
    args = parse("kiosk", "run", "--config", str(config), "--log", str(tmp_path))
    with pytest.raises(InputError) as caught:
        cli_kiosk.cmd_kiosk_run(args, "en", settings(args), run=lambda _: 0, sleep=lambda _: None)
    assert caught.value.problems[0].field == "--log"


# ------------------------------------------------------------------ serve


def test_serve_options_and_the_served_command(config: Path) -> None:
    args = parse("serve", "--kiosk", "--config", str(config), "--port", "8123")
    assert (args.host, args.port, args.kiosk) == ("127.0.0.1", 8123, True)
    assert cli_kiosk.app_command(args, settings(args))[-3:] == [
        "--kiosk",
        "--config",
        str(config.resolve()),
    ]
    assert app_command("serve") == [sys.executable, "-m", "groupfinder"]
    # The top-level flags count for serve too.
    assert parse("--kiosk", "serve").kiosk is True


def test_serve_checks_the_settings_and_port_before_serving(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import textual_serve.server

    def no_serving(*args: object, **kwargs: object) -> None:
        raise AssertionError("must not serve")

    monkeypatch.setattr(textual_serve.server.Server, "serve", no_serving)
    assert main(["serve", "--kiosk", "--config", str(tmp_path / "none.toml")]) == 2
    assert "none.toml: file not found" in capsys.readouterr().err
    assert main(["serve", "--port", "70000"]) == 2
    assert "--port: expected a port number from 1 to 65535" in capsys.readouterr().err


def test_serving_beyond_this_computer_warns(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import textual_serve.server

    served: list[tuple[str, str, int]] = []

    def fake_serve(self: textual_serve.server.Server, debug: bool = False) -> None:
        served.append((self.command, self.host, self.port))

    monkeypatch.setattr(textual_serve.server.Server, "serve", fake_serve)
    assert main(["serve", "--host", "0.0.0.0", "--port", "8124"]) == 0
    assert "anyone who can reach this address" in capsys.readouterr().err
    assert main(["serve"]) == 0
    assert capsys.readouterr().err == ""
    assert served[1][1:] == ("127.0.0.1", 8000)
    assert served[1][0].endswith(" -m groupfinder")


def test_serve_without_the_serve_extra_names_it(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # None in sys.modules makes ``import textual_serve`` fail as if it were not installed.
    monkeypatch.setitem(sys.modules, "textual_serve", None)
    monkeypatch.setitem(sys.modules, "textual_serve.server", None)
    assert main(["serve"]) == 2
    err = capsys.readouterr().err
    assert "needs the serve extra (textual-serve)" in err
    assert "pip install 'groupfinder[serve]'" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("localhost", True), ("::1", True), ("0.0.0.0", False), ("a.b", False)],
)
def test_loopback_hosts(host: str, loopback: bool) -> None:
    assert cli_kiosk.is_loopback(host) is loopback
