"""Both validators reject planted corruption of every constraint kind.

A small built folder is copied and one cell or row is corrupted in BOTH the CSV (read by
Frictionless; the resource's hash, bytes and rows are recomputed so Frictionless reports the
constraint itself, not only a hash mismatch) and the Parquet (read by pandera). Each validator
must name the specific check, on the right table and row.
"""

from __future__ import annotations

import csv
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from robust_helpers import REF, jsonl_bytes, make_source

from newsfacts.build.pipeline import build
from newsfacts.build.validate import frictionless_failures, pandera_failures, validate_dir
from newsfacts.build.write import file_hash
from newsfacts.load import read_table
from newsfacts.schema import TABLES, arrow_schema

ARTICLES = [
    "Joe Biden will meet Angela Merkel in Berlin on Monday, the White House said.",
    "Afghan officials met Taliban members in Doha. The United Nations said 5,000 prisoners "
    "may be released.",
    "Emmanuel Macron met Boris Johnson in Paris to discuss fishing rights.",
]


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("clean")
    src = make_source(root / "raw", "small", "jsonl", {"a.jsonl": jsonl_bytes(
        {"url": f"https://example.org/{i}", "date": "2020-05-01", "text": t}
        for i, t in enumerate(ARTICLES))})
    build([src], root / "data", reference_date=REF)
    assert validate_dir(root / "data") == []
    assert len(read_table("mentions", root / "data")) >= 2
    return root / "data"


Rows = list[list[str]]


def _corrupt(clean: Path, dest: Path, table: str, csv_edit: Callable[[Rows], Rows],
             parquet_edit: Callable[[pa.Table], pa.Table]) -> Path:
    """Copy `clean` to `dest`, apply both edits to `table`, re-describe the CSV resource."""
    shutil.copytree(clean, dest)
    path = dest / f"{table}.csv"
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    rows = csv_edit(rows)
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    descriptor = json.loads((dest / "datapackage.json").read_text(encoding="utf-8"))
    for res in descriptor["resources"]:
        if res["name"] == table:
            res.update(hash=file_hash(path), bytes=path.stat().st_size, rows=len(rows) - 1)
    (dest / "datapackage.json").write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    ppath = dest / f"{table}.parquet"
    pq.write_table(parquet_edit(pq.read_table(ppath)), ppath)
    return dest


def _set(column: str, value, row: int = 0, as_type: pa.DataType | None = None):
    """(csv edit, parquet edit) setting `column` of data row `row` (0-based) to `value`."""

    def csv_edit(rows: Rows) -> Rows:
        rows[row + 1][rows[0].index(column)] = "" if value is None else str(value)
        return rows

    def parquet_edit(t: pa.Table) -> pa.Table:
        i = t.schema.get_field_index(column)
        values = t.column(column).to_pylist()
        if as_type is not None:
            values = [str(v) for v in values]
        values[row] = value
        kind = as_type or t.schema.field(i).type
        return t.set_column(i, pa.field(column, kind), pa.array(values, type=kind))

    return csv_edit, parquet_edit


def _copy_cell(column: str, src_row: int, dst_row: int):
    def csv_edit(rows: Rows) -> Rows:
        i = rows[0].index(column)
        rows[dst_row + 1][i] = rows[src_row + 1][i]
        return rows

    def parquet_edit(t: pa.Table) -> pa.Table:
        values = t.column(column).to_pylist()
        values[dst_row] = values[src_row]
        i = t.schema.get_field_index(column)
        return t.set_column(i, t.schema.field(i), pa.array(values, type=t.schema.field(i).type))

    return csv_edit, parquet_edit


def _duplicate_first_row():
    def csv_edit(rows: Rows) -> Rows:
        return [*rows, rows[1]]

    def parquet_edit(t: pa.Table) -> pa.Table:
        return pa.concat_tables([t, t.slice(0, 1)])

    return csv_edit, parquet_edit


def _retext_first_mention():
    """Same length, other characters: every per-column constraint still holds."""
    def new(text: str) -> str:
        return text[::-1] if text[::-1] != text else text + "x"

    def csv_edit(rows: Rows) -> Rows:
        i = rows[0].index("text")
        rows[1][i] = new(rows[1][i])
        return rows

    def parquet_edit(t: pa.Table) -> pa.Table:
        values = t.column("text").to_pylist()
        values[0] = new(values[0])
        i = t.schema.get_field_index("text")
        return t.set_column(i, t.schema.field(i), pa.array(values, type=pa.string()))

    return csv_edit, parquet_edit


# kind, table, edits, Frictionless error type (None: inexpressible there), pandera check, row
CASES = [
    ("type", "articles", _set("n_chars", "many", as_type=pa.string()), "type-error",
     "coerce_dtype", None),
    ("enum", "articles", _set("split", "holdout"), "constraint-error", "isin", 1),
    ("pattern", "articles", _set("language", "english"), "constraint-error", "str_matches", 1),
    ("range", "mentions", _set("start", -1), "constraint-error", "greater_than_or_equal_to", 1),
    ("required", "articles", _set("license", None), "constraint-error", "not_nullable", 1),
    ("unique", "articles", _copy_cell("text_sha256", 0, 1), "unique-error", "field_uniqueness",
     2),
    ("primary key", "mentions", _duplicate_first_row(), "primary-key", "field_uniqueness", None),
    ("foreign key", "mentions", _set("actor_id", "no-such-actor"), "foreign-key", "foreign_key",
     1),
    # Frictionless cannot express "text == articles.text[start:end]" (a cross-table slice):
    # the corrupted cell is a valid string, so only pandera can and must report it.
    ("offset slice", "mentions", _retext_first_mention(), None, "offset_slice", 1),
]


@pytest.mark.parametrize(("kind", "table", "edits", "fl_type", "pa_check", "row"), CASES,
                         ids=[c[0] for c in CASES])
def test_both_validators_reject_planted_corruption(clean, tmp_path, kind, table, edits, fl_type,
                                                   pa_check, row):
    folder = _corrupt(clean, tmp_path / "data", table, *edits)
    frames = {t: read_table(t, folder) for t in TABLES}
    pandera = [f for f in pandera_failures(frames) if f.table == table]
    assert any(pa_check in f.check for f in pandera), (kind, [str(f) for f in pandera])
    if row is not None:
        assert any(f.row == row for f in pandera if pa_check in f.check), pandera
    frictionless = frictionless_failures(folder / "datapackage.json")
    if fl_type is None:
        assert frictionless == [], "Frictionless cannot see this; it should report nothing"
        return
    hits = [f for f in frictionless if f.check == fl_type and f.table == table]
    assert hits, (kind, [str(f) for f in frictionless])
    assert not any(f.check == "hash-count" or "hash" in f.check for f in frictionless)
    if kind in ("enum", "pattern", "range", "required"):
        constraint = {"enum": "enum", "pattern": "pattern", "range": "minimum",
                      "required": "required"}[kind]
        assert any(f'constraint "{constraint}"' in f.message for f in hits), hits
    if row is not None:
        assert any(f.row == row for f in hits), hits


def test_arrow_schema_is_what_the_edits_preserve(clean):
    """Guard for the test itself: untouched Parquet files keep the declared Arrow schema."""
    for t in TABLES:
        assert pq.read_table(clean / f"{t}.parquet").schema.equals(arrow_schema(t),
                                                                    check_metadata=False)
