"""How fast places load and lookups answer, against plain baselines measured in the same run.

    PYTHONPATH=src python bench/bench_places.py [--runs 15] [--repeat 200]

Budgets (issue 3): loading places adds under 50 ms to start-up; a lookup takes under 1 ms.
Nothing is asserted: the figures are printed for a person to read and compare.

* load: ``PlaceIndex.load(data/places.csv)`` with the name cache emptied before each run, against
  a plain ``csv.reader`` pass over the same file (the least any loader must do);
* one-off costs after a load: the first name lookup builds the name index, the first "did you
  mean" the letter-pair index (a catalog that only looks up postcodes never pays for either);
* lookup: a mixed list of postcodes, names, exonyms, typos and garbage, against a linear scan
  over pre-normalised rows (what a loader-free lookup would cost).
"""

from __future__ import annotations

import argparse
import csv
import statistics
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from groupfinder.catalog.places import PlaceIndex, default_path, names, normalise

QUERIES = (
    "9000",
    "3010",
    "1012 AB",
    "1012ab",
    "BE 9000",
    "NL 1012",
    "1060",
    "9000 Gent",
    "1012 AB Amsterdam",
    "Gent",
    "Gand",
    "Ghent",
    "Kessel-Lo",
    "Louvain",
    "Antwerp",
    "'s-Hertogenbosch",
    "Den Bosch",
    "Brussel",
    "Bruxelles",
    "The Hague",
    "Amsterdam",
    "Rotterdam",
    "Bergen",
    "Liège",
    "Gnet",
    "Amsterdm",
    "Lueven",
    "<script>",
    "",
    "x" * 10_000,
)


def median_ms(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def load_cold(path: Path) -> PlaceIndex:
    names.norm.cache_clear()
    return PlaceIndex.load(path)


def csv_pass(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


class LinearScan:
    """The baseline lookup: no index, one pass over pre-normalised rows per query."""

    def __init__(self, path: Path) -> None:
        self.rows = [(row[1], normalise(row[2]), row) for row in csv_pass(path)[1:]]

    def lookup(self, text: str) -> list[str] | None:
        key = normalise(text[:200])
        for postcode, name, row in self.rows:
            if key in (postcode, name):
                return row
        return None


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=15, help="loads to time (%(default)s)")
    parser.add_argument("--repeat", type=int, default=200, help="rounds of lookups (%(default)s)")
    args = parser.parse_args(argv)
    path = default_path()
    print(f"places: {path} ({path.stat().st_size / 1024:.0f} KiB)")

    csv_ms = median_ms(lambda: csv_pass(path), args.runs)
    load_ms = median_ms(lambda: load_cold(path), args.runs)
    index = load_cold(path)
    print(f"\nload, median of {args.runs} runs ({len(index)} places)")
    print(f"  PlaceIndex.load       {load_ms:8.2f} ms   (budget 50 ms)")
    print(f"  baseline csv.reader   {csv_ms:8.2f} ms")
    print(f"  ratio                 {load_ms / csv_ms:8.1f} x")

    print("\none-off costs, after a load (each builds an index the first time)")
    for what, query in (
        ("first postcode", "9000"),
        ("first name", "Gent"),
        ("first suggestion", "Gnet"),
    ):
        start = time.perf_counter()
        index.lookup(query)
        print(f"  {what:20}  {(time.perf_counter() - start) * 1000:8.2f} ms   ({query!r})")
    start = time.perf_counter()
    with_names = load_cold(path)
    with_names.lookup("Gent")
    with_names.lookup("Gnet")
    all_ms = (time.perf_counter() - start) * 1000
    print(f"  load + all indexes    {all_ms:8.2f} ms")

    for query in QUERIES:  # warm: the main places and ranks that lookups cache
        index.lookup(query)
    per_query = {q: median_ms(partial(index.lookup, q), args.repeat) for q in QUERIES}
    scan = LinearScan(path)
    scan_runs = max(5, args.repeat // 10)
    scan_ms = {q: median_ms(partial(scan.lookup, q), scan_runs) for q in QUERIES}
    found = [q for q in QUERIES if index.lookup(q).found or index.lookup(q).ambiguous]
    missed = [q for q in QUERIES if q not in found]
    lookup_ms = statistics.median(per_query.values())
    baseline_ms = statistics.median(scan_ms.values())
    slowest = max(per_query, key=per_query.__getitem__)
    print(f"\nlookup, {len(QUERIES)} mixed queries, median of {args.repeat} runs each")
    print(f"  PlaceIndex.lookup     {lookup_ms:8.3f} ms   (budget 1 ms)")
    print(f"    found/ambiguous     {statistics.median(per_query[q] for q in found):8.3f} ms")
    print(f"    suggestions/none    {statistics.median(per_query[q] for q in missed):8.3f} ms")
    print(f"    slowest             {per_query[slowest]:8.3f} ms   ({slowest[:20]!r})")
    print(f"  baseline linear scan  {baseline_ms:8.3f} ms")
    print(f"  ratio                 {lookup_ms / baseline_ms:8.3f} x")


if __name__ == "__main__":
    main()
