"""Shared fixtures: the read-only gold annotations live next to the repository, not in it."""

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The ``../shared`` folder beside the repo root; skip when this checkout has none."""
    if not (SHARED / "gold").is_dir():
        pytest.skip(f"gold annotations not found at {SHARED / 'gold'} (expected ../shared/gold)")
    return SHARED
