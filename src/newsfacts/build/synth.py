"""SYNTHETIC corpora for benchmarks: real sentences resampled into made-up articles.

The real sources are a few hundred articles; measuring scale needs thousands. This generator
reads the real source folders (normalised by the ordinary readers), splits their texts into
sentences and paragraphs, and writes `n` articles whose paragraph and sentence counts follow
the real articles' and whose sentences are drawn at random from the real ones. The result has
realistic vocabulary, sentence length and entity density for spaCy, but is not news: every
record is labelled SYNTHETIC, the source is licensed NOASSERTION, and it must never be
published. Output depends only on the input corpora, `n` and `seed`.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsfacts.build.sources import Article, Source, read_source

SYNTHETIC_NAME = "synthetic"
_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’)]))\s+(?=[\"“‘(]?[A-Z0-9])")
_FIRST_DAY = dt.date(2019, 1, 1)
_N_DAYS = 731


@dataclass(frozen=True)
class Pool:
    """What articles are resampled from: sentences, and the shape (sentences per paragraph)
    of every real article."""

    sentences: tuple[str, ...]
    shapes: tuple[tuple[int, ...], ...]


def split_sentences(paragraph: str) -> list[str]:
    """Rough sentence split (punctuation, space, capital); good enough to resample from."""
    return [s for s in _SENTENCE_END.split(paragraph.replace("\n", " ")) if s.strip()]


def sentence_pool(corpus_dirs: list[Path]) -> Pool:
    """Sentences and article shapes of every accepted article in the given source folders."""
    sentences: dict[str, None] = {}  # ordered set: the pool must not depend on hash order
    shapes = []
    for folder in sorted(corpus_dirs):
        for rec in read_source(Source.open(folder)):
            if not isinstance(rec, Article):
                continue
            shape = []
            for paragraph in rec.text.split("\n\n"):
                sents = split_sentences(paragraph)
                sentences.update(dict.fromkeys(sents))
                if sents:
                    shape.append(len(sents))
            if shape:
                shapes.append(tuple(shape))
    if not sentences:
        raise ValueError(f"no sentences found in {', '.join(map(str, corpus_dirs))}")
    return Pool(tuple(sentences), tuple(shapes))


def synthetic_records(pool: Pool, n: int, seed: int = 0, start: int = 0) -> Iterator[dict]:
    """Records `start .. n-1` of the corpus with this seed: each record depends only on the
    pool, the seed and its index, so a corpus of n+1 is the corpus of n plus one article."""
    for i in range(start, n):
        rng = random.Random(f"newsfacts-synthetic-{seed}-{i}")
        shape = rng.choice(pool.shapes)
        text = "\n\n".join(" ".join(rng.choice(pool.sentences) for _ in range(k)) for k in shape)
        date = _FIRST_DAY + dt.timedelta(days=rng.randrange(_N_DAYS))
        yield {"url": f"synthetic://newsfacts/seed-{seed}/{i:07d}",
               "title": f"SYNTHETIC article {i} (seed {seed}): resampled sentences, not news",
               "date": date.isoformat(), "text": text}


def source_meta(n: int, seed: int) -> dict:
    """`source.json` of a synthetic folder."""
    return {
        "name": SYNTHETIC_NAME,
        "title": f"SYNTHETIC benchmark corpus: {n} articles of resampled real sentences "
                 f"(seed {seed}); not news, never publish",
        "format": "jsonl", "files": ["articles.jsonl"], "license": "NOASSERTION",
        "attribution": None, "homepage": None,
    }


def write_synthetic(out: Path, corpus_dirs: list[Path], n: int, seed: int = 0,
                    pool: Pool | None = None) -> Path:
    """Write a source folder `out` (source.json, SOURCE.md, articles.jsonl) of `n` articles."""
    pool = pool or sentence_pool(corpus_dirs)
    out.mkdir(parents=True, exist_ok=True)
    (out / "source.json").write_text(json.dumps(source_meta(n, seed), indent=2) + "\n",
                                     encoding="utf-8")
    (out / "SOURCE.md").write_text(
        "# SYNTHETIC corpus: for benchmarks only\n\n"
        f"{n} made-up articles (seed {seed}) written by `newsfacts.build.synth` from sentences of "
        f"{', '.join(p.name for p in sorted(corpus_dirs))}, drawn at random. They are not "
        "news, carry no licence (NOASSERTION) and must never be published or released.\n",
        encoding="utf-8")
    with open(out / "articles.jsonl", "w", encoding="utf-8") as f:
        for rec in synthetic_records(pool, n, seed):
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return out


def typical_record(pool: Pool, n: int, seed: int = 0, tolerance: float = 0.1) -> dict:
    """The first record after the first `n` whose word count is within `tolerance` of their
    median: the "one more article" of an incremental-build benchmark. (Record `n` itself can
    be any length; one 80 times the median would measure that article, not the rebuild.)"""
    words = sorted(len(r["text"].split()) for r in synthetic_records(pool, n, seed))
    median = words[len(words) // 2]
    for i in range(n, n + 10_000):
        rec = next(synthetic_records(pool, i + 1, seed, start=i))
        if abs(len(rec["text"].split()) - median) <= tolerance * median:
            return rec
    raise ValueError(f"no record near the median length ({median} words) after {n}")


def append_records(out: Path, records: Iterable[dict]) -> None:
    """Append records to the `articles.jsonl` of a folder written by `write_synthetic`."""
    with open(out / "articles.jsonl", "a", encoding="utf-8") as f:
        for rec in records:
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")


def write_synthetic_tables(out: Path, n_events: int, events_per_article: int = 100,
                           n_actors: int = 1000) -> dict[str, int]:
    """A valid SYNTHETIC data package with `n_events` events rows, to time validation.

    Article k's text is `events_per_article` sentences "Actor i met Actor j on day d." and
    "Row k." (so that texts are unique, as `text_sha256` must be); the
    first five sentences' names are mentions, every sentence is an event whose source and
    target point at those mentions, and each article has one figure. Row counts and actor
    counts agree exactly, so both validators must pass it. Written by the real TableWriter.
    """
    from newsfacts.build.normalize import split_for, text_sha256
    from newsfacts.build.write import TableWriter, datapackage, write_json
    from newsfacts.schema import TABLES

    out.mkdir(parents=True, exist_ok=True)
    writers = {t: TableWriter(out, t) for t in TABLES}
    n_articles = -(-n_events // events_per_article)
    counts: dict[str, list] = {}
    written = 0
    for k in range(n_articles):
        aid = f"{k:016x}"
        date = _FIRST_DAY + dt.timedelta(days=k % _N_DAYS)
        sents, offsets = [], []
        pos = 0
        for s in range(events_per_article):
            a, b = (k * 7 + s) % n_actors, (k * 13 + s + 1) % n_actors
            sent = f"Actor {a:04d} met Actor {b:04d} on day {s + 1}."
            sents.append(sent)
            offsets.append((pos, a, b))
            pos += len(sent) + 1
        text = " ".join(sents) + f" Row {k}."  # texts repeat every n_actors rows otherwise
        mentions: list[dict[str, Any]] = []
        by_sentence: dict[int, list[dict[str, Any]]] = {}
        for s, (start, a, b) in enumerate(offsets[:5]):
            for actor, off in ((a, 0), (b, 15)):
                mid = f"{aid}-m{len(mentions) + 1:04d}"
                mentions.append({"mention_id": mid, "article_id": aid,
                                 "actor_id": f"actor-{actor:04d}", "start": start + off,
                                 "end": start + off + 10, "text": f"Actor {actor:04d}",
                                 "label": "PERSON", "sentence_index": s})
                by_sentence.setdefault(s, []).append(mentions[-1])
                c = counts.setdefault(f"actor-{actor:04d}", [0, set(), date, date])
                c[0] += 1
                c[1].add(aid)
                c[2], c[3] = min(c[2], date), max(c[3], date)
        events = []
        for s, (start, _, _) in enumerate(offsets):
            if written >= n_events:
                break
            src, tgt = by_sentence[s % 5]
            day = f"day {s + 1}"
            events.append({
                "event_id": f"{aid}-e{s + 1:04d}", "article_id": aid, "event_type": "CONSULT",
                "mode": "meet" if s % 2 else None, "modality": "asserted", "trigger": "met",
                "trigger_start": start + 11, "trigger_end": start + 14, "sentence_index": s,
                "sentence_start": start, "sentence_end": start + len(sents[s]),
                "source_actor_id": src["actor_id"], "source_mention_id": src["mention_id"],
                "target_actor_id": tgt["actor_id"], "target_mention_id": tgt["mention_id"],
                "source_start": src["start"], "source_end": src["end"], "source_basis": "sentence",
                "target_start": tgt["start"], "target_end": tgt["end"], "target_basis": "sentence",
                "reported_by_actor_id": None, "event_date": date if s % 3 else None,
                "date_precision": "day" if s % 3 else "unknown", "date_basis": "publication",
                "date_text": day, "date_start": start + 29, "date_end": start + 29 + len(day),
                "location": None, "location_country": None, "rule": "synthetic",
                "confidence": 0.5})
            written += 1
        art = {"article_id": aid, "source": SYNTHETIC_NAME, "url": None,
               "title": f"SYNTHETIC table row {k}", "published_date": date, "language": "en",
               "license": "NOASSERTION", "text": text, "text_sha256": text_sha256(text),
               "n_chars": len(text), "n_words": 8 * len(sents) + 2,
               "n_sentences": len(sents) + 1, "english_share": 1.0,
               "split": split_for(aid)}
        figure = {"figure_id": f"{aid}-f0001", "article_id": aid, "start": offsets[0][0] + 33,
                  "end": offsets[0][0] + 34, "text": "1", "value": 1.0, "value_high": None,
                  "qualifier": "exact", "kind": "count", "unit": None, "counted": "day",
                  "event_id": events[0]["event_id"] if events else None,
                  "actor_id": None, "sentence_index": 0}
        writers["articles"].write([art])
        writers["mentions"].write(mentions)
        writers["events"].write(events)
        writers["figures"].write([figure])
    writers["actors"].write(
        {"actor_id": aid, "name": f"Actor {aid[-4:]}", "kind": "person", "sector": None,
         "country": None, "title": None, "affiliation_id": None, "wikidata_qid": None,
         "aliases": [f"Actor {aid[-4:]}"], "n_articles": len(c[1]), "n_mentions": c[0],
         "first_date": c[2], "last_date": c[3]}
        for aid, c in sorted(counts.items()))
    for w in writers.values():
        w.close()
    rows = {t: w.rows for t, w in writers.items()}
    meta = source_meta(n_articles, 0)
    write_json(out / "datapackage.json", datapackage(
        out, rows=rows, version="0.0.0", build_info={"synthetic": True},
        sources=[{"title": meta["title"], "license": meta["license"]}]))
    return rows
