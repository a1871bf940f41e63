"""Readers of saved web pages: `html` (a folder of saved pages) and `warc` (crawls).

The article's text comes from trafilatura (main-content extraction: navigation, cookie
banners, footers, "most read" and related-link boxes are left out), after pruning the elements
that are boilerplate by their role (`nav`, `footer`, `aside`, cookie and consent banners, most
read / related / newsletter / share boxes), so they cannot reach the text even on a page whose
layout confuses the extractor. Title, publication date and canonical URL come from the page's
metadata (`<link rel=canonical>`, `og:*` and `article:published_time` meta tags, JSON-LD,
`<time>` elements, read by trafilatura and htmldate without guessing from the text: a footer's
"(c) 2024" is not a publication date). `article_id` is computed from the canonical URL as for
every other format. The text keeps one paragraph per extracted block, separated by a blank
line like the other corpora's texts; a first line that repeats the title is dropped (the title
is its own field).

A record is one page file (`record` 1) or one WARC `response`/`resource` record with an HTML
payload and, for responses, HTTP status 2xx (`record` is its position among the file's WARC
records, 1-based). Requests, metadata, redirects, error pages and non-HTML payloads (images,
scripts) are not pages and not records. A page refused:

- `no-article`: the extractor finds no article text, or less than `MIN_ARTICLE_CHARS`
  (a "page not found", an index page of links, a consent wall);
- `missing-field`: no canonical URL (nor `og:url`, nor, for a file saved by a browser, the
  `saved from url` comment; in a WARC the record's target URI stands in);
- `missing-date`: no publication date in the page's metadata (a crawl date is not one);
- `not-utf8`: bytes that are not valid in the page's declared charset (UTF-8 when it declares
  none; pages in other charsets are read when they say so);
- and every check of `sources._article` (dates, size, markup left in the text, ...).
"""

from __future__ import annotations

import codecs
import dataclasses
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from newsfacts.build.normalize import article_id_from_url, normalize_text
from newsfacts.build.sources import (
    ReadOptions,
    Record,
    Reject,
    Source,
    _article,
    _binary_file,
    _data_files,
    _read_bytes,
    file_size,
)

MIN_ARTICLE_CHARS = 200
"""Less extracted text than this is not an article (`no-article`): the shortest article of the
four real corpora has 516 characters; "page not found" and consent walls have far fewer."""
PAGE_BYTES_PER_CHAR = 40
"""A page larger than `max_chars` times this many bytes is refused unread (`too-large`):
markup, scripts and styles make pages ~5-20 times larger than their text."""
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
WARC_SUFFIXES = (".warc", ".warc.gz")

_LOWER = "translate({}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"
_KEEP_ARTICLE = "not(self::article or self::main or self::body or .//article or .//main)"
_BOILERPLATE_NAMES = ("cookie", "consent", "gdpr", "most-read", "mostread", "most_read",
                      "most-popular", "trending", "related", "recommend", "read-more",
                      "readmore", "newsletter", "signup", "sign-up", "subscribe", "share",
                      "social", "promo", "sponsor", "advert", "ad-", "ads-", "outbrain",
                      "taboola", "paywall", "breadcrumb")
"""Boxes whose class-name token or id starts with one of these are never article text."""
_PRUNE = [
    f"//*[(self::nav or self::footer or self::aside or @role='navigation' "
    f"or @role='contentinfo' or @role='complementary' or @aria-modal='true') and {_KEEP_ARTICLE}]",
    "//*[(" + " or ".join(
        f"contains(concat(' ', {_LOWER.format('@class')}), ' {w}') "
        f"or starts-with({_LOWER.format('@id')}, '{w}')" for w in _BOILERPLATE_NAMES)
    + f") and {_KEEP_ARTICLE} and count(.//p) < 3]",
]
"""Removed before extraction: boxes that are boilerplate by their role or name. An element
holding the article (`article`, `main`) or three paragraphs or more is never removed."""
_TEASER = re.compile(
    r"(?:(?:read more|read also|also read|related(?: stories| articles| coverage)?|see also"
    r"|more on this(?: story)?|recommended|most read)\s*[:|\-\u2013\u2014]"
    r"|(?:sign up|subscribe|follow us|click here|share this|download our app)\b"
    r"|advertisement\s*$)",
    re.IGNORECASE)
"""A short paragraph starting so is a teaser or a call to action inside the article, not text."""
_TEASER_MAX_CHARS = 300
_DATE_PARAMS = {"extensive_search": False, "original_date": True,
                "min_date": "1900-01-01", "max_date": "2999-12-31"}
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:\-]+)""", re.I)
_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)(\S+?)\s*-->", re.I)
_ABSOLUTE_URL = re.compile(r"https?://\S+", re.I)


@dataclasses.dataclass(frozen=True)
class Page:
    """A page's article as extracted: text (None: none), title, date, canonical URL."""

    text: str | None
    title: str | None
    date: str | None
    url: str | None


