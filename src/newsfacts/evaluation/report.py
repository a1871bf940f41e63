"""The evaluation report (``newsfacts.evaluation.evaluate.score`` fills it): its layout, the
headline summary, reading a value from it, and showing it as rich tables or writing it as JSON.

Report (``score``; ``evaluate`` adds ``gold_dir`` and ``data_dir``)::

    report_version, n_articles, corpora {corpus: n}
    summary      {mention_recall_overlap, mention_recall_exact, mention_f1_overlap,
                  event_f1_type_trigger, event_f1_arguments, figure_f1_span, figure_f1_value_kind}
    mentions     {n_articles, names_only, exact PRF, overlap PRF,
                  attributes {kind, sector, country: ACC | null}}
    events       null | {n_articles, type_trigger PRF, arguments PRF, modality ACC, date ACC}
    figures      null | {n_articles, span PRF, value_kind PRF,
                         attributes {value, kind, qualifier, unit, counted: ACC | null}}
    articles     [{article_id, file, corpus, mentions, events, figures}]  (only with by_article)

    PRF = {tp, fp, fn, precision, recall, f1};  ACC = {correct, total, accuracy}
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

__all__ = ["render", "report_value", "summary", "write_report"]

REPORT_VERSION = 1
MENTION_ATTRS = ("kind", "sector", "country")
FIGURE_ATTRS = ("value", "kind", "qualifier", "unit", "counted")


def report_value(report: dict[str, Any], *path: str) -> Any:
    """The value at `path` in a report, or None where a group along the way is null/absent."""
    node: Any = report
    for key in path:
        if node is None:
            return None
        node = node.get(key)
    return node


def summary(report: dict[str, Any]) -> dict[str, float | None]:
    """Headline numbers, mention recall first (the only mention number external gold supports)."""

    def get(*path: str) -> float | None:
        return report_value(report, *path)

    return {
        "mention_recall_overlap": get("mentions", "overlap", "recall"),
        "mention_recall_exact": get("mentions", "exact", "recall"),
        "mention_f1_overlap": get("mentions", "overlap", "f1"),
        "event_f1_type_trigger": get("events", "type_trigger", "f1"),
        "event_f1_arguments": get("events", "arguments", "f1"),
        "figure_f1_span": get("figures", "span", "f1"),
        "figure_f1_value_kind": get("figures", "value_kind", "f1"),
    }


def write_report(report: dict[str, Any], path: str | Path) -> None:
    """Write the report as indented JSON (stable key order, trailing newline)."""
    Path(path).write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _fmt(x: float | int | None) -> str:
    """A metric cell: ratios with three decimals, counts as integers, null as a dash."""
    if x is None:
        return "-"
    return f"{x:.3f}" if isinstance(x, float) else str(x)


def _metric_rows(report: dict[str, Any]) -> list[tuple[str, str, dict[str, Any] | None]]:
    """(layer, measure, node) rows of the summary table, in display order."""
    m, e, f = report.get("mentions"), report.get("events"), report.get("figures")
    rows: list[tuple[str, str, dict[str, Any] | None]] = []
    if m is not None:
        rows += [("mentions", "overlap span", m["overlap"]), ("mentions", "exact span", m["exact"])]
        rows += [("mentions", f"actor {a}", m["attributes"][a]) for a in MENTION_ATTRS]
    if e is not None:
        rows += [("events", "type + trigger", e["type_trigger"]),
                 ("events", "+ source, target", e["arguments"]),
                 ("events", "modality", e["modality"]), ("events", "date", e["date"])]
    if f is not None:
        rows += [("figures", "span", f["span"]), ("figures", "value + kind", f["value_kind"])]
        rows += [("figures", a, f["attributes"][a]) for a in FIGURE_ATTRS]
    return rows


def render(report: dict[str, Any]) -> list[Any]:
    """Rich tables for a report: the summary, then per-article rows if the report has them."""
    from rich.table import Table

    corpora = ", ".join(f"{k}: {v}" for k, v in report.get("corpora", {}).items())
    table = Table(title=f"newsfacts evaluation: {report['n_articles']} gold articles ({corpora})")
    for col in ("layer", "measure", "recall", "precision", "F1", "tp", "fp", "fn", "accuracy",
                "n"):
        table.add_column(col, justify="left" if col in ("layer", "measure") else "right")
    for layer, measure, node in _metric_rows(report):
        if node is None:
            table.add_row(layer, measure, "", "", "", "", "", "", "n/a", "")
        elif "tp" in node:
            table.add_row(layer, measure, f"[bold]{_fmt(node['recall'])}[/bold]",
                          _fmt(node["precision"]), _fmt(node["f1"]), _fmt(node["tp"]),
                          _fmt(node["fp"]), _fmt(node["fn"]), "", "")
        else:
            table.add_row(layer, measure, "", "", "", "", "", "", _fmt(node["accuracy"]),
                          _fmt(node["total"]))
    notes = [f"{layer}: not annotated by this gold" for layer in ("events", "figures")
             if report.get(layer) is None]
    notes.append("n/a: attribute not annotated by this gold; -: nothing to divide by")
    if (report.get("mentions") or {}).get("names_only"):
        notes.insert(0, "mentions: gold annotates names only, precision/F1 not meaningful")
    table.caption = "; ".join(notes)
    tables = [table]
    if report.get("articles"):
        tables.append(_render_articles(report["articles"]))
    return tables


def _render_articles(rows: list[dict[str, Any]]) -> Any:
    """Per-article table: the headline numbers for each gold article."""
    from rich.table import Table

    table = Table(title="per article")
    heads = ("article_id", "corpus", "mention R", "mention F1", "event F1", "event+args F1",
             "figure F1", "value+kind F1")
    for col in heads:
        table.add_column(col, justify="left" if col in heads[:2] else "right")
    for r in rows:
        s = summary(r)
        table.add_row(r["article_id"], r["corpus"], _fmt(s["mention_recall_overlap"]),
                      _fmt(s["mention_f1_overlap"]), _fmt(s["event_f1_type_trigger"]),
                      _fmt(s["event_f1_arguments"]), _fmt(s["figure_f1_span"]),
                      _fmt(s["figure_f1_value_kind"]))
    return table
