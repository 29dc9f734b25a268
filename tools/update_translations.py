"""Extract translatable messages from src/ and merge them into the .po files.

    python tools/update_translations.py           # update the .po files in place
    python tools/update_translations.py --check   # exit 1 when a message is missing or obsolete
    python tools/update_translations.py --compile # write the .mo files the app loads quickly

Messages are the English strings passed to ``tr``, ``trn`` and ``N_`` (see
``groupfinder.domain.i18n``). New messages arrive with an empty translation, except in
en.po, where the English text is filled in: a translator then fills nl.po and fr.po.
Messages no longer in the code are dropped.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from groupfinder.domain.i18n import DOMAIN, EXTRACT_KEYWORDS, compile_po, mo_name
from groupfinder.domain.models import LANGUAGES

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "src" / "groupfinder"
LOCALE = SOURCE / "locale"


def extract() -> Catalog:
    """Every message marked in the source, as a template catalog."""
    template = Catalog(domain=DOMAIN, project="groupfinder", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
        SOURCE, keywords=EXTRACT_KEYWORDS, comment_tags=("TRANSLATORS:",)
    ):
        template.add(
            message,
            locations=[(f"src/groupfinder/{filename}", lineno)],
            auto_comments=comments,
            context=context,
        )
    return template


def po_file(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def updated(language: str, template: Catalog) -> bytes:
    path = po_file(language)
    if path.exists():
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=language, domain=DOMAIN)
    else:
        catalog = Catalog(locale=language, domain=DOMAIN, project="groupfinder", fuzzy=False)
    catalog.update(template, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    if language == "en":
        for message in catalog:
            if isinstance(message.id, tuple) and not any(message.string or ()):
                message.string = message.id  # singular and plural, as written
            elif message.id and not message.string:
                message.string = message.id
    buffer = io.BytesIO()
    write_po(
        buffer,
        catalog,
        width=100,
        omit_header=False,
        sort_output=True,
        include_previous=False,
        include_lineno=False,
        ignore_obsolete=True,
    )
    return _stable(buffer.getvalue())


def _stable(po: bytes) -> bytes:
    """Drop the header dates Babel rewrites on every run, so --check is meaningful."""
    keep = [
        line
        for line in po.splitlines(keepends=True)
        if not line.startswith((b'"POT-Creation-Date:', b'"PO-Revision-Date:'))
    ]
    return b"".join(keep)


def missing_or_obsolete(language: str, template: Catalog) -> bool:
    """Whether the .po file lacks a message of the source or keeps one the source dropped.

    Only the messages count: the location comments may lag without harm.
    """
    path = po_file(language)
    if not path.exists():
        return True
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language, domain=DOMAIN)
    return {m.id for m in catalog if m.id} != {m.id for m in template if m.id}


def compile_all() -> None:
    """Write ``groupfinder.<hash>.mo`` beside each .po file and remove older ones."""
    for language in LANGUAGES:
        po = po_file(language).read_bytes()
        target = po_file(language).with_name(mo_name(po))
        for old in target.parent.glob(f"{DOMAIN}.*.mo"):
            if old != target:
                old.unlink()
        if not target.exists():
            temporary = target.with_suffix(".tmp")
            temporary.write_bytes(compile_po(po, language))
            temporary.replace(target)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report out-of-date files")
    parser.add_argument(
        "--compile", action="store_true", help="only write the .mo files of the .po files"
    )
    args = parser.parse_args()
    if args.compile:
        compile_all()
        return 0
    template = extract()
    stale = []
    for language in LANGUAGES:
        path = po_file(language)
        if args.check:
            if missing_or_obsolete(language, template):
                stale.append(path)
            continue
        content = updated(language, template)
        if path.exists() and path.read_bytes() == content:
            continue
        stale.append(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    for path in stale:
        print(("out of date: " if args.check else "updated: ") + str(path.relative_to(ROOT)))
    print(f"{len(template)} messages")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
