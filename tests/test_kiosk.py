"""Kiosk mode without the UI: kiosk.toml, the exit PIN, the take-home QR code, printing and
the supervisor that restarts the app."""

from __future__ import annotations

import datetime as dt
import io
import re
import sys
import tomllib
from collections.abc import Iterable, Sequence
from pathlib import Path

import pytest
import segno

from groupfinder.catalog.places import PlaceIndex
from groupfinder.domain.errors import Problem
from groupfinder.domain.models import Catalog, Contact, Group, Helpline, Language
from groupfinder.modes.kiosk import (
    KioskConfig,
    KioskConfigError,
    PinError,
    PrintError,
    hash_pin,
    load_kiosk_config,
    parse_pin_hash,
    print_handout,
    run_child,
    supervise,
    verify_pin,
)
from groupfinder.present import qr
from groupfinder.present.qr import (
    QR_CELLS,
    QR_MAX_BYTES,
    qr_matrix,
    qr_max_version,
    qr_pages,
    qr_payload,
    qr_text_rows,
)


@pytest.fixture(scope="module")
def pin_hash() -> str:
    return hash_pin("2580")


def config_text(stored: str, /, **overrides: str | None) -> str:
    """A valid kiosk.toml, one key per line in this order; a value None drops the key."""
    values: dict[str, str | None] = {
        "centre": '"Buurthuis De Brug"',
        "country": '"BE"',
        "location": '"9000"',
        "language": '"nl"',
        "idle_seconds": "90",
        "warning_seconds": "20",
        "pin_hash": f'"{stored}"',
        "print_command": '["lp", "-d", "balie"]',
    }
    values.update(overrides)
    lines = ["# kiosk settings"] + [f"{k} = {v}" for k, v in values.items() if v is not None]
    return "\n".join(lines) + "\n"


