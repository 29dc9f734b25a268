"""Translations and number formats.

Messages are gettext catalogs: ``locale/<lang>/LC_MESSAGES/groupfinder.po`` is the source.
``make`` compiles each into ``groupfinder.<hash>.mo`` beside it (``tools/update_translations.py
--compile``), named after the SHA-256 of the .po file, so a compiled file is only ever used for
the very .po it was made from. Without one (a .po edited since, or an install that skipped that
step) the .po is compiled in memory with Babel the first time its language is used, about
20 ms; the app itself never writes a file, which matters in kiosk mode. Message ids are
English; ``en.po`` exists too so that a test can check that every message has been looked at
in every language.

Babel's number and date formats load on first use, to keep start-up quick.

Use :func:`tr` with the language first::

    tr(lang, "{km} km from {place}", km=format_km(lang, 4.2), place="Gent")

``tr``, ``trn`` and ``N_`` are the keywords the extractor looks for (see
``tools/update_translations.py``).
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext
import hashlib
import io
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from groupfinder.domain.models import Language

DOMAIN = "groupfinder"

#: The Babel locale used for numbers and dates in each language of the app.
BABEL_LOCALES: dict[Language, str] = {"nl": "nl_BE", "fr": "fr_BE", "en": "en_GB"}

#: Babel's ``extract`` keywords for our marker functions (argument positions of msgids).
#: ``_t`` is the one-argument shorthand screens and the CLI define around ``tr``.
EXTRACT_KEYWORDS: dict[str, tuple[int, ...] | None] = {
    "tr": (2,),
    "trn": (2, 3),
    "N_": None,
    "_t": None,
}


def catalog_dir(language: Language) -> resources.abc.Traversable:
    """The folder of the .po file of ``language`` and its compiled form."""
    return resources.files("groupfinder") / "locale" / language / "LC_MESSAGES"


def po_path(language: Language) -> resources.abc.Traversable:
    return catalog_dir(language) / f"{DOMAIN}.po"


def mo_name(po: bytes) -> str:
    """The file name of the compiled form of the .po file ``po``."""
    return f"{DOMAIN}.{hashlib.sha256(po).hexdigest()[:16]}.mo"


#: The date in every compiled catalog's header.
MO_DATE = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def compile_po(po: bytes, language: str) -> bytes:
    """The .po file ``po`` compiled to .mo (fuzzy translations left out)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    catalog = read_po(io.BytesIO(po), locale=language, domain=DOMAIN)
    # The .po files carry no dates (tools/update_translations.py leaves them out), and Babel
    # would write the time of compiling: a fixed one makes the same .po the same .mo.
    catalog.creation_date = MO_DATE
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


@functools.cache
def translations(language: Language) -> gettext.NullTranslations:
    """The compiled catalog of ``language`` (cached for the life of the process)."""
    po = po_path(language).read_bytes()
    compiled = catalog_dir(language) / mo_name(po)
    mo = compiled.read_bytes() if compiled.is_file() else compile_po(po, language)
    return gettext.GNUTranslations(io.BytesIO(mo))


def tr(language: Language, message: str, /, **values: object) -> str:
    """``message`` in ``language``, with ``{name}`` placeholders filled from ``values``."""
    text = translations(language).gettext(message)
    return text.format(**values)


def trn(language: Language, singular: str, plural: str, n: int, /, **values: object) -> str:
    """Plural-aware :func:`tr`; ``n`` is also available as ``{n}``."""
    text = translations(language).ngettext(singular, plural, n)
    return text.format(n=n, **values)


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it now."""
    return message


def format_km(language: Language, km: float) -> str:
    """A distance as people say it: one decimal below 10 km, whole kilometres above."""
    from babel.numbers import format_decimal

    pattern = "#,##0.#" if km < 10 else "#,##0"
    return str(format_decimal(km, format=pattern, locale=BABEL_LOCALES[language]))


def format_eur(language: Language, amount: float) -> str:
    """An amount in euro, without cents when they are zero ("€ 15", "15 €")."""
    from babel import Locale
    from babel.numbers import format_currency

    locale = Locale.parse(BABEL_LOCALES[language])
    if amount != int(amount):
        return str(format_currency(amount, "EUR", locale=locale))
    pattern = locale.currency_formats["standard"].pattern.replace(".00", "")
    return str(format_currency(amount, "EUR", format=pattern, locale=locale, currency_digits=False))


def format_day(language: Language, day: dt.date) -> str:
    """A date as people write it: "1 november 2025", "1 novembre 2025", "1 November 2025"."""
    from babel.dates import format_date

    return str(format_date(day, format="long", locale=BABEL_LOCALES[language]))


def format_points(language: Language, points: float) -> str:
    """A rule's points with their sign and at most one decimal: "+6", "+19,5", "-5"."""
    from babel.numbers import format_decimal

    pattern = "+#,##0.#;-#,##0.#"
    return str(format_decimal(points, format=pattern, locale=BABEL_LOCALES[language]))
