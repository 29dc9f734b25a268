"""The one CSV reader of the catalog: groups.csv, places.csv and HSDS tables.

It checks the header once (the text gate, a file separated by semicolons, required, unknown
and repeated columns), and then hands out the
rows either one at a time with their line numbers (each row of the wrong width, each CSV
error, a problem naming the line) or all at once for a column-at-a-time check.
"""

from __future__ import annotations

import csv
import io
import itertools
import operator
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TextIO

from groupfinder.domain.errors import CatalogError, Problem
from groupfinder.domain.i18n import N_
from groupfinder.domain.text import check_text


@dataclass
class CsvFile:
    """A CSV file whose header has been read and checked."""

    file: str
    header: list[str]
    _reader: Iterator[list[str]] = field(repr=False)
    _line_num: Callable[[], int] = field(repr=False)

    def rows(self, problems: list[Problem]) -> Iterator[tuple[int, list[str]]]:
        """Each non-blank row as (line, cells), as wide as the header. A row of the wrong
        width or a CSV error is a problem in ``problems`` (an error ends the file)."""
        reader, line_num = self._reader, self._line_num
        while True:
            line = line_num() + 1  # where the next row starts (a quoted cell may span lines)
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                problems.append(
                    Problem(
                        self.file,
                        N_("is not valid CSV: {reason}"),
                        line=line,
                        values={"reason": str(exc)},
                    )
                )
                return
            if self._usable(line, row, problems):
                yield line, row

    def chunks(
        self, problems: list[Problem], size: int
    ) -> Iterator[tuple[Sequence[int], list[list[str]]]]:
        """The rows of :meth:`rows` (the same lines, the same problems) in lists of up to
        ``size``, for a column-at-a-time check: a chunk is read by the CSV reader at once,
        and its lines are counted rather than asked for row by row."""
        if size < 1:
            raise ValueError(f"a chunk holds at least one row, not {size}")
        width = len(self.header)
        reader, line_num = self._reader, self._line_num
        while True:
            start = line_num() + 1  # where the chunk's first row starts
            rows: list[list[str]] = []
            error = None
            try:
                rows.extend(itertools.islice(reader, size))  # a row read before an error stays
            except csv.Error as exc:
                error = exc
            if error is None and line_num() + 1 - start == len(rows):
                lines: Sequence[int] = range(start, start + len(rows))  # one line each
                after = start + len(rows)
            else:
                lines, after = _line_starts(rows, start)
            count = len(rows)
            plain = set(map(len, rows)) == {width} and all(
                map(str.strip, map(operator.itemgetter(0), rows))
            )
            if not plain:  # blank rows, rows of the wrong width: as :meth:`rows` says them
                lines, rows = self._usable_rows(lines, rows, problems)
            if rows:
                yield lines, rows
            if error is not None:
                problems.append(
                    Problem(
                        self.file,
                        N_("is not valid CSV: {reason}"),
                        line=after,
                        values={"reason": str(error)},
                    )
                )
                return
            if count < size:  # the reader is at the end
                return

    def _usable_rows(
        self, lines: Sequence[int], rows: list[list[str]], problems: list[Problem]
    ) -> tuple[list[int], list[list[str]]]:
        """The rows of a chunk that :meth:`_usable` keeps, and their lines."""
        kept = [
            (line, row)
            for line, row in zip(lines, rows, strict=True)
            if self._usable(line, row, problems)
        ]
        return [line for line, _ in kept], [row for _, row in kept]

    def _usable(self, line: int, row: list[str], problems: list[Problem]) -> bool:
        """Whether a row is one to read: not blank, and as wide as the header (a row of the
        wrong width is a problem in ``problems``)."""
        if not (row and row[0].strip()) and not "".join(row).strip():
            return False  # blank cells only (as one string: blank too)
        if len(row) != len(self.header):
            problems.append(
                Problem(
                    self.file,
                    N_("row has {fields} fields but the header has {columns}"),
                    line=line,
                    values={"fields": len(row), "columns": len(self.header)},
                )
            )
            return False
        return True

    def all_rows(self) -> list[list[str]]:
        """Every row as it is, for a column-at-a-time check of a file that may well be valid
        (raises ``csv.Error``; the caller then reads the file again with :meth:`rows`)."""
        return list(self._reader)


def _line_starts(rows: list[list[str]], start: int) -> tuple[list[int], int]:
    """The line each row starts on, the first on ``start``, and the line after the last: a
    row takes one line and one more for each line break inside its cells (read with
    ``newline=""``, a CR LF, a lone CR and a lone LF each end a line)."""
    lines = []
    line = start
    for row in rows:
        lines.append(line)
        line += 1
        for cell in row:
            if "\n" in cell or "\r" in cell:
                line += cell.count("\n") + cell.count("\r") - cell.count("\r\n")
    return lines, line


def open_csv(
    file: str,
    text: str | TextIO,
    *,
    required: Collection[str] = (),
    known: Collection[str] | None = None,
    expected: str = "",
    lower: bool = False,
    strict: bool = True,
) -> CsvFile:
    """Read and check the header of ``text``; :class:`CatalogError` lists what is wrong with it.

    ``required`` columns must be there; with ``known``, no other column may be; ``expected``
    (the columns in order, for messages) defaults to ``known``. Header cells are stripped (and
    lower-cased with ``lower``). ``text`` may be a stream opened with ``newline=""``.
    """
    source = io.StringIO(text, newline="") if isinstance(text, str) else text
    reader = csv.reader(source, strict=strict)
    try:
        header = [cell.strip() for cell in next(reader)]
    except StopIteration:
        raise CatalogError([Problem(file, N_("is empty; expected a header row"), 1)]) from None
    except csv.Error as exc:
        raise CatalogError(
            [Problem(file, N_("is not valid CSV: {reason}"), 1, values={"reason": str(exc)})]
        ) from None
    for number, column in enumerate(header, start=1):
        problem = check_text(column, file=file, line=1, field=f"column {number}")
        if problem is not None:
            raise CatalogError([problem])
    if len(header) == 1 and len(header[0].split(";")) > 1:
        # What Excel saves as "CSV" in Belgian and Dutch locales: say it once.
        raise CatalogError(
            [
                Problem(
                    file,
                    N_(
                        "this file is separated by semicolons; "
                        "save it as CSV UTF-8 (comma separated)"
                    ),
                    line=1,
                )
            ]
        )
    if lower:
        header = [cell.lower() for cell in header]
    expected = expected or ", ".join(known or required)
    problems = [
        Problem(
            file,
            N_("required column is missing from the header"),
            line=1,
            field=column,
            values={"expected": expected},
        )
        for column in required
        if column not in header
    ]
    if known is not None:
        problems += [
            Problem(
                file,
                N_("unknown column; expected one of: {expected}"),
                line=1,
                field=column or "(empty)",
                values={"expected": expected},
            )
            for column in header
            if column not in known
        ]
    seen: set[str] = set()
    for column in header:
        if column in seen and column:  # blank ones (trailing commas) are said as unknown
            problems.append(Problem(file, N_("column appears twice in the header"), 1, column))
        seen.add(column)
    if problems:
        raise CatalogError(problems)
    return CsvFile(file, header, reader, lambda: reader.line_num)
