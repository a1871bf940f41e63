"""The PLOVER lexicon (vocab/plover_lexicon.json) every event rule reads: trigger words and
their types and modes, argument prepositions, reporting verbs, modality cues."""

from __future__ import annotations

from functools import cache
from typing import Any

from newsfacts.vocab import load_json


@cache
def lexicon() -> dict[str, Any]:
    """The PLOVER lexicon (vocab/plover_lexicon.json)."""
    return load_json("plover_lexicon.json")
