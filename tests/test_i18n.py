"""Every message exists in Dutch, French and English, with the same placeholders."""

from __future__ import annotations

import ast
import datetime as dt
import string
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog as PoCatalog
from babel.messages.pofile import read_po

import groupfinder
from groupfinder.domain.i18n import compile_po, format_eur, format_km, po_path, tr, translations
from groupfinder.domain.models import LANGUAGES, Language

SOURCE = Path(groupfinder.__file__).parent
ROOT = SOURCE.parents[1]
#: Marker functions and the position of the message: ``_t`` is the shorthand around ``tr``
#: that screens (``self._t``) and the CLI define.
MARKERS = {"tr": 1, "trn": 1, "N_": 0, "_t": 0}


def po(language: Language) -> PoCatalog:
    with po_path(language).open("rb") as handle:
        return read_po(handle, locale=language)


def marked_messages() -> dict[str, str]:
    """Every literal passed to tr/trn/N_ anywhere in the source, f-strings included."""
    found: dict[str, str] = {}
    for path in SOURCE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            if isinstance(node.func, ast.Name):
                name = node.func.id
            elif isinstance(node.func, ast.Attribute):
                name = node.func.attr  # self._t("...")
            else:
                continue
            position = MARKERS.get(name)
            if position is None or len(node.args) <= position:
                continue
            argument = node.args[position]
            # tr(lang, variable) translates a message marked with N_() where it was written.
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                found[argument.value] = f"{path.relative_to(SOURCE)}:{node.lineno}"
    return found


def placeholders(text: str) -> list[tuple[str, str | None]]:
    return sorted(
        (name, conv) for _, name, _, conv in string.Formatter().parse(text) if name is not None
    )


def test_the_source_has_messages() -> None:
    assert len(marked_messages()) > 100


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated(language: Language) -> None:
    catalog = po(language)
    missing = []
    for message, where in marked_messages().items():
        entry = catalog.get(message)
        if entry is None or not entry.string or entry.fuzzy:
            missing.append(f"{where}: {message!r}")
    assert missing == [], f"untranslated in {language}.po (run make translations)"


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders(language: Language) -> None:
    for entry in po(language):
        if not entry.id or not entry.string:
            continue
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        for text in strings:
            assert placeholders(str(text)) == placeholders(str(ids[0])), (language, text)


def test_po_files_are_up_to_date_with_the_source() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "update_translations.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_messages_differ_per_language() -> None:
    assert tr("nl", "Kinds of group") != tr("en", "Kinds of group")
    assert tr("fr", "Kinds of group") != tr("en", "Kinds of group")
    assert tr("en", "{km} km from {place}", km="4", place="Gent") == "4 km from Gent"


def test_catalogs_compile_in_memory_without_writing() -> None:
    folder = Path(str(po_path("nl"))).parent
    before = sorted(p.name for p in folder.iterdir())
    translations.cache_clear()
    assert translations("nl").gettext("Groups") != "Groups"
    assert sorted(p.name for p in folder.iterdir()) == before


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_catalog_compiles_the_same_at_any_time(
    language: Language, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The .mo of a .po does not depend on the clock: a wheel built a minute later holds the
    same bytes (Babel wrote the time of compiling into the header, and a test comparing the
    wheel's .mo with one compiled again failed when a minute turned between them)."""
    po = po_path(language).read_bytes()
    first = compile_po(po, language)

    class Later(dt.datetime):
        @classmethod
        def now(cls, tz: dt.tzinfo | None = None) -> Later:
            return cls(2031, 7, 1, 12, 34, tzinfo=tz)

    monkeypatch.setattr(dt, "datetime", Later)  # the clock Babel reads
    assert compile_po(po, language) == first


def test_numbers_follow_the_language() -> None:
    assert format_km("nl", 4.25) == "4,2"
    assert format_km("en", 4.25) == "4.2"
    assert format_km("fr", 12.7) == "13"
    assert format_eur("nl", 15) == "€\xa015"
    assert format_eur("fr", 15) == "15\xa0€"
    assert format_eur("en", 15.5) == "€15.50"


def test_points_show_their_sign_and_at_most_one_decimal_in_each_language() -> None:
    from groupfinder.domain.i18n import format_points

    assert format_points("nl", 19.47) == "+19,5"
    assert format_points("en", 19.47) == "+19.5"
    assert format_points("fr", 6.0) == "+6"
    assert format_points("en", -5.0) == "-5"


def test_a_compiled_catalog_is_used_only_for_the_po_it_was_made_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from groupfinder.domain import i18n

    def po_text(translation: str) -> bytes:
        return (
            'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
            f'msgid "Start"\nmsgstr "{translation}"\n'
        ).encode()

    source = tmp_path / "groupfinder.po"
    source.write_bytes(po_text("Starten"))
    monkeypatch.setattr(i18n, "catalog_dir", lambda language: tmp_path)
    i18n.translations.cache_clear()
    try:
        assert i18n.translations("nl").gettext("Start") == "Starten", "compiled in memory"
        # A compiled file named after this very .po is used as it is ...
        (tmp_path / i18n.mo_name(source.read_bytes())).write_bytes(
            i18n.compile_po(po_text("Beginnen"), "nl")
        )
        i18n.translations.cache_clear()
        assert i18n.translations("nl").gettext("Start") == "Beginnen"
        # ... and one made from an older .po is not.
        source.write_bytes(po_text("Aan de slag"))
        i18n.translations.cache_clear()
        assert i18n.translations("nl").gettext("Start") == "Aan de slag"
    finally:
        i18n.translations.cache_clear()
