"""Read raw articles from a source folder (`source.json` + files) into normalised records.

Formats: `seed-txt`, `wikinews-csv`, `jsonl` (gold/FORMAT.md section 1), and for users' own
corpora `csv` and `parquet` (`readers_table`), `html` and `warc` (`readers_html`); `columns` in
source.json renames the fields of `csv`, `parquet` and `jsonl`. Readers are generators
that yield an `Article` or a `Reject` for every input record, so nothing is dropped silently:
a record is a seed file, a CSV data row or a JSONL line; a file that cannot be split into
records at all (unreadable, binary, bad CSV header) is one record, numbered 0.

Every refusal has a stable `reason_code` (the keys of `REASONS`) and a message that says, like
a compiler, where (file, record, line), what was expected and what was found. Choices:

- Markup is refused (`markup`), never stripped: stripping would change the text every offset
  indexes, and FORMAT.md section 1 has no such step. Detection is deliberately conservative
  (well-formed HTML tags of known elements, comments, named/numeric entities, `[[links]]`,
  `{{templates}}`, `'''bold'''`, `== headings ==`, `{|` tables), so editorial brackets
  (`[...]`), Wikinews interview speaker marks (`((WN))`) and a stray brace are kept. On the
  four real corpora it refuses nothing.
- Wikinews test pages (title or URL page name `TEST PAGE:...`) are refused as `test-page`
  before any date check: the two such rows of the Wikinews source are dated 2021, and they
  are test pages, not articles from the future.
- A date after `ReadOptions.reference_date` is refused as `future-date` (the build's
  `--reference-date`; default: the date of `SOURCE_DATE_EPOCH` if set, else of now, in UTC+14,
  the time zone where each calendar day starts first, so no article dated "today" anywhere is
  refused).
- Text longer than `ReadOptions.max_chars` code points, before or after normalisation, is
  refused as `too-large`. The default, 500,000, is ~5x the longest Wikinews interview
  (104,313) and half of spaCy's default `max_length`.
- A text with no English passage (`newsfacts.build.extract.language`: script, English function
  words, then lingua-language-detector) is refused as `not-english`: the extractor's model
  reads English only. Passages too short to judge count as English, so a short or mixed text
  is kept.
- Symlinks are followed only when their target is inside the source folder; others are
  refused (`symlink-outside`) without being opened.
"""

from __future__ import annotations

import datetime as dt
import html.entities
import importlib
import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from newsfacts.build.extract.language import has_english
from newsfacts.build.normalize import article_id_from_url, normalize_text
from newsfacts.errors import NewsfactsError

_SEED_NAME = re.compile(r"[0-9]+_([0-9a-f]{16})\.txt")
_SEED_HEADER = re.compile(r"\A date (\S*) ")

DEFAULT_MAX_CHARS = 500_000
"""Default size limit of one article's text, in code points (see the module docstring)."""
MAX_MAX_CHARS = 1_000_000
"""Upper bound of the size limit: spaCy refuses longer texts unless its `max_length` grows."""

REASONS: dict[str, str] = {
    "unreadable": "the file cannot be opened or read (permissions, broken symlink, not a file)",
    "symlink-outside": "a symlink pointing outside the source folder (not followed)",
    "binary": "binary content: NUL bytes or control characters that text does not contain",
    "not-utf8": "bytes that are not valid UTF-8 (or a lone surrogate escape in JSON); for an "
                "HTML page, not valid in the charset it declares",
    "bad-file-name": "a seed file whose name is not NNN_<16 hex digits>.txt",
    "bad-header": "a CSV or Parquet file without a required column",
    "bad-csv": "a CSV row with broken quoting or the wrong number of fields",
    "bad-json": "a JSONL line that is not a JSON object",
    "missing-field": "a required field (url, text) is missing, null or empty",
    "bad-field": "a field has the wrong type (e.g. a number where a string is expected)",
    "missing-date": "no date header (seed) or an empty/missing date field",
    "bad-date": "a date that is not written YYYY-MM-DD",
    "impossible-date": "a date written YYYY-MM-DD that does not exist (2020-02-30)",
    "future-date": "a date after the build's reference date",
    "test-page": "a Wikinews test page (TEST PAGE:...), not an article",
    "empty-text": "the text is empty or whitespace-only after normalisation",
    "too-large": "the text is longer than the size limit",
    "markup": "HTML or wiki markup in the text (refused, not stripped)",
    "not-english": "no passage of the text is English (the extractor reads English only)",
    "conflicting-id": "the same article_id with different texts (all of them refused)",
    "duplicate": "the same article_id and text as an earlier record",
    "duplicate-text": "the same text as an earlier record with another article_id",
    "no-article": "a saved page (HTML file or WARC response) with no article text to extract",
}
"""Every `reason_code` a build can write to `rejects.csv`, with its meaning."""


