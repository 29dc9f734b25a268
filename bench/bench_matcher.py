"""How fast is the matcher? Loading and ranking synthetic catalogs of 1k, 10k and 100k groups.

    python bench/bench_matcher.py [--sizes 1000 10000 100000] [--runs 15]

For each size it writes a synthetic groups.csv (fixed seed), then prints medians of:
- load: reading and validating groups.csv into typed groups;
- table: laying the groups out as columns (once per catalog);
- recommend: one ``Matcher.recommend`` call, every rule and limit over every group;
- sqlite: the baseline, the same scoring, filtering and ordering as one query over an
  in-memory SQLite table (already loaded and indexed), measured in the same run;
and the ratio sqlite / recommend (above 1: the matcher is faster). It also checks that both
return the same ten groups in the same order. Nothing here asserts on time.
"""

from __future__ import annotations

import argparse
import csv
import math
import random
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from groupfinder.catalog.loader import COLUMNS, load_catalog, load_groups
from groupfinder.catalog.places import PlaceIndex
from groupfinder.domain.models import FORMAT_IDS, LANGUAGES, LEADERSHIPS, SETTINGS, Answers, Catalog
from groupfinder.matching.matcher import Matcher
from groupfinder.matching.rules import (
    DISTANCE_POINTS,
    DISTANCE_SCALE_KM,
    DROP_IN_POINTS,
    FORMAT_FIT_POINTS,
    FREE_POINTS,
    GROUP_LEADERSHIP_POINTS,
    GROUP_SIZE_POINTS,
    IN_BUDGET_POINTS,
    SETTING_HYBRID_POINTS,
    SETTING_POINTS,
    TOPIC_OPEN_POINTS,
    TOPIC_POINTS,
)

TOPICS = ["grief", "addiction", "anxiety", "depression", "trauma", "burnout", "general"]
ANSWERS = Answers.model_validate(
    {
        "language": "nl",
        "needs": ["therapy", "recognition"],
        "topics": ["grief", "anxiety"],
        "group_size": "small",
        "leadership": "professional",
        "setting": "prefer_in_person",
        "location": "51.0543,3.7174",
        "max_distance_km": 60,
        "languages": ["nl", "en"],
        "max_cost_eur": 40,
    }
)


def synthetic_csv(path: Path, n: int, seed: int = 7) -> None:
    rnd = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for i in range(n):
            setting = rnd.choices(SETTINGS, weights=(65, 15, 20))[0]
            low = rnd.randint(3, 12)
            place = setting != "online"
            cells = {
                "id": f"s{i:06d}",
                "name": f"Group {rnd.randint(0, n)}",
                "format": rnd.choice(FORMAT_IDS),
                "topics": ";".join(rnd.sample(TOPICS, rnd.randint(1, 3))),
                "leadership": rnd.choice(LEADERSHIPS),
                "size_min": str(low),
                "size_max": str(low + rnd.randint(0, 12)),
                "setting": setting,
                "drop_in": rnd.choice(("yes", "no")),
                "country": rnd.choice(("BE", "NL")),
                "latitude": f"{rnd.uniform(50.5, 53.2):.5f}" if place else "",
                "longitude": f"{rnd.uniform(3.0, 6.9):.5f}" if place else "",
                "languages": ";".join(rnd.sample(LANGUAGES, rnd.randint(1, 2))),
                "cost_eur": rnd.choice(("0", "15", "30", "45", "60", "")),
                "last_verified": "2026-01-01",
            }
            writer.writerow([cells.get(column, "") for column in COLUMNS])


