"""The recorded quality figures (dataset/quality.json, README, datapackage.json) are current,
reproducible and honest: cross-validation and fresh builds score within 0.02 of every recorded
figure, and nothing is published for articles the rules or models were tuned on."""

import json
from pathlib import Path

import pytest

from newsfacts.build.extract import EXTRACTOR_VERSION
from newsfacts.evaluation.evaluate import evaluate
from newsfacts.evaluation.quality import (
    AGREEMENT,
    HELD_OUT,
    LOWER_IS_BETTER,
    METRICS,
    RECORDED,
    agreement_report,
    headline,
    heldout_report,
    markdown,
)
from newsfacts.models import event_model_hash

TOLERANCE = 0.02
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def recorded():
    path = REPO / RECORDED
    assert path.is_file(), "run `newsfacts quality --record` to record the figures"
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["extractor_version"] == EXTRACTOR_VERSION, (
        "dataset/quality.json was measured with another extractor version: re-record it")
    assert data["event_model_sha256"] == event_model_hash(), (
        "dataset/quality.json was measured with another event model: re-record it")
    return data


def _check(gold_set, report, recorded):
    measured = headline(gold_set, report)
    missing = sorted(m for m, v in measured.items() if v is None)
    assert not missing, f"{gold_set}: the report no longer has {missing} (renamed path?)"
    low = {m: (round(v, 3), recorded[gold_set][m]) for m, v in measured.items()
           if (v > recorded[gold_set][m] + TOLERANCE if m in LOWER_IS_BETTER
               else v < recorded[gold_set][m] - TOLERANCE)}
    assert not low, f"{gold_set}: below recorded - {TOLERANCE} (measured, recorded): {low}"


@pytest.mark.slow
def test_cross_validated_figures_hold(shared_dir, recorded):
    _check(HELD_OUT, heldout_report(shared_dir, REPO), recorded)


def test_agreement_figures_hold(recorded):
    _check(AGREEMENT, agreement_report(REPO), recorded)


def test_no_published_figure_comes_from_articles_we_tuned_on(recorded):
    """gold/dev trained the models and the rules were written on it: it is never published."""
    assert "dev" not in recorded and "dev" not in {gs for gs, _ in METRICS}
    held = recorded[HELD_OUT]
    assert held["folds"] >= 5 and held["n_articles"] >= 80
    assert held["annotated_articles"] > held["n_articles"]  # dev trained, never scored


@pytest.mark.parametrize("gold_set", ["meantime", "gum"])
def test_external_figures_hold(external_builds, shared_dir, recorded, gold_set):
    _check(gold_set, evaluate(shared_dir / "gold" / gold_set, external_builds[gold_set]),
           recorded)


def test_readme_and_datapackage_carry_the_recorded_figures(recorded):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert markdown(recorded) in readme, "README quality table is stale: paste `newsfacts quality`"
    shipped = json.loads((REPO / "datapackage.json").read_text(encoding="utf-8"))
    assert shipped["newsfacts"]["quality"] == recorded


def test_recorded_figures_meet_the_floors(recorded):
    """The floors hold for the recorded figures (they are what README and the release claim).
    Held-out floors guard against regressions; the issue's targets are higher (see README)."""
    below = {f"{gs}.{m}": (round(recorded[gs][m], 3), floor)
             for (gs, m), (floor, _) in METRICS.items()
             if floor and (recorded[gs][m] > floor if m in LOWER_IS_BETTER
                           else recorded[gs][m] < floor)}
    assert not below, f"recorded figures below their floors (recorded, floor): {below}"
