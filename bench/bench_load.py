"""Loading a large catalog: groupfinder against csv.DictReader and SQLite, in the same run.

    python bench/bench_load.py [--runs 3] [--million] [--baseline /path/to/other/src]
    python bench/bench_load.py --generate DIR --rows 100000   # only write DIR/rows-N/
    python bench/bench_load.py --rows 0 --runs 15 --baseline ../main/src   # shipped only

Generates groups.csv files of 10,000 and 100,000 rows (1,000,000 with ``--million``: it
takes a few minutes and about 1.5 GiB) into a temporary folder: deterministic rows made
from the shipped sample's, with their own ids, names, contacts and coordinates, one in ten
placed by its postcode only (their schedules are the sample's: 176 distinct ones; each
distinct schedule costs a parse_schedule, about 0.13 ms). Then, each in a cold process,
the median of ``--runs`` runs and the peak RSS of:

- ``groupfinder recommend --data DIR --answers A --format json``
- ``groupfinder catalog validate --data DIR``
- ``csv.DictReader`` over the file, and the same CSV imported into an in-memory SQLite table.

The table gives the ratios to SQLite beside the targets of issue 15 (recommend within 1.5x
of SQLite and at most 250 MiB on 100,000 groups, 1.5 GiB on 1,000,000; validate within 2x).
Last, ``recommend`` on the shipped catalog, and with ``--baseline SRC`` the same for the
code in SRC (for instance the checkout before this change), which it must not be slower than.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import statistics
import sys
import tempfile
from pathlib import Path

from cold import Figures, run_cold

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "data" / "groups.csv"
SIZES = (10_000, 100_000)
MILLION = 1_000_000
#: Coordinates of each country (data/places.csv BOUNDS); generated ones stay inside them.
BOUNDS = {"BE": (49.49, 51.51, 2.54, 6.41), "NL": (50.75, 53.56, 3.35, 7.23)}

ANSWERS = {
    "version": 2,
    "language": "nl",
    "needs": ["recognition", "learning"],
    "topics": ["grief"],
    "location": "9000",
    "max_distance_km": 50,
    "languages": ["nl"],
}

DICT_READER = """
import csv, sys
with open(sys.argv[1], newline="", encoding="utf-8") as stream:
    rows = sum(1 for _ in csv.DictReader(stream))
print(rows)
"""

SQLITE = """
import csv, sqlite3, sys
with open(sys.argv[1], newline="", encoding="utf-8") as stream:
    reader = csv.reader(stream)
    header = next(reader)
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE groups (%s)" % ", ".join('"%s" TEXT' % c for c in header))
    db.executemany("INSERT INTO groups VALUES (%s)" % ", ".join("?" * len(header)), reader)
    db.commit()
print(db.execute("SELECT count(*) FROM groups").fetchone()[0])
"""


def generate(folder: Path, rows: int, seed: int = 15) -> Path:
    """``folder/groups.csv`` of ``rows`` rows made from the shipped sample's."""
    chance = random.Random(seed)
    with SHIPPED.open(encoding="utf-8", newline="") as stream:
        reader = csv.DictReader(stream)
        header = list(reader.fieldnames or ())
        templates = list(reader)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "groups.csv"
    first_day = dt.date(2025, 1, 1).toordinal()
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        for n in range(rows):
            cells = dict(chance.choice(templates))
            cells["id"] = f"gen-{n:07d}"
            cells["name"] = f"{cells['name']} {n % 997}"
            cells["contact_email"] = f"info-{n}@example.org"
            cells["website"] = f"https://example.org/groups/gen-{n}"
            if cells["contact_phone"]:
                cells["contact_phone"] = f"+32 00 {n // 100000:03d} {n % 100000:05d}"
            cells["description"] += f" ({n % 89 + 1})"
            day = dt.date.fromordinal(first_day + chance.randrange(700))
            cells["last_verified"] = day.isoformat()
            if cells["latitude"] and cells["country"] in BOUNDS:
                lat_min, lat_max, lon_min, lon_max = BOUNDS[cells["country"]]
                lat = float(cells["latitude"]) + chance.uniform(-0.03, 0.03)
                lon = float(cells["longitude"]) + chance.uniform(-0.03, 0.03)
                cells["latitude"] = f"{min(max(lat, lat_min), lat_max):.5f}"
                cells["longitude"] = f"{min(max(lon, lon_min), lon_max):.5f}"
                if cells["postcode"] and chance.random() < 0.1:
                    cells["latitude"] = cells["longitude"] = ""  # placed by its postcode
            writer.writerow(cells)
    return path


