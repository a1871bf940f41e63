"""Headline quality figures: measured against gold, recorded in `dataset/quality.json`, shipped
in `datapackage.json`, printed as the README table, and guarded by a regression test.

Figures are measured on a build of the sources the gold articles come from; the recorded file
says which extractor version produced them, so stale figures are never shipped as current.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from newsfacts.build.extract import EXTRACTOR_VERSION

RECORDED = Path("dataset") / "quality.json"
"""Where the figures are recorded, relative to the project root."""
GOLD_SOURCES = {"dev": ("seed", "wikinews-2019-2020"), "meantime": ("meantime",),
                "gum": ("gum",)}
"""Gold folder -> corpus folders (under ../shared/corpus) its articles come from."""

# (gold set, metric) -> (floor from issue 3, path into the evaluate report)
METRICS: dict[tuple[str, str], tuple[float, tuple[str, ...]]] = {
    ("dev", "mention_f1_exact"): (0.85, ("mentions", "exact", "f1")),
    ("dev", "mention_f1_overlap"): (0.0, ("mentions", "overlap", "f1")),
    ("dev", "actor_country_accuracy"): (0.90, ("mentions", "attributes", "country", "accuracy")),
    ("dev", "event_f1_type_trigger"): (0.65, ("events", "type_trigger", "f1")),
    ("dev", "event_f1_arguments"): (0.50, ("events", "arguments", "f1")),
    ("dev", "event_modality_accuracy"): (0.0, ("events", "modality", "accuracy")),
    ("dev", "event_date_accuracy"): (0.80, ("events", "date", "accuracy")),
    ("dev", "figure_f1_value_kind"): (0.90, ("figures", "value_kind", "f1")),
    ("meantime", "name_recall_exact"): (0.92, ("mentions", "exact", "recall")),
    ("meantime", "figure_f1_span"): (0.90, ("figures", "span", "f1")),
    ("meantime", "figure_value_accuracy"): (0.97, ("figures", "attributes", "value", "accuracy")),
    ("gum", "name_recall_exact"): (0.85, ("mentions", "exact", "recall")),
}


def headline(gold_set: str, report: dict[str, Any]) -> dict[str, float | None]:
    """The headline metrics of one gold set from an `evaluate` report."""
    from newsfacts.evaluation.evaluate import report_value

    return {metric: report_value(report, *path) for (gs, metric), (_, path) in METRICS.items()
            if gs == gold_set}


def measure(shared: Path, *, model: str | None = None) -> dict[str, Any]:
    """Build the gold articles' sources into a temporary folder and score every gold set."""
    from newsfacts.build import DEFAULT_MODEL
    from newsfacts.build.pipeline import build
    from newsfacts.evaluation.evaluate import evaluate

    model = model or DEFAULT_MODEL
    result: dict[str, Any] = {"extractor_version": EXTRACTOR_VERSION, "model": model}
    with tempfile.TemporaryDirectory(prefix="newsfacts-quality-") as tmp:
        for gold_set, corpora in GOLD_SOURCES.items():
            out = Path(tmp) / gold_set
            build([shared / "corpus" / c for c in corpora], out, model=model)
            report = evaluate(shared / "gold" / gold_set, out)
            result[gold_set] = {"n_articles": report["n_articles"],
                                **headline(gold_set, report)}
    return result


def recorded_path() -> Path | None:
    """`dataset/quality.json` of the project the command runs in (None outside a project)."""
    from newsfacts.project import project_root

    root = project_root()
    return root / RECORDED if root else None


def recorded() -> dict[str, Any] | None:
    """The recorded figures, if they were measured with the current extractor version."""
    path = recorded_path()
    if path is None or not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return data if data.get("extractor_version") == EXTRACTOR_VERSION else None


def markdown(quality: dict[str, Any]) -> str:
    """The README table: every headline figure next to its floor."""
    lines = ["| gold | articles | metric | measured | floor |", "|---|---:|---|---:|---:|"]
    for (gold_set, metric), (floor, _) in METRICS.items():
        value = quality.get(gold_set, {}).get(metric)
        shown = "—" if value is None else f"{value:.3f}"
        n = quality.get(gold_set, {}).get("n_articles", "")
        lines.append(f"| {gold_set} | {n} | {metric} | {shown} | {floor:.2f} |" if floor else
                     f"| {gold_set} | {n} | {metric} | {shown} | |")
    return "\n".join(lines)
