"""The layers below the screens stay free of the UI: they never import textual, directly or
indirectly, at import time. (The import-linter contracts in pyproject.toml check the static
imports; this checks what importing really loads.)"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import groupfinder

PACKAGE = Path(groupfinder.__file__).parent
BENCH_STARTUP = PACKAGE.parents[1] / "bench" / "bench_startup.py"
LAYERS = ("domain", "catalog", "matching", "modes", "present")


def below_the_screens() -> list[str]:
    # Sub-packages too (catalog/hsds/read.py is groupfinder.catalog.hsds.read).
    return sorted(
        ".".join(("groupfinder", *path.relative_to(PACKAGE).with_suffix("").parts))
        for layer in LAYERS
        for path in (PACKAGE / layer).rglob("*.py")
        if path.stem != "__init__"
    )


def test_every_layer_below_the_screens_has_its_modules() -> None:
    layers = {name.split(".")[1] for name in below_the_screens()}
    assert layers == set(LAYERS)
    assert len(below_the_screens()) >= 20


def test_importing_every_module_below_the_screens_loads_no_textual() -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {below_the_screens()!r}: importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


#: What the welcome's first frame must not wait for: they load behind it, with the catalog.
AFTER_THE_FIRST_FRAME = (
    "numpy",
    "pydantic",
    "dateutil",
    "babel",
    "groupfinder.domain.models",
    "groupfinder.catalog.loader",
    "groupfinder.matching.matcher",
    "groupfinder.modes.record",
    "groupfinder.tui.screens",
)


def test_the_first_frame_of_the_welcome_needs_no_numpy_no_pydantic_and_no_matcher(
    tmp_path: Path,
) -> None:
    """``groupfinder`` started as a person starts it (the console script's entry, in a
    terminal) draws its welcome with only what that frame needs: the command line's settings
    and a fresh session are plain Python; the models, the catalog and the matcher come after.
    A check_action that imported the results screens once made the welcome 2.6x slower than
    a bare Textual app, and pydantic through the settings and the session 1.8x."""
    loaded = tmp_path / "loaded.txt"
    code = (
        "import os, sys\n"
        "from textual.app import App\n"
        "_display = App._display\n"
        "def first_frame(self, screen, renderable):\n"
        "    _display(self, screen, renderable)\n"
        "    if renderable is not None and type(screen).__name__ == 'WelcomeScreen':\n"
        f"        heavy = {AFTER_THE_FIRST_FRAME!r}\n"
        f"        with open({str(loaded)!r}, 'w') as out:\n"
        "            out.write(' '.join(m for m in heavy if m in sys.modules) or 'none')\n"
        "        os._exit(0)\n"
        "App._display = first_frame\n"
        "sys.argv = ['groupfinder']\n"
        "from groupfinder.cli.entry import run\n"
        "run()\n"
    )
    # The start-up benchmark's runner: in a terminal of 80x24, as it times the first frame.
    spec = importlib.util.spec_from_file_location("bench_startup", BENCH_STARTUP)
    assert spec is not None and spec.loader is not None
    startup = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(startup)
    startup.seconds(code)
    assert loaded.read_text(encoding="utf-8") == "none"
