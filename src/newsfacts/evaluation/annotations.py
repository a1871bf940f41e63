"""Our own annotations, stored without article text (gold/FORMAT.md files minus ``text``).

An annotation file holds everything a FORMAT.md gold file holds except the article text, plus
``text_sha256`` and ``source`` (the corpus folder name). The text is joined back from the
corpus by ``article_id`` when the file is read, and refused when its hash differs: offsets are
meaningless against another text, and source texts are never copied into the repository.

Annotators write *drafts*: the same JSON, but a span may be given as ``text`` plus ``ctx`` (a
short unique snippet of the article that contains it) instead of ``start``/``end``, and a
figure names the event it quantifies by that event's ``id``. The optional ``coref`` layer
(beyond FORMAT.md) links pronouns that are an event's source or target to their actor.
:func:`resolve_draft` turns a draft into a stored file and checks every field against the
guideline's vocabularies.

Command line (for annotators)::

    python -m newsfacts.evaluation.annotations list  [--corpus DIR]
    python -m newsfacts.evaluation.annotations show  ARTICLE_ID [--corpus DIR]
    python -m newsfacts.evaluation.annotations resolve DRAFT.json --out DIR [--annotator NAME]
        [--corpus DIR]
    python -m newsfacts.evaluation.annotations check DIR [--corpus DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from newsfacts.build.normalize import text_sha256
from newsfacts.errors import NewsfactsError

Record = dict[str, Any]

KINDS = ("person", "organization", "country", "group")
SECTORS = ("GOV", "LEG", "JUD", "MIL", "COP", "SPY", "REB", "PTY", "OPP", "BUS", "MED", "NGO",
           "IGO", "CVL", "REL", "EDU", "HLH", "LAB", "CRM")
EVENT_TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT",
               "REQUEST", "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE",
               "COERCE", "ASSAULT")
MODALITIES = ("asserted", "future", "hypothetical", "negated")
PRECISIONS = ("day", "week", "month", "year", "unknown")
BASES = ("explicit", "publication")
QUALIFIERS = ("exact", "approx", "at_least", "at_most", "range")
FIGURE_KINDS = ("count", "money", "percent", "duration", "age", "measure", "other")
_KEY = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
_ISO3 = re.compile(r"[A-Z]{3}")

# Annotators copy snippets from a terminal: typographic quotes and dashes may come back plain.
_EQUIV = {"'": "['’‘]", "’": "['’‘]", "‘": "['’‘]", '"': "[\"“”]", "“": "[\"“”]",
          "”": "[\"“”]", "-": "[-–—]", "–": "[-–—]", "—": "[-–—]"}


_SENT_END = re.compile(r'(?:(?<=[.!?])|(?<=[.!?]["”’]))\s+(?=["“]?[A-Z])|\n+')

_ABBREV_END = re.compile(r"(\b[A-Z]\.(?:[A-Z]\.)+|\b(?:Mr|Mrs|Ms|Dr|Gen|Sen|Rep|Lt|Col|St)\.)$")


class AnnotationError(NewsfactsError, ValueError):
    """An annotation that cannot be stored or read: names the file, the record and why."""


def default_corpus_root() -> Path:
    """``../shared/corpus`` beside the project (its usual place; CI lays it there too)."""
    from newsfacts.project import project_root

    return (project_root() or Path.cwd()).parent / "shared" / "corpus"


def corpus_texts(corpus_dir: Path) -> dict[str, Record]:
    """Every accepted article of one source folder, by id: text, date, url, title."""
    from newsfacts.build.sources import Article, ReadOptions, Source, read_source

    src = Source.open(corpus_dir)
    out: dict[str, Record] = {}
    opts = ReadOptions(reference_date=dt.date(2100, 1, 1))
    for rec in read_source(src, opts):
        if isinstance(rec, Article):
            out[rec.article_id] = {"text": rec.text, "published_date": rec.published_date
                                   .isoformat(), "url": rec.url, "title": rec.title,
                                   "source": Path(corpus_dir).name}
    return out


def _pattern(snippet: str) -> re.Pattern[str]:
    return re.compile("".join(_EQUIV.get(c, re.escape(c)) for c in snippet))


def locate(text: str, span: str, ctx: str | None, where: str) -> tuple[int, int]:
    """Offsets of ``span``: its only occurrence, or its only one inside the unique ``ctx``."""
    if not span:
        raise AnnotationError(f"{where}: empty span text")
    base = 0
    if ctx:
        hits = [m.start() for m in _pattern(ctx).finditer(text)]
        if len(hits) != 1:
            raise AnnotationError(
                f"{where}: ctx {ctx!r} occurs {len(hits)} times in the text; "
                "give a snippet that occurs exactly once")
        base = hits[0]
        region = text[base:base + len(_matched(_pattern(ctx), text, base))]
    else:
        region = text
    hits = [m.start() for m in _pattern(span).finditer(region)]
    if len(hits) != 1:
        raise AnnotationError(
            f"{where}: {span!r} occurs {len(hits)} times "
            + ("inside its ctx" if ctx else "in the text; add a 'ctx' snippet that is unique"))
    start = base + hits[0]
    return start, start + len(_matched(_pattern(span), text, start))


def _matched(pattern: re.Pattern[str], text: str, at: int) -> str:
    """The text `pattern` matches at `at` (where `finditer` found it)."""
    m = pattern.match(text, at)
    if m is None:
        raise AnnotationError(f"no match of {pattern.pattern!r} at {at}")
    return m.group(0)


def _span(item: Record, text: str, key: str, where: str) -> tuple[int, int]:
    start_key, end_key = ("trigger_start", "trigger_end") if key == "trigger" else (
        "start", "end")
    if isinstance(item.get(start_key), int) and isinstance(item.get(end_key), int):
        start, end = item[start_key], item[end_key]
        if item.get(key) is not None and text[start:end] != item[key]:
            raise AnnotationError(f"{where}: [{start}, {end}) is {text[start:end]!r}, "
                                  f"not {item[key]!r}")
        return start, end
    return locate(text, item.get(key) or "", item.get("ctx"), where)


def _enum(value: Any, allowed: Iterable[Any], where: str, field: str) -> None:
    if value not in allowed:
        raise AnnotationError(f"{where}: {field} {value!r} is not one of {list(allowed)}")


def _date(value: Any, where: str) -> None:
    if value is None:
        return
    try:
        dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise AnnotationError(f"{where}: date {value!r} is not YYYY-MM-DD") from None


def check_actor(key: str, actor: Record, keys: Iterable[str], where: str) -> None:
    """Refuse an actor whose key, kind, sector, country or affiliation breaks FORMAT.md."""
    where = f"{where}: actor {key!r}"
    if not _KEY.fullmatch(key):
        raise AnnotationError(f"{where}: key must be a lowercase slug")
    if not isinstance(actor.get("name"), str) or not actor["name"].strip():
        raise AnnotationError(f"{where}: name is required")
    _enum(actor.get("kind"), KINDS, where, "kind")
    _enum(actor.get("sector"), (*SECTORS, None), where, "sector")
    country = actor.get("country")
    if country is not None and not (isinstance(country, str) and _ISO3.fullmatch(country)):
        raise AnnotationError(f"{where}: country {country!r} is not ISO 3166-1 alpha-3 or null")
    if actor.get("affiliation") is not None and actor["affiliation"] not in keys:
        raise AnnotationError(f"{where}: affiliation {actor['affiliation']!r} is not an actor key")


def resolve_draft(draft: Record, article: Record, annotator: str | None = None) -> Record:
    """A draft annotation (spans by ``ctx``) as a stored, checked annotation without text."""
    text = article["text"]
    aid = draft.get("article_id")
    where = f"draft {aid}"
    actors = {k: {f: a.get(f) for f in ("name", "kind", "sector", "country", "title",
                                        "affiliation")}
              for k, a in (draft.get("actors") or {}).items()}
    for key, actor in actors.items():
        check_actor(key, actor, actors, where)
    mentions = _actor_spans(draft.get("mentions") or [], text, actors, f"{where}: mention")
    coref = _actor_spans(draft.get("coref") or [], text, actors, f"{where}: coref")
    events, by_id = [], {}
    for i, e in enumerate(draft.get("events") or []):
        w = f"{where}: event {i} ({e.get('trigger')!r})"
        start, end = _span(e, text, "trigger", w)
        _enum(e.get("type"), EVENT_TYPES, w, "type")
        _enum(e.get("modality"), MODALITIES, w, "modality")
        _enum(e.get("date_precision"), PRECISIONS, w, "date_precision")
        _enum(e.get("date_basis"), BASES, w, "date_basis")
        _date(e.get("date"), w)
        if (e.get("date") is None) != (e.get("date_precision") == "unknown"):
            raise AnnotationError(f"{w}: date is null exactly when date_precision is 'unknown'")
        for role in ("source", "target"):
            if e.get(role) is not None and e[role] not in actors:
                raise AnnotationError(f"{w}: {role} {e[role]!r} is not an actor key")
        row = {"type": e["type"], "mode": e.get("mode"), "modality": e["modality"],
               "trigger": text[start:end], "trigger_start": start, "trigger_end": end,
               "source": e.get("source"), "target": e.get("target"), "date": e.get("date"),
               "date_precision": e["date_precision"], "date_basis": e["date_basis"],
               "location": e.get("location"), "location_country": e.get("location_country")}
        if e.get("id") is not None:
            by_id[e["id"]] = start
        events.append(row)
    figures = []
    for i, f in enumerate(draft.get("figures") or []):
        w = f"{where}: figure {i} ({f.get('text')!r})"
        start, end = _span(f, text, "text", w)
        _enum(f.get("qualifier"), QUALIFIERS, w, "qualifier")
        _enum(f.get("kind"), FIGURE_KINDS, w, "kind")
        if not isinstance(f.get("value"), int | float):
            raise AnnotationError(f"{w}: value must be a number")
        trig = f.get("event_trigger_start")
        if f.get("event") is not None:
            if f["event"] not in by_id:
                raise AnnotationError(f"{w}: event {f['event']!r} is not an event id")
            trig = by_id[f["event"]]
        figures.append({"start": start, "end": end, "text": text[start:end],
                        "value": float(f["value"]),
                        "value_high": None if f.get("value_high") is None
                        else float(f["value_high"]),
                        "qualifier": f["qualifier"], "kind": f["kind"], "unit": f.get("unit"),
                        "counted": f.get("counted"), "event_trigger_start": trig})
    return {
        "article_id": aid, "source": article["source"], "url": article.get("url"),
        "published_date": article["published_date"], "text_sha256": text_sha256(text),
        "annotator": annotator or draft.get("annotator"),
        "actors": actors,
        "mentions": sorted(mentions, key=lambda m: (m["start"], m["end"])),
        "events": sorted(events, key=lambda e: (e["trigger_start"], e["trigger_end"])),
        "figures": sorted(figures, key=lambda f: (f["start"], f["end"])),
        "coref": coref,
    }


def _actor_spans(items: list[Record], text: str, actors: Record, what: str) -> list[Record]:
    """Spans that refer to an actor (mentions; pronouns of the ``coref`` layer), sorted."""
    out = []
    for i, m in enumerate(items):
        w = f"{what} {i} ({m.get('text')!r})"
        start, end = _span(m, text, "text", w)
        if m.get("actor") not in actors:
            raise AnnotationError(f"{w}: actor {m.get('actor')!r} is not an actor key")
        out.append({"start": start, "end": end, "text": text[start:end], "actor": m["actor"]})
    return sorted(out, key=lambda m: (m["start"], m["end"]))


def join_text(doc: Record, corpus_root: Path, path: Path,
              cache: dict[str, dict[str, Record]] | None = None) -> Record:
    """A stored annotation with its article text joined from the corpus, hash-checked."""
    cache = {} if cache is None else cache
    source = doc.get("source")
    if not source:
        raise AnnotationError(f"{path}: no 'source' (corpus folder) to join the text from")
    if source not in cache:
        folder = corpus_root / source
        if not folder.is_dir():
            raise AnnotationError(f"{path}: corpus folder {folder} not found")
        cache[source] = corpus_texts(folder)
    article = cache[source].get(doc["article_id"])
    if article is None:
        raise AnnotationError(f"{path}: article {doc['article_id']} is not in {source}")
    if text_sha256(article["text"]) != doc.get("text_sha256"):
        raise AnnotationError(f"{path}: text_sha256 differs from the corpus text of "
                              f"{doc['article_id']}: the annotation is for another text")
    return {**doc, "text": article["text"]}


def dump(doc: Record) -> str:
    """Stable JSON text of a stored annotation (sorted keys would reorder records: not used)."""
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def _show(article_id: str, texts: dict[str, Record]) -> str:
    art = texts.get(article_id)
    if art is None:
        raise AnnotationError(f"article {article_id} is not in the corpus")
    lines = [f"article_id {article_id}  published {art['published_date']}  "
             f"sha256 {text_sha256(art['text'])}", f"title: {art['title']}", ""]
    # Display only: one sentence a line, so annotators can copy unique snippets.
    sents: list[str] = []
    for piece in _SENT_END.split(art["text"]):
        if sents and _ABBREV_END.search(sents[-1]):
            sents[-1] += " " + piece
        else:
            sents.append(piece)
    for i, sent in enumerate(sents):
        lines.append(f"[{i}] {sent}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Annotators' command line: list, show, resolve, check."""
    p = argparse.ArgumentParser(prog="python -m newsfacts.evaluation.annotations")
    p.add_argument("--corpus", type=Path, default=None,
                   help="corpus source folder (default ../shared/corpus/voa-2025)")
    sub = p.add_subparsers(dest="cmd", required=True)
    sub.add_parser("list")
    s = sub.add_parser("show")
    s.add_argument("article_id")
    r = sub.add_parser("resolve")
    r.add_argument("draft", type=Path)
    r.add_argument("--out", type=Path, required=True)
    r.add_argument("--annotator", default=None)
    c = sub.add_parser("check")
    c.add_argument("folder", type=Path)
    args = p.parse_args(argv)
    corpus = args.corpus or default_corpus_root() / "voa-2025"
    try:
        texts = corpus_texts(corpus)
        if args.cmd == "list":
            for aid, art in texts.items():
                print(aid, art["published_date"], len(art["text"].split()), art["title"])
        elif args.cmd == "show":
            print(_show(args.article_id, texts))
        elif args.cmd == "resolve":
            draft = json.loads(args.draft.read_text(encoding="utf-8"))
            found = texts.get(draft.get("article_id"))
            if found is None:
                raise AnnotationError(f"{args.draft}: article_id {draft.get('article_id')!r} "
                                      f"is not in {corpus}")
            doc = resolve_draft(draft, found, args.annotator)
            args.out.mkdir(parents=True, exist_ok=True)
            out = args.out / f"{doc['article_id']}.json"
            out.write_text(dump(doc), encoding="utf-8")
            print(f"wrote {out}: {len(doc['actors'])} actors, {len(doc['mentions'])} mentions, "
                  f"{len(doc['events'])} events, {len(doc['figures'])} figures")
        elif args.cmd == "check":
            cache = {corpus.name: texts}
            for path in sorted(args.folder.glob("*.json")):
                doc = json.loads(path.read_text(encoding="utf-8"))
                joined = join_text(doc, corpus.parent, path, cache)
                resolve_draft(joined, {**texts[doc["article_id"]]})
            print(f"{args.folder}: all annotations check")
    except (AnnotationError, OSError, json.JSONDecodeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
