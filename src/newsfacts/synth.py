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
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from newsfacts.sources import Article, Source, read_source

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
        f"{n} made-up articles (seed {seed}) written by `newsfacts.synth` from sentences of "
        f"{', '.join(p.name for p in sorted(corpus_dirs))}, drawn at random. They are not "
        "news, carry no licence (NOASSERTION) and must never be published or released.\n",
        encoding="utf-8")
    with open(out / "articles.jsonl", "w", encoding="utf-8") as f:
        for rec in synthetic_records(pool, n, seed):
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return out


def append_synthetic(out: Path, pool: Pool, n_before: int, n_after: int, seed: int = 0) -> None:
    """Grow a folder written by `write_synthetic` from `n_before` to `n_after` articles."""
    with open(out / "articles.jsonl", "a", encoding="utf-8") as f:
        for rec in synthetic_records(pool, n_after, seed, start=n_before):
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
