"""Dev harness: score the extractor against gold files (mentions, countries, events, dates).

Usage: python scripts/dev_score_extraction.py [GOLD_DIR ...] [--show | --official]
(--official scores with `newsfacts.evaluate.score`, the project scorer.)
Kept for maintainers until `newsfacts.evaluate` (branch `evaluate`) is merged; the figures it
prints are those quoted in tests/test_quality_floor.py.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from newsfacts.extract import ArticleInfo, extract, load_pipeline


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    """Precision, recall, F1."""
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def actor_map(gold: dict[str, Any], pred: dict[str, Any]) -> dict[str, str]:
    """Predicted actor id -> gold actor key, by majority over overlapping mentions."""
    votes: dict[str, Counter[str]] = {}
    for pm in pred["mentions"]:
        for gm in gold["mentions"]:
            if pm["start"] < gm["end"] and gm["start"] < pm["end"]:
                votes.setdefault(pm["actor_id"], Counter())[gm["actor"]] += 1
    return {k: sorted(v.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] for k, v in votes.items()}


def score_article(gold: dict[str, Any], pred: dict[str, Any], counts: Counter[str],
                  show: bool = False) -> None:
    """Accumulate counts for one article."""
    scope = gold.get("scope") or {"start": 0, "end": len(gold["text"])}
    gspans = {(m["start"], m["end"]): m for m in gold["mentions"]}
    pspans = {(m["start"], m["end"]): m for m in pred["mentions"]
              if scope["start"] <= m["start"] < scope["end"]}
    matched = set(gspans) & set(pspans)
    counts["m_tp"] += len(matched)
    counts["m_pred"] += len(pspans)
    counts["m_gold"] += len(gspans)
    for span in matched:
        g_country = gold["actors"][gspans[span]["actor"]]["country"]
        p_country = pred["actors"][pspans[span]["actor_id"]]["country"]
        counts["c_tot"] += 1
        counts["c_ok"] += g_country == p_country
        if show and g_country != p_country:
            print("  COUNTRY", gspans[span]["text"], g_country, p_country)
    if show:
        for s in sorted(set(gspans) - matched):
            print("  MISS", s, repr(gspans[s]["text"]), gspans[s]["actor"])
        for s in sorted(set(pspans) - matched):
            print("  FP  ", s, repr(pspans[s]["text"]), pspans[s]["actor_id"], pspans[s]["label"])
    amap = actor_map(gold, pred)
    gold_events = list(gold["events"])
    counts["e_gold"] += len(gold_events)
    counts["e_pred"] += len(pred["events"])
    used, used_args = set(), set()
    for pe in pred["events"]:
        hit = None
        for gi, ge in enumerate(gold_events):
            if gi in used or ge["type"] != pe["event_type"]:
                continue
            if pe["trigger_start"] < ge["trigger_end"] and ge["trigger_start"] < pe["trigger_end"]:
                hit = gi
                break
        if hit is None:
            if show:
                print("  E-FP", pe["event_type"], repr(pe["trigger"]), pe["source_actor_id"],
                      pe["target_actor_id"], pe["rule"])
            continue
        used.add(hit)
        ge = gold_events[hit]
        counts["e_tp"] += 1
        counts["d_ok"] += (ge["date"], ge["date_precision"]) == (pe["event_date"],
                                                                 pe["date_precision"])
        if show and (ge["date"], ge["date_precision"]) != (pe["event_date"], pe["date_precision"]):
            print("  DATE", repr(ge["trigger"]), ge["date"], ge["date_precision"], "pred",
                  pe["event_date"], pe["date_precision"], pe["date_text"])
        counts["mod_ok"] += ge["modality"] == pe["modality"]
        # argument match: any gold row of the same trigger with the same mapped source/target
        src = amap.get(pe["source_actor_id"]) if pe["source_actor_id"] else None
        tgt = amap.get(pe["target_actor_id"]) if pe["target_actor_id"] else None
        for gi, ge2 in enumerate(gold_events):
            if gi in used_args or ge2["type"] != pe["event_type"]:
                continue
            if not (pe["trigger_start"] < ge2["trigger_end"]
                    and ge2["trigger_start"] < pe["trigger_end"]):
                continue
            if (ge2["source"], ge2["target"]) == (src, tgt):
                used_args.add(gi)
                counts["a_tp"] += 1
                break
    if show:
        for gi, ge in enumerate(gold_events):
            if gi not in used:
                print("  E-MISS", ge["type"], repr(ge["trigger"]), ge["source"], ge["target"])


def main(argv: list[str]) -> dict[str, float]:
    """Score every gold file of the given directories and print the figures."""
    show = "--show" in argv
    dirs = [a for a in argv if not a.startswith("--")] or ["/work/shared/gold/dev"]
    return score_dirs(dirs, load_pipeline(), show)


def score_dirs(dirs: list[str], nlp: Any, show: bool = False) -> dict[str, float]:
    """Figures per gold directory (keys `<dir>.mention_f1`, `<dir>.event_f1`, ...)."""
    results: dict[str, float] = {}
    for directory in dirs:
        counts: Counter[str] = Counter()
        for path in sorted(Path(directory).glob("*.json")):
            gold = json.loads(path.read_text(encoding="utf-8"))
            doc = nlp(gold["text"])
            info = ArticleInfo(gold["article_id"], gold["published_date"])
            pred = extract(doc, info).to_json()
            if show:
                print(path.name)
            score_article(gold, pred, counts, show)
        name = Path(directory).name
        mp, mr, mf = prf(counts["m_tp"], counts["m_pred"], counts["m_gold"])
        ep, er, ef = prf(counts["e_tp"], counts["e_pred"], counts["e_gold"])
        ap, ar, af = prf(counts["a_tp"], counts["e_pred"], counts["e_gold"])
        results.update({f"{name}.mention_f1": mf, f"{name}.mention_recall": mr,
                        f"{name}.event_f1": ef, f"{name}.event_args_f1": af,
                        f"{name}.country_acc": counts["c_ok"] / max(1, counts["c_tot"]),
                        f"{name}.date_acc": counts["d_ok"] / max(1, counts["e_tp"])})
        print(f"[{name}] mentions P {mp:.3f} R {mr:.3f} F1 {mf:.3f} | country acc "
              f"{counts['c_ok'] / max(1, counts['c_tot']):.3f} (n={counts['c_tot']})")
        if counts["e_gold"]:
            print(f"[{name}] events P {ep:.3f} R {er:.3f} F1 {ef:.3f} | with args P {ap:.3f} "
                  f"R {ar:.3f} F1 {af:.3f} | date acc {counts['d_ok'] / max(1, counts['e_tp']):.3f}"
                  f" modality acc {counts['mod_ok'] / max(1, counts['e_tp']):.3f} "
                  f"(matched {counts['e_tp']})")
    return results



def extraction_tables(gold_dir: str, nlp: Any) -> tuple[Any, dict[str, Any]]:
    """Gold articles and the extractor's output as the tables `newsfacts.evaluate.score` reads
    (actors merged first-seen across articles, as the corpus registry does)."""
    import pandas as pd

    from newsfacts.evaluate import REQUIRED_COLUMNS, load_gold

    gold = load_gold(gold_dir)
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in REQUIRED_COLUMNS}
    seen: set[str] = set()
    for g in gold:
        ex = extract(nlp(g.text), ArticleInfo(g.article_id, g.published_date)).to_json()
        rows["articles"].append({"article_id": g.article_id, "text": g.text})
        for actor_id, actor in ex["actors"].items():
            if actor_id not in seen:
                seen.add(actor_id)
                rows["actors"].append({"actor_id": actor_id, **actor})
        rows["mentions"] += [{"article_id": g.article_id, **m} for m in ex["mentions"]]
        rows["events"] += [{"article_id": g.article_id, **e} for e in ex["events"]]
        rows["figures"] += [{"article_id": g.article_id, **f} for f in ex["figures"]]
    tables = {name: pd.DataFrame(r, columns=None if r else list(REQUIRED_COLUMNS[name]))
              for name, r in rows.items()}
    return gold, tables


def official(argv: list[str]) -> None:
    """Print the `newsfacts.evaluate` summary for each gold directory."""
    from newsfacts.evaluate import score

    nlp = load_pipeline()
    for directory in argv or ["/work/shared/gold/dev"]:
        gold, tables = extraction_tables(directory, nlp)
        report = score(gold, tables)
        mentions = report["mentions"]
        print(Path(directory).name, json.dumps(report["summary"]),
              "country", mentions["attributes"]["country"],
              "date", (report["events"] or {}).get("date"),
              "modality", (report["events"] or {}).get("modality"))


if __name__ == "__main__":
    if "--official" in sys.argv:
        official([a for a in sys.argv[1:] if not a.startswith("--")])
    else:
        main(sys.argv[1:])
