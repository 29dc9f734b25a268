"""Write constraints.txt: the exact version of every package that ``make`` installs.

    python tools/lock.py [--pip "python -m pip"]   # make lock: the newest versions allowed

pip itself resolves what ``pip install '.[test]'`` and the build backend (``[build-system]
requires``, and what an editable build adds) would install in an empty environment
(``--dry-run --ignore-installed --report``), ignoring the current constraints.txt, and the
result is written as ``name==version`` lines. Every install in the Makefile passes the file
to uv as ``--constraint`` and ``--build-constraint``, so a clean clone, and CI, installs the
same versions every time, the build backend's included. The resolution is the one of this machine's
platform (Linux, CPython 3.11): a package another platform needs on top is simply not pinned.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "constraints.txt"
PROJECT = "groupfinder"
#: What ``make test`` installs; ``test`` pulls in ``serve``.
EXTRAS = "test"

HEADER = """\
# Exact versions for `make run`, `make test` and CI, from pyproject.toml.
# Written by `make lock` (tools/lock.py): do not edit by hand; run `make lock` after changing
# a requirement in pyproject.toml, and commit this file with it.
"""


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


#: What hatchling's editable builds (``pip install -e .``) ask for on top of ``requires``.
EDITABLE_BUILD = ["editables~=0.3"]


def build_requirements() -> list[str]:
    with (ROOT / "pyproject.toml").open("rb") as handle:
        requires: list[str] = tomllib.load(handle)["build-system"]["requires"]
    return [*requires, *EDITABLE_BUILD]


def resolve(pip: list[str]) -> dict[str, str]:
    """Package name -> version, as pip would install them into an empty environment."""
    env = {k: v for k, v in os.environ.items() if k != "PIP_CONSTRAINT"}
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.json"
        command = [
            *pip,
            "install",
            "--dry-run",
            "--ignore-installed",
            "--quiet",
            "--disable-pip-version-check",
            "--report",
            str(report),
            f"{ROOT}[{EXTRAS}]",
            *build_requirements(),
        ]
        subprocess.run(command, check=True, env=env, cwd=ROOT)
        installed = json.loads(report.read_text(encoding="utf-8"))["install"]
    pins = {canonical(item["metadata"]["name"]): item["metadata"]["version"] for item in installed}
    pins.pop(PROJECT, None)
    return dict(sorted(pins.items()))


def read_lock(path: Path = LOCK) -> dict[str, str]:
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            pins[canonical(name)] = version
    return pins


def write_lock(pins: dict[str, str], path: Path = LOCK) -> None:
    body = "".join(f"{name}=={version}\n" for name, version in pins.items())
    path.write_text(HEADER + body, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--pip",
        default=f"{shlex.quote(sys.executable)} -m pip",
        help="the pip command to resolve with (default: this Python's pip)",
    )
    args = parser.parse_args()
    pins = resolve(shlex.split(args.pip))
    write_lock(pins)
    print(f"{LOCK.name}: {len(pins)} packages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
