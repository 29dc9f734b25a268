"""Expectations before results: each persona of tests/personas.py is one test.

Every persona's answers are written to a file and run through the real command line,
in process: ``groupfinder recommend --answers FILE --format json --limit 10 --data DIR``.
The JSON (contract 2, version 2) is then judged by the declarative checks in the persona's
``expect``. Facts about a group that the JSON does not carry (its topics, languages, cost,
leadership) are looked up by id in the catalog the command ran with, read here with
csv.DictReader, so no predicate depends on the matcher's internals. Distances are checked
against our own great-circle distance from data/places.csv.

The data folder is the repository's data/ unless GROUPFINDER_DATA names another; a file
missing there falls back to data/ (as the application does).

Check vocabulary (``expect`` keys; see CHECKS):
  first_format_in {ids}            the kind at rank 1 is one of these
  top_formats_include {id: n}      the kind is within the top n
  formats_not_first {ids}          none of these kinds at rank 1
  format_above [(a, b)]            kind a is listed, and above b when b is listed
  match_of_first_format_at_least n the first kind's match is at least n
  needs_before_preferences True    a kind serving none of the needs (formats.toml `needs`) never
                                   ranks above one serving one; with one need, kinds are in
                                   order of that need's strength (not for people at risk)
  groups_nonempty True             at least one group
  every_group [predicates]         every result group passes each named GROUP_PREDICATES entry
  first_group_topic_in {ids}       the first group's catalog topics meet these
  first_group_format_in {ids}      the first group's format
  first_group_leadership_in {ids}  the first group's catalog leadership
  topic_before_other_topic True    no same-format group off the person's topics ranks above one
                                   on them
  some_group_for_whom v            some result group has catalog for_whom v
  some_group_restricted_to a       some result group is restricted to audience a
  distance_null True               every group's distance_km is null
  nothing_fits bool                True: no groups and a nothing_fits notice; False: groups
  near_misses_nonempty True        at least one near miss
  near_miss_rules_include {rules}  these missed_rule values occur among the near misses
  near_misses_really_miss True     each near miss really fails the limit its missed_rule names
  near_misses_closest_first True   near misses on distance are listed nearest first
  unlisted_price_near_miss True    a group with no listed price, within every other limit,
                                   is among the near misses with missed_rule cost
  notices_include / notices_exclude {ids}
  crisis_help_empty bool
  crisis_first_phone str | {str}   the first crisis line's phone
  crisis_phones_include {phones}
  crisis_order "BE" | "NL"         that country's crisis lines in a language the person speaks,
                                   then its other crisis lines, then 112, then listening lines
  same_ranking_in_languages [langs] the same ids, scores and order in these output languages
Contract checks run for everyone (CONTRACT_CHECKS): version 2, the answers echoed, lists best
first, match within 0-100, every group and near miss in the catalog, none in both lists.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import os
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from groupfinder.cli.main import main
from helpers import JSON_GROUP_KEYS
from personas import ALL_LIMITS, PERSONAS, Persona

REPO = Path(__file__).resolve().parents[1]
SHIPPED = REPO / "data"

ANSWER_KEYS = [
    "version",
    "language",
    "risk",
    "in_care",
    "for_whom",
    "age_band",
    "audiences",
    "needs",
    "topics",
    "group_size",
    "leadership",
    "structure",
    "commitment",
    "setting",
    "location",
    "max_distance_km",
    "languages",
    "max_cost_eur",
    "days",
    "times",
]
#: Age bands as whole-year ranges. under_18 starts at 12: nobody younger fills this in, and a
#: youth group for 12-17 must fit a person who says they are under 18.
BANDS: dict[str, tuple[int, int]] = {
    "under_18": (12, 17),
    "18_25": (18, 25),
    "26_54": (26, 54),
    "55_plus": (55, 120),
}
#: What the version 1 command says about a version 2 answers file.


class MissingKey(Exception):
    """The output lacks a key a check needs."""


class Misconfigured(Exception):
    """A persona uses a check in a way that cannot mean anything."""


def need(obj: Any, key: str, where: str) -> Any:
    """``obj[key]``, or a MissingKey naming where it was looked for."""
    if not isinstance(obj, dict):
        raise MissingKey(f"{where} is {type(obj).__name__}, not an object (looking for {key!r})")
    if key not in obj:
        raise MissingKey(f"output has no {key!r} in {where}")
    return obj[key]


def need_list(obj: Any, key: str, where: str) -> list[Any]:
    value = need(obj, key, where)
    if not isinstance(value, list):
        raise MissingKey(f"{where}.{key} is {type(value).__name__}, not a list")
    return value


def split(cell: str | None) -> set[str]:
    return {part.strip() for part in (cell or "").split(";") if part.strip()}


# ---------------------------------------------------------------------------------------
# The world the command ran in: catalog rows, format strengths, helplines, places.
# ---------------------------------------------------------------------------------------


class Places:
    """Coordinates of BE/NL postcodes and towns from data/places.csv (our own lookup)."""

    def __init__(self, path: Path) -> None:
        self.by_postcode: dict[tuple[str, str], list[tuple[float, float]]] = {}
        self.by_name: dict[str, list[tuple[float, float]]] = {}
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                point = (float(row["latitude"]), float(row["longitude"]))
                self.by_postcode.setdefault((row["country"], row["postcode"]), []).append(point)
                for name in {row["place"], row["municipality_nl"], row["municipality_fr"]}:
                    if name:
                        self.by_name.setdefault(name.casefold(), []).append(point)

    @staticmethod
    def _mean(points: list[tuple[float, float]] | None) -> tuple[float, float] | None:
        if not points:
            return None
        return (
            sum(p[0] for p in points) / len(points),
            sum(p[1] for p in points) / len(points),
        )

    def person(self, location: str | None) -> tuple[float, float] | None:
        if location is None:
            return None
        text = location.strip()
        match = re.fullmatch(r"(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)", text)
        if match:
            return float(match[1]), float(match[2])
        if text.isdigit():
            return self._mean(self.by_postcode.get(("BE", text))) or self._mean(
                self.by_postcode.get(("NL", text))
            )
        return self._mean(self.by_name.get(text.casefold()))

    def group(self, row: dict[str, str]) -> tuple[float, float] | None:
        if row.get("latitude") and row.get("longitude"):
            return float(row["latitude"]), float(row["longitude"])
        point = self._mean(self.by_postcode.get((row.get("country", ""), row.get("postcode", ""))))
        return point or self._mean(self.by_name.get((row.get("city") or "").casefold()))


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(h))


@dataclass
class World:
    data_dir: Path
    rows: dict[str, dict[str, str]]
    strengths: dict[str, dict[str, int]]
    helpline_country: dict[str, str]
    places: Places


def data_file(data_dir: Path, name: str) -> Path:
    own = data_dir / name
    return own if own.is_file() else SHIPPED / name


def load_world(data_dir: Path) -> World:
    with data_file(data_dir, "groups.csv").open(encoding="utf-8", newline="") as handle:
        rows = {row["id"]: row for row in csv.DictReader(handle)}
    formats = tomllib.loads(data_file(data_dir, "formats.toml").read_text(encoding="utf-8"))
    strengths = {fid: dict(spec.get("needs", {})) for fid, spec in formats["formats"].items()}
    helplines = tomllib.loads(data_file(data_dir, "helplines.toml").read_text(encoding="utf-8"))
    country = {line["phone"]: line["country"] for line in helplines["helplines"]}
    return World(data_dir, rows, strengths, country, Places(SHIPPED / "places.csv"))


# ---------------------------------------------------------------------------------------
# One evaluation: a persona, its output, and the world.
# ---------------------------------------------------------------------------------------


@dataclass
class Ctx:
    persona: Persona
    out: dict[str, Any]
    world: World
    rerun: Callable[[dict[str, Any]], dict[str, Any]] | None = None
    _distance_cache: dict[str, float | None] = field(default_factory=dict)

    @property
    def answers(self) -> dict[str, Any]:
        return self.persona["answers"]

    def groups(self) -> list[dict[str, Any]]:
        return need_list(self.out, "groups", "the top level")

    def near_misses(self) -> list[dict[str, Any]]:
        return need_list(self.out, "near_misses", "the top level")

    def formats(self) -> list[str]:
        items = need_list(self.out, "formats", "the top level")
        return [need(f, "id", f"formats[{i}]") for i, f in enumerate(items)]

    def row(self, group: dict[str, Any]) -> dict[str, str]:
        gid = need(group, "id", "a group")
        if gid not in self.world.rows:
            raise MissingKey(f"group {gid!r} is not in the catalog {self.world.data_dir}")
        return self.world.rows[gid]

    def our_distance(self, row: dict[str, str]) -> float | None:
        """Our own distance from the person to a catalog group, in km."""
        if row["id"] not in self._distance_cache:
            home = self.world.places.person(self.answers["location"])
            there = self.world.places.group(row)
            self._distance_cache[row["id"]] = km(home, there) if home and there else None
        return self._distance_cache[row["id"]]

    def strength(self, format_id: str) -> int:
        needs = self.world.strengths.get(format_id, {})
        return sum(int(needs.get(n, 0)) for n in self.answers["needs"])


def label(ctx: Ctx, group: dict[str, Any]) -> str:
    row = ctx.world.rows.get(str(group.get("id")), {})
    return f"group {group.get('id')} ({row.get('format', '?')}, {row.get('setting', '?')}, " + (
        f"{row.get('city') or '-'})"
    )


# --- group predicates: None when the group passes, else why it does not --------------------

Predicate = Callable[[Ctx, dict[str, Any]], str | None]


def within_distance(ctx: Ctx, group: dict[str, Any]) -> str | None:
    limit = ctx.answers["max_distance_km"]
    if limit is None:
        return None
    distance = need(group, "distance_km", label(ctx, group))
    if distance is None:
        return f"distance unknown, limit {limit} km"
    if distance > limit:
        return f"{distance} km away, limit {limit} km"
    return None


def met_in_person(ctx: Ctx, row: dict[str, str]) -> bool:
    """In person, or hybrid for someone who only meets in person (else hybrid is online)."""
    return row["setting"] == "in_person" or (
        row["setting"] == "hybrid" and ctx.answers["setting"] == "in_person_only"
    )


def setting_ok(ctx: Ctx, group: dict[str, Any]) -> str | None:
    """in_person_only: in person, or hybrid within the distance; online_only: online or hybrid."""
    row = ctx.row(group)
    wanted, setting = ctx.answers["setting"], row["setting"]
    if wanted == "in_person_only":
        if setting == "online":
            return "online group for someone who only meets in person"
        if setting == "hybrid" and (far := within_distance(ctx, group)):
            return f"hybrid group beyond the distance for someone in person only: {far}"
    if wanted == "online_only" and setting == "in_person":
        return "in-person group for someone who only meets online"
    return None


def distance_ok(ctx: Ctx, group: dict[str, Any]) -> str | None:
    """A group met in person lies within max_distance_km (JSON distance_km)."""
    if not met_in_person(ctx, ctx.row(group)):
        return None
    return within_distance(ctx, group)


def language_ok(ctx: Ctx, group: dict[str, Any]) -> str | None:
    spoken = set(ctx.answers["languages"])
    held = split(ctx.row(group)["languages"])
    if spoken and not spoken & held:
        return f"held in {sorted(held)}, person follows {sorted(spoken)}"
    return None


def cost_ok(ctx: Ctx, group: dict[str, Any]) -> str | None:
    """0 = free only (a blank price fails); a positive budget lets a blank price pass."""
    budget = ctx.answers["max_cost_eur"]
    cell = ctx.row(group)["cost_eur"].strip()
    if budget is None:
        return None
    if not cell:
        return "price not listed, person wants free only" if budget == 0 else None
    if float(cell) > budget:
        return f"costs {cell} euro, budget {budget}"
    return None


def audience_ok(ctx: Ctx, group: dict[str, Any]) -> str | None:
    restricted = split(ctx.row(group).get("restricted_to"))
    if restricted and not restricted & set(ctx.answers["audiences"]):
        return f"restricted to {sorted(restricted)}, person is {ctx.answers['audiences']}"
    return None


def age_ok(ctx: Ctx, group: dict[str, Any]) -> str | None:
    """The group's age range overlaps the person's band: someone of that age could join
    (a 17-year-old young carer fits a 16-25 group). An unknown band always passes."""
    band = ctx.answers["age_band"]
    if band is None:
        return None
    row = ctx.row(group)
    low = int(row.get("age_min") or 0)
    high = int(row.get("age_max") or 200)
    b_low, b_high = BANDS[band]
    if low > b_high or high < b_low:
        return f"ages {row.get('age_min') or '-'}-{row.get('age_max') or '-'}, person is {band}"
    return None


def for_whom_ok(ctx: Ctx, group: dict[str, Any]) -> str | None:
    kind = (ctx.row(group).get("for_whom") or "both").strip() or "both"
    person = ctx.answers["for_whom"]
    if kind == "relatives" and person != "someone_close":
        return "group for relatives, person looks for themselves"
    if kind == "self" and person != "self":
        return "group for people themselves, person looks for someone close"
    return None


_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def time_ok(ctx: Ctx, group: dict[str, Any]) -> str | None:
    """The group meets on a day and at a time the person can come (answers days, times).

    Read from the row's own columns: the weekdays of its rrule's BYDAY, or of its dates (a
    stay of several days needs every one of them); the part of the day of its start_time
    (morning before 12:00, afternoon before 18:00). What the row cannot say passes.
    """
    days, times = set(ctx.answers["days"]), set(ctx.answers["times"])
    row = ctx.row(group)
    rule = dict(p.split("=", 1) for p in row.get("rrule", "").split(";") if "=" in p)
    first, last = row.get("first_date", ""), row.get("last_date", "")
    meets: set[str] = set()
    stay = False
    if rule.get("BYDAY"):
        meets = {_DAYS[_CODES.index(code[-2:])] for code in rule["BYDAY"].split(",")}
    elif not rule and first:
        start = dt.date.fromisoformat(first)
        end = dt.date.fromisoformat(last) if last else start
        stay = end > start
        meets = {_DAYS[(start + dt.timedelta(d)).weekday()] for d in range((end - start).days + 1)}
    if days and meets:
        if stay and not meets <= days:
            return f"a stay on {sorted(meets)}, person can come on {sorted(days)}"
        if not stay and not meets & days:
            return f"meets on {sorted(meets)}, person can come on {sorted(days)}"
    start_time = row.get("start_time", "")
    if times and start_time:
        hour = int(start_time.split(":")[0])
        part = "morning" if hour < 12 else "afternoon" if hour < 18 else "evening"
        if part not in times:
            return f"starts at {start_time}, person can come {sorted(times)}"
    return None


def serves_a_need(ctx: Ctx, group: dict[str, Any]) -> str | None:
    """The format serves a need (strength > 0); at risk a therapy group always does."""
    fmt = ctx.row(group)["format"]
    if ctx.answers["risk"] != "none" and fmt == "therapy_group":
        return None
    if ctx.strength(fmt) <= 0:
        return f"{fmt} serves none of {ctx.answers['needs']}"
    return None


def facts_match_catalog(ctx: Ctx, group: dict[str, Any]) -> str | None:
    """The JSON says what the catalog says about format, setting, for_whom, ages, audience."""
    row, where = ctx.row(group), label(ctx, group)
    said = {
        "format": need(group, "format", where),
        "setting": need(group, "setting", where),
        "for_whom": need(group, "for_whom", where) or "both",
        "age_min": need(group, "age_min", where),
        "age_max": need(group, "age_max", where),
        "restricted_to": sorted(need(group, "restricted_to", where) or []),
    }
    truth = {
        "format": row["format"],
        "setting": row["setting"],
        "for_whom": (row.get("for_whom") or "").strip() or "both",
        "age_min": int(row["age_min"]) if row.get("age_min") else None,
        "age_max": int(row["age_max"]) if row.get("age_max") else None,
        "restricted_to": sorted(split(row.get("restricted_to"))),
    }
    wrong = [f"{k}={said[k]!r} (catalog {truth[k]!r})" for k in said if said[k] != truth[k]]
    return "; ".join(wrong) or None


def distance_honest(ctx: Ctx, group: dict[str, Any]) -> str | None:
    """distance_km is null without a location and for online groups, else close to ours."""
    row = ctx.row(group)
    distance = need(group, "distance_km", label(ctx, group))
    if ctx.answers["location"] is None or row["setting"] == "online":
        return None if distance is None else f"distance {distance} km where none can be said"
    ours = ctx.our_distance(row)
    if ours is None:
        return None
    if distance is None:
        # A hybrid group is an online group for someone who only meets online.
        online_for_them = row["setting"] == "hybrid" and ctx.answers["setting"] == "online_only"
        return None if online_for_them else f"distance_km is null, ours is {ours:.1f} km"
    if abs(distance - ours) > max(3.0, 0.15 * ours):
        return f"distance_km {distance} but ours is {ours:.1f} km"
    return None


GROUP_PREDICATES: dict[str, Predicate] = {
    "setting_ok": setting_ok,
    "distance_ok": distance_ok,
    "language_ok": language_ok,
    "cost_ok": cost_ok,
    "audience_ok": audience_ok,
    "age_ok": age_ok,
    "for_whom_ok": for_whom_ok,
    "time_ok": time_ok,
    "serves_a_need": serves_a_need,
    "facts_match_catalog": facts_match_catalog,
    "distance_honest": distance_honest,
}
#: The limit each missed_rule of contract 2 names.
RULE_PREDICATES: dict[str, Predicate] = {
    "language": language_ok,
    "distance": distance_ok,
    "setting": setting_ok,
    "cost": cost_ok,
    "audience": audience_ok,
    "age": age_ok,
    "for_whom": for_whom_ok,
    "time": time_ok,
}
HARD_LIMITS = tuple(RULE_PREDICATES.values())


# --- checks: each returns its problems (empty = pass) -----------------------------------

Check = Callable[[Ctx, Any], list[str]]


def first_format_in(ctx: Ctx, kinds: set[str]) -> list[str]:
    ids = ctx.formats()
    if not ids:
        return ["no formats listed"]
    return [] if ids[0] in kinds else [f"rank 1 is {ids[0]}, expected one of {sorted(kinds)}"]


def top_formats_include(ctx: Ctx, wanted: dict[str, int]) -> list[str]:
    ids = ctx.formats()
    return [
        f"{fid} not in the top {n}: {ids[:n]}" for fid, n in wanted.items() if fid not in ids[:n]
    ]


def formats_not_first(ctx: Ctx, kinds: set[str]) -> list[str]:
    ids = ctx.formats()
    return [f"{ids[0]} ranks first"] if ids and ids[0] in kinds else []


def format_above(ctx: Ctx, pairs: list[tuple[str, str]]) -> list[str]:
    ids, problems = ctx.formats(), []
    for high, low in pairs:
        if high not in ids:
            problems.append(f"{high} is not listed (expected above {low})")
        elif low in ids and ids.index(high) > ids.index(low):
            problems.append(f"{low} (#{ids.index(low) + 1}) above {high} (#{ids.index(high) + 1})")
    return problems


def match_of_first_format_at_least(ctx: Ctx, least: float) -> list[str]:
    formats = need_list(ctx.out, "formats", "the top level")
    if not formats:
        return ["no formats listed"]
    match = need(formats[0], "match", "formats[0]")
    return [] if match >= least else [f"{formats[0].get('id')} has match {match} < {least}"]


def needs_before_preferences(ctx: Ctx, on: bool) -> list[str]:
    if ctx.answers["risk"] != "none":
        raise Misconfigured("needs_before_preferences does not hold for a person at risk")
    ids = ctx.formats()
    strengths = [ctx.strength(fid) for fid in ids]
    problems = []
    for i, (fid, s) in enumerate(zip(ids, strengths, strict=True)):
        better = [ids[j] for j in range(i + 1, len(ids)) if strengths[j] > 0 and s == 0]
        if better:
            problems.append(f"{fid} serves no need but ranks above {better[0]}")
        if len(ctx.answers["needs"]) == 1:
            stronger = [ids[j] for j in range(i + 1, len(ids)) if strengths[j] > s]
            if stronger:
                problems.append(
                    f"{fid} (strength {s}) above {stronger[0]} which serves "
                    f"{ctx.answers['needs'][0]} more strongly"
                )
    return problems


def groups_nonempty(ctx: Ctx, on: bool) -> list[str]:
    return [] if ctx.groups() else ["no groups at all"]


def every_group(ctx: Ctx, names: list[str]) -> list[str]:
    unknown = [n for n in names if n not in GROUP_PREDICATES]
    if unknown:
        raise Misconfigured(f"unknown group predicates {unknown}")
    problems = []
    for group in ctx.groups():
        for name in names:
            if why := GROUP_PREDICATES[name](ctx, group):
                problems.append(f"{label(ctx, group)}: {name}: {why}")
    return problems


def first_group(ctx: Ctx) -> dict[str, Any] | None:
    groups = ctx.groups()
    return groups[0] if groups else None


def first_group_topic_in(ctx: Ctx, topics: set[str]) -> list[str]:
    group = first_group(ctx)
    if group is None:
        return ["no groups to check"]
    has = split(ctx.row(group)["topics"])
    return [] if has & topics else [f"{label(ctx, group)} is about {sorted(has)}"]


def first_group_format_in(ctx: Ctx, kinds: set[str]) -> list[str]:
    group = first_group(ctx)
    if group is None:
        return ["no groups to check"]
    fmt = ctx.row(group)["format"]
    return [] if fmt in kinds else [f"{label(ctx, group)} is a {fmt}"]


def first_group_leadership_in(ctx: Ctx, kinds: set[str]) -> list[str]:
    group = first_group(ctx)
    if group is None:
        return ["no groups to check"]
    lead = ctx.row(group)["leadership"]
    return [] if lead in kinds else [f"{label(ctx, group)} is led by {lead}"]


def topic_before_other_topic(ctx: Ctx, on: bool) -> list[str]:
    topics = set(ctx.answers["topics"])
    if not topics:
        raise Misconfigured("topic_before_other_topic needs a person with topics")
    groups = ctx.groups()
    on_topic = [bool(split(ctx.row(g)["topics"]) & topics) for g in groups]
    problems = []
    for i, group in enumerate(groups):
        if on_topic[i]:
            continue
        fmt = ctx.row(group)["format"]
        for j in range(i + 1, len(groups)):
            if on_topic[j] and ctx.row(groups[j])["format"] == fmt:
                problems.append(
                    f"{label(ctx, group)} (#{i + 1}, off topic) above "
                    f"{label(ctx, groups[j])} (#{j + 1}, on topic)"
                )
                break
    return problems


def some_group_for_whom(ctx: Ctx, kind: str) -> list[str]:
    kinds = [(ctx.row(g).get("for_whom") or "").strip() or "both" for g in ctx.groups()]
    return [] if kind in kinds else [f"no group with for_whom {kind} among {kinds}"]


def some_group_restricted_to(ctx: Ctx, audience: str) -> list[str]:
    if any(audience in split(ctx.row(g).get("restricted_to")) for g in ctx.groups()):
        return []
    return [f"no group restricted to {audience} among the results"]


def distance_null(ctx: Ctx, on: bool) -> list[str]:
    return [
        f"{label(ctx, g)} has distance_km {g['distance_km']}"
        for g in ctx.groups()
        if need(g, "distance_km", label(ctx, g)) is not None
    ]


def notice_ids(ctx: Ctx) -> list[str]:
    notices = need_list(ctx.out, "notices", "the top level")
    return [need(n, "id", f"notices[{i}]") for i, n in enumerate(notices)]


def nothing_fits(ctx: Ctx, expected: bool) -> list[str]:
    groups, ids = ctx.groups(), notice_ids(ctx)
    if expected:
        problems = [f"{len(groups)} groups listed"] if groups else []
        return problems + ([] if "nothing_fits" in ids else ["no nothing_fits notice"])
    problems = [] if groups else ["no groups listed"]
    return problems + (["a nothing_fits notice"] if "nothing_fits" in ids else [])


def near_misses_nonempty(ctx: Ctx, on: bool) -> list[str]:
    return [] if ctx.near_misses() else ["no near misses"]


def near_miss_rules_include(ctx: Ctx, rules: set[str]) -> list[str]:
    seen = {need(m, "missed_rule", label(ctx, m)) for m in ctx.near_misses()}
    missing = rules - seen
    return [f"no near miss on {sorted(missing)} (seen {sorted(seen)})"] if missing else []


def near_misses_really_miss(ctx: Ctx, on: bool) -> list[str]:
    problems = []
    for miss in ctx.near_misses():
        rule = need(miss, "missed_rule", label(ctx, miss))
        need(miss, "missed", label(ctx, miss))
        if rule not in RULE_PREDICATES:
            problems.append(f"{label(ctx, miss)}: unknown missed_rule {rule!r}")
        elif RULE_PREDICATES[rule](ctx, miss) is None:
            problems.append(f"{label(ctx, miss)}: near miss on {rule} but meets that limit")
    return problems


def near_misses_closest_first(ctx: Ctx, on: bool) -> list[str]:
    far = [m for m in ctx.near_misses() if m.get("missed_rule") == "distance"]
    if not far:
        return ["no near misses on distance to order"]
    distances = [need(m, "distance_km", label(ctx, m)) for m in far]
    if None in distances or distances != sorted(distances):
        return [f"distance near misses not nearest first: {distances}"]
    return []


def unlisted_price_near_miss(ctx: Ctx, on: bool) -> list[str]:
    if ctx.answers["max_cost_eur"] != 0:
        raise Misconfigured("unlisted_price_near_miss needs max_cost_eur 0")
    candidates = []
    for row in ctx.world.rows.values():
        if row["cost_eur"].strip():
            continue
        fake = {"id": row["id"], "distance_km": ctx.our_distance(row)}
        if all(p(ctx, fake) is None for p in (*HARD_LIMITS, serves_a_need) if p is not cost_ok):
            candidates.append(row["id"])
    if not candidates:
        return [
            "catalog precondition: no group without a listed price is within this person's "
            "other limits, so this check cannot say anything"
        ]
    shown = {g["id"] for g in ctx.groups()}
    if leaked := shown & set(candidates):
        return [f"groups with no listed price among the results: {sorted(leaked)}"]
    for miss in ctx.near_misses():
        if miss.get("missed_rule") == "cost" and not ctx.row(miss)["cost_eur"].strip():
            return []
    return [f"no near miss on cost for a group with no listed price (e.g. {candidates[0]})"]


def notices_include(ctx: Ctx, ids: set[str]) -> list[str]:
    missing = ids - set(notice_ids(ctx))
    return [f"notices lack {sorted(missing)} (have {notice_ids(ctx)})"] if missing else []


def notices_exclude(ctx: Ctx, ids: set[str]) -> list[str]:
    present = ids & set(notice_ids(ctx))
    return [f"unexpected notices {sorted(present)}"] if present else []


def crisis_lines(ctx: Ctx) -> list[dict[str, Any]]:
    return need_list(ctx.out, "crisis_help", "the top level")


def crisis_help_empty(ctx: Ctx, expected: bool) -> list[str]:
    lines = crisis_lines(ctx)
    if expected and lines:
        return [f"crisis help shown to a person not at risk: {[x.get('phone') for x in lines]}"]
    if not expected and not lines:
        return ["no crisis help for a person at risk"]
    return []


def phones(ctx: Ctx) -> list[str]:
    return [need(line, "phone", f"crisis_help[{i}]") for i, line in enumerate(crisis_lines(ctx))]


def crisis_first_phone(ctx: Ctx, wanted: str | set[str]) -> list[str]:
    options = {wanted} if isinstance(wanted, str) else wanted
    got = phones(ctx)
    if not got:
        return ["no crisis help"]
    return [] if got[0] in options else [f"first line is {got[0]}, expected {sorted(options)}"]


def crisis_phones_include(ctx: Ctx, wanted: set[str]) -> list[str]:
    missing = wanted - set(phones(ctx))
    return [f"crisis help lacks {sorted(missing)}"] if missing else []


def crisis_order(ctx: Ctx, country: str) -> list[str]:
    spoken = set(ctx.answers["languages"]) | {ctx.answers["language"]}
    ranks = []
    for i, line in enumerate(crisis_lines(ctx)):
        where = f"crisis_help[{i}]"
        phone = need(line, "phone", where)
        is_crisis = need(line, "crisis", where)
        languages = set(need(line, "languages", where))
        home = ctx.world.helpline_country.get(phone)
        if home == country and is_crisis:
            ranks.append(0 if languages & spoken else 1)
        elif home == "EU":
            ranks.append(2)
        elif home == country:
            ranks.append(3)
        else:
            ranks.append(4)
    problems = [] if 0 in ranks or 1 in ranks else [f"no crisis line of {country}"]
    if 2 not in ranks:
        problems.append("no 112")
    if ranks != sorted(ranks):
        problems.append(
            f"order {phones(ctx)} is not: {country} crisis lines in a language the person "
            "speaks, other crisis lines, 112, listening lines"
        )
    return problems


def ranking(out: dict[str, Any]) -> list[Any]:
    def items(key: str) -> list[Any]:
        return [
            (need(x, "id", key), need(x, "score", key), need(x, "match", key))
            for x in need_list(out, key, "the top level")
        ]

    return [items("formats"), items("groups"), items("near_misses")]


def same_ranking_in_languages(ctx: Ctx, languages: list[str]) -> list[str]:
    if ctx.rerun is None:
        raise Misconfigured("same_ranking_in_languages needs a way to run again")
    mine, problems = ranking(ctx.out), []
    for lang in languages:
        theirs = ranking(ctx.rerun({**ctx.answers, "language": lang}))
        for part, name in enumerate(("formats", "groups", "near_misses")):
            if mine[part] != theirs[part]:
                problems.append(
                    f"{name} differ in {lang}: {mine[part][:3]}... vs {theirs[part][:3]}..."
                )
    return problems


CHECKS: dict[str, Check] = {
    "first_format_in": first_format_in,
    "top_formats_include": top_formats_include,
    "formats_not_first": formats_not_first,
    "format_above": format_above,
    "match_of_first_format_at_least": match_of_first_format_at_least,
    "needs_before_preferences": needs_before_preferences,
    "groups_nonempty": groups_nonempty,
    "every_group": every_group,
    "first_group_topic_in": first_group_topic_in,
    "first_group_format_in": first_group_format_in,
    "first_group_leadership_in": first_group_leadership_in,
    "topic_before_other_topic": topic_before_other_topic,
    "some_group_for_whom": some_group_for_whom,
    "some_group_restricted_to": some_group_restricted_to,
    "distance_null": distance_null,
    "nothing_fits": nothing_fits,
    "near_misses_nonempty": near_misses_nonempty,
    "near_miss_rules_include": near_miss_rules_include,
    "near_misses_really_miss": near_misses_really_miss,
    "near_misses_closest_first": near_misses_closest_first,
    "unlisted_price_near_miss": unlisted_price_near_miss,
    "notices_include": notices_include,
    "notices_exclude": notices_exclude,
    "crisis_help_empty": crisis_help_empty,
    "crisis_first_phone": crisis_first_phone,
    "crisis_phones_include": crisis_phones_include,
    "crisis_order": crisis_order,
    "same_ranking_in_languages": same_ranking_in_languages,
}


# --- contract checks for everyone ------------------------------------------------------


def normalized(answers: dict[str, Any]) -> dict[str, Any]:
    return {k: sorted(v) if isinstance(v, list) else v for k, v in answers.items()}


def contract_version(ctx: Ctx) -> list[str]:
    version = need(ctx.out, "version", "the top level")
    return [] if version == 2 else [f"version is {version!r}, not 2"]


def contract_answers_echoed(ctx: Ctx) -> list[str]:
    said = need(ctx.out, "answers", "the top level")
    if not isinstance(said, dict) or normalized(said) != normalized(ctx.answers):
        return [f"answers not echoed as version 2: {said!r}"]
    return []


def contract_best_first(ctx: Ctx) -> list[str]:
    problems = []
    for key in ("formats", "groups"):
        items = need_list(ctx.out, key, "the top level")
        scores = [need(x, "score", f"{key}[{i}]") for i, x in enumerate(items)]
        if scores != sorted(scores, reverse=True):
            problems.append(f"{key} not best first: scores {scores}")
        for i, x in enumerate(items):
            match = need(x, "match", f"{key}[{i}]")
            if not 0 <= match <= 100:
                problems.append(f"{key}[{i}] match {match} outside 0-100")
    return problems


def contract_groups_known(ctx: Ctx) -> list[str]:
    problems = []
    for key in ("groups", "near_misses"):
        for i, group in enumerate(need_list(ctx.out, key, "the top level")):
            missing = [k for k in JSON_GROUP_KEYS if k not in group]
            if missing:
                problems.append(f"{key}[{i}] lacks {missing}")
            ctx.row(group)
    both = {g["id"] for g in ctx.groups()} & {m["id"] for m in ctx.near_misses()}
    if both:
        problems.append(f"both a result and a near miss: {sorted(both)}")
    unknown = [fid for fid in ctx.formats() if fid not in ctx.world.strengths]
    if unknown:
        problems.append(f"unknown formats {unknown}")
    return problems


CONTRACT_CHECKS: dict[str, Callable[[Ctx], list[str]]] = {
    "contract: version": contract_version,
    "contract: answers echoed": contract_answers_echoed,
    "contract: best first": contract_best_first,
    "contract: groups known": contract_groups_known,
}


def evaluate(
    persona: Persona,
    out: Any,
    world: World,
    rerun: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
) -> list[str]:
    """Every failed check, each line naming the persona and the check."""
    if not isinstance(out, dict):
        return [f"{persona['id']}: output is {type(out).__name__}, not a JSON object"]
    ctx = Ctx(persona, out, world, rerun)
    runs: list[tuple[str, Callable[[], list[str]]]] = [
        (name, partial(fn, ctx)) for name, fn in CONTRACT_CHECKS.items()
    ]
    for name, param in persona["expect"].items():
        if name not in CHECKS:
            raise Misconfigured(f"{persona['id']}: unknown check {name!r}")
        runs.append((name, partial(CHECKS[name], ctx, param)))
    problems = []
    for name, run in runs:
        try:
            found = run()
        except MissingKey as exc:
            found = [str(exc)]
        problems += [f"{persona['id']}: {name}: {p}" for p in found]
    return problems


# ---------------------------------------------------------------------------------------
# Running the real command.
# ---------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def world() -> World:
    own = os.environ.get("GROUPFINDER_DATA")
    return load_world(Path(own) if own else SHIPPED)


def recommend(
    answers: dict[str, Any], folder: Path, world: World, capsys: pytest.CaptureFixture[str]
) -> tuple[dict[str, Any] | None, str]:
    path = folder / f"answers-{answers['language']}.json"
    path.write_text(json.dumps(answers, ensure_ascii=False), encoding="utf-8")
    argv = ["recommend", "--answers", str(path), "--format", "json", "--limit", "10"]
    code = main([*argv, "--data", str(world.data_dir)])
    out, err = capsys.readouterr()
    if code != 0:
        return None, f"exit code {code}; stderr: {err.strip()[:800]}"
    try:
        return json.loads(out), ""
    except json.JSONDecodeError as exc:
        return None, f"stdout is not JSON ({exc}): {out[:300]!r}"


@pytest.fixture(autouse=True)
def plain_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GROUPFINDER_DEBUG", raising=False)


@pytest.mark.parametrize("persona", PERSONAS, ids=[p["id"] for p in PERSONAS])
def test_persona(
    persona: Persona, tmp_path: Path, capsys: pytest.CaptureFixture[str], world: World
) -> None:
    out, why = recommend(persona["answers"], tmp_path, world, capsys)
    assert out is not None, f"{persona['id']}: groupfinder recommend failed: {why}"

    def rerun(answers: dict[str, Any]) -> dict[str, Any]:
        again, why_again = recommend(answers, tmp_path, world, capsys)
        if again is None:
            raise MissingKey(f"rerun in {answers['language']} failed: {why_again}")
        return again

    problems = evaluate(persona, out, world, rerun)
    assert not problems, (
        f"{persona['id']} — {persona['who']}\nCounselor: {persona['counselor']}\n"
        + "\n".join(problems)
    )


# ---------------------------------------------------------------------------------------
# The personas themselves, and proof that the checks can fail.
# ---------------------------------------------------------------------------------------

VOCAB: dict[str, set[Any]] = {
    "language": {"nl", "fr", "en"},
    "risk": {"none", "thoughts", "acute"},
    "for_whom": {"self", "someone_close"},
    "age_band": {None, *BANDS},
    "group_size": {"small", "medium", "large", "no_preference"},
    "leadership": {"professional", "trained", "peer", "no_preference"},
    "structure": {"structured", "open", "no_preference"},
    "commitment": {"one_off", "series", "ongoing", "residential", "no_preference"},
    "setting": {"in_person_only", "prefer_in_person", "prefer_online", "online_only",
                "no_preference"},
}  # fmt: skip
AUDIENCES = {"women", "men", "lgbtq", "students", "parents", "internationals"}


def test_personas_are_well_formed(world: World) -> None:
    formats = tomllib.loads(data_file(world.data_dir, "formats.toml").read_text("utf-8"))
    ids = [p["id"] for p in PERSONAS]
    assert len(ids) == len(set(ids)), "persona ids repeat"
    for p in PERSONAS:
        a = p["answers"]
        assert list(a) == ANSWER_KEYS, f"{p['id']}: answers keys differ from contract 1"
        assert a["version"] == 2, p["id"]
        for key, allowed in VOCAB.items():
            assert a[key] in allowed, f"{p['id']}: {key}={a[key]!r}"
        assert a["needs"] and set(a["needs"]) <= set(formats["needs"]), p["id"]
        assert set(a["topics"]) <= set(formats["topics"]), p["id"]
        assert set(a["audiences"]) <= AUDIENCES, p["id"]
        assert set(a["languages"]) <= VOCAB["language"], p["id"]
        assert a["location"] is None or world.places.person(a["location"]), (
            f"{p['id']}: location {a['location']!r} is not in data/places.csv"
        )
        assert set(p["expect"]) <= set(CHECKS), f"{p['id']}: unknown checks"
        assert "sample_data" in p["expect"]["notices_include"], p["id"]
        assert p["who"] and p["counselor"] and p["must_not"], p["id"]
        at_risk = a["risk"] != "none"
        assert p["expect"]["crisis_help_empty"] is not at_risk, p["id"]
        assert at_risk is ("professional_help_first" in p["expect"]["notices_include"]), p["id"]
        assert p["expect"].get("every_group") == ALL_LIMITS, p["id"]


def test_personas_cover_the_brief() -> None:
    def union(key: str) -> set[Any]:
        found: set[Any] = set()
        for p in PERSONAS:
            value = p["answers"][key]
            found |= set(value) if isinstance(value, list) else {value}
        return found

    assert len(PERSONAS) >= 32
    assert union("needs") == {"therapy", "creativity", "rest", "recognition", "learning", "growth"}
    assert union("topics") >= {
        "grief", "addiction", "anxiety", "depression", "trauma", "burnout", "chronic_illness",
        "eating_disorder", "relationships", "loneliness", "family_carer", "self_esteem",
        "toxic_relationship", "stress",
    }  # fmt: skip
    assert union("language") == {"nl", "fr", "en"}
    assert union("risk") == {"none", "thoughts", "acute"}
    assert union("setting") == VOCAB["setting"]
    assert union("age_band") == VOCAB["age_band"]
    assert union("for_whom") == {"self", "someone_close"}
    assert {"women", "men", "lgbtq", "students"} <= union("audiences")
    assert {0, None} <= union("max_cost_eur")
    locations = union("location")
    assert any(str(x).isdigit() for x in locations), "no Belgian postcode"
    assert {"Amsterdam", "Utrecht", "Rotterdam", "Groningen"} <= locations, "Dutch towns"
    checks = {name for p in PERSONAS for name in p["expect"]}
    assert checks == set(CHECKS), f"checks no persona uses: {set(CHECKS) - checks}"


def test_table_lists_every_persona() -> None:
    from personas import table

    text = table()
    assert text.startswith("| id | who |")
    assert all(f"| {p['id']} |" in text for p in PERSONAS)


# --- a tiny hand-made world to show that the checks fail when they should ---------------

ROW = {
    "id": "x", "format": "support_group", "topics": "grief", "leadership": "peer",
    "setting": "in_person", "postcode": "9000", "city": "Gent", "country": "BE",
    "latitude": "51.0543", "longitude": "3.7174", "languages": "nl", "cost_eur": "0",
    "for_whom": "", "age_min": "", "age_max": "", "restricted_to": "",
}  # fmt: skip


def tiny_world(*rows: dict[str, str]) -> World:
    real = load_world(SHIPPED)
    table = {r["id"]: {**ROW, **r} for r in rows}
    return World(SHIPPED, table, real.strengths, real.helpline_country, real.places)


def out_for(world: World, persona: Persona, ids: list[str], **extra: Any) -> dict[str, Any]:
    def group(gid: str, score: float) -> dict[str, Any]:
        row = world.rows[gid]
        return {
            "id": gid, "name": gid, "format": row["format"], "score": score, "match": 90,
            "distance_km": 1.0, "city": row["city"], "setting": row["setting"],
            "for_whom": row["for_whom"] or "both", "age_min": None, "age_max": None,
            "restricted_to": sorted(split(row["restricted_to"])), "audience": "",
            "reasons": [], "contact": {},
        }  # fmt: skip

    out: dict[str, Any] = {
        "version": 2,
        "answers": persona["answers"],
        "crisis_help": [],
        "notices": [{"id": "sample_data", "text": "."}],
        "formats": [{"id": "support_group", "name": "", "score": 3, "match": 90, "reasons": []}],
        "groups": [group(gid, 10 - i) for i, gid in enumerate(ids)],
        "near_misses": [],
    }
    out.update(extra)
    return out


def person(expect: dict[str, Any], **answers_: Any) -> Persona:
    base = dict(PERSONAS[0]["answers"])
    base.update(answers_)
    return {"id": "probe", "who": "", "counselor": "", "answers": base, "expect": expect,
            "must_not": []}  # fmt: skip


def fails(p: Persona, out: dict[str, Any], world: World, check: str) -> bool:
    return any(f": {check}:" in line for line in evaluate(p, out, world))


def test_group_predicates_catch_each_limit() -> None:
    world = tiny_world(
        {"id": "ok"},
        {"id": "women", "restricted_to": "women"},
        {"id": "relatives", "for_whom": "relatives"},
        {"id": "adults", "age_min": "18"},
        {"id": "french", "languages": "fr"},
        {"id": "unpriced", "cost_eur": ""},
        {"id": "online", "setting": "online"},
        {"id": "retreat", "format": "wellness_retreat"},
    )
    every = {"every_group": ALL_LIMITS, "notices_include": {"sample_data"}}
    man = person(every, audiences=["men"], age_band="under_18", max_cost_eur=0)
    assert evaluate(man, out_for(world, man, ["ok"]), world) == []
    for gid, predicate in [
        ("women", "audience_ok"),
        ("relatives", "for_whom_ok"),
        ("adults", "age_ok"),
        ("french", "language_ok"),
        ("unpriced", "cost_ok"),
        ("online", "setting_ok"),
        ("retreat", "serves_a_need"),
    ]:
        problems = evaluate(man, out_for(world, man, ["ok", gid]), world)
        assert any(predicate in line and gid in line for line in problems), (gid, problems)
    out = out_for(world, man, ["ok"])
    out["groups"][0]["distance_km"] = 21.0
    assert fails(man, out, world, "every_group")  # 21 km for a 20 km limit


def test_hybrid_beyond_the_distance_depends_on_the_setting() -> None:
    world = tiny_world({"id": "far", "setting": "hybrid"})
    expect = {"every_group": ["setting_ok", "distance_ok"]}
    strict = person(expect, setting="in_person_only")
    loose = person(expect, setting="prefer_in_person")
    out = out_for(world, strict, ["far"])
    out["groups"][0]["distance_km"] = 30.0
    assert fails(strict, out, world, "every_group")
    assert not fails(loose, {**out, "answers": loose["answers"]}, world, "every_group")


def test_near_misses_must_really_miss() -> None:
    world = tiny_world({"id": "ok"}, {"id": "unpriced", "cost_eur": ""})
    p = person({"near_misses_really_miss": True}, max_cost_eur=0)
    miss = out_for(world, p, ["unpriced"])["groups"][0]
    good = out_for(world, p, [], near_misses=[{**miss, "missed": "ask", "missed_rule": "cost"}])
    assert evaluate(p, good, world) == []
    fake = {**out_for(world, p, ["ok"])["groups"][0], "missed": "?", "missed_rule": "cost"}
    bad = out_for(world, p, [], near_misses=[fake])
    assert fails(p, bad, world, "near_misses_really_miss")


def test_ranking_checks_fail() -> None:
    world = tiny_world({"id": "grief"}, {"id": "other", "topics": "burnout"})
    p = person({"topic_before_other_topic": True, "first_group_topic_in": {"grief"}})
    out = out_for(world, p, ["other", "grief"])
    assert fails(p, out, world, "topic_before_other_topic")
    assert fails(p, out, world, "first_group_topic_in")
    assert not fails(p, out_for(world, p, ["grief", "other"]), world, "topic_before_other_topic")
    formats = [
        {"id": "workshop", "name": "", "score": 5, "match": 90, "reasons": []},
        {"id": "support_group", "name": "", "score": 4, "match": 90, "reasons": []},
    ]
    q = person({"needs_before_preferences": True, "first_format_in": {"support_group"}})
    assert fails(q, out_for(world, q, [], formats=formats), world, "needs_before_preferences")
    assert fails(q, out_for(world, q, [], formats=formats), world, "first_format_in")
    unsorted = out_for(world, q, ["grief", "other"])
    unsorted["groups"][1]["score"] = 99
    assert fails(q, unsorted, world, "contract: best first")


def test_crisis_checks_fail() -> None:
    world = tiny_world({"id": "ok"})
    p = person(
        {"crisis_order": "BE", "crisis_first_phone": "0800 32 123"},
        risk="acute",
        language="fr",
        languages=["fr"],
    )

    def line(phone: str, crisis: bool, langs: list[str]) -> dict[str, Any]:
        return {"name": phone, "phone": phone, "url": "", "hours": "", "about": "",
                "languages": langs, "crisis": crisis}  # fmt: skip

    right = [line("0800 32 123", True, ["fr"]), line("1813", True, ["nl"]), line("112", True, [])]
    assert evaluate(p, out_for(world, p, [], crisis_help=right), world) == []
    wrong = [right[1], right[0], right[2]]
    out = out_for(world, p, [], crisis_help=wrong)
    assert fails(p, out, world, "crisis_order")
    assert fails(p, out, world, "crisis_first_phone")


def test_a_missing_key_names_the_persona_and_the_check() -> None:
    world = tiny_world({"id": "ok"})
    p = person({"nothing_fits": True, "notices_include": {"sample_data"}})
    out = out_for(world, p, [])
    del out["notices"]
    problems = evaluate(p, out, world)
    assert "probe: nothing_fits: output has no 'notices' in the top level" in problems
    assert "probe: notices_include: output has no 'notices' in the top level" in problems
    with pytest.raises(Misconfigured, match="unknown check"):
        evaluate(person({"no_such_check": 1}), out_for(world, p, []), world)


def test_distance_language_and_nothing_fits_checks_fail() -> None:
    world = tiny_world({"id": "gent"}, {"id": "unpriced", "cost_eur": ""})
    p = person({"every_group": ["distance_honest"]}, max_distance_km=None)
    out = out_for(world, p, ["gent"])
    assert evaluate(p, out, world) == []  # 1 km from Gent's centre to a group in Gent
    out["groups"][0]["distance_km"] = 40.0
    assert fails(p, out, world, "every_group")

    def reversed_run(answers: dict[str, Any]) -> dict[str, Any]:
        again = out_for(world, p, ["unpriced", "gent"])
        again["answers"] = answers
        return again

    q = person({"same_ranking_in_languages": ["fr"]})
    mine = out_for(world, q, ["gent", "unpriced"])
    assert any(
        "same_ranking_in_languages" in line for line in evaluate(q, mine, world, reversed_run)
    )
    r = person({"nothing_fits": True})
    assert fails(r, out_for(world, r, ["gent"]), world, "nothing_fits")
    assert not fails(
        r,
        out_for(world, r, [], notices=[{"id": "nothing_fits", "text": "."}]),
        world,
        "nothing_fits",
    )


def test_an_unlisted_price_must_be_a_near_miss_for_free_only() -> None:
    world = tiny_world({"id": "free"}, {"id": "unpriced", "cost_eur": ""})
    p = person({"unlisted_price_near_miss": True}, max_cost_eur=0)
    assert fails(p, out_for(world, p, ["free"]), world, "unlisted_price_near_miss")
    assert fails(p, out_for(world, p, ["free", "unpriced"]), world, "unlisted_price_near_miss")
    miss = {**out_for(world, p, ["unpriced"])["groups"][0], "missed": "ask", "missed_rule": "cost"}
    good = out_for(world, p, ["free"], near_misses=[miss])
    assert not fails(p, good, world, "unlisted_price_near_miss")
    with pytest.raises(Misconfigured, match="max_cost_eur 0"):
        evaluate(person({"unlisted_price_near_miss": True}), good, world)
