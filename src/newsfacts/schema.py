"""Table schemas: `schema/*.json` (Frictionless Table Schema) is the only place fields are defined.

Every other view of a table (Arrow, pandas dtypes, Hugging Face `Features`, pandera) is
derived here, so the views cannot drift apart. Only pandas and pyarrow are imported at module
level; the Hugging Face and pandera views import their libraries when asked for.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import pyarrow as pa

TABLES: tuple[str, ...] = ("articles", "actors", "mentions", "events", "figures")
"""Table names in dependency order: a table's foreign keys point only to tables before it."""

# Frictionless type -> Arrow type. Arrays are lists of strings (the only array we have: aliases).
_ARROW = {
    "string": pa.string(),
    "integer": pa.int64(),
    "number": pa.float64(),
    "boolean": pa.bool_(),
    "date": pa.date32(),
    "array": pa.list_(pa.string()),
}


def schema_dir() -> Path:
    """Folder holding the table schemas: the project's `schema/` when commands run inside a
    project (`newsfacts.project`), else the copy shipped inside the package."""
    from newsfacts.errors import NewsfactsError
    from newsfacts.project import project_path

    local = project_path("schema")
    if local is not None and local.is_dir():
        return local
    packaged = resources.files("newsfacts") / "schema"
    if packaged.is_dir():
        return Path(str(packaged))
    raise NewsfactsError("no table schemas: not inside a newsfacts project and this install "
                         "of newsfacts ships no schema/ (an editable install needs a project)")


@cache
def table_schema(table: str) -> dict[str, Any]:
    """The Frictionless descriptor of `table` as a dict (cached; do not mutate)."""
    if table not in TABLES:
        raise KeyError(f"unknown table {table!r}; tables are {', '.join(TABLES)}")
    return json.loads((schema_dir() / f"{table}.json").read_text(encoding="utf-8"))


def fields(table: str) -> list[dict[str, Any]]:
    """The field descriptors of `table`, in column order."""
    return table_schema(table)["fields"]


def columns(table: str) -> list[str]:
    """Column names of `table`, in order."""
    return [f["name"] for f in fields(table)]


def primary_key(table: str) -> list[str]:
    """Primary-key columns of `table`."""
    return list(table_schema(table)["primaryKey"])


def foreign_keys(table: str) -> list[tuple[str, str, str]]:
    """(column, referenced table, referenced column) for each single-column foreign key."""
    out = []
    for fk in table_schema(table).get("foreignKeys", []):
        ref = fk["reference"]
        out.append((fk["fields"][0], ref["resource"] or table, ref["fields"][0]))
    return out


def splits() -> tuple[str, ...]:
    """The machine-learning split names: the enum of `articles.split`."""
    field = next(f for f in fields("articles") if f["name"] == "split")
    return tuple(field["constraints"]["enum"])


def has_split(table: str) -> bool:
    """Whether each row of `table` belongs to one article, and so to its split (a foreign key
    to `articles`); `actors` is corpus-wide."""
    return table == "articles" or any(ref == "articles" for _, ref, _ in foreign_keys(table))


def is_required(field: dict[str, Any]) -> bool:
    """Whether a field may not be null."""
    return bool(field.get("constraints", {}).get("required"))


def arrow_schema(table: str) -> pa.Schema:
    """Arrow schema of `table`, with field descriptions kept as field metadata."""
    return pa.schema(
        [
            pa.field(
                f["name"],
                _ARROW[f["type"]],
                nullable=not is_required(f),
                metadata={"description": f.get("description", "")},
            )
            for f in fields(table)
        ]
    )


def hf_features(table: str):
    """Hugging Face `datasets.Features` of `table`, from its Arrow schema (requires the
    `publish` extra)."""
    from datasets import Features

    return Features.from_arrow_schema(arrow_schema(table))


@cache  # derived once per process; schemas are not mutated (update_columns copies)
def pandera_schema(table: str):
    """pandera `DataFrameSchema` of `table`, derived with `pandera.io.from_frictionless_schema`.

    The bridge loses what Frictionless says about dates (it makes them strings), nullable
    integers and arrays; those columns are replaced here from the same descriptor. Checks
    that span tables (offsets, foreign keys) live in `newsfacts.build.validate`.
    """
    import pandera.pandas as pa_
    from pandera.engines import pandas_engine
    from pandera.io.pandas_io import from_frictionless_schema

    derived = from_frictionless_schema(table_schema(table))
    updates: dict[str, dict[str, Any]] = {}
    for f in fields(table):
        if f["type"] == "date":
            updates[f["name"]] = {"dtype": pandas_engine.Date()}
        elif f["type"] == "integer" and not is_required(f):
            updates[f["name"]] = {"dtype": "Int64"}
        elif f["type"] == "array":
            updates[f["name"]] = {
                "dtype": "object",
                "checks": [
                    pa_.Check(
                        lambda s: s.map(
                            lambda v: hasattr(v, "__len__") and all(isinstance(x, str) for x in v)
                        ),
                        name="list_of_strings",
                        error="must be a list of strings",
                    )
                ],
            }
    return derived.update_columns(updates) if updates else derived
