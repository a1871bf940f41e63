"""Validate a built dataset twice: pandera (schemas derived from schema/*.json, plus the
cross-table checks Frictionless cannot express) and Frictionless on the CSV data package.

Both report `Failure`s naming table, row (1-based data row), field and check, so a maintainer
can go straight to the cell.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from newsfacts.load import read_table
from newsfacts.normalize import split_for, text_sha256
from newsfacts.schema import TABLES, foreign_keys, pandera_schema


@dataclass(frozen=True)
class Failure:
    """One failed check on one cell or row."""

    validator: str  # "pandera" or "frictionless"
    table: str
    row: int | None  # 1-based data row (header excluded); None for table-level failures
    field: str | None
    check: str
    message: str

    def __str__(self) -> str:
        where = f"{self.table}" + (f" row {self.row}" if self.row is not None else "")
        where += f" field {self.field}" if self.field else ""
        return f"[{self.validator}] {where}: {self.check}: {self.message}"


def _pandera_failures(table: str, df: pd.DataFrame) -> Iterator[Failure]:
    """Column-level checks from the derived pandera schema."""
    import pandera.errors

    try:
        pandera_schema(table).validate(df, lazy=True)
    except pandera.errors.SchemaErrors as exc:
        for case in exc.failure_cases.itertuples(index=False):
            index = case.index
            row = None if index is None or pd.isna(index) else int(index) + 1
            check = str(case.check)
            yield Failure("pandera", table, row,
                          case.column if isinstance(case.column, str) else None,
                          check.split("(", 1)[0], f"{check}: failing value {case.failure_case!r}")


def _slice_failures(table: str, df: pd.DataFrame, texts: dict[str, str], start: str, end: str,
                    field: str) -> Iterator[Failure]:
    """`field == articles.text[start:end]` and 0 <= start < end <= n_chars, row by row."""
    cols = df[["article_id", start, end, field]].itertuples(index=False, name=None)
    for i, (aid, s, e, value) in enumerate(cols, start=1):
        if pd.isna(s) and pd.isna(e) and (value is None or pd.isna(value)):
            continue
        text = texts.get(aid)
        if text is None:
            continue  # reported by the foreign-key check
        if pd.isna(s) or pd.isna(e) or not 0 <= s < e <= len(text):
            yield Failure("pandera", table, i, start, "offset_range",
                          f"[{s}, {e}) is not a range inside the article (n_chars {len(text)})")
        elif text[int(s):int(e)] != value:
            yield Failure("pandera", table, i, field, "offset_slice",
                          f"articles.text[{s}:{e}] is {text[int(s):int(e)]!r}, not {value!r}")


def _foreign_key_failures(table: str, frames: dict[str, pd.DataFrame]) -> Iterator[Failure]:
    """Every non-null foreign key resolves to a row of the referenced table."""
    for column, ref_table, ref_column in foreign_keys(table):
        known = set(frames[ref_table][ref_column])
        values = frames[table][column]
        for i, value in enumerate(values, start=1):
            if value is not None and not pd.isna(value) and value not in known:
                yield Failure("pandera", table, i, column, "foreign_key",
                              f"{value!r} is not a {ref_table}.{ref_column}")


def _article_failures(df: pd.DataFrame) -> Iterator[Failure]:
    """Derived article columns agree with the text and id they are derived from."""
    for i, row in enumerate(df.itertuples(index=False), start=1):
        if row.text_sha256 != text_sha256(row.text):
            yield Failure("pandera", "articles", i, "text_sha256", "text_hash", "not sha256(text)")
        if row.n_chars != len(row.text):
            yield Failure("pandera", "articles", i, "n_chars", "text_length", "not len(text)")
        if row.split != split_for(row.article_id):
            yield Failure("pandera", "articles", i, "split", "split_rule",
                          f"{row.split!r} is not the split derived from the article id")


def _row_failures(frames: dict[str, pd.DataFrame]) -> Iterator[Failure]:
    """Row rules across columns: ids carry their article, ranges, dates, registry counts."""
    for table, letter in (("mentions", "m"), ("events", "e"), ("figures", "f")):
        df = frames[table]
        key = df.columns[0]
        for i, (rid, aid) in enumerate(zip(df[key], df["article_id"], strict=True), start=1):
            if not str(rid).startswith(f"{aid}-{letter}"):
                yield Failure("pandera", table, i, key, "id_article", f"{rid!r} not of {aid}")
    ev = frames["events"]
    for i, r in enumerate(ev.itertuples(index=False), start=1):
        if not r.sentence_start <= r.trigger_start < r.trigger_end <= r.sentence_end:
            yield Failure("pandera", "events", i, "trigger_start", "trigger_in_sentence",
                          "trigger is not inside its sentence")
        if (r.date_precision == "unknown") != (r.event_date is None or pd.isna(r.event_date)):
            yield Failure("pandera", "events", i, "event_date", "date_precision",
                          "event_date must be null exactly when date_precision is unknown")
    fig = frames["figures"]
    bad = fig["value_high"].notna() & (fig["value_high"] < fig["value"])
    for i in (bad[bad].index + 1):
        yield Failure("pandera", "figures", int(i), "value_high", "range", "value_high < value")
    counts = frames["mentions"].groupby("actor_id").agg(
        n_mentions=("mention_id", "size"), n_articles=("article_id", "nunique"))
    for i, r in enumerate(frames["actors"].itertuples(index=False), start=1):
        for col in ("n_mentions", "n_articles"):
            expected = counts[col].get(r.actor_id, 0)
            if getattr(r, col) != expected:
                yield Failure("pandera", "actors", i, col, "registry_count",
                              f"{getattr(r, col)} but mentions has {expected}")


def pandera_failures(frames: dict[str, pd.DataFrame]) -> list[Failure]:
    """All pandera-side failures for a set of loaded tables."""
    out: list[Failure] = []
    for table in TABLES:
        out.extend(_pandera_failures(table, frames[table]))
    texts = dict(zip(frames["articles"]["article_id"], frames["articles"]["text"], strict=True))
    out.extend(_slice_failures("mentions", frames["mentions"], texts, "start", "end", "text"))
    out.extend(_slice_failures("figures", frames["figures"], texts, "start", "end", "text"))
    ev = frames["events"]
    out.extend(_slice_failures("events", ev, texts, "trigger_start", "trigger_end", "trigger"))
    out.extend(_slice_failures("events", ev, texts, "date_start", "date_end", "date_text"))
    for table in TABLES:
        out.extend(_foreign_key_failures(table, frames))
    out.extend(_article_failures(frames["articles"]))
    out.extend(_row_failures(frames))
    return out


def frictionless_failures(descriptor: Path) -> list[Failure]:
    """Validate the CSV data package with Frictionless (types, constraints, keys)."""
    from frictionless import Package, system

    with system.use_context(trusted=True):
        report = Package(str(descriptor)).validate()
    out = []
    for task in report.tasks:
        for err in task.errors:
            row = getattr(err, "row_number", None)
            out.append(Failure("frictionless", task.name or str(task.place), None if row is None
                               else row - 1, getattr(err, "field_name", None), err.type,
                               err.message))
    if not report.valid and not out:
        out.extend(Failure("frictionless", "package", None, None, e.type, e.message)
                   for e in report.errors)
    return out


def validate_dir(directory: Path | str | None = None) -> list[Failure]:
    """Run both validators on a built folder; an empty list means valid."""
    from newsfacts.load import data_dir

    directory = Path(directory) if directory else data_dir()
    frames = {t: read_table(t, directory) for t in TABLES}
    return pandera_failures(frames) + frictionless_failures(directory / "datapackage.json")