def write(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "kiosk.toml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def problems_of(path: Path, places: PlaceIndex) -> list[Problem]:
    with pytest.raises(KioskConfigError) as caught:
        load_kiosk_config(path, places)
    return caught.value.problems


# ------------------------------------------------------------------ kiosk.toml


def test_a_valid_config_loads_into_typed_settings(
    tmp_path: Path, pin_hash: str, places: PlaceIndex
) -> None:
    config = load_kiosk_config(write(tmp_path, config_text(pin_hash)), places)
    assert config == KioskConfig(
        centre="Buurthuis De Brug",
        country="BE",
        location="9000",
        language="nl",
        idle_seconds=90,
        warning_seconds=20,
        pin_hash=pin_hash,
        print_command=["lp", "-d", "balie"],
    )
    place = config.place(places)
    assert place is not None and place.label() == "9000 Gent"


def test_optional_keys_have_their_defaults(
    tmp_path: Path, pin_hash: str, places: PlaceIndex
) -> None:
    text = config_text(
        pin_hash, language=None, idle_seconds=None, warning_seconds=None, print_command=None
    )
    config = load_kiosk_config(write(tmp_path, text), places)
    assert (config.language, config.idle_seconds, config.warning_seconds) == ("nl", 90, 20)
    assert config.print_command is None


def test_a_missing_file_is_named(tmp_path: Path, places: PlaceIndex) -> None:
    path = tmp_path / "nowhere.toml"
    [problem] = problems_of(path, places)
    assert problem.render() == f"{path}: file not found"


def test_a_file_that_is_not_utf8_names_the_line(
    tmp_path: Path, pin_hash: str, places: PlaceIndex
) -> None:
    text = config_text(pin_hash, centre='"Maison de quartier"').encode("utf-8")
    text = text.replace(b"Maison", "Crèche".encode("latin-1"))
    [problem] = problems_of(write(tmp_path, text), places)
    assert (problem.line, problem.field) == (2, None)
    assert "not UTF-8" in problem.render()


def test_malformed_toml_names_the_line(tmp_path: Path, pin_hash: str, places: PlaceIndex) -> None:
    [problem] = problems_of(write(tmp_path, config_text(pin_hash, country='"BE')), places)
    assert problem.line == 3
    assert "is not valid TOML" in problem.render()


def test_an_unknown_key_is_named_with_its_line(
    tmp_path: Path, pin_hash: str, places: PlaceIndex
) -> None:
    text = config_text(pin_hash) + 'colour = "blue"\n'
    [problem] = problems_of(write(tmp_path, text), places)
    assert (problem.field, problem.line) == ("colour", 10)
    assert problem.render() == f"{tmp_path / 'kiosk.toml'}:10: colour: unknown key"


@pytest.mark.parametrize("key", ["centre", "country", "location", "pin_hash"])
def test_a_missing_required_key_is_named(
    tmp_path: Path, pin_hash: str, places: PlaceIndex, key: str
) -> None:
    [problem] = problems_of(write(tmp_path, config_text(pin_hash, **{key: None})), places)
    assert problem.field == key
    assert problem.line is None
    assert problem.render().endswith(f"{key}: missing; this field is required")


@pytest.mark.parametrize(
    ("key", "value", "line", "says"),
    [
        ("centre", '""', 2, "plain text (1 to 200 characters)"),
        ("location", '"  "', 4, "plain text"),
        ("centre", '"De Brug\\u001b[31m"', 2, "plain text"),
        ("country", '"DE"', 3, "expected one of: BE, NL"),
        ("language", '"de"', 5, "expected one of: nl, fr, en"),
        ("idle_seconds", "10", 6, "at least 15"),
        ("idle_seconds", '"90"', 6, "expected a whole number"),
        ("idle_seconds", "90.0", 6, "expected a whole number"),
        ("warning_seconds", "4", 7, "at least 5"),
        ("warning_seconds", "90", 7, "less than idle_seconds (90)"),
        ("pin_hash", '"2580"', 8, "not a PIN hash; make one with: groupfinder kiosk hash-pin"),
        ("pin_hash", '"scrypt$16384$8$1$not base64!$abc"', 8, "not a PIN hash"),
        ("print_command", '"lp -d balie"', 9, "not one string"),
        ("print_command", "[]", 9, "at least one item"),
        ("print_command", '["lp", ""]', 9, "non-empty"),
        ("print_command", '["lp", 3]', 9, "expected text"),
    ],
)
def test_a_bad_value_is_named_with_key_and_line(
    tmp_path: Path,
    pin_hash: str,
    places: PlaceIndex,
    key: str,
    value: str,
    line: int,
    says: str,
) -> None:
    [problem] = problems_of(write(tmp_path, config_text(pin_hash, **{key: value})), places)
    assert problem.field is not None and problem.field.split(".")[0] == key
    assert problem.line == line
    assert says in problem.render()


@pytest.mark.parametrize(
    ("country", "location", "says"),
    [
        ("BE", '"0000"', "unknown place '0000'; did you mean: BE 1000 Brussel"),
        ("BE", '"Gentt"', "did you mean: Gent"),
        ("NL", '"Bergen"', "can mean several places; use the postcode, one of: 1861 Bergen"),
        ("NL", '"9000"', "'9000' is in BE, but country is NL"),
    ],
)
def test_the_location_must_be_one_place_in_the_country(
    tmp_path: Path, pin_hash: str, places: PlaceIndex, country: str, location: str, says: str
) -> None:
    text = config_text(pin_hash, country=f'"{country}"', location=location)
    [problem] = problems_of(write(tmp_path, text), places)
    assert (problem.field, problem.line) == ("location", 4)
    assert says in problem.render()


def test_every_problem_of_the_file_is_reported_at_once(
    tmp_path: Path, pin_hash: str, places: PlaceIndex
) -> None:
    text = config_text(pin_hash, country='"DE"', idle_seconds="5", pin_hash=None) + "x = 1\n"
    problems = problems_of(write(tmp_path, text), places)
    assert sorted(str(p.field) for p in problems) == ["country", "idle_seconds", "pin_hash", "x"]


def test_problems_read_in_the_visitors_language(
    tmp_path: Path, pin_hash: str, places: PlaceIndex
) -> None:
    [problem] = problems_of(write(tmp_path, config_text(pin_hash, pin_hash=None)), places)
    dutch, french = problem.render("nl"), problem.render("fr")
    assert dutch != problem.render("en") and french != problem.render("en")
    assert "pin_hash" in dutch and "pin_hash" in french


def test_a_pin_hash_verifies_the_pin_and_nothing_else(pin_hash: str) -> None:
    assert verify_pin("2580", pin_hash)
    for wrong in ("2581", "0852", "25800", "", "2580 ", "٢٥٨٠", "abcd"):
        assert not verify_pin(wrong, pin_hash), wrong


def test_a_pin_hash_is_salted_and_in_the_documented_format(pin_hash: str) -> None:
    again = hash_pin("2580")
    assert again != pin_hash
    assert re.fullmatch(r"scrypt\$16384\$8\$1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=", again)
    n, r, p, salt, digest = parse_pin_hash(again)
    assert (n, r, p, len(salt), len(digest)) == (16384, 8, 1, 16, 32)


@pytest.mark.parametrize("pin", ["", "123", "1234567890123", "12a4", "12 34", "١٢٣٤"])
def test_a_pin_must_be_4_to_12_digits(pin: str) -> None:
    with pytest.raises(PinError, match="4 to 12 digits") as caught:
        hash_pin(pin)
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    "stored",
    [
        "",
        "2580",
        "bcrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        "scrypt$1000$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        "scrypt$1073741824$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        "scrypt$16384$8$1$AAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
    ],
)
def test_a_malformed_or_costly_hash_is_refused_and_never_matches(stored: str) -> None:
    with pytest.raises(PinError, match="not a PIN hash"):
        parse_pin_hash(stored)
    assert not verify_pin("2580", stored)


