"""Importing a large HSDS package: ``groupfinder catalog import-hsds``, in the same run as
a bare CSV read of the same files and, if given, the import of another checkout.

    python bench/bench_hsds.py [--services 20000] [--runs 5] [--baseline /path/to/other/src]

Writes the made-up package of ``tools/make_hsds_package.py`` (20,000 services are about
180,000 rows in eleven files) into a temporary folder. Then, each in a cold process, runs
alternate so that machine noise hits all alike:

- ``groupfinder catalog import-hsds PACKAGE --out OUT --force``;
- with ``--baseline SRC``, the same command with the code in SRC (a checkout before a change);
- ``csv.reader`` over every file of the package: what reading it costs at the least.

Prints the medians of wall-clock and CPU time beside the target of issue 16 (under 3 s for
20,000 services), then the phases of one import in this process: reading the package,
converting the services, writing and checking groups.csv.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cold import run_cold

ROOT = Path(__file__).resolve().parents[1]
TARGET_S = 3.0

# Run one command; report its wall-clock time and the CPU time of that process only.
CSV_READ = """
import csv, pathlib, sys
rows = 0
for path in sorted(pathlib.Path(sys.argv[1]).glob("*.csv")):
    with path.open(encoding="utf-8", newline="") as stream:
        rows += sum(1 for _ in csv.reader(stream))
print(rows)
"""


def source_env(src: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(src), "GROUPFINDER_LANG": "en"}


def phases(package: Path, out: Path) -> dict[str, float]:
    """The time of each phase of one import in this process (its internals, timed apart)."""
    sys.path.insert(0, str(ROOT / "src"))
    from groupfinder.catalog.hsds import MAPPING_FILE, load_mapping
    from groupfinder.catalog.hsds.convert import _Converter, _groups_csv, _validated
    from groupfinder.catalog.hsds.read import read_package
    from groupfinder.catalog.loader import FORMATS_FILE, data_file, load_formats, load_places
    from groupfinder.catalog.rows import without_gc

    figures: dict[str, float] = {}
    started = time.perf_counter()
    declared = load_formats(data_file(FORMATS_FILE, out))
    mapping = load_mapping(data_file(MAPPING_FILE, out), declared.formats, declared.topics)
    places = load_places(out)
    formats, topics = frozenset(declared.formats), frozenset(declared.topics)
    figures["catalog and mapping"] = time.perf_counter() - started
    with without_gc():
        started = time.perf_counter()
        read = read_package(package)
        figures["reading the package"] = time.perf_counter() - started
        started = time.perf_counter()
        candidates = _Converter(read, mapping, formats, topics).run()
        figures["converting the services"] = time.perf_counter() - started
        started = time.perf_counter()
        _groups_csv(candidates)
        figures["writing groups.csv"] = time.perf_counter() - started
        started = time.perf_counter()
        _validated(candidates, formats, topics, places, declared.audiences)
        figures["writing and checking it"] = time.perf_counter() - started
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--services", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--baseline", type=Path, help="another src/ to time the import of")
    args = parser.parse_args()
    own = source_env(ROOT / "src")
    with tempfile.TemporaryDirectory(prefix="groupfinder-bench-hsds-") as folder:
        package, out = Path(folder) / "package", Path(folder) / "out"
        maker = [sys.executable, str(ROOT / "tools" / "make_hsds_package.py"), str(package)]
        subprocess.run([*maker, "--services", str(args.services)], check=True, env=own)
        import_hsds = ["catalog", "import-hsds", str(package), "--out", str(out), "--force"]
        commands: dict[str, tuple[list[str], dict[str, str]]] = {
            "import-hsds": ([sys.executable, "-m", "groupfinder", *import_hsds], own),
        }
        if args.baseline:
            commands[f"import-hsds ({args.baseline})"] = (
                [sys.executable, "-m", "groupfinder", *import_hsds],
                source_env(args.baseline.resolve()),
            )
        commands["csv.reader of every file"] = ([sys.executable, "-c", CSV_READ, str(package)], own)
        figures: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, (command, env) in commands.items():
                figures[name].append(run_cold(command, env)[:2])
        print(f"\n{args.services:,} services, median of {args.runs} cold runs:")
        print(f"  {'':<40} {'wall s':>8} {'CPU s':>8}")
        for name, runs in figures.items():
            wall = statistics.median(run[0] for run in runs)
            cpu = statistics.median(run[1] for run in runs)
            print(f"  {name:<40} {wall:8.2f} {cpu:8.2f}")
        print(f"  {'target (issue 16, 20,000 services)':<40} {TARGET_S:8.2f}")
        print("\nPhases of one import in this process:")
        for name, seconds in phases(package, out).items():
            print(f"  {name:<40} {seconds:8.2f}")


if __name__ == "__main__":
    main()