def median_ms(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


class SqliteBaseline:
    """The same scoring, limits and ordering as the matcher, as one SQL query."""

    def __init__(self, catalog: Catalog, matcher: Matcher) -> None:
        self.db = sqlite3.connect(":memory:")
        self.db.execute(
            "CREATE TABLE g (i INTEGER PRIMARY KEY, id TEXT, name TEXT, fmt INTEGER,"
            " topics INTEGER, lead INTEGER, smin REAL, smax REAL, setting INTEGER,"
            " drop_in INTEGER, lat REAL, lon REAL, langs INTEGER, cost REAL)"
        )
        t = matcher.table

        def num(value: float) -> float | None:
            return None if math.isnan(value) else float(value)

        self.db.executemany(
            "INSERT INTO g VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [
                (
                    i,
                    g.id,
                    g.name.casefold(),
                    int(t.format_index[i]),
                    int(t.topics[i]),
                    int(t.leadership[i]),
                    num(t.size_min[i]),
                    num(t.size_max[i]),
                    int(t.setting[i]),
                    int(t.drop_in[i]),
                    num(t.latitude[i]),
                    num(t.longitude[i]),
                    int(t.languages[i]),
                    num(t.cost[i]),
                )
                for i, g in enumerate(catalog.groups)
            ],
        )
        self.db.execute("CREATE INDEX g_order ON g (name, id)")
        self.matcher = matcher

    def query(self, answers: Answers) -> list[str]:
        m = self.matcher
        formats = {r.format.id: r.match for r in m.rank_formats(answers)}
        fit = " ".join(
            f"WHEN {i} THEN {formats[f]}" for i, f in enumerate(m.table.format_ids) if f in formats
        )
        advised = ",".join(str(i) for i, f in enumerate(m.table.format_ids) if f in formats)
        lat, lon = (float(x) for x in (answers.location or "0,0").split(","))
        params = {
            "lat": math.radians(lat),
            "lon": math.radians(lon),
            "tmask": sum(m.table.topic_bit[t] for t in answers.topics),
            "general": m.table.topic_bit["general"],
            "lead": LEADERSHIPS.index(answers.leadership),
            "any": sum(1 << LANGUAGES.index(c) for c in answers.languages),
            "maxd": answers.max_distance_km,
            "budget": answers.max_cost_eur,
        }
        sql = f"""
        WITH d AS (
          SELECT *, CASE WHEN lat IS NULL OR setting = 1 THEN NULL ELSE
            2 * 6371.0088 * asin(min(1.0, sqrt(
              pow(sin((radians(lat) - :lat) / 2), 2) +
              cos(:lat) * cos(radians(lat)) * pow(sin((radians(lon) - :lon) / 2), 2)))) END AS km
          FROM g
        ), s AS (
          SELECT id, name, km, round(
            {FORMAT_FIT_POINTS} * (CASE fmt {fit} END) / 100.0
            + CASE WHEN topics & :tmask THEN {TOPIC_POINTS} ELSE {TOPIC_OPEN_POINTS} END
            + CASE WHEN lead = :lead THEN {GROUP_LEADERSHIP_POINTS}
                   ELSE -{GROUP_LEADERSHIP_POINTS} END
            + CASE WHEN coalesce(smin, smax) IS NULL THEN 0
                   WHEN coalesce(smin, smax) <= 8 AND coalesce(smax, smin) >= 1
                   THEN {GROUP_SIZE_POINTS} ELSE -{GROUP_SIZE_POINTS} END
            + CASE WHEN km IS NULL OR (setting = 2 AND km > :maxd) THEN 0
                   ELSE {DISTANCE_POINTS} * exp(-km / {DISTANCE_SCALE_KM}) END
            + CASE WHEN setting = 0 THEN {SETTING_POINTS}
                   WHEN setting = 2 AND NOT km > :maxd THEN {SETTING_HYBRID_POINTS}
                   ELSE -{SETTING_POINTS} END
            + CASE WHEN drop_in THEN {DROP_IN_POINTS} ELSE 0 END
            + CASE WHEN cost = 0 THEN {FREE_POINTS}
                   WHEN cost <= :budget THEN {IN_BUDGET_POINTS} ELSE 0 END, 2) AS score
          FROM d
          WHERE (langs & :any) != 0
            AND fmt IN ({advised})
            AND (topics & (:tmask | :general)) != 0
            AND NOT (setting = 0 AND km > :maxd)
            AND NOT (cost IS NOT NULL AND cost > :budget)
        )
        SELECT id FROM s WHERE score > 0 ORDER BY score DESC, coalesce(km, 1e300), id LIMIT 10
        """
        return [r[0] for r in self.db.execute(sql, params)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    places = PlaceIndex.default()
    print(
        f"{'groups':>8} {'load ms':>9} {'table ms':>9} {'recommend ms':>13} "
        f"{'sqlite ms':>10} {'sqlite/recommend':>17}  same top 10"
    )
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            data = Path(folder) / str(size)
            data.mkdir()
            synthetic_csv(data / "groups.csv", size)
            measure(size, data, places, args.runs)


def measure(size: int, data: Path, places: PlaceIndex, runs: int) -> None:
    """One row of the table: every figure for a catalog of ``size`` groups in ``data``."""
    load_runs = max(3, runs // 5) if size >= 100_000 else runs
    base = load_catalog(None, places)
    load = median_ms(
        lambda: load_groups(data / "groups.csv", base.formats, base.topics, places), load_runs
    )
    catalog = load_catalog(data, places)
    table = median_ms(lambda: Matcher(catalog, places), load_runs)
    matcher = Matcher(catalog, places)
    recommend = median_ms(lambda: matcher.recommend(ANSWERS), runs)
    baseline = SqliteBaseline(catalog, matcher)
    sqlite_ms = median_ms(lambda: baseline.query(ANSWERS), runs)
    ours = [r.group.id for r in matcher.recommend(ANSWERS).groups]
    same = "yes" if ours == baseline.query(ANSWERS) else "NO"
    print(
        f"{size:>8} {load:>9.1f} {table:>9.1f} {recommend:>13.2f} {sqlite_ms:>10.2f} "
        f"{sqlite_ms / recommend:>16.1f}x  {same}"
    )


if __name__ == "__main__":
    main()
