"""Split CSV text into rows so that a quote never closed costs one record, not the file.

A quoted field may hold newlines, so a quote that is opened and never closed makes every
following line part of that field: Python's `csv` (like any CSV reader) then reads the rest of
the file as one field, or, where a later quote happens to close it, as fragments of the
following records. `split_rows` reads the rows with `csv` itself (same dialect, same
semantics), and when a row spans several lines checks each line it swallowed: a line that
parses, on its own terms, as a whole record whose fields `is_record` accepts (the readers
ask for an absolute URL and a date where the columns say) starts the next record. The
swallowing row is then reported as an error covering only its own lines, and reading
resumes at that line, so the records after a broken quote come back whole.

Texts with newlines are common (Wikinews paragraphs), so a swallowed line is taken as a
record only on strong evidence: the right number of fields, well-formed quoting, and
`is_record`. A paragraph of prose does not have a URL and a date in the right columns.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class CsvRow:
    """One non-blank row: its physical lines (1-based, inclusive) and fields, or the error.

    `resumed_at` is set when the row was cut short because a line it swallowed starts the next
    record (the quote opened in this row is never closed before that line).
    """

    first_line: int
    last_line: int
    fields: list[str] | None
    error: str | None = None
    resumed_at: int | None = None

    @property
    def lines(self) -> str:
        """`line N` or `lines N-M`, for messages."""
        if self.first_line == self.last_line:
            return f"line {self.first_line}"
        return f"lines {self.first_line}-{self.last_line}"


def _set_field_limit() -> None:
    # Records are limited by the readers' max_chars, not by the csv module's 128 kB default.
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


def _rows(lines: Sequence[str], start: int) -> Iterator[tuple[int, int, list[str] | None, str]]:
    """(first index, end index exclusive, fields or None, error) of each row from `start`.

    Lenient parsing finds where each row ends (the extent `csv` gives it); the lines of that
    extent are then parsed strictly, so broken quoting is reported, not silently repaired.
    """
    source = (lines[i] for i in range(start, len(lines)))
    reader = csv.reader(source, strict=False)
    done = start
    while True:
        try:
            next(reader)
        except StopIteration:
            return
        except csv.Error as exc:  # lenient mode still refuses e.g. a field over the limit
            end = start + reader.line_num
            yield done, end, None, str(exc)
            done = end
            continue
        end = start + reader.line_num
        yield done, end, *_strict(lines[done:end])
        done = end


def _strict(lines: Sequence[str]) -> tuple[list[str] | None, str]:
    """The one row of `lines` parsed strictly, or (None, why not)."""
    try:
        rows = list(csv.reader(lines, strict=True))
    except csv.Error as exc:
        msg = str(exc)
        if "end of data" in msg:
            msg = "a quoted field opened here is never closed, up to the end of the file"
        return None, msg
    if len(rows) != 1:
        return None, f"expected one row, found {len(rows)}"
    return rows[0], ""


def _starts_record(lines: Sequence[str], at: int, n_fields: int,
                   is_record: Callable[[list[str]], bool]) -> bool:
    """Whether the row that starts at line index `at` is a whole, plausible record."""
    for _first, _end, fields, _error in _rows(lines, at):
        return fields is not None and len(fields) == n_fields and is_record(fields)
    return False


def first_row(lines: Sequence[str]) -> tuple[list[str] | None, str, int]:
    """(fields or None, error, number of lines it spans) of the first row (the header)."""
    _set_field_limit()
    for _first, end, fields, error in _rows(lines, 0):
        return fields, error, end
    return None, "", 0


def split_rows(lines: Sequence[str], n_fields: int, is_record: Callable[[list[str]], bool],
               *, first_line: int = 1) -> Iterator[CsvRow]:
    """Every non-blank row of `lines` (each with its line ending, as `splitlines(True)` gives).

    `n_fields` is the header's width; `is_record(fields)` says whether fields of that width
    look like a real record (used only on lines a multi-line row swallowed). Line numbers
    count from `first_line` (the number of `lines[0]`).
    """
    _set_field_limit()
    start = 0
    while start < len(lines):
        for first, end, fields, error in _rows(lines, start):
            if end - first > 1:
                resume = next((k for k in range(first + 1, end)
                               if _starts_record(lines, k, n_fields, is_record)), None)
                if resume is not None:
                    yield CsvRow(first + first_line, resume - 1 + first_line, None,
                                 "a quoted field opened here is never closed before the next "
                                 f"record (line {resume + first_line})",
                                 resumed_at=resume + first_line)
                    start = resume
                    break
            if fields == [] or (fields is None and not "".join(lines[first:end]).strip()):
                continue  # a blank line is not a record
            yield CsvRow(first + first_line, end - 1 + first_line, fields, error or None)
        else:
            return