def _decode(data: bytes, declared: str | None) -> str | tuple[str, str]:
    """Page text, or (reason, message). Charset: BOM, then `declared` (HTTP), then `<meta>`,
    else UTF-8; never guessed."""
    if kind := _binary_file(data):
        if kind == "not-utf8":
            return "not-utf8", "expected UTF-8 or a declared charset, found a UTF-16 BOM"
        return "binary", f"expected an HTML page, found NUL bytes (first at byte {data.index(0)})"
    if data.startswith(codecs.BOM_UTF8):
        charset, data = "utf-8", data[len(codecs.BOM_UTF8):]
    else:
        m = _CHARSET.search(data[:4096])
        charset = declared or (m.group(1).decode("ascii") if m else "utf-8")
    try:
        codec = codecs.lookup(charset).name
    except LookupError:
        return "not-utf8", f"expected a known charset, found the page declaring {charset!r}"
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return "not-utf8", (f"expected text in {codec} (declared by the page, or UTF-8 when it "
                            f"declares none), found byte 0x{data[exc.start]:02X} at byte "
                            f"{exc.start} (line {line})")


def extract_page(html: str, url: str | None = None) -> Page:
    """The article of one page (`url`: where it was fetched, used when the page names none)."""
    import trafilatura

    doc: Any = trafilatura.bare_extraction(  # a trafilatura Document (as_dict is off)
        html, url=url, with_metadata=True, include_comments=False, include_tables=False,
        include_images=False, favor_precision=True, deduplicate=False,
        date_extraction_params=_DATE_PARAMS, prune_xpath=_PRUNE)
    if doc is None:
        return Page(None, None, None, url or _saved_from(html))
    canonical = doc.url if doc.url and _ABSOLUTE_URL.fullmatch(doc.url) else None
    paragraphs = [p for p in (line.strip() for line in (doc.text or "").split("\n"))
                  if p and not (len(p) <= _TEASER_MAX_CHARS and _TEASER.match(p))]
    title, paragraphs = _headline(doc.title, doc.sitename, paragraphs)
    return Page("\n\n".join(paragraphs) or None, title, doc.date,
                canonical or url or _saved_from(html))


_SEPARATOR = r"\s*[|\-\u2013\u2014:\u00b7\u2022]\s*"


def _headline(title: str | None, site: str | None,
              paragraphs: list[str]) -> tuple[str | None, list[str]]:
    """The title without a site-name suffix, and the paragraphs without a first one that
    only repeats the headline (`Talks resume` in the text, `Talks resume | Site` as title)."""
    if not title:
        return None, paragraphs
    title = normalize_text(title)
    if site and (m := re.fullmatch(rf"(.+?){_SEPARATOR}{re.escape(site)}", title, re.I)):
        title = m.group(1)
    if paragraphs:
        first = normalize_text(paragraphs[0])
        if title == first or (title.startswith(first) and re.fullmatch(
                rf"{_SEPARATOR}[^|\u2013\u2014\u00b7\u2022]{{1,60}}", title[len(first):])):
            return first, paragraphs[1:]
    return title, paragraphs


def _saved_from(html: str) -> str | None:
    """The URL a browser wrote into a saved page (`<!-- saved from url=(0042)https://... -->`)."""
    m = _SAVED_FROM.search(html[:4096])
    return m.group(1) if m and _ABSOLUTE_URL.fullmatch(m.group(1)) else None


def _page_record(src: Source, opts: ReadOptions, name: str, record: int, data: bytes, *,
                 where: str = "", declared: str | None = None,
                 fetched_url: str | None = None) -> Record:
    """One saved page as an Article, or the Reject saying why not."""

    def reject(reason: str, message: str) -> Reject:
        return Reject(src.name, name, record, reason, where + message)

    limit = opts.max_chars * PAGE_BYTES_PER_CHAR
    if len(data) > limit:
        return reject("too-large", f"expected a page of at most {limit:,} bytes, found "
                      f"{len(data):,}")
    html = _decode(data, declared)
    if isinstance(html, tuple):
        return reject(*html)
    page = extract_page(html, fetched_url)
    if page.text is None or len(normalize_text(page.text)) < MIN_ARTICLE_CHARS:
        found = (f"only {len(normalize_text(page.text)):,} characters of text "
                 f"({page.text[:60]!r})" if page.text else "no main text")
        return reject("no-article", f"expected an article of at least {MIN_ARTICLE_CHARS} "
                      f"characters, found {found}")
    if not page.url:
        return reject("missing-field", "expected a canonical URL (<link rel=\"canonical\">, "
                      "og:url or a 'saved from url' comment), found none")
    if not page.date:
        return reject("missing-date", "expected a publication date in the page's metadata "
                      "(article:published_time, JSON-LD datePublished, <time>), found none")
    rec = _article(src, opts, name, record, article_id=article_id_from_url(page.url),
                   url=page.url, title=page.title, date=page.date, raw_text=page.text)
    if isinstance(rec, Reject) and where:
        return dataclasses.replace(rec, message=where + rec.message)
    return rec