# ------------------------------------------------------------------ the QR code


def group(n: int, **contact: str) -> Group:
    return Group(
        id=f"g-{n}",
        name=f"Praatgroep nummer {n}",
        format="talk_group",
        topics=("grief",),
        leadership="peer",
        setting="in_person",
        languages=("nl",),
        contact=Contact(**contact),
    )


def helplines(catalog: Catalog) -> list[Helpline]:
    return [h for h in catalog.helplines if h.country in ("BE", "EU")]


def test_the_payload_lists_groups_with_contacts_then_the_helplines(catalog: Catalog) -> None:
    chosen = [
        group(1, phone="09 123 45 67", email="a@example.org", website="https://example.org/a"),
        group(2, email="b@example.org"),
    ]
    text = qr_payload(chosen, helplines(catalog), "en")
    assert text.splitlines()[:9] == [
        "groupfinder: your groups",
        "",
        "Praatgroep nummer 1",
        "Phone: 09 123 45 67",
        "E-mail: a@example.org",
        "https://example.org/a",
        "",
        "Praatgroep nummer 2",
        "E-mail: b@example.org",
    ]
    assert "Help lines:" in text
    assert "Zelfmoordlijn 1813: 1813" in text
    assert text.index("Praatgroep nummer 2") < text.index("Zelfmoordlijn 1813")
    assert "more" not in text


def test_the_payload_is_in_the_visitors_language(catalog: Catalog) -> None:
    english = qr_payload([group(1, phone="1")], helplines(catalog), "en")
    dutch = qr_payload([group(1, phone="1")], helplines(catalog), "nl")
    assert dutch != english
    assert "Praatgroep nummer 1" in dutch


def test_catalog_text_cannot_smuggle_control_characters_into_the_payload() -> None:
    sneaky = group(1, phone="1\n2").model_copy(update={"name": "Groep\x1b[31m\nrood"})
    text = qr_payload([sneaky], [], "en")
    assert "\x1b" not in text
    assert "Groep\\x1b[31m rood" in text.splitlines(), "shown as text, on one line"


def test_too_many_groups_are_cut_from_the_end_within_qr_capacity(catalog: Catalog) -> None:
    many = [
        group(n, phone=f"0{n:03} 12 34 56", email=f"groep{n}@example.org", website="https://x.org")
        for n in range(1, 201)
    ]
    text = qr_payload(many, helplines(catalog), "en")
    kept = sum(1 for line in text.splitlines() if line.startswith("Praatgroep nummer "))
    assert 10 < kept < 200
    assert f"+{200 - kept} more groups" in text.splitlines()
    assert text.splitlines()[2] == "Praatgroep nummer 1"  # the best ones stay
    assert "Zelfmoordlijn 1813: 1813" in text  # help is never cut while groups can go
    assert len(text.encode("utf-8")) <= QR_MAX_BYTES
    assert segno.make(text, error="l", encoding="utf-8", micro=False).version == 40
    # As many as fit: one more, even shortened to its name and phone, would not.
    blocks = text.split("\n\n")
    at = blocks.index(f"+{200 - kept} more groups")
    shortened = qr.group_block(many[kept], "en", compact=True)
    assert shortened == f"Praatgroep nummer {kept + 1}\n0{kept + 1:03} 12 34 56"
    one_more = [*blocks[:at], shortened, f"+{200 - kept - 1} more groups", *blocks[at + 1 :]]
    assert qr._make_qr("\n\n".join(one_more)) is None