class SourceError(NewsfactsError, ValueError):
    """A source folder cannot be read at all (missing or invalid `source.json`)."""


def default_reference_date() -> dt.date:
    """`SOURCE_DATE_EPOCH` (if set) or now, as a calendar date in UTC+14 (see module doc)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    instant = (dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC) if epoch
               else dt.datetime.now(dt.UTC))
    return instant.astimezone(dt.timezone(dt.timedelta(hours=14))).date()


@dataclass(frozen=True)
class ReadOptions:
    """What decides acceptance besides the record itself."""

    reference_date: dt.date = field(default_factory=default_reference_date)
    max_chars: int = DEFAULT_MAX_CHARS

    def __post_init__(self) -> None:
        if not 1 <= self.max_chars <= MAX_MAX_CHARS:
            raise ValueError(f"max_chars must be between 1 and {MAX_MAX_CHARS:,}, "
                             f"not {self.max_chars:,}")


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
    columns: tuple[tuple[str, str | None], ...] | None = None  # (field, input column or key)

    def column(self, field: str) -> str | None:
        """The input column (CSV, Parquet) or key (JSONL) holding `field`; None: there is none.

        `source.json` may map fields to other names: `"columns": {"url": "link", "date":
        "published", "title": "headline", "text": "body"}` (`"title": null`: no title).
        """
        return dict(self.columns or ()).get(field, field)

    @classmethod
    def open(cls, path: Path) -> Source:
        """Read and check `<path>/source.json`."""
        meta_path = Path(path) / "source.json"
        if not Path(path).is_dir():
            raise SourceError(f"{path}: not a folder; a source is a folder with a source.json")
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise SourceError(f"{meta_path}: missing; a source folder needs a source.json"
                              ) from None
        except OSError as exc:
            raise SourceError(f"{meta_path}: cannot be read: {exc.strerror}") from None
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise SourceError(f"{meta_path}: not valid UTF-8 JSON: {exc}") from None
        if not isinstance(meta, dict):
            raise SourceError(f"{meta_path}: expected a JSON object, found {type(meta).__name__}")
        for key in ("name", "format", "license"):
            if not isinstance(meta.get(key), str) or not meta[key]:
                raise SourceError(f"{meta_path}: field {key!r} is required (a non-empty string)")
        if meta["format"] not in SOURCE_FORMATS:
            raise SourceError(
                f"{meta_path}: format {meta['format']!r} is not one of {', '.join(SOURCE_FORMATS)}"
            )
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", meta["name"]):
            raise SourceError(f"{meta_path}: name {meta['name']!r} must be a lowercase slug")
        files = meta.get("files")
        if files is not None and (not isinstance(files, list)
                                  or not all(isinstance(f, str) and f for f in files)):
            raise SourceError(f"{meta_path}: 'files' must be a list of file names")
        from newsfacts.build.source_meta import check_columns, check_license

        try:
            license_id = check_license(meta["license"])
            columns = check_columns(meta.get("columns"), meta["format"])
        except ValueError as exc:
            raise SourceError(f"{meta_path}: {exc}") from None
        return cls(
            path=Path(path),
            name=meta["name"],
            title=meta.get("title") or meta["name"],
            format=meta["format"],
            license=license_id,
            attribution=meta.get("attribution"),
            homepage=meta.get("homepage"),
            files=tuple(files) if files else None,
            columns=columns,
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

    def __str__(self) -> str:
        where = f"{self.source}/{self.file}" + (f":{self.record}" if self.record else "")
        return f"{where}: {self.reason_code}: {self.message}"


Record = Article | Reject


# --- markup, characters, dates ------------------------------------------------------------

_HTML_ELEMENTS = (  # noqa: SIM905 - a word list reads better than 100 quoted strings
    "a abbr address article aside b bdi bdo big blockquote body br caption center cite code col "
    "colgroup dd del details dfn div dl dt em embed figcaption figure font footer form h1 h2 h3 "
    "h4 h5 h6 head header hr html i iframe img input ins kbd label li link main mark meta nav "
    "noscript object ol p pre q s samp script section small span strike strong style sub sup "
    "table tbody td tfoot th thead title tr tt u ul var video wbr "
    "ref references nowiki gallery math poem onlyinclude includeonly noinclude syntaxhighlight"
).split()
_ENTITY_NAMES = "|".join(sorted((re.escape(n[:-1]) for n in html.entities.html5 if n.endswith(";")),
                                key=len, reverse=True))
_MARKUP = re.compile(
    rf"(?P<tag></?(?:{'|'.join(_HTML_ELEMENTS)})(?:\s[^<>]*)?/?>)"
    r"|(?P<comment><!--)"
    rf"|(?P<entity>&(?:{_ENTITY_NAMES}|#[0-9]{{1,7}}|#[xX][0-9a-fA-F]{{1,6}});)"
    r"|(?P<link>\[\[[^\[\]\n]+\]\])"
    r"|(?P<template>\{\{[^{}]*\}\})"
    r"|(?P<bold>'''[^'\n]+''')"
    r"|(?m:^(?P<heading>(?P<eq>={2,6})[^=\n]+(?P=eq))$)"
    r"|(?m:^(?P<table>\{\|))",
    re.IGNORECASE,
)
_MARKUP_KIND = {"tag": "an HTML tag", "comment": "an HTML comment", "entity": "an HTML entity",
                "link": "a wiki link", "template": "a wiki template", "bold": "wiki bold markup",
                "heading": "a wiki heading", "table": "a wiki table"}
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_TEST_PAGE = re.compile(r"test[ _]page:", re.IGNORECASE)


def find_markup(text: str) -> str | None:
    """A description of the first markup in `text` (where, what), or None."""
    m = _MARKUP.search(text)
    if not m:
        return None
    kind = _MARKUP_KIND[str(m.lastgroup)]  # every alternative of _MARKUP is a named group
    return f"{kind} {_snippet(m.group())} at {_where(text, m.start())}"


def _where(text: str, index: int) -> str:
    """`line L, column C` (1-based) of a character index; `column C` for one-line text."""
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    if "\n" not in text:
        return f"column {column}"
    return f"line {text.count(chr(10), 0, index) + 1}, column {column}"


def _snippet(value: object, limit: int = 40) -> str:
    """`repr` of a value, cut to `limit` characters for strings."""
    if not isinstance(value, str):
        return f"{type(value).__name__} {value!r}"[:limit]
    return repr(value if len(value) <= limit else value[:limit] + "...")


def _char_problem(value: str, what: str) -> tuple[str, str] | None:
    """(reason, message) when decoded text has undecodable bytes or binary control chars.

    Undecodable bytes arrive as the lone surrogates of `surrogateescape` (U+DC80-U+DCFF);
    other lone surrogates come from JSON escapes; both cannot be written as UTF-8.
    """
    m = _SURROGATE.search(value)
    if m:
        code = ord(m.group())
        found = (f"byte 0x{code - 0xDC00:02X}" if 0xDC80 <= code <= 0xDCFF
                 else f"a lone surrogate U+{code:04X}")
        return "not-utf8", (f"{what}: expected UTF-8 text, found {found} at "
                            f"{_where(value, m.start())}")
    m = _CONTROL.search(value)
    if m:
        return "binary", (f"{what}: expected text, found control character "
                          f"U+{ord(m.group()):04X} at {_where(value, m.start())}")
    return None


_TIMESTAMP = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})[T ][0-9]{2}:[0-9]{2}"
                        r"(:[0-9]{2}([.,][0-9]+)?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?", re.IGNORECASE)


def _parse_date(value: object) -> tuple[str, str] | dt.date:
    """ISO date, or (reason, message).

    An ISO 8601 timestamp (`2020-03-01T14:05:00+01:00`, `2020-03-01 14:05:00Z`) gives the date
    it is written with: the calendar day in the timestamp's own time zone, which is the day
    the publisher printed.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return "missing-date", f"expected a date YYYY-MM-DD, found {value!r}"
    if isinstance(value, str) and (stamp := _TIMESTAMP.fullmatch(value.strip())):
        try:
            dt.datetime.fromisoformat(stamp.group().upper().replace(",", "."))
        except ValueError as exc:
            return "impossible-date", f"expected a real date and time, found {value!r} ({exc})"
        value = stamp.group(1)
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        return "bad-date", (f"expected a date YYYY-MM-DD or an ISO 8601 timestamp, found "
                            f"{_snippet(value)}")
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        return "impossible-date", f"expected a real calendar date, found {value!r} ({exc})"


