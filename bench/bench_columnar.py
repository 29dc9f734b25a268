"""What a columnar library would bring to loading groups.csv (issue 15): polars and pyarrow
against the csv module, in a throwaway virtualenv (groupfinder does not depend on them).

    uv venv /tmp/pl && uv pip install --python /tmp/pl/bin/python polars pyarrow numpy
    python bench/bench_columnar.py --python /tmp/pl/bin/python [--rows 100000] [--runs 3]

For each library, in cold processes of that Python: the import time, the time to read the
generated CSV (every column as text), the peak RSS, and the size of its installed files.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_load import generate

READ = """
import resource, sys, time
started = time.perf_counter()
if sys.argv[1] == "polars":
    import polars
    imported = time.perf_counter()
    rows = polars.read_csv(sys.argv[2], infer_schema=False).height
elif sys.argv[1] == "pyarrow":
    import pyarrow.csv
    imported = time.perf_counter()
    rows = pyarrow.csv.read_csv(sys.argv[2]).num_rows
else:
    import csv
    imported = time.perf_counter()
    with open(sys.argv[2], newline="", encoding="utf-8") as stream:
        rows = sum(1 for _ in csv.reader(stream)) - 1
done = time.perf_counter()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(imported - started, done - imported, peak, rows)
"""

SIZE = """
import importlib.metadata as md, sys
total = 0
for name in sys.argv[1:]:
    for dist in (md.distribution(name),):
        total += sum((f.size or 0) for f in dist.files or ())
print(total)
"""

PACKAGES = {"polars": ("polars", "polars-runtime-32"), "pyarrow": ("pyarrow",), "csv": ()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", required=True, help="a Python with polars and pyarrow")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="groupfinder-columnar-") as temp:
        path = generate(Path(temp), args.rows)
        print(f"{args.rows:,} rows, cold processes, median of {args.runs} runs")
        print("| reader | import | read | peak RSS | installed |")
        print("|---|---|---|---|---|")
        for name, packages in PACKAGES.items():
            figures = []
            for _ in range(args.runs):
                out = subprocess.run(
                    [args.python, "-c", READ, name, str(path)],
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout.split()
                figures.append([float(v) for v in out[:3]])
            size = 0
            if packages:
                size = int(
                    subprocess.run(
                        [args.python, "-c", SIZE, *packages],
                        capture_output=True,
                        text=True,
                        check=True,
                    ).stdout
                )
            imported, read = (statistics.median(f[i] for f in figures) for i in (0, 1))
            peak = max(f[2] for f in figures)
            installed = f"{size / 1024 / 1024:.0f} MiB" if packages else "(standard library)"
            print(f"| {name} | {imported:.2f} s | {read:.2f} s | {peak:.0f} MiB | {installed} |")


if __name__ == "__main__":
    main()