def _page_names(src: Source) -> tuple[str, ...]:
    """Every page below the source folder (subfolders too: a mirrored site), sorted by path,
    or the files source.json lists. The `<name>_files/` folder a browser saves beside
    `<name>.html` holds the page's frames and ads, not pages."""
    if src.files:
        return src.files
    found = []
    for folder, dirs, files in os.walk(src.path):
        here = Path(folder)
        pages = {f.rsplit(".", 1)[0] for f in files if f.lower().endswith(HTML_SUFFIXES)}
        dirs[:] = [d for d in dirs if not (d.endswith("_files") and d[:-6] in pages)]
        found += [(here / f).relative_to(src.path).as_posix() for f in files
                  if f.lower().endswith(HTML_SUFFIXES)]
    return tuple(sorted(found))


def read_html(src: Source, opts: ReadOptions) -> Iterator[Record]:
    """A folder of saved pages (`.html`, `.htm`, `.xhtml`, in subfolders too): one record each."""
    names = _page_names(src)
    if not names:
        return
    for name, path in _data_files(dataclasses.replace(src, files=names), HTML_SUFFIXES):
        if isinstance(path, Reject):
            yield dataclasses.replace(path, record=1)
            continue
        limit = opts.max_chars * PAGE_BYTES_PER_CHAR
        size = file_size(src, name, path)
        if isinstance(size, Reject):
            yield size
            continue
        if size > limit:  # refused unread
            yield Reject(src.name, name, 1, "too-large", f"expected a page of at most "
                         f"{limit:,} bytes, found {size:,}")
            continue
        data = _read_bytes(path, src, name, 1)
        yield data if isinstance(data, Reject) else _page_record(src, opts, name, 1, data)


def _html_type(content_type: str | None) -> tuple[bool, str | None]:
    """(is HTML, declared charset) of a Content-Type header."""
    if not content_type:
        return False, None
    kind, _, params = content_type.partition(";")
    m = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9._:\-]+)", params, re.I)
    return kind.strip().lower() in ("text/html", "application/xhtml+xml"), (
        m.group(1) if m else None)


def read_warc(src: Source, opts: ReadOptions) -> Iterator[Record]:
    """WARC files (`.warc`, `.warc.gz`): one record per HTML page fetched (see module doc)."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    for name, path in _data_files(src, WARC_SUFFIXES):
        if isinstance(path, Reject):
            yield path
            continue
        number, end = 0, 0
        try:
            with open(path, "rb") as f:
                records = ArchiveIterator(f)
                for rec in records:
                    number += 1
                    page = _warc_page(rec, opts.max_chars * PAGE_BYTES_PER_CHAR)
                    # (the payload is read before asking for the offset, which skips it)
                    offset = records.get_record_offset()
                    end = offset + records.get_record_length()
                    if page is None:
                        continue
                    data, declared, uri = page
                    where = f"byte {offset}, {uri}: "
                    if data is None:
                        yield Reject(src.name, name, number, "too-large",
                                     f"{where}expected a page of at most "
                                     f"{opts.max_chars * PAGE_BYTES_PER_CHAR:,} bytes, found a "
                                     f"record of {rec.length:,}; not read")
                        continue
                    if getattr(rec.raw_stream, "limit", 0):  # warcio reads a cut record short
                        yield Reject(src.name, name, number, "unreadable",
                                     f"{where}expected a whole WARC record, found it cut short "
                                     f"({rec.raw_stream.limit:,} bytes missing at the end)")
                        continue
                    yield _page_record(src, opts, name, number, data, where=where,
                                       declared=declared, fetched_url=uri)
                f.seek(end)
                rest = f.read(64)
        except OSError as exc:
            yield Reject(src.name, name, 0 if number == 0 else number + 1, "unreadable",
                         f"expected a readable file, found {exc.strerror or exc}")
            continue
        except (ArchiveLoadFailed, EOFError, ValueError) as exc:
            rest, why = b"?", f" ({exc})"
        else:
            why = ""
        if rest.strip():  # warcio stops quietly at a record it cannot parse
            yield Reject(src.name, name, number + 1, "unreadable",
                         f"expected a WARC record at byte {end}, found data that cannot be read"
                         f"{why}, so the rest of the file is unreadable")


def _warc_page(rec, max_bytes: int) -> tuple[bytes | None, str | None, str | None] | None:
    """(payload, declared charset, target URI) of a record holding an HTML page, else None;
    the payload is None (unread) when the record is larger than `max_bytes`."""
    if rec.rec_type == "response":
        if rec.http_headers is None:
            return None
        status = rec.http_headers.get_statuscode() or ""
        is_html, charset = _html_type(rec.http_headers.get_header("Content-Type"))
        if not (status.startswith("2") and is_html):
            return None
    elif rec.rec_type == "resource":
        is_html, charset = _html_type(rec.rec_headers.get_header("Content-Type"))
        if not is_html:
            return None
    else:
        return None
    uri = rec.rec_headers.get_header("WARC-Target-URI")
    if (rec.length or 0) > max_bytes:
        return None, charset, uri
    return rec.content_stream().read(), charset, uri
