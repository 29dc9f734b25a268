"""The layers below the screens stay free of the UI: they never import textual, directly or
indirectly, at import time. (The import-linter contracts in pyproject.toml check the static
imports; this checks what importing really loads.)"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import groupfinder

PACKAGE = Path(groupfinder.__file__).parent
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


def test_the_first_frame_of_the_welcome_needs_no_numpy_and_no_matcher() -> None:
    """What the welcome's first frame needs is all that is loaded before it: the matcher,
    the screens of the results and numpy come after (the catalog loads behind the frame).
    A check_action that imported the results screens once made the welcome 2.6x slower
    than a bare Textual app."""
    code = (
        "import os, sys\n"
        "from textual.app import App\n"
        "from groupfinder.tui.app import create_app\n"
        "_display = App._display\n"
        "def first_frame(self, screen, renderable):\n"
        "    _display(self, screen, renderable)\n"
        "    if renderable is not None and type(screen).__name__ == 'WelcomeScreen':\n"
        "        heavy = ('numpy', 'groupfinder.matching.matcher', 'groupfinder.tui.screens')\n"
        "        print(sorted(m for m in heavy if m in sys.modules), flush=True)\n"
        "        os._exit(0)\n"
        "App._display = first_frame\n"
        "create_app().run(headless=True)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"
