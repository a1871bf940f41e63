"""Versioned vocabularies (JSON/JSONL data files shipped in the wheel) and their content hash.

Rules live in data, not code, so a change of vocabulary is visible in review and keys the cache.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from importlib import resources
from typing import Any

VOCAB_FILES = (
    "actors.json",
    "figures.json",
    "nonactors.json",
    "plover_lexicon.json",
    "plover_wordnet.json",
    "ruler_patterns.jsonl",
    "sector_wordnet.json",
    "sectors.json",
)


def _read_text(name: str) -> str:
    """Text of one vocabulary file from the installed package."""
    return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")


@cache
def load_json(name: str) -> dict[str, Any]:
    """Parsed JSON vocabulary file (cached per process; treat as read-only)."""
    return json.loads(_read_text(name))


@cache
def load_jsonl(name: str) -> list[dict[str, Any]]:
    """Parsed JSON-lines vocabulary file; lines starting with // are comments."""
    rows = []
    for line in _read_text(name).splitlines():
        line = line.strip()
        if line and not line.startswith("//"):
            rows.append(json.loads(line))
    return rows


@cache
def vocab_hash() -> str:
    """SHA-256 over every vocabulary file (name and bytes): the build cache keys on it."""
    digest = hashlib.sha256()
    for name in VOCAB_FILES:
        data = resources.files(__name__).joinpath(name).read_bytes()
        digest.update(name.encode("utf-8") + b"\0" + data + b"\0")
    return digest.hexdigest()
