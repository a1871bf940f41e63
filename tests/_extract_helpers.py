"""Shared helpers for the extraction tests: one spaCy pipeline per test session, and a
hand-written event model that reproduces the lexicon's reading.

The shipped model is retrained whenever annotations change, so tests of the parse reading
(candidates, grammatical roles, modality, dates, places) run with `rule_model()`: every
lexicon trigger is an event of its lexicon type, the grammatical-role reading picks source and
target, and a date expression of the sentence wins. What the trained model decides is measured
by cross-validation (`newsfacts quality`), not pinned here.
"""

from __future__ import annotations

from functools import cache

from spacy.language import Language

from newsfacts.build import DEFAULT_MODEL
from newsfacts.build.extract import ArticleInfo, Extraction, extract
from newsfacts.build.extract.learned import DATE_OPTIONS, EventModel, LinearModel

TYPES = ("ACCUSE", "AGREE", "AID", "ASSAULT", "COERCE", "CONCEDE", "CONSULT", "COOPERATE",
         "MOBILIZE", "PROTEST", "REJECT", "REQUEST", "RETREAT", "SANCTION", "SUPPORT",
         "THREATEN")


def pipeline() -> Language:
    """The pipeline, loaded once per test process: the one this process's builds use
    (`newsfacts.build.engine.pipeline`), so a test worker loads spaCy once, not once for the
    builds and once for the tests of the extractor."""
    from newsfacts.build.engine import pipeline as build_pipeline

    return build_pipeline(DEFAULT_MODEL)


@cache
def rule_model() -> EventModel:
    """An event model whose weights say: trust the lexicon and the grammatical roles."""
    one_hot = {f"lex={t}": tuple(10.0 if k == t else 0.0 for k in TYPES) for t in TYPES}
    dating = {
        "sent=True": (10.0, 0.0, 0.0, 0.0, 0.0),
        "mod=future": (0.0, 0.0, 0.0, 0.0, 20.0), "mod=hypothetical": (0.0, 0.0, 0.0, 0.0, 20.0),
    }
    assert DATE_OPTIONS == ("sentence", "sentence_any", "narrative", "publication", "unknown")
    return EventModel(
        detector=LinearModel(("no", "yes"), (-5.0,), {f"lex={t}": (10.0,) for t in TYPES}),
        typer=LinearModel(TYPES, (0.0,) * len(TYPES), one_hot),
        argument=LinearModel(("none", "source", "target"), (0.0, -3.0, -3.0),
                             {"rule=source": (0.0, 10.0, 0.0),
                              "rule=target": (0.0, 0.0, 10.0)}),
        dating=LinearModel(DATE_OPTIONS, (0.0, -9.0, -5.0, 1.0, 0.0), dating),
        confidence=LinearModel(("right", "wrong"), (0.0,), {}),
        lemmas=frozenset(), thresholds={"trigger": 0.5, "source": 0.5, "target": 0.5,
                                        "context": 1.0},
        meta={"test": "rule_model"})


def run(text: str, published: str = "2020-03-25", model: EventModel | None = None
        ) -> Extraction:
    """Extract one short text (events with `rule_model()` unless a model is given)."""
    return extract(pipeline()(text), ArticleInfo("0" * 16, published), model or rule_model())