def test_a_small_code_keeps_the_helplines_first(catalog: Catalog) -> None:
    lines = helplines(catalog)
    text = qr_payload([group(1, phone="1")], lines, "en", max_version=5)
    assert "+1 more group" in text.splitlines()
    assert "Zelfmoordlijn 1813: 1813" in text
    assert re.search(r"^\+\d+ more help lines?$", text, re.M)
    assert len(qr_matrix(text, max_version=5)) <= 17 + 4 * 5 + 8


def test_a_code_too_small_for_anything_is_an_error() -> None:
    with pytest.raises(ValueError, match="up to version 0"):
        qr_payload([group(1)], [], "fr", max_version=0)


def test_pages_spread_the_groups_over_codes_that_fit_and_leave_nothing_out(
    catalog: Catalog,
) -> None:
    chosen = [group(n, phone=f"+32 9 000 00 {n:02d}") for n in range(1, 6)]
    lines = helplines(catalog)
    assert qr_pages(chosen, lines, "en") == [qr_payload(chosen, lines, "en")]
    pages = qr_pages(chosen, lines, "en", max_version=8)
    assert len(pages) > 1
    for n, page in enumerate(pages, start=1):
        assert page.startswith(f"groupfinder: your groups ({n}/{len(pages)})")
        assert qr_matrix(page, max_version=8)  # raises when it does not fit
    together = "\n".join(pages)
    names = [g.name for g in chosen]
    assert [name for name in names if name in together] == names
    positions = [together.index(name) for name in names]
    assert positions == sorted(positions), "the groups keep their order"
    assert all(line.phone in pages[-1] for line in lines), "help lines come last"


def test_pages_are_empty_when_not_even_one_group_fits() -> None:
    assert qr_pages([group(1, phone="1")], [], "en", max_version=1) == []


def test_the_largest_code_that_fits_the_screen() -> None:
    assert qr_max_version(80, 24) == 5  # 37 + 8 = 45 columns, 23 rows
    assert qr_max_version(185, 93) == 40
    assert qr_max_version(184, 93) == 39
    assert qr_max_version(20, 10) == 0


def test_the_matrix_is_segnos_with_a_four_module_quiet_zone() -> None:
    payload = "groupfinder: vos groupes\nTéléphone : 04 123 45 67"
    matrix = qr_matrix(payload)
    code = segno.make(payload, error="l", encoding="utf-8", micro=False)
    side = len(code.matrix)
    assert len(matrix) == side + 8 and all(len(row) == side + 8 for row in matrix)
    assert all(not any(row) for row in matrix[:4] + matrix[-4:])
    assert all(not any(row[:4] + row[-4:]) for row in matrix)
    inner = [row[4:-4] for row in matrix[4:-4]]
    assert inner == [[bool(m) for m in row] for row in code.matrix]


def matrix_from_text_rows(rows: Iterable[str]) -> list[list[bool]]:
    """The inverse of :func:`qr_text_rows` (with the padding row when there was one)."""
    decode = {char: pair for pair, char in QR_CELLS.items()}
    matrix: list[list[bool]] = []
    for row in rows:
        pairs = [decode[char] for char in row]
        matrix.append([upper for upper, _ in pairs])
        matrix.append([lower for _, lower in pairs])
    return matrix


def test_text_rows_draw_two_modules_per_cell_and_decode_back_exactly() -> None:
    matrix = qr_matrix("https://example.org/groep")
    rows = qr_text_rows(matrix)
    assert len(matrix) % 2 == 1
    assert len(rows) == (len(matrix) + 1) // 2
    assert all(len(row) == len(matrix[0]) for row in rows)
    assert set("".join(rows)) <= {"█", "▀", "▄", " "}
    back = matrix_from_text_rows(rows)
    assert back[: len(matrix)] == matrix
    assert back[len(matrix) :] == [[False] * len(matrix[0])]  # the light padding half-row


