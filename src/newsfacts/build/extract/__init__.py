"""Extraction: one annotated article in, plain records out (no spaCy objects leave this package).

Contract with the rest of the pipeline (`newsfacts.build.assemble` turns records into table rows):

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

Implementation (all rules in versioned data files under `newsfacts/vocab/`, hashed by
`newsfacts.vocab.vocab_hash()` for the build cache):

- `newsfacts.build.annotate`: the pipeline and the `newsfacts_actor_ruler` spaCy factory (entity
  ruler before NER; registered through the `spacy_factories` entry point).
- `newsfacts.build.extract.actors`: mentions and actors (NER + dictionary + descriptive phrases +
  within-article short forms/acronyms; titles, affiliations, countries via pycountry/countryinfo):
  ids and name spans in `actor_names`, countries and place readings in `actor_places`, short
  forms and repeated names in `actor_coreference`, person titles in `actor_titles`, the
  vocabularies in `actor_vocab`, learned sector and country in `actor_attributes`.
- `newsfacts.build.extract.events`: event records from candidates of the parse
  (`event_candidates`: lexicon triggers of `event_triggers`, lemmas learned from the
  annotations; actor mentions, pronouns and titles of the sentence as arguments, beside the
  grammatical-role reading of `event_arguments`), decided by the trained model of
  `newsfacts.build.extract.learned` (`models/events.json`: is it an event, its type, source and
  target, its date, the row's confidence); modality (`event_modality`), location and reporter
  (`event_dates`) by rule. `newsfacts.build.extract.dates`: date resolution against publication.
- `newsfacts.build.extract.figures` (owned separately) is called when installed:
  `extract_figures(doc, mentions, events) -> list[dict]`.

Mention `label`: PERSON/ORG/GPE/NORP (NER or ruler), DICT (actor dictionary), DESC (descriptive
phrase), ALIAS (short form, acronym or repeated name). Event `source_mention`/`target_mention` are
`[start, end]` character offsets of a mention in `mentions` (for arguments carried over from a
restatement of the same event, the mention they were read from). `source_start`/`source_end`
(and target) are the argument's evidence span inside the event's sentence, `source_basis`
`sentence`, `coreference` or `context`. `rule` is `verb:<lemma>`, `noun:<lemma>`,
`phrasal:<lemma> <particle>` or `model:<lemma>`; `confidence` the calibrated probability that the
row is right.

Only English passages are read (`newsfacts.build.extract.language`): no mention, event trigger or
figure lies in a passage of another language, and `Extraction.english_share` records the share
of the text's letters in English passages.

Record fields (see schema/*.json for meaning):
  actors:   {actor_id: {name, kind, sector, country, title, affiliation_id, wikidata_qid}}
  mentions: {start, end, text, actor_id, label, sentence_index}
  events:   {event_type, mode, modality, trigger, trigger_start, trigger_end, sentence_index,
             sentence_start, sentence_end, source_actor_id, source_mention, source_start,
             source_end, source_basis, target_actor_id, target_mention, target_start,
             target_end, target_basis, reported_by_actor_id, event_date (ISO str or None),
             date_precision, date_basis, date_text, date_start, date_end, location,
             location_country, rule, confidence}
  figures:  {start, end, text, value, value_high, qualifier, kind, unit, counted, event_index,
             actor_id, sentence_index}
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from newsfacts.build import DEFAULT_MODEL
from newsfacts.build.extract.records import (
    ActorRecord,
    EventRecord,
    FigureRecord,
    MentionRecord,
)

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from newsfacts.build.extract.learned import EventModel

EXTRACTOR_VERSION = "0.7.0"
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
    actors: dict[str, ActorRecord] = field(default_factory=dict)
    mentions: list[MentionRecord] = field(default_factory=list)
    events: list[EventRecord] = field(default_factory=list)
    figures: list[FigureRecord] = field(default_factory=list)
    english_share: float = 1.0

    def to_json(self) -> dict[str, Any]:
        """Plain dict, for the cache and for worker transport."""
        return {
            "n_words": self.n_words, "n_sentences": self.n_sentences, "actors": self.actors,
            "mentions": self.mentions, "events": self.events, "figures": self.figures,
            "english_share": self.english_share,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Extraction:
        """Inverse of `to_json`."""
        return cls(**data)


def load_pipeline(model: str = DEFAULT_MODEL) -> Language:
    """The spaCy pipeline with the newsfacts actor ruler before NER (`newsfacts.build.annotate`)."""
    from newsfacts.build.annotate import load_pipeline as _load

    return _load(model)


def extract(doc: Doc, info: ArticleInfo, model: EventModel | None = None,
            text: str | None = None) -> Extraction:
    """Actors and mentions, then events, then figures of one parsed article, all from its
    English passages only (`newsfacts.build.extract.language`); `model`: the event model, by
    default the shipped one; `text`: the string `doc` was parsed from, when the caller has it
    (spaCy's `Doc.text` rebuilds it from every token; a text of another length is refused)."""
    from newsfacts.build.extract.actors import extract_actors
    from newsfacts.build.extract.events import extract_events
    from newsfacts.build.extract.figures import extract_figures
    from newsfacts.build.extract.language import passages
    from newsfacts.build.extract.learned import default_model

    if text is None:
        text = doc.text
    elif len(doc) and doc[-1].idx + len(doc[-1].text_with_ws) != len(text):
        raise ValueError("extract: `text` is not the text the Doc was parsed from")
    english = passages(text)
    model = model or default_model()
    actor_result = extract_actors(doc, english, model.mention, model.mention_heads, model.sector,
                                  model.country, text)
    mentions = actor_result.mention_records(doc)
    events = extract_events(doc, actor_result, date.fromisoformat(info.published_date), model)
    if english.other:  # an English model reads nothing reliable in other languages
        events = [e for e in events if english.is_english(e["trigger_start"], e["trigger_end"])]
    # actors.py builds its records as plain dicts with exactly the keys of these TypedDicts.
    mention_rows = cast("list[MentionRecord]", mentions)
    figures = extract_figures(doc, mention_rows, events, text)
    if english.other:
        figures = [f for f in figures if english.is_english(f["start"], f["end"])]
    return Extraction(
        n_words=_n_words(doc),
        n_sentences=len(actor_result.sentence_starts),
        actors=cast("dict[str, ActorRecord]", actor_result.actor_records()),
        mentions=mention_rows,
        events=events,
        figures=list(figures),
        english_share=english.english_share,
    )


def _n_words(doc: Doc) -> int:
    """Tokens that are neither punctuation nor space, read from the token arrays (iterating
    the Doc would build a Token object per token)."""
    from spacy.attrs import IS_PUNCT, IS_SPACE

    if not len(doc):
        return 0
    flags = doc.to_array([IS_PUNCT, IS_SPACE])
    return int(len(doc) - (flags.any(axis=1)).sum())
