"""Read built tables into pandas with the schema's types (dates as dates, lists as lists).

Only pandas and pyarrow are needed: this is what `pip install newsfacts` users run.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from newsfacts.errors import NewsfactsError
from newsfacts.project import require_project
from newsfacts.schema import TABLES, fields, has_split, is_required, splits


def data_dir() -> Path:
    """Where the tables are: `$NEWSFACTS_DATA`, the wheel's bundled copy, or the `dataset/data/`
    of the project the working directory is in (`newsfacts.project`)."""
    env = os.environ.get("NEWSFACTS_DATA")
    if env:
        return Path(env)
    bundled = resources.files("newsfacts") / "data"
    if bundled.is_dir() and (bundled / "articles.parquet").is_file():
        return Path(str(bundled))
    return require_project("no tables are bundled with this install and no folder was given"
                           ) / "dataset" / "data"


class TableNotFound(NewsfactsError, FileNotFoundError):
    """A table file that should be there is not."""


def read_table(table: str, directory: Path | None = None) -> pd.DataFrame:
    """One table from `<directory>/<table>.parquet` as a typed DataFrame."""
    if table not in TABLES:
        raise KeyError(f"unknown table {table!r}; tables are {', '.join(TABLES)}")
    path = Path(directory or data_dir()) / f"{table}.parquet"
    if not path.is_file():
        raise TableNotFound(f"{path}: no such table file; build the dataset first")
    df = pq.read_table(path).to_pandas(date_as_object=True)
    for f in fields(table):
        name = f["name"]
        if f["type"] == "integer" and not is_required(f):
            df[name] = df[name].astype("Int64")
        elif f["type"] == "array":
            df[name] = [list(v) if v is not None else None for v in df[name]]
    return df


def load(
    table: str, split: str | None = None, *, directory: Path | str | None = None,
    validate: bool = False,
) -> pd.DataFrame:
    """Load a table; `split` keeps rows of articles in that split (train/validation/test).

    `validate=True` runs the table's pandera schema first (needs the `build` extra).
    """
    directory = Path(directory) if directory else None
    df = read_table(table, directory)
    if split is not None:
        names = splits()
        if split not in names:
            raise ValueError(f"split must be {', '.join(names[:-1])} or {names[-1]}, "
                             f"not {split!r}")
        if not has_split(table):
            raise ValueError(f"{table} is corpus-wide and has no split")
        articles = df if table == "articles" else read_table("articles", directory)
        keep = set(articles.loc[articles["split"] == split, "article_id"])
        df = df[df["article_id"].isin(keep)].reset_index(drop=True)
    if validate:
        from newsfacts.schema import pandera_schema

        pandera_schema(table).validate(df, lazy=True)
    return df


def tables() -> tuple[str, ...]:
    """Names of the dataset's tables."""
    return TABLES