def test_the_cell_alphabet_is_upper_then_lower() -> None:
    assert qr_text_rows([[True, True, False, False], [True, False, True, False]]) == ["█▀▄ "]
    assert QR_CELLS[(True, False)] == "▀"


def render_rows(rows: Sequence[str], scale: int = 4) -> object:
    """The text rows as a phone would see them: black on white, each cell one module wide and
    two modules high."""
    from PIL import Image

    matrix = matrix_from_text_rows(rows)
    image = Image.new("L", (len(matrix[0]) * scale, len(matrix) * scale), 255)
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                image.paste(0, (x * scale, y * scale, (x + 1) * scale, (y + 1) * scale))
    return image


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_the_rendered_qr_code_decodes_back_to_its_payload(
    catalog: Catalog, language: Language
) -> None:
    zxingcpp = pytest.importorskip("zxingcpp", reason="zxing-cpp (test extra) decodes QR codes")
    chosen = [
        group(1, phone="09 123 45 67", website="https://example.org/a").model_copy(
            update={"name": "Groupe d'entraide « Été » à Liège"}
        ),
        *(group(n, email=f"g{n}@example.org") for n in range(2, 200)),
    ]
    payload = qr_payload(chosen, helplines(catalog), language)
    # The large case: a full version-40 code (177 x 177 modules).
    assert len(qr_matrix(payload)) == 177 + 8
    for text in (payload, qr_payload(chosen[:1], helplines(catalog), language)):
        found = zxingcpp.read_barcodes(render_rows(qr_text_rows(qr_matrix(text))))
        assert [(b.format, b.text) for b in found] == [(zxingcpp.BarcodeFormat.QRCode, text)]


# ------------------------------------------------------------------ printing


def test_the_handout_goes_to_the_print_commands_standard_input(tmp_path: Path) -> None:
    out = tmp_path / "printed.txt"
    script = f"import sys; open({str(out)!r}, 'wb').write(sys.stdin.buffer.read())"
    print_handout([sys.executable, "-c", script], "Rouwgroep Gent\nTél. 1813 — é\n")
    assert out.read_text(encoding="utf-8") == "Rouwgroep Gent\nTél. 1813 — é\n"


def test_a_failing_print_command_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(PrintError, match="exit status 3"):
        print_handout([sys.executable, "-c", "import sys; sys.exit(3)"], "x")
    with pytest.raises(PrintError, match="could not start") as caught:
        print_handout([str(tmp_path / "no-such-printer")], "x")
    assert caught.value.message == "the print command could not start: {reason}"
    with pytest.raises(PrintError, match="longer than 0 seconds"):
        print_handout([sys.executable, "-c", "import time; time.sleep(5)"], "x", timeout=0.2)


# ------------------------------------------------------------------ the supervisor

LOG_LINE = re.compile(
    r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d groupfinder kiosk: "
    r"(exit status \d+|signal [A-Z0-9]+); restart \d+"
)


class FakeKiosk:
    """Exit statuses to return one by one, with a clock that only sleeping moves."""

    def __init__(self, codes: list[int]) -> None:
        self.codes = codes
        self.commands: list[list[str]] = []
        self.sleeps: list[float] = []
        self.time = 0.0
        self.starts: list[float] = []

    def run(self, command: Sequence[str]) -> int:
        self.commands.append(list(command))
        self.starts.append(self.time)
        return self.codes.pop(0)

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.time += seconds

    def clock(self) -> float:
        return self.time


def supervised(fake: FakeKiosk, **options: object) -> tuple[int, list[str]]:
    log = io.StringIO()
    code = supervise(
        ["groupfinder", "--kiosk"],
        run=fake.run,
        sleep=fake.sleep,
        clock=fake.clock,
        now=lambda: dt.datetime(2026, 5, 1, 10, 0, tzinfo=dt.UTC),
        log=log,
        **options,  # type: ignore[arg-type]
    )
    return code, log.getvalue().splitlines()


def test_leaving_with_the_pin_stops_the_supervisor() -> None:
    fake = FakeKiosk([0])
    assert supervised(fake) == (0, [])
    assert fake.commands == [["groupfinder", "--kiosk"]]
    assert fake.sleeps == []