def measure(
    commands: dict[str, tuple[list[str], dict[str, str] | None]], runs: int
) -> dict[str, Figures]:
    """The median wall-clock and CPU times and the highest peak RSS of each command over
    ``runs`` rounds; each round runs every command once, so that machine noise (the machine
    is shared) hits all alike."""
    seen: dict[str, list[Figures]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, (command, env) in commands.items():
            seen[name].append(run_cold(command, env))
    return {
        name: (
            statistics.median(f[0] for f in figures),
            statistics.median(f[1] for f in figures),
            max(f[2] for f in figures),
        )
        for name, figures in seen.items()
    }


def cell(figures: Figures) -> str:
    return f"{figures[0]:.2f} s ({figures[1]:.2f})"


def ratio(figures: Figures, sqlite: Figures) -> str:
    return f"{figures[0] / sqlite[0]:.2f}x ({figures[1] / sqlite[1]:.2f}x)"


def groupfinder(*args: str) -> list[str]:
    return [sys.executable, "-m", "groupfinder", *args]


def source_env(src: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(src)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--million", action="store_true", help="also 1,000,000 rows (slow)")
    parser.add_argument("--baseline", type=Path, help="another src/ to time recommend against")
    parser.add_argument("--generate", type=Path, help="only write DIR/rows-N/groups.csv")
    parser.add_argument("--rows", type=int, action="append", help="sizes to generate or run")
    args = parser.parse_args()
    # --rows 0: only the shipped catalog.
    sizes = tuple(r for r in args.rows or (*SIZES, *((MILLION,) if args.million else ())) if r)
    if args.generate:
        for rows in sizes:
            generate(args.generate / f"rows-{rows}", rows)
        return
    env = source_env(ROOT / "src")
    print(f"cold processes, median of {args.runs} runs: wall-clock (CPU) seconds; peak RSS")
    print(
        "| rows | recommend | validate | csv.DictReader | SQLite import "
        "| recommend/SQLite (target ≤1.5x) | validate/SQLite (target ≤2x) "
        "| recommend peak RSS (target) | SQLite peak RSS |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="groupfinder-bench-") as temp:
        folder = Path(temp)
        answers = folder / "answers.json"
        answers.write_text(json.dumps(ANSWERS), encoding="utf-8")
        for rows in sizes:
            data = folder / f"rows-{rows}"
            path = generate(data, rows)
            runs = args.runs if rows < MILLION else max(1, min(args.runs, 3))
            recommend = ["recommend", "--data", str(data), "--answers", str(answers)]
            got = measure(
                {
                    "recommend": (groupfinder(*recommend, "--format", "json"), env),
                    "validate": (groupfinder("catalog", "validate", "--data", str(data)), env),
                    "reader": ([sys.executable, "-c", DICT_READER, str(path)], None),
                    "sqlite": ([sys.executable, "-c", SQLITE, str(path)], None),
                },
                runs,
            )
            sqlite = got["sqlite"]
            limit = "250 MiB" if rows < MILLION else "1536 MiB"

            print(
                f"| {rows:,} | {cell(got['recommend'])} | {cell(got['validate'])} "
                f"| {cell(got['reader'])} | {cell(sqlite)} | {ratio(got['recommend'], sqlite)} "
                f"| {ratio(got['validate'], sqlite)} | {got['recommend'][2]:.0f} MiB (≤{limit}) "
                f"| {sqlite[2]:.0f} MiB |",
                flush=True,
            )
            path.unlink()
        shipped = groupfinder("recommend", "--answers", str(answers), "--format", "json")
        commands: dict[str, tuple[list[str], dict[str, str] | None]] = {"this code": (shipped, env)}
        if args.baseline:
            commands[str(args.baseline)] = (shipped, source_env(args.baseline))
        got = measure(commands, max(args.runs, 5))
        print()
        for name, figures in got.items():
            print(
                f"shipped catalog, recommend ({name}): {figures[0]:.3f} s wall-clock, "
                f"{figures[1]:.3f} s CPU, {figures[2]:.0f} MiB"
            )


if __name__ == "__main__":
    main()
