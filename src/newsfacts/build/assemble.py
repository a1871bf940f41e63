"""Assemble per-article extraction records into table rows: ids, cross-references, registry.

Ids are positional within an article (`{article_id}-m0001`, in text order), so they are stable
for the same text and code. The actor registry is a pure merge of per-article actor records:
it does not depend on the order articles arrive in.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from newsfacts.build.extract import Extraction
from newsfacts.build.normalize import split_for, text_sha256
from newsfacts.build.sources import Article

_ACTOR_ATTRS = ("kind", "sector", "country", "title", "affiliation_id", "wikidata_qid")


@dataclass
class ArticleRows:
    """Rows of the article-keyed tables for one article."""

    articles: list[dict[str, Any]]
    mentions: list[dict[str, Any]]
    events: list[dict[str, Any]]
    figures: list[dict[str, Any]]
    dropped_refs: int = 0


def _ids(article_id: str, letter: str, n: int) -> list[str]:
    return [f"{article_id}-{letter}{i:04d}" for i in range(1, n + 1)]


def article_rows(article: Article, ex: Extraction) -> ArticleRows:
    """Turn one article's extraction into rows with ids; unresolvable references become null."""
    aid = article.article_id
    art = {
        "article_id": aid, "source": article.source, "url": article.url, "title": article.title,
        "published_date": article.published_date, "language": "en", "license": article.license,
        "text": article.text, "text_sha256": text_sha256(article.text),
        "n_chars": len(article.text), "n_words": ex.n_words,
        "n_sentences": max(ex.n_sentences, 1), "english_share": ex.english_share,
        "split": split_for(aid),
    }
    mentions = sorted(ex.mentions, key=lambda m: (m["start"], m["end"], m["actor_id"]))
    m_ids = _ids(aid, "m", len(mentions))
    by_span = {(m["start"], m["end"]): mid for m, mid in zip(mentions, m_ids, strict=True)}
    mentioned = {m["actor_id"] for m in mentions}
    mention_rows = [
        {"mention_id": mid, "article_id": aid, "actor_id": m["actor_id"], "start": m["start"],
         "end": m["end"], "text": m["text"], "label": m["label"],
         "sentence_index": m["sentence_index"]}
        for m, mid in zip(mentions, m_ids, strict=True)
    ]
    dropped = 0

    def actor_ref(actor_id: str | None) -> str | None:
        nonlocal dropped
        if actor_id is not None and actor_id not in mentioned:
            dropped += 1
            return None
        return actor_id

    def mention_ref(span: list[int] | None, actor_id: str | None) -> str | None:
        if span is None or actor_id is None:
            return None
        return by_span.get((span[0], span[1]))

    order = sorted(
        range(len(ex.events)),
        key=lambda i: (ex.events[i]["trigger_start"], ex.events[i]["trigger_end"],
                       ex.events[i]["event_type"], ex.events[i]["source_actor_id"] or "",
                       ex.events[i]["target_actor_id"] or ""),
    )
    e_ids = _ids(aid, "e", len(order))
    event_id_of = {i: e_ids[pos] for pos, i in enumerate(order)}
    event_rows = []
    for i in order:
        e = ex.events[i]
        src, tgt = actor_ref(e["source_actor_id"]), actor_ref(e["target_actor_id"])
        date = e["event_date"]
        event_rows.append({
            "event_id": event_id_of[i], "article_id": aid, "event_type": e["event_type"],
            "mode": e["mode"], "modality": e["modality"], "trigger": e["trigger"],
            "trigger_start": e["trigger_start"], "trigger_end": e["trigger_end"],
            "sentence_index": e["sentence_index"], "sentence_start": e["sentence_start"],
            "sentence_end": e["sentence_end"],
            "source_actor_id": src, "source_mention_id": mention_ref(e["source_mention"], src),
            "target_actor_id": tgt, "target_mention_id": mention_ref(e["target_mention"], tgt),
            **_evidence(e, "source", src), **_evidence(e, "target", tgt),
            "reported_by_actor_id": actor_ref(e["reported_by_actor_id"]),
            "event_date": dt.date.fromisoformat(date) if date else None,
            "date_precision": e["date_precision"], "date_basis": e["date_basis"],
            "date_text": e["date_text"], "date_start": e["date_start"], "date_end": e["date_end"],
            "location": e["location"], "location_country": e["location_country"],
            "rule": e["rule"], "confidence": e["confidence"],
        })
    figures = sorted(ex.figures, key=lambda f: (f["start"], f["end"]))
    figure_rows = [
        {"figure_id": fid, "article_id": aid, "start": f["start"], "end": f["end"],
         "text": f["text"], "value": float(f["value"]),
         "value_high": None if f["value_high"] is None else float(f["value_high"]),
         "qualifier": f["qualifier"], "kind": f["kind"], "unit": f["unit"],
         "counted": f["counted"],
         "event_id": None if f["event_index"] is None else event_id_of.get(f["event_index"]),
         "actor_id": actor_ref(f["actor_id"]), "sentence_index": f["sentence_index"]}
        for f, fid in zip(figures, _ids(aid, "f", len(figures)), strict=True)
    ]
    return ArticleRows([art], mention_rows, event_rows, figure_rows, dropped)


def _evidence(event: Mapping[str, Any], role: str, actor_id: str | None) -> dict[str, Any]:
    """An argument's evidence span and basis, null with the argument."""
    keep = actor_id is not None
    return {f"{role}_{k}": event[f"{role}_{k}"] if keep else None
            for k in ("start", "end", "basis")}


def _most_common(values: list[Any]) -> Any:
    """Most frequent non-null value; ties broken by sort order so the result is stable."""
    counts = Counter(v for v in values if v is not None)
    if not counts:
        return None
    return min(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))[0]


@dataclass
class ActorRegistry:
    """Accumulates per-article actor records into the corpus-wide `actors` table."""

    _attrs: dict[str, dict[str, list[Any]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list))
    )
    _aliases: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    _n_mentions: Counter = field(default_factory=Counter)
    _articles: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    _dates: dict[str, tuple[dt.date, dt.date]] = field(default_factory=dict)

    def add(self, article: Article, ex: Extraction) -> None:
        """Record the actors one article mentions (actors without mentions are ignored)."""
        for m in ex.mentions:
            aid = m["actor_id"]
            self._aliases[aid].add(m["text"])
            self._n_mentions[aid] += 1
            self._articles[aid].add(article.article_id)
            lo, hi = self._dates.get(aid, (article.published_date, article.published_date))
            self._dates[aid] = (min(lo, article.published_date), max(hi, article.published_date))
        for aid in {m["actor_id"] for m in ex.mentions}:
            rec = ex.actors[aid]
            for key in ("name", *_ACTOR_ATTRS):
                self._attrs[aid][key].append(rec.get(key))

    def rows(self) -> list[dict[str, Any]]:
        """The actors table, sorted by actor_id; dangling affiliations become null."""
        out = []
        for aid in sorted(self._n_mentions):
            attrs = {k: _most_common(v) for k, v in self._attrs[aid].items()}
            if attrs["affiliation_id"] not in self._n_mentions or attrs["affiliation_id"] == aid:
                attrs["affiliation_id"] = None
            first, last = self._dates[aid]
            out.append({
                "actor_id": aid, "name": attrs["name"] or sorted(self._aliases[aid])[0],
                **{k: attrs[k] for k in _ACTOR_ATTRS},
                "aliases": sorted(self._aliases[aid]),
                "n_articles": len(self._articles[aid]), "n_mentions": self._n_mentions[aid],
                "first_date": first, "last_date": last,
            })
        return out
