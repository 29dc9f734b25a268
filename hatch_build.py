"""Hatch build hook: the wheel carries the compiled translations.

Each ``locale/<lang>/LC_MESSAGES/groupfinder.po`` goes into the wheel compiled, as
``groupfinder.<hash>.mo`` beside it, named and made by the very functions the app uses
(``groupfinder.domain.i18n.mo_name`` and ``compile_po``), so an installed groupfinder loads
its translations as quickly as a checkout after ``make``. The .mo files are written to a
temporary folder, never into the source tree, and editable installs are left alone (there
``make`` compiles them in place).
"""

from __future__ import annotations

import importlib.util
import shutil
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any

from hatchling.builders.config import BuilderConfig
from hatchling.builders.hooks.plugin.interface import BuildHookInterface

LOCALE = Path("src") / "groupfinder" / "locale"


def load_i18n(root: Path) -> ModuleType:
    """``groupfinder.domain.i18n`` from the source tree (it imports only the standard library
    at the top; Babel when it compiles)."""
    path = root / "src" / "groupfinder" / "domain" / "i18n.py"
    spec = importlib.util.spec_from_file_location("_groupfinder_i18n", path)
    if spec is None or spec.loader is None:
        raise RuntimeError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class CustomBuildHook(BuildHookInterface[BuilderConfig]):
    """Compile every .po file into the wheel."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        self._temporary: Path | None = None
        if self.target_name != "wheel" or version == "editable":
            return
        root = Path(self.root)
        i18n = load_i18n(root)
        pos = sorted((root / LOCALE).glob(f"*/LC_MESSAGES/{i18n.DOMAIN}.po"))
        if not pos:
            raise RuntimeError(f"no translations found under {root / LOCALE}")
        self._temporary = Path(tempfile.mkdtemp(prefix="groupfinder-mo-"))
        for po_path in pos:
            language = po_path.parent.parent.name
            po = po_path.read_bytes()
            name = i18n.mo_name(po)
            compiled = self._temporary / language / name
            compiled.parent.mkdir(parents=True)
            compiled.write_bytes(i18n.compile_po(po, language))
            target = f"groupfinder/locale/{language}/LC_MESSAGES/{name}"
            build_data["force_include"][str(compiled)] = target

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        if self._temporary is not None:
            shutil.rmtree(self._temporary, ignore_errors=True)
