"""The recorded quality figures (dataset/quality.json, README, datapackage.json) are current and
reproducible: a fresh build scores within 0.02 of every recorded figure, on every gold set."""

import json
from pathlib import Path

import pytest

from newsfacts.build.extract import EXTRACTOR_VERSION
from newsfacts.evaluation.evaluate import evaluate
from newsfacts.evaluation.quality import RECORDED, headline, markdown

TOLERANCE = 0.02
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def recorded():
    path = REPO / RECORDED
    assert path.is_file(), "run `newsfacts quality --record` to record the figures"
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["extractor_version"] == EXTRACTOR_VERSION, (
        "dataset/quality.json was measured with another extractor version: re-record it")
    return data


def _check(gold_set, report, recorded):
    measured = headline(gold_set, report)
    missing = sorted(m for m, v in measured.items() if v is None)
    assert not missing, f"{gold_set}: the report no longer has {missing} (renamed path?)"
    low = {m: (round(v, 3), recorded[gold_set][m]) for m, v in measured.items()
           if v < recorded[gold_set][m] - TOLERANCE}
    assert not low, f"{gold_set}: below recorded - {TOLERANCE} (measured, recorded): {low}"


def test_dev_figures_hold(wikinews_build, shared_dir, recorded):
    _check("dev", evaluate(shared_dir / "gold" / "dev", wikinews_build), recorded)


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
    """The issue's floors hold for the recorded figures (they are what README and the release
    claim)."""
    from newsfacts.evaluation.quality import METRICS

    below = {f"{gs}.{m}": (round(recorded[gs][m], 3), floor)
             for (gs, m), (floor, _) in METRICS.items() if recorded[gs][m] < floor}
    assert not below, f"recorded figures below their floors (recorded, floor): {below}"