def test_a_crash_is_logged_in_one_line_and_the_app_restarts() -> None:
    fake = FakeKiosk([1, -11, 130, 0])
    code, lines = supervised(fake, backoff=0.5)
    assert code == 0
    assert len(fake.commands) == 4
    assert lines == [
        "2026-05-01T10:00:00+00:00 groupfinder kiosk: exit status 1; restart 1",
        "2026-05-01T10:00:00+00:00 groupfinder kiosk: signal SIGSEGV; restart 2",
        "2026-05-01T10:00:00+00:00 groupfinder kiosk: exit status 130; restart 3",
    ]
    assert all(LOG_LINE.fullmatch(line) for line in lines)
    assert fake.sleeps == [0.5, 0.5, 0.5]


def test_an_invalid_setting_stops_the_supervisor_instead_of_looping() -> None:
    fake = FakeKiosk([2, 0])
    code, lines = supervised(fake)
    assert code == 2
    assert len(fake.commands) == 1
    assert lines == [
        "2026-05-01T10:00:00+00:00 groupfinder kiosk: exit status 2 (bad input); not restarting"
    ]


def test_restarts_are_capped_per_minute() -> None:
    fake = FakeKiosk([1] * 12 + [0])
    code, lines = supervised(fake, backoff=1.0, max_restarts_per_minute=5)
    assert code == 0
    assert len(lines) == 12
    restarts = fake.starts[1:]
    for start in restarts:
        in_window = [t for t in restarts if start <= t < start + 60]
        assert len(in_window) <= 5, (start, in_window)
    assert max(fake.sleeps) > 50  # it waited for the minute to pass
    assert lines[-1].endswith("restart 12")


def test_the_fault_hook_runs_after_every_fault_only() -> None:
    calls: list[int] = []
    fake = FakeKiosk([1, 1, 0])
    supervised(fake, on_fault=lambda: calls.append(len(fake.commands)))
    assert calls == [1, 2]


def test_run_child_reports_exit_status_and_signal() -> None:
    assert run_child([sys.executable, "-c", "import sys; sys.exit(3)"]) == 3
    assert run_child([sys.executable, "-c", "import os, signal; os.kill(os.getpid(), 9)"]) == -9


def test_the_supervisor_restarts_a_real_crashing_process(tmp_path: Path) -> None:
    counter = tmp_path / "runs"
    script = (
        "import pathlib, sys\n"
        f"p = pathlib.Path({str(counter)!r})\n"
        "n = int(p.read_text()) + 1 if p.exists() else 1\n"
        "p.write_text(str(n))\n"
        "print('secret answer: grief', file=sys.stdout)\n"
        "sys.exit(0 if n == 3 else 1)\n"
    )
    log = io.StringIO()
    code = supervise([sys.executable, "-c", script], sleep=lambda _: None, log=log)
    assert code == 0
    assert counter.read_text() == "3"
    lines = log.getvalue().splitlines()
    assert [line.split(": ", 1)[1] for line in lines] == [
        "exit status 1; restart 1",
        "exit status 1; restart 2",
    ]
    assert "grief" not in log.getvalue()


def test_the_documented_example_config_is_valid(places: PlaceIndex, tmp_path: Path) -> None:
    """The example in the module's docstring, with a real hash, loads."""
    import groupfinder.modes.kiosk.config as config

    doc = config.__doc__ or ""
    example = doc.split("::", 1)[1].split("The handout", 1)[0]
    text = "\n".join(line.strip() for line in example.strip().splitlines())
    text = re.sub(r'pin_hash = "[^"]*"', f'pin_hash = "{hash_pin("1234")}"', text)
    assert tomllib.loads(text)["centre"] == "Buurthuis De Brug"
    assert load_kiosk_config(write(tmp_path, text), places).print_command == ["lp", "-d", "desk"]


@pytest.mark.parametrize(("n", "r", "p"), [(2**20, 32, 1), (2**20, 1, 1), (2**18, 8, 1)])
def test_a_pin_hash_that_could_never_be_verified_is_refused(n: int, r: int, p: int) -> None:
    """A cost beyond what the PIN check may use validated, then locked staff in."""
    import base64

    salt, digest = base64.b64encode(b"s" * 16).decode(), base64.b64encode(b"d" * 32).decode()
    stored = f"scrypt${n}${r}${p}${salt}${digest}"
    with pytest.raises(PinError):
        parse_pin_hash(stored)