def _article(
    src: Source, opts: ReadOptions, file: str, record: int, *, article_id: str,
    url: str | None, title: object, date: object, raw_text: object,
) -> Record:
    """Check and normalise one record into an Article, or explain why it is refused."""

    def reject(reason: str, message: str) -> Reject:
        return Reject(src.name, file, record, reason, message)

    if raw_text is None:
        return reject("missing-field", "expected a field 'text' (a string), found none")
    if not isinstance(raw_text, str):
        return reject("bad-field", f"expected field 'text' to be a string, "
                      f"found {type(raw_text).__name__} {_snippet(str(raw_text))}")
    if title is not None and not isinstance(title, str):
        return reject("bad-field", f"expected field 'title' to be a string or null, "
                      f"found {type(title).__name__} {_snippet(str(title))}")
    if len(raw_text) > opts.max_chars:
        return reject("too-large", f"expected at most {opts.max_chars:,} characters of text, "
                      f"found {len(raw_text):,} (before normalisation)")
    for what, value in (("url", url), ("title", title), ("date", date), ("text", raw_text)):
        if isinstance(value, str) and (problem := _char_problem(value, f"field {what!r}")):
            return reject(*problem)
    if (isinstance(title, str) and _TEST_PAGE.match(title.strip())) or (
            url and _TEST_PAGE.match(url.rstrip("/").rsplit("/", 1)[-1])):
        return reject("test-page", f"expected a news article, found a test page "
                      f"(title {_snippet(title or '')}, url {_snippet(url or '')})")
    parsed = _parse_date(date)
    if isinstance(parsed, tuple):
        return reject(*parsed)
    if parsed > opts.reference_date:
        return reject("future-date", f"expected a date on or before the reference date "
                      f"{opts.reference_date}, found {parsed}")
    text = normalize_text(raw_text)
    if not text:
        return reject("empty-text", f"expected text, found {len(raw_text):,} characters that "
                      "are empty after normalisation (whitespace, or only a dateline)")
    if len(text) > opts.max_chars:
        return reject("too-large", f"expected at most {opts.max_chars:,} characters of text, "
                      f"found {len(text):,} after normalisation")
    if markup := find_markup(text):
        return reject("markup", f"expected plain text, found {markup}")
    if not has_english(text):
        return reject("not-english", f"expected at least one English passage, found none in "
                      f"{len(text):,} characters ({_snippet(text)})")
    title = normalize_text(title) if isinstance(title, str) else None
    return Article(article_id, src.name, url, title or None, parsed, src.license, text, file,
                   record)


