"""Run the build on articles held in memory: a list of dicts or a DataFrame in, tables out.

    >>> import newsfacts.api
    >>> tables = newsfacts.api.extract([{"url": "https://example.org/a", "date": "2020-03-01",
    ...                                  "title": "Talks", "text": "Officials met in Geneva."}])
    >>> sorted(tables)
    ['actors', 'articles', 'events', 'figures', 'mentions', 'rejects']

`extract` is a build, not a second code path: the records are written as a JSONL source into
a temporary folder and built there, so the rules (what is refused and why), the ids, the
normalised texts, the extraction and both validators are exactly a build's. Needs
`newsfacts[build]`; this module imports nothing heavy until called.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

FIELDS = ("url", "date", "title", "text")
REJECT_COLUMNS = ("source", "file", "record", "reason_code", "message")


def extract(records: Iterable[Mapping[str, Any]] | pd.DataFrame, *, jobs: int = 1,
            source: str = "records", license: str = "NOASSERTION") -> dict[str, pd.DataFrame]:
    """The five tables (and `rejects`) built from in-memory articles.

    records: dicts with `url`, `date` (`YYYY-MM-DD`, an ISO 8601 timestamp, or a date or
        datetime object), `title` and `text`, or a DataFrame with those columns (`title` may
        be missing). `article_id` is derived from `url` as in every build.
    jobs: extraction processes (the output does not depend on it).
    source, license: the `articles.source` and `articles.license` of every row (an SPDX id,
        a `LicenseRef-...` id, or NOASSERTION).

    RETURNS (dict[str, DataFrame]): `articles`, `actors`, `mentions`, `events`, `figures`
    typed as `newsfacts.load` gives them, and `rejects` (`source, file, record, reason_code,
    message`): every record is either an `articles` row or a `rejects` row, where `record` is
    its 1-based position in `records`. Raises `newsfacts.build.BuildError` if the tables fail
    validation, `ValueError` for a DataFrame without `url`, `date` or `text`.
    """
    from newsfacts.build.engine import make_engine
    from newsfacts.build.pipeline import BuildError, build

    rows = _rows(records)
    with tempfile.TemporaryDirectory(prefix="newsfacts-extract-") as tmp:
        folder = Path(tmp) / source
        folder.mkdir()
        meta = {"name": source, "title": "Records passed to newsfacts.extract",
                "format": "jsonl", "license": license}
        (folder / "source.json").write_text(json.dumps(meta), encoding="utf-8")
        with open(folder / "records.jsonl", "w", encoding="utf-8") as f:
            for row in rows:  # ASCII JSON: a lone surrogate stays visible, and is refused
                f.write(json.dumps(row, default=str, allow_nan=False) + "\n")
        out = Path(tmp) / "out"
        try:
            summary = build([folder], out, extractor=make_engine("local", jobs=jobs))
        except BuildError as exc:
            if exc.failures or exc.summary is None or exc.summary.accepted.total():
                raise
            return {**_empty_tables(Path(tmp) / "empty"),  # every record refused
                    "rejects": _rejects_frame(exc.summary.rejects)}
        return {**_tables(out), "rejects": _rejects_frame(summary.rejects)}


def _rows(records: Any) -> list[Any]:
    """Records as JSON-ready values: dates as ISO text, NaN/NaT/None as null."""
    import pandas as pd

    if isinstance(records, pd.DataFrame):
        missing = [c for c in ("url", "date", "text") if c not in records.columns]
        if missing:
            raise ValueError(f"records: expected columns url, date, title, text, found "
                             f"{list(records.columns)} (missing {', '.join(missing)})")
        records = records[[c for c in FIELDS if c in records.columns]].to_dict("records")
    return [{k: _value(v) for k, v in r.items()} if isinstance(r, Mapping) else r
            for r in records]


def _value(value: Any) -> Any:
    import pandas as pd

    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dt.date):  # datetime and pandas.Timestamp too
        return value.isoformat()
    if hasattr(value, "item") and not isinstance(value, str | bytes):  # numpy scalars
        return value.item()
    return value


def _tables(directory: Path) -> dict[str, pd.DataFrame]:
    from newsfacts.load import read_table
    from newsfacts.schema import TABLES

    return {t: read_table(t, directory) for t in TABLES}


def _empty_tables(directory: Path) -> dict[str, pd.DataFrame]:
    import pyarrow.parquet as pq

    from newsfacts.schema import TABLES, arrow_schema

    directory.mkdir()
    for t in TABLES:
        pq.write_table(arrow_schema(t).empty_table(), directory / f"{t}.parquet")
    return _tables(directory)


def _rejects_frame(rejects: list) -> pd.DataFrame:
    import pandas as pd

    ordered = sorted(rejects, key=lambda r: (r.source, r.file, r.record, r.reason_code))
    frame = pd.DataFrame([[getattr(r, c) for c in REJECT_COLUMNS] for r in ordered],
                         columns=list(REJECT_COLUMNS))
    return frame.astype({"record": "int64"})
