"""Write tables as CSV + Parquet and describe them in a Frictionless `datapackage.json`.

Output bytes depend only on the rows and library versions: no wall-clock time is written
(`SOURCE_DATE_EPOCH`, when set, becomes the package's `created`).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import math
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from newsfacts.schema import TABLES, arrow_schema, fields, table_schema


def _csv_cell(value: Any, kind: str) -> str:
    """One CSV cell: null is empty, lists are JSON arrays, floats round-trip exactly."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if kind == "array":
        return json.dumps(list(value), ensure_ascii=False)
    if kind == "number":
        f = float(value)
        return str(int(f)) if f.is_integer() and abs(f) < 1e15 else repr(f)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


class TableWriter:
    """Appends rows of one table to `<out>/<table>.csv` and `<out>/<table>.parquet` in batches.

    Row groups and CSV lines are written as batches arrive, so memory does not grow with the
    corpus; the same batches always give the same bytes.
    """

    def __init__(self, out: Path, table: str, row_group_size: int = 50_000) -> None:
        self.table, self.schema = table, arrow_schema(table)
        self.kinds = [(f["name"], f["type"]) for f in fields(table)]
        self.rows = 0
        self._pending: list[dict[str, Any]] = []
        self._row_group_size = row_group_size
        self._csv_file = open(out / f"{table}.csv", "w", encoding="utf-8", newline="")  # noqa: SIM115
        self._csv = csv.writer(self._csv_file, lineterminator="\n")
        self._csv.writerow([name for name, _ in self.kinds])
        self._parquet = pq.ParquetWriter(
            out / f"{table}.parquet", self.schema, compression="zstd", write_statistics=True
        )

    def write(self, rows: Iterable[dict[str, Any]]) -> None:
        """Append rows (dicts keyed by column name)."""
        for row in rows:
            self._csv.writerow([_csv_cell(row[name], kind) for name, kind in self.kinds])
            self._pending.append(row)
            self.rows += 1
        if len(self._pending) >= self._row_group_size:
            self._flush()

    def _flush(self) -> None:
        if self._pending:
            self._parquet.write_table(pa.Table.from_pylist(self._pending, schema=self.schema))
            self._pending = []

    def close(self) -> None:
        """Flush and close both files (an empty table still gets a valid empty Parquet file)."""
        self._flush()
        self._parquet.close()
        self._csv_file.close()


def file_hash(path: Path) -> str:
    """`sha256:<hex>` of a file, the Data Package v2 hash notation."""
    with open(path, "rb") as f:
        return f"sha256:{hashlib.file_digest(f, 'sha256').hexdigest()}"


def _created() -> str | None:
    """ISO timestamp from SOURCE_DATE_EPOCH, or None: builds never read the clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return None
    return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def datapackage(
    data_dir: Path, *, rows: dict[str, int], sources: list[dict[str, Any]], version: str,
    build_info: dict[str, Any], path_prefix: str = "",
) -> dict[str, Any]:
    """The Frictionless descriptor of the CSV tables in `data_dir` (paths relative to it,
    or prefixed with `path_prefix` for a descriptor that lives elsewhere)."""
    resources = []
    for table in TABLES:
        csv_path = data_dir / f"{table}.csv"
        parquet_path = data_dir / f"{table}.parquet"
        s = table_schema(table)
        resources.append({
            "name": table, "type": "table", "title": s["title"], "description": s["description"],
            "path": f"{path_prefix}{table}.csv", "format": "csv", "mediatype": "text/csv",
            "encoding": "utf-8", "hash": file_hash(csv_path), "bytes": csv_path.stat().st_size,
            "rows": rows[table],
            "schema": {k: v for k, v in s.items() if k not in ("$schema", "title", "description")},
            "parquet": {"path": f"{path_prefix}{table}.parquet", "hash": file_hash(parquet_path),
                        "bytes": parquet_path.stat().st_size},
        })
    licenses = sorted({s["license"] for s in sources})
    descriptor: dict[str, Any] = {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": "newsfacts",
        "title": "newsfacts: actors, events and figures from news, traceable to the text",
        "description": (
            "Five tables (articles, actors, mentions, events, figures) extracted from news "
            "articles. Every mention, event and figure carries character offsets into "
            "articles.text. Each article keeps its source's licence in articles.license."
        ),
        "version": version,
        "licenses": [{"name": lic} for lic in licenses],
        "sources": [
            {k: v for k, v in (("title", s["title"]), ("path", s.get("homepage")),
                               ("license", s["license"]), ("attribution", s.get("attribution")))
             if v}
            for s in sources
        ],
        "resources": resources,
        "newsfacts": build_info,
    }
    created = _created()
    if created:
        descriptor["created"] = created
    return descriptor


def write_json(path: Path, data: dict[str, Any]) -> None:
    """Pretty, key-order-preserving JSON with a final newline."""
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
