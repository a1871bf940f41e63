"""Shared helpers for the extraction tests: one spaCy pipeline per test session."""

from __future__ import annotations

from functools import cache

from spacy.language import Language

from newsfacts.build.extract import ArticleInfo, Extraction, extract, load_pipeline


@cache
def pipeline() -> Language:
    """The pipeline, loaded once per test process."""
    return load_pipeline()


def run(text: str, published: str = "2020-03-25") -> Extraction:
    """Extract one short text."""
    return extract(pipeline()(text), ArticleInfo("0" * 16, published))
