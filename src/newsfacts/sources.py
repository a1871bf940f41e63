"""Read raw articles from a source folder (`source.json` + files) into normalised records.

Formats: `seed-txt`, `wikinews-csv`, `jsonl` (gold/FORMAT.md section 1). Readers are generators
that yield an `Article` or a `Reject` for every input record, so nothing is dropped silently.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from newsfacts.normalize import article_id_from_url, decode, normalize_text

SOURCE_FORMATS = ("seed-txt", "wikinews-csv", "jsonl")
_SEED_NAME = re.compile(r"[0-9]+_([0-9a-f]{16})\.txt")
_SEED_HEADER = re.compile(r"\A date ([0-9]{4}-[0-9]{2}-[0-9]{2}) ")


class SourceError(ValueError):
    """A source folder cannot be read at all (missing or invalid `source.json`)."""


@dataclass(frozen=True)
class Source:
    """A source folder and its `source.json` metadata."""

    path: Path
    name: str
    title: str
    format: str
    license: str
    attribution: str | None
    homepage: str | None
    files: tuple[str, ...] | None = None

    @classmethod
    def open(cls, path: Path) -> Source:
        """Read and check `<path>/source.json`."""
        meta_path = Path(path) / "source.json"
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise SourceError(f"{meta_path}: missing; a source folder needs one") from None
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise SourceError(f"{meta_path}: not valid UTF-8 JSON: {exc}") from None
        for key in ("name", "format", "license"):
            if not isinstance(meta.get(key), str) or not meta[key]:
                raise SourceError(f"{meta_path}: field {key!r} is required (a non-empty string)")
        if meta["format"] not in SOURCE_FORMATS:
            raise SourceError(
                f"{meta_path}: format {meta['format']!r} is not one of {', '.join(SOURCE_FORMATS)}"
            )
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", meta["name"]):
            raise SourceError(f"{meta_path}: name {meta['name']!r} must be a lowercase slug")
        return cls(
            path=Path(path),
            name=meta["name"],
            title=meta.get("title") or meta["name"],
            format=meta["format"],
            license=meta["license"],
            attribution=meta.get("attribution"),
            homepage=meta.get("homepage"),
            files=tuple(meta["files"]) if meta.get("files") else None,
        )


@dataclass(frozen=True)
class Article:
    """One accepted input record, normalised; `file`/`record` say where it came from."""

    article_id: str
    source: str
    url: str | None
    title: str | None
    published_date: dt.date
    license: str
    text: str
    file: str
    record: int


@dataclass(frozen=True)
class Reject:
    """One refused input record and why (`reason_code` is stable, `message` is for people)."""

    source: str
    file: str
    record: int
    reason_code: str
    message: str


Record = Article | Reject


def _parse_date(value: object) -> dt.date | str:
    """ISO date, or the reason it is not one."""
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        return f"expected a date YYYY-MM-DD, found {value!r}"
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        return f"impossible date {value!r}: {exc}"


def _article(
    src: Source, file: str, record: int, *, article_id: str, url: str | None,
    title: str | None, date: object, raw_text: object,
) -> Record:
    """Normalise one record into an Article, or explain why it is refused."""
    parsed = _parse_date(date)
    if isinstance(parsed, str):
        return Reject(src.name, file, record, "bad-date", parsed)
    if not isinstance(raw_text, str):
        return Reject(src.name, file, record, "missing-field", "expected field 'text' (a string)")
    text = normalize_text(raw_text)
    if not text:
        return Reject(src.name, file, record, "empty-text", "text is empty after normalisation")
    title = normalize_text(title) if isinstance(title, str) else None
    return Article(article_id, src.name, url, title or None, parsed, src.license, text, file,
                   record)


def _files(src: Source, pattern: str) -> list[Path]:
    """The source's data files, sorted by name so output never depends on directory order."""
    if src.files:
        return [src.path / f for f in src.files]
    return sorted(p for p in src.path.glob(pattern) if p.is_file())


def read_seed(src: Source) -> Iterator[Record]:
    """`NNN_<16 hex>.txt` files starting with ` date YYYY-MM-DD ` and then the body."""
    for path in _files(src, "*.txt"):
        m = _SEED_NAME.fullmatch(path.name)
        if not m:
            yield Reject(src.name, path.name, 1, "bad-file-name",
                         "expected a file name NNN_<16 hex digits>.txt")
            continue
        try:
            content = decode(path.read_bytes())
        except UnicodeDecodeError as exc:
            yield Reject(src.name, path.name, 1, "not-utf8", f"not valid UTF-8: {exc}")
            continue
        content = content.removeprefix("\ufeff")
        header = _SEED_HEADER.match(content)
        if not header:
            yield Reject(src.name, path.name, 1, "bad-date",
                         f"expected header ' date YYYY-MM-DD ', found {content[:20]!r}")
            continue
        yield _article(src, path.name, 1, article_id=m.group(1), url=None, title=None,
                       date=header.group(1), raw_text=content[header.end():])


def read_wikinews_csv(src: Source) -> Iterator[Record]:
    """CSV with header `url,date,title,text`; `record` is the data row number (1-based)."""
    for path in _files(src, "*.csv"):
        try:
            content = decode(path.read_bytes()).removeprefix("\ufeff")
        except UnicodeDecodeError as exc:
            yield Reject(src.name, path.name, 0, "not-utf8", f"not valid UTF-8: {exc}")
            continue
        reader = csv.DictReader(io.StringIO(content, newline=""), strict=True)
        missing = {"url", "date", "title", "text"} - set(reader.fieldnames or ())
        if missing:
            yield Reject(src.name, path.name, 0, "bad-header",
                         f"expected columns url,date,title,text; missing {sorted(missing)}")
            continue
        row_no = 0
        while True:
            row_no += 1
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                yield Reject(src.name, path.name, row_no, "bad-csv", f"broken CSV quoting: {exc}")
                break
            url = row.get("url")
            if not url or None in row or any(row.get(k) is None for k in ("date", "text")):
                yield Reject(src.name, path.name, row_no, "missing-field",
                             "expected 4 fields url,date,title,text with a non-empty url")
                continue
            yield _article(src, path.name, row_no, article_id=article_id_from_url(url),
                           url=url, title=row.get("title"), date=row.get("date"),
                           raw_text=row.get("text"))


def read_jsonl(src: Source) -> Iterator[Record]:
    """One JSON object a line with `url`, `title`, `date`, `text`; `record` is the line number."""
    for path in _files(src, "*.jsonl"):
        try:
            content = decode(path.read_bytes()).removeprefix("\ufeff")
        except UnicodeDecodeError as exc:
            yield Reject(src.name, path.name, 0, "not-utf8", f"not valid UTF-8: {exc}")
            continue
        for line_no, line in enumerate(content.split("\n"), start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                yield Reject(src.name, path.name, line_no, "bad-json", f"invalid JSON: {exc}")
                continue
            if not isinstance(obj, dict) or not isinstance(obj.get("url"), str) or not obj["url"]:
                yield Reject(src.name, path.name, line_no, "missing-field",
                             "expected an object with a non-empty string 'url'")
                continue
            yield _article(src, path.name, line_no, article_id=article_id_from_url(obj["url"]),
                           url=obj["url"], title=obj.get("title"), date=obj.get("date"),
                           raw_text=obj.get("text"))


_READERS = {"seed-txt": read_seed, "wikinews-csv": read_wikinews_csv, "jsonl": read_jsonl}


def read_source(src: Source) -> Iterator[Record]:
    """Every record of a source, as Article or Reject, in a deterministic order."""
    return _READERS[src.format](src)
