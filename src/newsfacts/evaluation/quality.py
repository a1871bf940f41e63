"""Headline quality figures: measured against gold, recorded in `dataset/quality.json`, shipped
in `datapackage.json`, printed as the README table, and guarded by a regression test.

Published figures come only from articles nothing was tuned or trained on: our annotations
beyond gold/dev, each extracted by an event model trained without it (k-fold), and the external
MEANTIME and GUM gold. gold/dev, which the rules were written on, is used for training only.
The recorded file names the extractor version and event model it measured, so stale figures
are never shipped as current.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from newsfacts.build.extract import EXTRACTOR_VERSION

RECORDED = Path("dataset") / "quality.json"
"""Where the figures are recorded, relative to the project root."""
GOLD_SOURCES = {"meantime": ("meantime",), "gum": ("gum",)}
"""External gold folder -> corpus folders (under ../shared/corpus) its articles come from."""
HELD_OUT = "heldout"
"""The headline set: our annotated articles that no rule was written on (everything but
gold/dev), each extracted by an event model trained without it (k-fold cross-validation)."""
AGREEMENT = "agreement"
"""Two independent annotations of the same articles, scored one against the other."""

_M = ("mentions", "exact", "f1")
# (gold set, metric) -> (floor, path into the evaluate report). Held-out floors guard against
# regressions (recorded figure minus about .03); ECE is a ceiling. Agreement has no floor: it is
# a property of the annotations, the ceiling the extractor aims at.
METRICS: dict[tuple[str, str], tuple[float, tuple[str, ...]]] = {
    (HELD_OUT, "mention_f1_exact"): (0.71, _M),
    (HELD_OUT, "actor_country_accuracy"): (0.73, ("mentions", "attributes", "country",
                                                 "accuracy")),
    (HELD_OUT, "actor_sector_accuracy"): (0.70, ("mentions", "attributes", "sector",
                                                "accuracy")),
    (HELD_OUT, "event_f1_type_trigger"): (0.45, ("events", "type_trigger", "f1")),
    (HELD_OUT, "event_f1_arguments"): (0.14, ("events", "arguments", "f1")),
    (HELD_OUT, "event_modality_accuracy"): (0.79, ("events", "modality", "accuracy")),
    (HELD_OUT, "event_date_accuracy"): (0.60, ("events", "date", "accuracy")),
    (HELD_OUT, "event_confidence_ece"): (0.10, ("confidence", "ece")),
    (HELD_OUT, "event_confidence_auroc"): (0.70, ("confidence", "auroc")),
    (HELD_OUT, "figure_f1_value_kind"): (0.85, ("figures", "value_kind", "f1")),
    (AGREEMENT, "mention_f1_exact"): (0.0, _M),
    (AGREEMENT, "event_f1_type_trigger"): (0.0, ("events", "type_trigger", "f1")),
    (AGREEMENT, "event_f1_arguments"): (0.0, ("events", "arguments", "f1")),
    (AGREEMENT, "event_date_accuracy"): (0.0, ("events", "date", "accuracy")),
    ("meantime", "name_recall_exact"): (0.92, ("mentions", "exact", "recall")),
    ("meantime", "figure_f1_span"): (0.90, ("figures", "span", "f1")),
    ("meantime", "figure_value_accuracy"): (0.97, ("figures", "attributes", "value", "accuracy")),
    ("gum", "name_recall_exact"): (0.85, ("mentions", "exact", "recall")),
}
LOWER_IS_BETTER = frozenset({"event_confidence_ece"})


def headline(gold_set: str, report: dict[str, Any]) -> dict[str, float | None]:
    """The headline metrics of one gold set from an `evaluate` report."""
    from newsfacts.evaluation.report import report_value

    return {metric: report_value(report, *path) for (gs, metric), (_, path) in METRICS.items()
            if gs == gold_set}


def heldout_report(shared: Path, repo: Path, model: str | None = None) -> dict[str, Any]:
    """Cross-validated extraction of every annotated article, scored on those no rule was
    written on (the annotations of dataset/annotations, not gold/dev)."""
    from newsfacts.evaluation.evaluate import score
    from newsfacts.evaluation.train import cross_validate, load_annotated, parse, tables_for

    golds = load_annotated(shared, repo)
    parsed = parse(golds, model)
    cv = cross_validate(parsed)
    dev = shared / "gold" / "dev"
    keep = [i for i, p in enumerate(parsed) if p.gold.path.parent != dev]
    report = score([parsed[i].gold for i in keep],
                   tables_for([parsed[i] for i in keep], [cv["oof"][i] for i in keep]))
    report["confidence"] = cv["report"]["confidence"]
    report["folds"] = cv["report"]["folds"]
    report["trained_on"] = cv["report"]["n_articles"]
    return report


def agreement_report(repo: Path) -> dict[str, Any] | None:
    """The second annotations of the doubly annotated set scored against the first (None
    without one). One set exists (voa-2025); a second would need its own row in METRICS."""
    from newsfacts.evaluation.evaluate import evaluate

    pairs = sorted((repo / "dataset" / "annotations").glob("*/double/a"))
    if not pairs or not (pairs[0].parent / "b").is_dir():
        return None
    return evaluate(pairs[0], pairs[0].parent / "b")


def measure(shared: Path, *, model: str | None = None) -> dict[str, Any]:
    """Cross-validated figures on our annotations, annotator agreement, and builds of the
    external gold sets scored with the shipped model."""
    from newsfacts.build import DEFAULT_MODEL
    from newsfacts.build.pipeline import build
    from newsfacts.evaluation.evaluate import evaluate
    from newsfacts.models import event_model_hash

    model = model or DEFAULT_MODEL
    result: dict[str, Any] = {"extractor_version": EXTRACTOR_VERSION, "model": model,
                              "event_model_sha256": event_model_hash()}
    from newsfacts.project import require_project

    root = require_project("quality figures are measured on the project's annotations")
    held = heldout_report(shared, root, model)
    result[HELD_OUT] = {"n_articles": held["n_articles"], "folds": held["folds"],
                        "annotated_articles": held["trained_on"],
                        **headline(HELD_OUT, held)}
    result["confidence"] = {k: held["confidence"][k] for k in ("bins", "precision_recall")}
    agree = agreement_report(root)
    if agree is not None:
        result[AGREEMENT] = {"n_articles": agree["n_articles"], **headline(AGREEMENT, agree)}
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
    from newsfacts.models import event_model_hash

    data = json.loads(path.read_text(encoding="utf-8"))
    current = (data.get("extractor_version") == EXTRACTOR_VERSION
               and data.get("event_model_sha256") == event_model_hash())
    return data if current else None


def markdown(quality: dict[str, Any]) -> str:
    """The README table: every headline figure next to its floor."""
    lines = ["| gold | articles | metric | measured | floor |", "|---|---:|---|---:|---:|"]
    for (gold_set, metric), (floor, _) in METRICS.items():
        if gold_set not in quality:
            continue
        value = quality.get(gold_set, {}).get(metric)
        shown = "—" if value is None else f"{value:.3f}"
        n = quality.get(gold_set, {}).get("n_articles", "")
        bound = (f"≤ {floor:.2f}" if metric in LOWER_IS_BETTER else f"{floor:.2f}"
                 ) if floor else ""
        lines.append(f"| {gold_set} | {n} | {metric} | {shown} | {bound} |")
    return "\n".join(lines)
