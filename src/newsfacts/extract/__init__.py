"""Extraction: one annotated article in, plain records out (no spaCy objects leave this package).

Contract with the rest of the pipeline (`newsfacts.assemble` turns records into table rows):

- `load_pipeline(model)` returns the spaCy `Language` used for every article (loaded once per
  process). `extract(doc, info)` depends only on the article and versioned vocabularies, so it
  gives the same records in any process or worker.
- `extract` returns an `Extraction`: JSON-serialisable dicts, so results can be cached on disk.
  Offsets are code-point offsets into the article text. Ids are assigned later by `assemble`;
  records refer to each other by offsets (`source_mention: [start, end]`) or list index
  (`figure["event_index"]` indexes `Extraction.events`).
- `actor_id`s are decided here, per article, deterministically: a curated dictionary id, else a
  slug of the normalised name (`<iso3>` for countries, `<iso3>-government` for governments), so
  the corpus-wide registry is a pure merge of per-article results.

Record fields (see schema/*.json for meaning):
  actors:   {actor_id: {name, kind, sector, country, title, affiliation_id, wikidata_qid}}
  mentions: {start, end, text, actor_id, label, sentence_index}
  events:   {event_type, mode, modality, trigger, trigger_start, trigger_end, sentence_index,
             sentence_start, sentence_end, source_actor_id, source_mention, target_actor_id,
             target_mention, reported_by_actor_id, event_date (ISO str or None), date_precision,
             date_basis, date_text, date_start, date_end, location, location_country, rule}
  figures:  {start, end, text, value, value_high, qualifier, kind, unit, counted, event_index,
             actor_id, sentence_index}
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

EXTRACTOR_VERSION = "0.1.0"
"""Bump when extraction output changes for the same input: it keys the extraction cache."""


@dataclass(frozen=True)
class ArticleInfo:
    """What extraction may know about an article besides its text."""

    article_id: str
    published_date: str  # ISO date, the anchor for relative dates


@dataclass
class Extraction:
    """Everything extracted from one article, as plain JSON-able records."""

    n_words: int
    n_sentences: int
    actors: dict[str, dict[str, Any]] = field(default_factory=dict)
    mentions: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    figures: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """Plain dict, for the cache and for worker transport."""
        return {
            "n_words": self.n_words, "n_sentences": self.n_sentences, "actors": self.actors,
            "mentions": self.mentions, "events": self.events, "figures": self.figures,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Extraction:
        """Inverse of `to_json`."""
        return cls(**data)

# DEV STUB (uncommitted)
from newsfacts.annotate import load_pipeline  # noqa
def extract(doc, info):
    import re
    sents = list(doc.sents)
    sidx = {t.i: i for i, s in enumerate(sents) for t in s}
    ms, actors = [], {}
    for e in doc.ents:
        if e.label_ in ("PERSON", "ORG", "GPE", "NORP"):
            aid = re.sub(r"[^a-z0-9]+", "-", e.text.lower()).strip("-") or "x"
            actors[aid] = {"name": e.text, "kind": "person" if e.label_ == "PERSON" else "organization", "sector": None, "country": None, "title": None, "affiliation_id": None, "wikidata_qid": None}
            ms.append({"start": e.start_char, "end": e.end_char, "text": e.text, "actor_id": aid, "label": e.label_, "sentence_index": sidx[e.start]})
    evs = []
    for t in doc:
        if t.lemma_ == "meet":
            s = sents[sidx[t.i]]
            evs.append({"event_type": "CONSULT", "mode": None, "modality": "asserted", "trigger": t.text, "trigger_start": t.idx, "trigger_end": t.idx + len(t.text), "sentence_index": sidx[t.i], "sentence_start": s.start_char, "sentence_end": s.end_char, "source_actor_id": ms[0]["actor_id"] if ms else None, "source_mention": [ms[0]["start"], ms[0]["end"]] if ms else None, "target_actor_id": None, "target_mention": None, "reported_by_actor_id": None, "event_date": info.published_date, "date_precision": "day", "date_basis": "publication", "date_text": None, "date_start": None, "date_end": None, "location": None, "location_country": None, "rule": "verb:meet"})
    figs = []
    for e in doc.ents:
        if e.label_ == "CARDINAL" and re.fullmatch(r"[0-9,]+", e.text):
            figs.append({"start": e.start_char, "end": e.end_char, "text": e.text, "value": float(e.text.replace(",", "")), "value_high": None, "qualifier": "exact", "kind": "count", "unit": None, "counted": None, "event_index": 0 if evs else None, "actor_id": None, "sentence_index": sidx[e.start]})
    return Extraction(n_words=sum(not t.is_punct and not t.is_space for t in doc), n_sentences=len(sents), actors=actors, mentions=ms, events=evs, figures=figs)
