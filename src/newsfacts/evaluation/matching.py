"""Evaluation, the matching half: value comparison, one-to-one span matching and the
counters (precision/recall/F1, accuracy) that `newsfacts.evaluation.evaluate` builds its report
from. The rules are documented in that module's docstring.
"""


from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

Span = tuple[int, int]
"""A half-open `[start, end)` range of code points."""


# --------------------------------------------------------------------------- value helpers


def _val(x: Any) -> Any:
    """Normalise a cell: NaN/NA/NaT become None, numpy scalars become Python scalars."""
    if x is None:
        return None
    if isinstance(x, float) and math.isnan(x):
        return None
    if x is pd.NA or x is pd.NaT:
        return None
    if isinstance(x, np.generic):
        x = x.item()
        if isinstance(x, float) and math.isnan(x):
            return None
    return x


def _num(x: Any) -> float | None:
    """A cell as float, or None."""
    x = _val(x)
    return None if x is None else float(x)


def _to_date(x: Any) -> dt.date | None:
    """A date-like cell or ISO string as a ``datetime.date``, or None."""
    x = _val(x)
    if x is None:
        return None
    if isinstance(x, dt.datetime | pd.Timestamp):
        return x.date()
    if isinstance(x, dt.date):
        return x
    return dt.date.fromisoformat(str(x)[:10])


def _same(a: Any, b: Any) -> bool:
    """Equality where null equals null (NaN, None and NA are all null)."""
    return _val(a) == _val(b)


def _same_value(a: Any, b: Any) -> bool:
    """Numeric equality within 1e-9 relative tolerance; null equals null."""
    a, b = _num(a), _num(b)
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=0.0)


def _overlap(a: Span, b: Span) -> int:
    """Number of characters two half-open spans share."""
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _in_scope(span: Span, scope: Span | None) -> bool:
    """True unless the span lies fully outside the scope (partial overlap is kept)."""
    return scope is None or (span[0] < scope[1] and span[1] > scope[0])


# --------------------------------------------------------------------------- matching


def match_spans(
    gold: Sequence[Span],
    pred: Sequence[Span],
    compatible: Callable[[int, int], bool] | None = None,
    prefer: Callable[[int, int], int] | None = None,
) -> list[tuple[int, int]]:
    """Deterministic maximum one-to-one matching of overlapping spans, as (gold, pred) indexes.

    Pairs need overlapping spans and ``compatible(gi, pi)``. Greedy seed by (exact span,
    ``prefer`` higher, larger overlap, gold start, pred start, indexes), then Kuhn's augmenting
    paths make the matching maximum-cardinality.
    """
    pairs = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            ov = _overlap(g, p)
            if ov > 0 and (compatible is None or compatible(gi, pi)):
                pref = prefer(gi, pi) if prefer is not None else 0
                pairs.append(((g != p, -pref, -ov, g[0], p[0], gi, pi), gi, pi))
    pairs.sort()
    adjacency: dict[int, list[int]] = defaultdict(list)
    gold_to: dict[int, int] = {}
    pred_to: dict[int, int] = {}
    for _, gi, pi in pairs:
        adjacency[gi].append(pi)
        if gi not in gold_to and pi not in pred_to:
            gold_to[gi], pred_to[pi] = pi, gi

    def augment(gi: int, seen: set[int]) -> bool:
        for pi in adjacency[gi]:
            if pi in seen:
                continue
            seen.add(pi)
            if pi not in pred_to or augment(pred_to[pi], seen):
                gold_to[gi], pred_to[pi] = pi, gi
                return True
        return False

    for gi in sorted(adjacency, key=lambda i: (gold[i][0], i)):
        if gi not in gold_to:
            augment(gi, set())
    return sorted(gold_to.items())


# --------------------------------------------------------------------------- counters


def _prf(tp: int, n_gold: int, n_pred: int) -> dict[str, int]:
    """A tp/fp/fn counter from the number of matches, gold items and predictions."""
    return {"tp": tp, "fp": n_pred - tp, "fn": n_gold - tp}


def _acc(pairs: Iterable[tuple[Any, Any]], same: Callable[[Any, Any], bool]) -> dict[str, int]:
    """A correct/total counter over (gold value, predicted value) pairs."""
    results = [same(g, p) for g, p in pairs]
    return {"correct": sum(results), "total": len(results)}


def _add(total: dict[str, Any] | None, part: dict[str, Any] | None) -> dict[str, Any] | None:
    """Sum two nested counter dicts (flags are or-ed); None (not annotated) is the identity."""
    if part is None:
        return total
    if total is None:
        return _copy(part)
    for k, v in part.items():
        t = total.get(k)
        if isinstance(v, bool):
            total[k] = bool(t) or v
        elif isinstance(v, int):
            total[k] = (t or 0) + v
        else:
            total[k] = _add(t, v)
    return total


def _copy(d: dict[str, Any]) -> dict[str, Any]:
    """Deep copy of a nested counter dict."""
    return {k: _copy(v) if isinstance(v, dict) else v for k, v in d.items()}


def _ratio(num: int, den: int) -> float | None:
    """num/den, or None when the denominator is zero."""
    return num / den if den else None


def _finish(counts: dict[str, Any] | None, names_only: bool = False) -> dict[str, Any] | None:
    """Add precision/recall/F1 and accuracy to a nested counter dict (JSON-ready)."""
    if counts is None:
        return None
    out: dict[str, Any] = {}
    names_only = names_only or bool(counts.get("names_only"))
    for k, v in counts.items():
        out[k] = _finish(v, names_only) if isinstance(v, dict) else v
    if {"tp", "fp", "fn"} <= counts.keys():
        tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
        out["precision"] = None if names_only else _ratio(tp, tp + fp)
        out["recall"] = _ratio(tp, tp + fn)
        out["f1"] = None if names_only else _ratio(2 * tp, 2 * tp + fp + fn)
    if {"correct", "total"} <= counts.keys():
        out["accuracy"] = _ratio(counts["correct"], counts["total"])
    return out
