"""Readers of tabular sources with any column names: `csv` (and `wikinews-csv`), `parquet`.

Which column holds `url`, `date`, `title` and `text` comes from `source.json` `columns`
(`Source.column`); without it the columns are named so. Every row is one record, checked by
the same rules as every other format (`sources._article`). CSV rows are split by
`csvsafe.split_rows`, so a quote that is never closed costs its own record only.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from typing import Any

from newsfacts.build.csvsafe import CsvRow, first_row, split_rows
from newsfacts.build.normalize import article_id_from_url
from newsfacts.build.source_meta import FIELDS
from newsfacts.build.sources import (
    ReadOptions,
    Record,
    Reject,
    Source,
    _article,
    _char_problem,
    _data_files,
    _decoded_files,
    _parse_date,
)

_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://\S+|(?:www\.)?[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+/\S*")
"""An absolute URL, or a host name with a path (`www.example.org/a`, `example.org/news/1`):
what a CSV's url column holds, and what a paragraph of prose does not."""


def _wanted(src: Source) -> dict[str, str]:
    """{field: input column} of the fields this source has (title may have none)."""
    return {f: c for f in FIELDS if (c := src.column(f)) is not None}


def _header_problem(src: Source, header: list[str]) -> str | None:
    """Why a header lacks a needed column (message), or None."""
    wanted = _wanted(src)
    missing = [c for c in wanted.values() if c not in header]
    if not missing:
        return None
    mapped = "" if src.columns is None else f" (for {', '.join(wanted)})"
    return (f"expected columns {','.join(wanted.values())}{mapped}, found "
            f"{','.join(header)!r} (missing {', '.join(missing)})")


def _date_text(value: Any) -> Any:
    """Dates and timestamps of typed columns as ISO text; anything else unchanged."""
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def read_csv(src: Source, opts: ReadOptions) -> Iterator[Record]:
    """CSV with a header naming (at least) the source's columns, in any order.

    `record` is the data row number (1-based, header excluded); messages also give the lines.
    A row with broken quoting is one reject and reading goes on with the next record, also
    when the broken quote is never closed (see `newsfacts.build.csvsafe`).
    """
    for item in _decoded_files(src, ".csv"):
        if isinstance(item, Reject):
            yield item
            continue
        name, content = item
        lines = list(io.StringIO(content, newline=""))
        header, header_error, used = first_row(lines)
        wanted = _wanted(src)
        if header is None or header_error or not lines:
            yield Reject(src.name, name, 0, "bad-header",
                         f"expected a header row {','.join(wanted.values())}, found "
                         f"{header_error or 'an empty file'}")
            continue
        if problem := _char_problem(",".join(header), "header"):
            yield Reject(src.name, name, 0, *problem)
            continue
        header = [h.strip() for h in header]
        if bad := _header_problem(src, header):
            yield Reject(src.name, name, 0, "bad-header", bad)
            continue
        col = {f: header.index(c) for f, c in wanted.items()}

        def is_record(fields: list[str], col: dict[str, int] = col) -> bool:
            return (bool(_URL.fullmatch(fields[col["url"]].strip()))
                    and isinstance(_parse_date(fields[col["date"]]), dt.date))

        for row_no, row in enumerate(
                split_rows(lines[used:], len(header), is_record, first_line=used + 1), start=1):
            yield _csv_record(src, opts, name, row_no, row, header, col)


def _csv_record(src: Source, opts: ReadOptions, name: str, row_no: int, row: CsvRow,
                header: list[str], col: dict[str, int]) -> Record:
    """One CSV row as an Article, or the Reject saying why not (messages start with lines)."""

    def reject(reason: str, message: str) -> Reject:
        return Reject(src.name, name, row_no, reason, f"{row.lines}: {message}")

    if row.fields is None and row.resumed_at is not None:
        return reject("bad-csv", f"expected a row of {len(header)} fields with well-formed "
                      f"quoting, found a quoted field that is never closed before the next "
                      f"record (line {row.resumed_at}); this record is refused and reading "
                      f"resumes at line {row.resumed_at}")
    if row.fields is None:
        return reject("bad-csv", f"expected a row of {len(header)} fields with well-formed "
                      f"quoting, found broken quoting: {row.error}")
    if len(row.fields) != len(header):
        return reject("bad-csv", f"expected {len(header)} fields ({','.join(header)}), "
                      f"found {len(row.fields)}")
    url = row.fields[col["url"]]
    if not url.strip():
        return reject("missing-field", f"expected a non-empty {_name(src, 'url')}, found {url!r}")
    rec = _article(src, opts, name, row_no, article_id=article_id_from_url(url), url=url,
                   title=row.fields[col["title"]] if "title" in col else None,
                   date=row.fields[col["date"]], raw_text=row.fields[col["text"]])
    if isinstance(rec, Reject):
        return Reject(rec.source, rec.file, rec.record, rec.reason_code,
                      f"{row.lines}: {rec.message}")
    return rec


def _name(src: Source, field: str) -> str:
    """`'url'`, or `'link' (url)` when the source maps the field to another column."""
    column = src.column(field)
    return f"{column!r}" + (f" ({field})" if column != field else "")


def read_parquet(src: Source, opts: ReadOptions) -> Iterator[Record]:
    """Parquet files with (at least) the source's columns; `record` is the row number (1-based).

    `date` may be a string, a date or a timestamp column (a timestamp gives its date in its own
    time zone, as for text). Files are read in row batches, so memory does not grow with them.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    for name, path in _data_files(src, ".parquet"):
        if isinstance(path, Reject):
            yield path
            continue
        try:
            pf = pq.ParquetFile(path)
            names = pf.schema_arrow.names
        except (OSError, pa.ArrowException) as exc:
            yield Reject(src.name, name, 0, "unreadable",
                         f"expected a Parquet file, found one that cannot be read ({exc})")
            continue
        if problem := _header_problem(src, names):
            yield Reject(src.name, name, 0, "bad-header", problem)
            continue
        wanted = _wanted(src)
        row_no = 0
        try:
            for batch in pf.iter_batches(batch_size=256, columns=list(dict.fromkeys(
                    wanted.values()))):
                values = {f: batch.column(c).to_pylist() for f, c in wanted.items()}
                for i in range(batch.num_rows):
                    row_no += 1
                    yield _parquet_record(src, opts, name, row_no,
                                          {f: v[i] for f, v in values.items()})
        except (OSError, pa.ArrowException) as exc:
            yield Reject(src.name, name, row_no + 1, "unreadable",
                         f"expected readable Parquet data, found an error after row {row_no}, "
                         f"so the rest of the file is unreadable ({exc})")


def _parquet_record(src: Source, opts: ReadOptions, name: str, row_no: int,
                    row: dict[str, Any]) -> Record:
    url = row["url"]
    if not isinstance(url, str) or not url.strip():
        found = repr(url) if url is None or isinstance(url, str) else type(url).__name__
        return Reject(src.name, name, row_no, "missing-field",
                      f"expected a non-empty string {_name(src, 'url')}, found {found}")
    return _article(src, opts, name, row_no, article_id=article_id_from_url(url), url=url,
                    title=row.get("title"), date=_date_text(row["date"]),
                    raw_text=row["text"])
