"""Write constraints.txt: the exact version of every package that ``make`` installs.

    python tools/lock.py [--uv PATH]    # make lock: the newest versions pyproject.toml allows

uv, the installer ``make`` uses, resolves ``pyproject.toml`` with the test extra (which pulls
in the serve extra) together with the build backend (``[build-system] requires``, and what
an editable build adds), as if nothing were installed, and the result is written as
``name==version`` lines. Every install in the Makefile passes the file to uv as
``--constraint`` and ``--build-constraint``, so a clean clone, and CI, installs the same
versions every time, the build backend's included. The resolution is the one of this
machine's platform (Linux, CPython 3.11): a package another platform needs on top is simply
not pinned.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "constraints.txt"
PROJECT = "groupfinder"
#: What ``make test`` installs; ``test`` pulls in ``serve``.
EXTRA = "test"
#: What hatchling's editable builds (``pip install -e .``) ask for on top of ``requires``.
EDITABLE_BUILD = ["editables~=0.3"]

HEADER = """\
# Exact versions for `make run`, `make test` and CI, from pyproject.toml.
# Written by `make lock` (tools/lock.py): do not edit by hand; run `make lock` after changing
# a requirement in pyproject.toml, and commit this file with it.
"""


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def build_requirements() -> list[str]:
    with (ROOT / "pyproject.toml").open("rb") as handle:
        requires: list[str] = tomllib.load(handle)["build-system"]["requires"]
    return [*requires, *EDITABLE_BUILD]


def resolve(uv: str) -> dict[str, str]:
    """Package name -> version, as uv would install them into an empty environment."""
    with tempfile.TemporaryDirectory() as folder:
        build = Path(folder) / "build.in"
        build.write_text("\n".join(build_requirements()) + "\n", encoding="utf-8")
        resolved = Path(folder) / "resolved.txt"
        command = [
            uv,
            "pip",
            "compile",
            "--quiet",
            "--no-header",
            "--no-annotate",
            "--python",
            sys.executable,
            "--extra",
            EXTRA,
            "--output-file",
            str(resolved),
            str(ROOT / "pyproject.toml"),
            str(build),
        ]
        subprocess.run(command, check=True, cwd=ROOT)
        lines = resolved.read_text(encoding="utf-8").splitlines()
    pins = {}
    for line in lines:
        line = line.split("#", 1)[0].strip()
        if line:
            name, equals, version = line.partition("==")
            if not equals:
                raise SystemExit(f"uv pip compile wrote {line!r}, expected name==version")
            pins[canonical(name)] = version
    pins.pop(PROJECT, None)
    return dict(sorted(pins.items()))


def write_lock(pins: dict[str, str], path: Path = LOCK) -> None:
    body = "".join(f"{name}=={version}\n" for name, version in pins.items())
    path.write_text(HEADER + body, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uv", default="uv", help="the uv program (default: uv on the PATH)")
    args = parser.parse_args()
    pins = resolve(args.uv)
    write_lock(pins)
    print(f"{LOCK.name}: {len(pins)} packages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
