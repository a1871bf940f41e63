"""Helpers for the robustness tests: build source folders of nasty inputs in tmp dirs."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from newsfacts.build.pipeline import BuildSummary, collect_articles
from newsfacts.build.sources import Article, ReadOptions, Reject, Source

REF = dt.date(2024, 1, 1)
"""Reference date of every test build, so 'future' does not move with the calendar."""


def make_source(root: Path, name: str, fmt: str, contents: dict[str, bytes | str],
                **meta: Any) -> Path:
    """A source folder `root/name` with a `source.json` and the given files."""
    folder = root / name
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "source.json").write_text(
        json.dumps({"name": name, "format": fmt, "license": "CC-BY-4.0", **meta}),
        encoding="utf-8")
    for fname, content in contents.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        (folder / fname).write_bytes(data)
    return folder


def csv_bytes(rows: Iterable[Iterable[str]], header: str = "url,date,title,text",
              newline: str = "\n") -> bytes:
    """A CSV file (quoted as the csv module does) with `header` and `rows`."""
    buf = io.StringIO()
    buf.write(header + newline)
    w = csv.writer(buf, lineterminator=newline)
    for r in rows:
        w.writerow(r)
    return buf.getvalue().encode("utf-8")


def jsonl_bytes(objs: Iterable[Any], newline: str = "\n") -> bytes:
    return "".join(json.dumps(o, ensure_ascii=False) + newline for o in objs).encode("utf-8")


def collect(folders: list[Path], **opts: Any) -> tuple[list[Article], BuildSummary]:
    """`collect_articles` over source folders with the test reference date."""
    summary = BuildSummary(out=Path("unused"))
    options = ReadOptions(**{"reference_date": REF, **opts})
    articles = collect_articles([Source.open(f) for f in folders], summary, options)
    return articles, summary


def outcome(articles: list[Article], summary: BuildSummary) -> dict[tuple[str, str, int], str]:
    """(source, file, record) -> "accepted" or the reason code; fails on double placement."""
    out: dict[tuple[str, str, int], str] = {}
    items: list[Article | Reject] = [*articles, *summary.rejects]
    for item in items:
        key = (item.source, item.file, item.record)
        assert key not in out, f"{key} placed twice: {out[key]} and {item}"
        out[key] = "accepted" if isinstance(item, Article) else item.reason_code
    return out