# --- files ----------------------------------------------------------------------------------

def _data_files(src: Source, suffix: str | tuple[str, ...]
                ) -> Iterator[tuple[str, Path | Reject]]:
    """(name, path) of each data file, or (name, Reject) when it must not or cannot be read.

    Names listed in `source.json` keep their order; otherwise every entry ending in `suffix`,
    sorted by name, so output never depends on directory order. Paths resolving outside the
    source folder (symlinks, `..`) are refused without being opened.
    """
    root = src.path.resolve()
    if src.files:
        names = list(src.files)
    else:
        with os.scandir(src.path) as entries:
            names = sorted(e.name for e in entries if e.name.endswith(suffix))
    for name in names:
        path = src.path / name

        def reject(reason: str, message: str, name: str = name) -> tuple[str, Reject]:
            return name, Reject(src.name, name, 0, reason, message)

        try:
            target = path.resolve()
        except (OSError, RuntimeError) as exc:  # symlink loop
            yield reject("unreadable", f"expected a readable file, found an unresolvable path "
                         f"({exc})")
            continue
        if not target.is_relative_to(root):
            kind = "a symlink" if path.is_symlink() else "a path"
            yield reject("symlink-outside", f"expected a file inside the source folder, found "
                         f"{kind} to {target}; not followed")
            continue
        if not target.exists():
            found = (f"a broken symlink to {target}" if path.is_symlink()
                     else "nothing (listed in source.json, missing on disk)")
            yield reject("unreadable", f"expected a file, found {found}")
            continue
        if not target.is_file():
            found = "a folder" if target.is_dir() else "a special file (fifo, socket or device)"
            yield reject("unreadable", f"expected a regular file, found {found}")
            continue
        yield name, path


