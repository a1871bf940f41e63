"""Trained models shipped as package data (JSON weights written by ``newsfacts train``)."""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import resources

EVENT_MODEL = "events.json"


@cache
def event_model_hash() -> str:
    """SHA-256 of the shipped event model: keys the extraction cache, recorded in builds."""
    try:
        data = resources.files(__name__).joinpath(EVENT_MODEL).read_bytes()
    except FileNotFoundError:
        return "missing"
    return hashlib.sha256(data).hexdigest()
