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
