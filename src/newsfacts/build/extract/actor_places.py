"""Places in actor extraction: the article's main country, the country named inside a span, and
whether a place name is only a location rather than a state acting."""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from newsfacts.build.extract.actor_vocab import LOCATION_PREPS, vocab
from newsfacts.build.extract.countries import Gazetteer


def default_country(doc: Doc, gaz: Gazetteer) -> str | None:
    """The article's dominant country: most frequent among GPE/NORP names (ties: first seen)."""
    counts: dict[str, float] = {}
    first: dict[str, int] = {}
    first_sentence_end = next(iter(doc.sents)).end if len(doc) else 0
    for ent in doc.ents:
        iso3, weight = None, 1.0
        if ent.label_ in ("GPE", "LOC"):
            iso3 = gaz.place(ent.text)
            if ent.end <= first_sentence_end:
                weight = 2.0  # the lead usually names where the story happens
        elif ent.label_ in ("NORP", "TITLE") or ent.ent_id_ == "government":
            iso3, weight = country_in(ent, gaz), 0.5
        if iso3:
            counts[iso3] = counts.get(iso3, 0.0) + weight
            first.setdefault(iso3, ent.start)
    if not counts:
        return None
    return sorted(counts, key=lambda c: (-counts[c], first[c]))[0]


def country_in(span: Span, gaz: Gazetteer) -> str | None:
    """ISO3 of a country name or demonym inside a span ('Afghan President', 'US Army')."""
    text = span.text
    found = gaz.demonym(text) or gaz.country(text)
    if found:
        return found
    words = [t.text for t in span]
    for n in (3, 2, 1):
        for i in range(len(words) - n + 1):
            piece = " ".join(words[i:i + n])
            found = gaz.demonym(piece) or gaz.country(piece) or gaz.place(piece)
            if found:
                return found
    return None


def governor(span: Span) -> Token:
    """The span's root, climbed over coordination ('China and Russia vetoed': Russia -> China):
    the conjunct that carries the grammatical role of the whole list."""
    head = span.root
    for _ in range(10):
        if head.dep_ != "conj" or head.head.i == head.i:
            break
        head = head.head
    return head


def is_location_use(span: Span) -> bool:
    """True when a place name is only a location ('in Kabul', 'Aleppo, Syria', 'of Spain')."""
    head = governor(span)
    if head.dep_ == "pobj" and head.head.lower_ in LOCATION_PREPS:
        return True
    if head.dep_ in ("appos", "npadvmod") and head.head.ent_type_ in ("GPE", "LOC", "FAC", "ORG"):
        return True  # "Aleppo, Syria", "Christchurch District Court, New Zealand"
    if head.dep_ == "poss" and head.head.lemma_.lower() not in vocab()["state_possessions"]:
        return True  # "Australia's most boring by-election", "Puerto Rico's new governor"
    if head.dep_ == "compound" and head.head.ent_type_ in ("GPE", "LOC", "FAC"):
        return True
    return head.dep_ in ("compound", "amod", "nmod") and head.head.lower_ not in vocab()[
        "group_words"] and head.head.ent_type_ not in ("ORG", "PERSON")
