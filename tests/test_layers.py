"""The engine stays free of the UI: it never imports textual, directly or indirectly."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import groupfinder.engine

ENGINE = Path(groupfinder.engine.__file__).parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_engine_sources_do_not_import_textual() -> None:
    offenders = {
        str(path.relative_to(ENGINE)): sorted(
            m for m in imported_modules(path) if m.split(".")[0] == "textual"
        )
        for path in ENGINE.rglob("*.py")
    }
    assert len(offenders) >= 8, "the engine modules were not found"
    assert {k: v for k, v in offenders.items() if v} == {}


def test_engine_sources_do_not_import_the_ui_layers() -> None:
    for path in ENGINE.rglob("*.py"):
        for module in imported_modules(path):
            assert not module.startswith(("groupfinder.tui", "groupfinder.cli")), (path, module)


def test_importing_every_engine_module_loads_no_textual() -> None:
    modules = sorted(f"groupfinder.engine.{p.stem}" for p in ENGINE.glob("*.py"))
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