def _read_bytes(path: Path, src: Source, name: str, record: int) -> bytes | Reject:
    try:
        return path.read_bytes()
    except OSError as exc:
        return Reject(src.name, name, record, "unreadable",
                      f"expected a readable file, found {exc.strerror or exc}")


def _binary_file(data: bytes) -> str | None:
    """Why a whole file is not UTF-8 text, from its first bytes; None when it may be."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "not-utf8"
    if b"\x00" in data[:8192]:
        return "binary"
    return None


def _decode_file(data: bytes, src: Source, name: str, record: int) -> str | Reject:
    """Whole-file text with undecodable bytes kept as surrogates (checked per record)."""
    kind = _binary_file(data)
    if kind == "not-utf8":
        return Reject(src.name, name, record, "not-utf8",
                      "expected UTF-8, found a UTF-16 byte-order mark; re-save the file as UTF-8")
    if kind == "binary":
        first_nul = data.index(0)
        return Reject(src.name, name, record, "binary",
                      f"expected UTF-8 text, found NUL bytes (first at byte {first_nul}): "
                      "a binary or UTF-16 file")
    return data.decode("utf-8", errors="surrogateescape").removeprefix("\ufeff")


# --- readers --------------------------------------------------------------------------------

def file_size(src: Source, name: str, path: Path) -> int | Reject:
    """A file's size in bytes, read before its content so an oversized file is refused
    unread; an unreadable one is refused as `unreadable`."""
    try:
        return path.stat().st_size
    except OSError as exc:
        return Reject(src.name, name, 1, "unreadable", f"expected a readable file, found "
                      f"{exc.strerror or exc}")


def read_seed(src: Source, opts: ReadOptions) -> Iterator[Record]:
    """`NNN_<16 hex>.txt` files starting with ` date YYYY-MM-DD ` and then the body."""
    for name, path in _data_files(src, ".txt"):
        if isinstance(path, Reject):
            yield Reject(path.source, path.file, 1, path.reason_code, path.message)
            continue
        m = _SEED_NAME.fullmatch(name)
        if not m:
            yield Reject(src.name, name, 1, "bad-file-name",
                         f"expected a file name NNN_<16 hex digits>.txt, found {name!r}")
            continue
        size = file_size(src, name, path)
        if isinstance(size, Reject):
            yield size
            continue
        if size - 32 > 4 * opts.max_chars:  # >= size/4 code points: over the limit unread
            yield Reject(src.name, name, 1, "too-large",
                         f"expected at most {opts.max_chars:,} characters of text, found a "
                         f"file of {size:,} bytes (at least {(size - 32) // 4:,} characters)")
            continue
        data = _read_bytes(path, src, name, 1)
        if isinstance(data, Reject):
            yield data
            continue
        if kind := _binary_file(data):
            content = _decode_file(data, src, name, 1)
            assert isinstance(content, Reject), kind
            yield content
            continue
        try:
            content = data.decode("utf-8").removeprefix("\ufeff")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            yield Reject(src.name, name, 1, "not-utf8",
                         f"expected UTF-8, found byte 0x{data[exc.start]:02X} at byte "
                         f"{exc.start} (line {line}): {exc.reason}")
            continue
        header = _SEED_HEADER.match(content)
        if not header:
            yield Reject(src.name, name, 1, "missing-date",
                         f"expected the file to start with ' date YYYY-MM-DD ', found "
                         f"{_snippet(content[:24])}")
            continue
        yield _article(src, opts, name, 1, article_id=m.group(1), url=None, title=None,
                       date=header.group(1), raw_text=content[header.end():])


def _decoded_files(src: Source, suffix: str) -> Iterator[tuple[str, str] | Reject]:
    """(name, decoded text) of each data file, or the Reject that stops the whole file."""
    for name, path in _data_files(src, suffix):
        if isinstance(path, Reject):
            yield path
            continue
        data = _read_bytes(path, src, name, 0)
        content = data if isinstance(data, Reject) else _decode_file(data, src, name, 0)
        yield content if isinstance(content, Reject) else (name, content)


def read_wikinews_csv(src: Source, opts: ReadOptions) -> Iterator[Record]:
    """CSV with header `url,date,title,text` (any order, extra columns ignored; `columns` in
    source.json may rename them): `newsfacts.build.readers_table.read_csv`.

    `record` is the data row number (1-based, header excluded); messages also give the lines.
    A row with broken quoting is one reject and reading goes on with the next record.
    """
    from newsfacts.build.readers_table import read_csv

    return read_csv(src, opts)


def read_jsonl(src: Source, opts: ReadOptions) -> Iterator[Record]:
    """One JSON object a line with `url`, `title`, `date`, `text`; `record` is the line number.

    Blank lines are not records. Each line is decoded on its own, so one bad byte costs only
    the line it is on.
    """
    for item in _decoded_files(src, ".jsonl"):
        if isinstance(item, Reject):
            yield item
            continue
        name, content = item
        for line_no, line in enumerate(content.split("\n"), start=1):
            if not line.strip():
                continue

            def reject(reason: str, message: str, line_no: int = line_no,
                       name: str = name) -> Reject:
                return Reject(src.name, name, line_no, reason, message)

            if problem := _char_problem(line, "line"):
                yield reject(*problem)
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                yield reject("bad-json", f"expected a JSON object, found invalid JSON at "
                             f"column {exc.colno}: {exc.msg}")
                continue
            except RecursionError:
                yield reject("bad-json", "expected a JSON object, found nesting too deep")
                continue
            if not isinstance(obj, dict):
                yield reject("bad-json", f"expected a JSON object, found a JSON "
                             f"{type(obj).__name__} {_snippet(line)}")
                continue
            key = src.column  # `columns` in source.json may rename the keys
            url = obj.get(key("url"))
            if not isinstance(url, str) or not url.strip():
                found = (_snippet(url) if isinstance(url, str) else
                         f"no {key('url')!r}" if url is None
                         else f"{type(url).__name__} {url!r}"[:60])
                yield reject("missing-field", f"expected a non-empty string {key('url')!r}, "
                             f"found {found}")
                continue
            title = obj.get(key("title")) if key("title") is not None else None
            yield _article(src, opts, name, line_no, article_id=article_id_from_url(url),
                           url=url, title=title, date=obj.get(key("date")),
                           raw_text=obj.get(key("text")))


def _reader(module: str, name: str) -> Callable[[Source, ReadOptions], Iterator[Record]]:
    """A reader defined in another module, imported when first used (those modules import
    this one, and the HTML/WARC readers need trafilatura and warcio)."""

    def read(src: Source, opts: ReadOptions) -> Iterator[Record]:
        return getattr(importlib.import_module(module), name)(src, opts)

    return read


_READERS: dict[str, Callable[[Source, ReadOptions], Iterator[Record]]] = {
    "seed-txt": read_seed, "wikinews-csv": read_wikinews_csv, "jsonl": read_jsonl,
    "csv": read_wikinews_csv, "parquet": _reader("newsfacts.build.readers_table", "read_parquet"),
    "html": _reader("newsfacts.build.readers_html", "read_html"),
    "warc": _reader("newsfacts.build.readers_html", "read_warc"),
}
SOURCE_FORMATS = tuple(_READERS)


def read_source(src: Source, options: ReadOptions | None = None) -> Iterator[Record]:
    """Every record of a source, as Article or Reject, in a deterministic order."""
    return _READERS[src.format](src, options or ReadOptions())
