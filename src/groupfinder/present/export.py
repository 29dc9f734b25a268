"""Counselor exports: a PDF handout for the client, a Markdown summary, a JSON record and a
calendar file (``.ics``) of the chosen groups' sessions; and what a person takes home from
the personal app (:func:`take_home_files`: the handout, their results in Markdown and the
calendar), written the same way.

Nothing is written until :func:`export_files` is called. It renders the four files in
memory first, refuses to replace an existing file unless asked (:class:`ExportExists`,
raised before anything is written), and then writes all-or-nothing:

1. every file goes into a hidden staging folder beside the targets,
   ``.groupfinder-export-<random>/`` (``O_EXCL``, mode 0600, written, flushed and
   ``fsync``-ed), with a link to each file it will replace;
2. only when all four are on disk is the folder marked ``ready``, and each file replaces
   its target (``os.replace``, atomic);
3. on any failure the files already moved are moved back (the replaced ones from their
   links, new ones removed), the staging folder and folders the export made are removed,
   and :class:`ExportError` says which path failed and why, in the person's language.

A process killed half-way (``kill -9``, a power cut) leaves the staging folder behind; the
next export into that folder first finishes the undo (:func:`recover_exports`), so the
four files are there together or not at all, as far as the file system allows (a crash
between two renames is visible until the next export).

A file that was being replaced (``overwrite=True``) keeps either its old or its new content,
never a mix. The files are readable by their owner only (mode 0600): they hold health
information.

The module re-exports the record API so that callers need one import.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import re
import shutil
import tempfile
from pathlib import Path

from groupfinder.catalog.atomic import sync_folder, write_temporary
from groupfinder.domain.errors import InputError, Problem
from groupfinder.domain.i18n import N_, format_day, tr
from groupfinder.domain.models import Catalog, Language
from groupfinder.domain.questionnaire import QUESTIONS, applies, describe
from groupfinder.domain.schedule import timezone_for
from groupfinder.domain.text import markdown_escape as md
from groupfinder.domain.words import language_names
from groupfinder.matching.matcher import FormatResult, Recommendation
from groupfinder.modes.record import Record, record_json
from groupfinder.present.facts import chosen_formats, chosen_groups
from groupfinder.present.further import look_further_markdown, look_further_section
from groupfinder.present.handout import handout_pdf, same_answers
from groupfinder.present.ics import groups_ics
from groupfinder.present.outputs import group_markdown, to_markdown
from groupfinder.present.scores import reason_lines

__all__ = [
    "EXPORT_SUFFIXES",
    "TAKE_HOME_SUFFIXES",
    "ExportError",
    "ExportExists",
    "calendar_ics",
    "default_basename",
    "default_export_dir",
    "export_files",
    "export_paths",
    "render_exports",
    "summary_markdown",
    "take_home_files",
    "take_home_paths",
]

#: What each export is called after its base name, in the order they are written.
EXPORT_SUFFIXES = ("-handout.pdf", "-summary.md", "-record.json", "-calendar.ics")
#: What a person takes home from the personal app: no record (no notes, no answers file).
TAKE_HOME_SUFFIXES = ("-handout.pdf", "-results.md", "-calendar.ics")
FILE_MODE = 0o600


# --------------------------------------------------------------------------- errors


class ExportError(InputError):
    """An export could not be written; nothing of it was left behind.

    ``path`` is the file or folder that failed; :meth:`render` says it in a language.
    """

    def __init__(self, path: Path, message: str, **values: object) -> None:
        self.path = path
        super().__init__([Problem(str(path), message, values=values)])

    def render(self, language: Language = "en") -> str:
        return "\n".join(p.render(language) for p in self.problems)


class ExportExists(ExportError):
    """Some target files exist already: ask before replacing them (``overwrite=True``)."""

    def __init__(self, paths: list[Path]) -> None:
        if not paths:
            raise ValueError("ExportExists needs at least one path")
        self.paths = paths
        self.path = paths[0]
        message = N_("already exists; replace it, or choose another folder")
        InputError.__init__(self, [Problem(str(p), message) for p in paths])


def _os_error(path: Path, exc: OSError) -> ExportError:
    """A clear, translatable message for why writing ``path`` failed."""
    code = exc.errno
    if code in (errno.EACCES, errno.EPERM):
        return ExportError(
            path, N_("cannot write here: permission denied; choose a folder that is yours")
        )
    if code == errno.EROFS:
        return ExportError(path, N_("cannot write here: the disk is read-only"))
    if code in (errno.ENOSPC, errno.EDQUOT):
        return ExportError(
            path, N_("cannot write: the disk is full; free some space or use another disk")
        )
    if code in (errno.ENOTDIR, errno.EEXIST):
        return ExportError(path, N_("is a file, not a folder; choose another folder"))
    if code == errno.ENAMETOOLONG:
        return ExportError(path, N_("the name is too long; choose a shorter folder name"))
    if code in (errno.EINVAL, errno.EILSEQ):
        return ExportError(path, N_("is not a valid file or folder name"))
    return ExportError(path, N_("cannot write: {reason}"), reason=exc.strerror or str(exc))


# --------------------------------------------------------------------------- where and what


def default_export_dir() -> Path:
    """The folder offered for exports: ``groupfinder`` in the user's documents folder.

    Only computed: nothing is created until an export is written.
    """
    import platformdirs

    return Path(platformdirs.user_documents_dir()) / "groupfinder"


_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def default_basename(record: Record) -> str:
    """``C-7F3K2Q-2026-11-21``: the client reference (made safe for a file name) and date."""
    ref = _UNSAFE.sub("-", record.header.client_ref).strip("-") or "client"
    return f"{ref}-{record.header.date.isoformat()}"


def export_paths(folder: Path, basename: str) -> list[Path]:
    """The files an export of ``basename`` into ``folder`` writes (handout, summary, record,
    calendar)."""
    return [folder / (basename + suffix) for suffix in EXPORT_SUFFIXES]


def render_exports(rec: Recommendation, catalog: Catalog, record: Record) -> list[bytes]:
    """The contents of the four exports, in the order of :data:`EXPORT_SUFFIXES`."""
    return [
        handout_pdf(rec, catalog, record),
        summary_markdown(rec, catalog, record).encode("utf-8"),
        record_json(record).encode("utf-8"),
        calendar_ics(rec, catalog, record),
    ]


def calendar_ics(rec: Recommendation, catalog: Catalog, record: Record) -> bytes:
    """The chosen groups' sessions as an iCalendar file, from the intake's date on.

    Only the groups' public facts are in it: no reference, notes or answers of the client.
    """
    country = rec.origin.country if rec.origin else None
    day = record.header.date
    now = dt.datetime.combine(day, dt.time(), tzinfo=timezone_for(country))
    groups = [result.group for result in chosen_groups(rec, catalog, record)]
    return groups_ics(groups, record.answers.language, now, country)


# --------------------------------------------------------------------------- the summary


def _format_markdown(n: int, result: FormatResult, lang: Language) -> list[str]:
    lines = [f"{n}. **{md(result.format.name.get(lang))}** — {result.match}%"]
    return lines + [line.markdown for line in reason_lines(result.reasons, lang)]


def summary_markdown(rec: Recommendation, catalog: Catalog, record: Record) -> str:
    """The counselor's summary: header, answers in words, notes, picks with reasons, helplines.

    In the client's language; every catalog and user string is escaped.
    """
    same_answers(rec, record)
    lang = record.answers.language
    header = record.header
    out = ["# " + md(tr(lang, "Intake summary: {code}", code=header.client_ref)), ""]
    facts = [
        (tr(lang, "Date"), format_day(lang, header.date)),
        (tr(lang, "Counselor"), header.counselor),
        (tr(lang, "Language"), language_names(lang, (lang,))),
    ]
    out += [f"- {md(label)}: {md(value)}" for label, value in facts if value]
    out.append("")

    further = look_further_section(rec)
    if further.first:  # sample data: say so, and the real directories come first
        out += [*look_further_markdown(further), ""]

    out += ["## " + md(tr(lang, "Answers")), ""]
    data = record.answers.as_json_dict()
    for question in QUESTIONS:
        if applies(question, data):
            value = describe(question, data[question.key], catalog, lang)
            out.append(f"- **{md(tr(lang, question.title))}** {md(value)}")
    out.append("")

    out += ["## " + md(tr(lang, "Notes")), ""]
    if record.notes.strip():
        out += [f"> {md(line)}".rstrip() for line in record.notes.strip().splitlines()]
    else:
        out.append(md(tr(lang, "No notes.")))
    out.append("")

    if record.pinned_formats:
        title = tr(lang, "Kinds of group pinned")
    else:
        title = tr(lang, "Kinds of group: the best two")
    out += ["## " + md(title), ""]
    for n, format_result in enumerate(chosen_formats(rec, record), start=1):
        out += _format_markdown(n, format_result, lang)
    out.append("")

    if record.suggested_groups:
        title = tr(lang, "Groups suggested to the client")
    elif record.pinned_groups:
        title = tr(lang, "Groups pinned")
    else:
        title = tr(lang, "Groups: the best three")
    out += ["## " + md(title), ""]
    groups = chosen_groups(rec, catalog, record)
    if not groups:
        out.append(md(tr(lang, "No group was chosen.")))
    for n, result in enumerate(groups, start=1):
        out += group_markdown(n, result, lang, catalog, header.date)
    extra = [g for g in record.pinned_groups if g not in record.suggested_groups]
    if record.suggested_groups and extra:
        names = [catalog.groups_by_id[g].name for g in extra if g in catalog.groups_by_id]
        out += ["", md(tr(lang, "Also pinned: {names}", names="; ".join(names)))]
    out.append("")

    if not further.first:
        out += [*look_further_markdown(further), ""]

    out += ["## " + md(tr(lang, "Helplines")), ""]
    for h in rec.helplines:
        line = f"- **{md(h.name.get(lang))}**: {md(h.phone)} — {md(h.hours.get(lang))}"
        out.append(line + (f" — {md(h.url)}" if h.url else ""))
    out += [
        "",
        "---",
        "",
        md(
            tr(
                lang,
                "groupfinder is not a diagnosis. It suggests kinds of groups and groups "
                "near you; you decide what feels right.",
            )
        ),
    ]
    return "\n".join(out).rstrip() + "\n"


# --------------------------------------------------------------------------- writing


def _check_basename(folder: Path, basename: str) -> None:
    bad = (
        not basename
        or basename in (".", "..")
        or basename.startswith(".")
        or any(c in basename for c in "/\\\0")
    )
    if bad:
        raise ExportError(folder / basename, N_("is not a valid file or folder name"))


def _make_folder(folder: Path) -> list[Path]:
    """Make ``folder`` and its missing parents; the folders made, deepest first."""
    missing = []
    current = folder
    while not current.exists() and current != current.parent:
        if current.is_symlink():  # a dangling link: mkdir would fail; say so plainly
            break
        missing.append(current)
        current = current.parent
    if current.exists() and not current.is_dir():
        raise ExportError(current, N_("is a file, not a folder; choose another folder"))
    made: list[Path] = []
    try:
        for path in reversed(missing):
            path.mkdir()
            made.append(path)
    except OSError as exc:
        _remove_folders(made)
        raise _os_error(Path(exc.filename) if exc.filename else folder, exc) from None
    return list(reversed(made))


def _remove_folders(folders: list[Path]) -> None:
    for path in sorted(folders, key=lambda p: len(p.parts), reverse=True):
        with contextlib.suppress(OSError):
            path.rmdir()


#: The hidden folder an export is staged in, beside its files; recognisable, so that one left
#: behind by a killed process is finished or undone by the next export into that folder.
STAGING_PREFIX = ".groupfinder-export-"
#: In a staging folder: written once every new file is complete, before any is put in place.
READY = "ready"
NEW, OLD = "new.", "old."


def _staged_name(path: Path) -> str | None:
    """The target a staged ``new.<name>.<random>.tmp`` is for."""
    if not path.name.startswith(NEW) or not path.name.endswith(".tmp"):
        return None
    return path.name[len(NEW) :].rsplit(".", 2)[0]


def _keep_old(target: Path, keep: Path) -> None:
    try:
        os.link(target, keep)
    except OSError:  # a file system without hard links: a copy does the same
        shutil.copyfile(target, keep)
        os.chmod(keep, FILE_MODE)


def _put_back(old: Path, target: Path) -> None:
    try:
        os.rename(old, target)  # replaces on POSIX
    except FileExistsError:  # Windows
        os.replace(old, target)


def recover_exports(folder: Path) -> None:
    """Finish or undo every export into ``folder`` that a killed process left half-done.

    A staging folder without its ``ready`` mark was never put in place: it is removed. With
    the mark, the files already moved are moved back (the file each replaced comes back from
    its ``old.`` link; a file that was new is removed), so the files are there
    together, as before that export, or not at all.
    """
    with contextlib.suppress(OSError):
        for staging in folder.glob(STAGING_PREFIX + "*"):
            if staging.is_dir() and not staging.is_symlink():
                _undo(folder, staging)


def _undo(folder: Path, staging: Path) -> None:
    ready = staging / READY
    if ready.is_file():
        names = [n for n in ready.read_text(encoding="utf-8").splitlines() if n]
        staged = {_staged_name(path) for path in staging.iterdir()}
        moved = [n for n in names if n not in staged]
        if moved and len(moved) < len(names):
            for name in moved:
                target = folder / name
                if (staging / (OLD + name)).exists():
                    _put_back(staging / (OLD + name), target)
                else:
                    with contextlib.suppress(FileNotFoundError):
                        target.unlink()
    for path in staging.iterdir():
        with contextlib.suppress(OSError):
            path.unlink()
    with contextlib.suppress(OSError):
        staging.rmdir()


def export_files(
    folder: Path,
    basename: str,
    rec: Recommendation,
    catalog: Catalog,
    record: Record,
    overwrite: bool = False,
) -> list[Path]:
    """Write the handout, the summary, the record and the calendar into ``folder``; the
    paths written.

    Raises :class:`ExportExists` (before writing anything) when a target exists and
    ``overwrite`` is false, and :class:`ExportError` when the folder or a file cannot be
    written; then nothing of this export is left on disk.
    """
    folder = Path(folder).expanduser()
    _check_basename(folder, basename)
    targets = export_paths(folder, basename)
    return _write_all(folder, targets, render_exports(rec, catalog, record), overwrite)


def take_home_paths(folder: Path, day: dt.date) -> list[Path]:
    """The files a person's take-home of ``day`` writes into ``folder``:
    ``groupfinder-2026-12-01-handout.pdf``, ``…-results.md``, ``…-calendar.ics``."""
    return [folder / f"groupfinder-{day.isoformat()}{suffix}" for suffix in TAKE_HOME_SUFFIXES]


def take_home_files(
    folder: Path,
    rec: Recommendation,
    catalog: Catalog,
    record: Record,
    overwrite: bool = False,
) -> list[Path]:
    """Write a person's handout (their chosen groups, else the best three), their results
    (the Markdown of ``recommend``) and the calendar of those groups into ``folder``, all or
    nothing, as :func:`export_files` does; the paths written."""
    folder = Path(folder).expanduser()
    day = record.header.date
    targets = take_home_paths(folder, day)
    contents = [
        handout_pdf(rec, catalog, record),
        to_markdown(rec, catalog, today=day).encode("utf-8"),
        calendar_ics(rec, catalog, record),
    ]
    return _write_all(folder, targets, contents, overwrite)


def _write_all(
    folder: Path, targets: list[Path], contents: list[bytes], overwrite: bool
) -> list[Path]:
    """Write ``contents`` to ``targets`` in ``folder``: all of them, or none."""
    try:
        existing = [p for p in targets if p.exists() or p.is_symlink()]
        if existing and not overwrite:
            raise ExportExists(existing)
        for path in targets:
            if path.is_dir():
                raise ExportError(path, N_("is a folder; choose another name or folder"))
        made = _make_folder(folder)
    except OSError as exc:  # e.g. a folder we may not even look into
        raise _os_error(folder, exc) from None
    current = folder
    staging: Path | None = None
    try:
        recover_exports(folder)
        current = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=folder))
        staging = current
        temporaries = []
        for target, content in zip(targets, contents, strict=True):
            current = target
            temporaries.append(
                write_temporary(
                    staging / target.name, content, FILE_MODE, prefix=f"{NEW}{target.name}."
                )
            )
            if target.exists():
                # The file this export replaces, kept until all are in place.
                _keep_old(target, staging / (OLD + target.name))
        (staging / READY).write_text("".join(t.name + "\n" for t in targets), encoding="utf-8")
        sync_folder(staging)
        for target, temporary in zip(targets, temporaries, strict=True):
            current = target
            if not overwrite and (target.exists() or target.is_symlink()):
                # Appeared since we looked: never replace a file without asking.
                raise ExportExists([target])
            os.replace(temporary, target)
        (staging / READY).unlink()
        _undo(folder, staging)  # only the links to the replaced files are left: removed
    except BaseException as exc:
        if staging is not None:
            with contextlib.suppress(OSError):
                _undo(folder, staging)
        _remove_folders(made)
        if isinstance(exc, OSError):
            raise _os_error(current, exc) from None
        raise
    sync_folder(folder)
    return targets
