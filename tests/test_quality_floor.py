"""Quality floor on the dev gold: fails when extraction quality drops more than 0.02 below the
figures measured when the floor was set. Skips when the shared gold is absent."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

pytest.importorskip("spacy")

from _extract_helpers import pipeline  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT.parent / "shared" / "gold" / "dev"
MEASURED = {  # scripts/dev_score_extraction.py on gold/dev, EXTRACTOR_VERSION 0.4.10
    "dev.mention_f1": 0.872,
    "dev.event_f1": 0.749,
    "dev.event_args_f1": 0.541,
    "dev.country_acc": 0.953,
    "dev.date_acc": 0.809,
}


def _harness():
    spec = importlib.util.spec_from_file_location(
        "dev_score_extraction", ROOT / "scripts" / "dev_score_extraction.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not GOLD.is_dir(), reason="shared dev gold not available")
def test_dev_gold_floor(capsys: pytest.CaptureFixture[str]) -> None:
    results = _harness().score_dirs([str(GOLD)], pipeline())
    low = {k: (round(results[k], 3), v) for k, v in MEASURED.items() if results[k] < v - 0.02}
    assert not low, f"below floor (measured, floor+0.02): {low}"
