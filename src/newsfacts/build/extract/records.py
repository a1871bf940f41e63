"""The records extraction returns (`Extraction`), as TypedDicts a type checker reads.

They are plain JSON-able dicts at run time (cached on disk, sent to workers);
`newsfacts.build.assemble` turns them into table rows (schema/*.json says what each field
means). Offsets are code-point offsets into the article text; records refer to each other by
offsets (`source_mention: [start, end]`) or list index (`FigureRecord.event_index`).
"""

from __future__ import annotations

from typing import NotRequired, TypedDict


class ActorRecord(TypedDict):
    """One actor of an article (`Extraction.actors` maps actor_id to it)."""

    name: str
    kind: str
    sector: str | None
    country: str | None
    title: str | None
    affiliation_id: str | None
    wikidata_qid: str | None


class MentionRecord(TypedDict):
    """One span of text naming an actor."""

    start: int
    end: int
    text: str
    actor_id: str
    label: str
    sentence_index: int


class EventRecord(TypedDict):
    """One (trigger, source, target) event. The underscored keys exist only during extraction:
    the decisions' probabilities are consumed by the confidence model, the features are kept
    for training (`extract_events(keep_features=True)`)."""

    event_type: str
    mode: str | None
    modality: str
    trigger: str
    trigger_start: int
    trigger_end: int
    sentence_index: int
    sentence_start: int
    sentence_end: int
    source_actor_id: str | None
    source_mention: list[int] | None
    source_start: int | None
    source_end: int | None
    source_basis: str | None
    target_actor_id: str | None
    target_mention: list[int] | None
    target_start: int | None
    target_end: int | None
    target_basis: str | None
    reported_by_actor_id: str | None
    event_date: str | None  # ISO date
    date_precision: str
    date_basis: str
    date_text: str | None
    date_start: int | None
    date_end: int | None
    location: str | None
    location_country: str | None
    rule: str
    confidence: float
    _p_type: NotRequired[float]
    _p_source: NotRequired[float | None]
    _p_target: NotRequired[float | None]
    _lexical: NotRequired[bool]
    _date_features: NotRequired[list[str]]
    _date_options: NotRequired[dict[str, tuple[str | None, str]]]
    _confidence_features: NotRequired[list[str]]


class FigureRecord(TypedDict):
    """One number stating a quantity."""

    start: int
    end: int
    text: str
    value: float
    value_high: float | None
    qualifier: str
    kind: str
    unit: str | None
    counted: str | None
    event_index: int | None  # index into `Extraction.events`
    actor_id: str | None
    sentence_index: int
