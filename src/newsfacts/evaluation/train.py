"""Train the event model on annotated articles and measure it honestly (k-fold cross-validation).

Annotated articles are ``../shared/gold/dev`` (with text) and our own annotations in
``dataset/annotations/*/gold`` (text joined from ``../shared/corpus``). Every article is parsed
once; each fold's model is trained on the other folds' articles only (its candidate lemmas
too), and the held-out articles are extracted with it exactly as a build would. The row
confidence model is fitted on out-of-fold rows, and its own figures are out-of-fold as well.

scikit-learn fits the models (``train`` extra); the result is written as plain weights
(``newsfacts.build.extract.learned``), rounded so the file is the same bytes on any machine.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from newsfacts.build.extract.learned import DATE_OPTIONS, ROLES, EventModel, LinearModel
from newsfacts.evaluation.evaluate import GoldArticle, load_gold, score

K_FOLDS = 5
MIN_LEMMA_COUNT = 2
MIN_HEAD_ARTICLES = 2
"""A lowercase noun becomes a descriptive mention head when it heads gold mentions in this many
articles."""
"""A lemma becomes a trigger candidate when annotated as a trigger in this many articles' rows."""
DIGITS = 4
MIN_WEIGHT = 0.005
"""Weights are rounded to DIGITS places (same bytes on any machine) and a feature whose
largest weight is below MIN_WEIGHT is dropped: the file stays small, decisions do not move."""
C = {"mention": 1.0, "sector": 1.0, "country": 0.3, "detector": 0.3, "typer": 0.5,
     "argument": 1.0, "context": 1.0, "dating": 1.0, "confidence": 0.5}
"""Inverse regularisation strength of each logistic regression (chosen by cross-validation)."""
THRESHOLDS = {"trigger": 0.45, "source": 0.1, "target": 0.2, "context": 0.3}
"""Decision thresholds. `trigger`: the detector's probability a candidate needs; 5-fold
type+trigger / arguments F1 .507/.188 at .35, .509/.193 at .4, .512/.197 at .45, .506/.197 at
.5, .490/.195 at .55. `context`: the probability an earlier-named actor needs to fill a role
its sentence leaves empty (`event_context`); 5-fold arguments F1 .184 without, .189 at .25-.35,
.186 at .18 and .5.
`source`/`target`: the probability a role's best candidate needs to be chosen (the score of
'none' in the joint choice). Low, because a stated argument is the rule (gold leaves the source
of 12% of events unstated, the target of 18%): over a .05-.4 grid, 5-fold arguments F1 peaks
at .1/.2 (.149; .138 at .4/.4)."""


# -- data -------------------------------------------------------------------------------------
def annotated_sets(shared: Path, repo: Path) -> dict[str, Path]:
    """The gold folders the model learns from: gold/dev plus every annotations/*/gold."""
    sets = {"dev": shared / "gold" / "dev"}
    for folder in sorted((repo / "dataset" / "annotations").glob("*/gold")):
        if any(folder.glob("*.json")):
            sets[folder.parent.name] = folder
    return sets


def load_annotated(shared: Path, repo: Path) -> list[GoldArticle]:
    """Every annotated article, texts joined and hash-checked, sorted by article id."""
    arts: list[GoldArticle] = []
    for folder in annotated_sets(shared, repo).values():
        arts += load_gold(folder, corpus_root=shared / "corpus")
    return sorted(arts, key=lambda g: g.article_id)


def fold_of(article_id: str, k: int = K_FOLDS) -> int:
    """The article's cross-validation fold: from a hash of its id, stable across runs."""
    return int(hashlib.sha256(article_id.encode()).hexdigest()[:8], 16) % k


@dataclass
class Parsed:
    """One annotated article with its parse and actor layer."""

    gold: GoldArticle
    doc: Any
    actors: Any


def parse(golds: Sequence[GoldArticle], model: str | None = None) -> list[Parsed]:
    """Run the build's pipeline and actor extraction over every annotated article."""
    from newsfacts.build.extract import load_pipeline
    from newsfacts.build.extract.actors import extract_actors

    nlp = load_pipeline(model) if model else load_pipeline()
    docs = nlp.pipe([g.text for g in golds], batch_size=16)
    return [Parsed(g, d, extract_actors(d)) for g, d in zip(golds, docs, strict=True)]


# -- examples ---------------------------------------------------------------------------------
def _overlaps(a0: int, a1: int, b0: int, b1: int) -> bool:
    return a0 < b1 and b0 < a1


def _gold_key_of(p: Parsed, start: int, end: int, actor_id: str) -> str | None:
    """The gold actor a predicted argument span stands for: a gold mention or pronoun it
    overlaps, else the gold actor most of the predicted actor's mentions overlap."""
    g = p.gold
    for m in [*g.mentions, *getattr(g, "coref", [])]:
        if _overlaps(start, end, m["start"], m["end"]):
            return m["actor"]
    return actor_keys(p).get(actor_id)


def actor_keys(p: Parsed) -> dict[str, str]:
    """Predicted actor id -> the gold actor key its mentions overlap most."""
    if not hasattr(p, "_keys"):
        doc = p.doc
        votes: dict[str, Counter] = defaultdict(Counter)
        for m in p.actors.mentions:
            span = doc[m.start:m.end]
            for gm in p.gold.mentions:
                if _overlaps(span.start_char, span.end_char, gm["start"], gm["end"]):
                    votes[m.actor_id][gm["actor"]] += 1
        p._keys = {a: min(c.items(), key=lambda kv: (-kv[1], kv[0]))[0]  # type: ignore[attr-defined]
                   for a, c in votes.items()}
    return p._keys  # type: ignore[attr-defined]


def trigger_lemmas(parsed: Sequence[Parsed]) -> frozenset[str]:
    """Lemmas of annotated trigger head tokens, in at least MIN_LEMMA_COUNT events."""
    counts: Counter = Counter()
    for p in parsed:
        for e in p.gold.events:
            span = p.doc.char_span(e["trigger_start"], e["trigger_end"], alignment_mode="expand")
            if span is not None:
                counts[span.root.lemma_.lower()] += 1
    return frozenset(lem for lem, n in counts.items() if n >= MIN_LEMMA_COUNT)


def _gold_events_at(p: Parsed, start: int, end: int) -> list[dict[str, Any]]:
    return [e for e in p.gold.events if _overlaps(start, end, e["trigger_start"], e["trigger_end"])]


def examples(parsed: Sequence[Parsed], lemmas: frozenset[str]) -> dict[str, tuple[list, list]]:
    """Training examples (features, label) of the detector (yes/no), the type model (types of
    the candidates that are events) and the argument model (none/source/target)."""
    from newsfacts.build.extract.event_arguments import RuleArguments
    from newsfacts.build.extract.event_candidates import (
        argument_examples,
        rule_arguments,
        trigger_candidates,
    )
    from newsfacts.build.extract.event_context import ContextIndex
    from newsfacts.build.extract.event_dates import reported_by

    out: dict[str, tuple[list, list]] = {k: ([], []) for k in ("detector", "typer", "argument",
                                                                "context")}

    def add(part: str, x: list[str], y: str) -> None:
        out[part][0].append(x)
        out[part][1].append(y)

    for p in parsed:
        doc, actors = p.doc, p.actors
        args = RuleArguments(doc, actors)
        read: dict[int, Any] = {}
        sent_of = actors.sentence_of
        index = ContextIndex(doc, actors)
        keys = actor_keys(p)
        for c in trigger_candidates(doc, actors, args, lemmas):
            trig = c.trigger
            span = doc[trig.start:trig.end]
            gold = _gold_events_at(p, span.start_char, span.end_char)
            add("detector", c.features, "yes" if gold else "no")
            if not gold:
                continue
            add("typer", c.features, gold[0]["type"])
            sources, targets = rule_arguments(trig, args, read)
            read[trig.head.i] = (sources, targets)
            src_keys = {e["source"] for e in gold if e.get("source")}
            tgt_keys = {e["target"] for e in gold if e.get("target")}
            stated = set()
            reporter = reported_by(trig, args)
            for cand, feats in argument_examples(doc, actors, args, trig, gold[0]["type"],
                                                 trig.head.sent, sources, targets, reporter):
                cspan = doc[cand.start:cand.end]
                key = _gold_key_of(p, cspan.start_char, cspan.end_char, cand.actor_id)
                stated.add(key)
                add("argument", feats, "source" if key in src_keys
                    else "target" if key in tgt_keys else "none")
            _context_examples(trig, sent_of[trig.head.i], gold[0], stated, index, keys,
                              reporter, add)
    return out


def _context_examples(trig: Any, si: int, gold: dict[str, Any], stated: set[str | None],
                      index: Any, keys: dict[str, str], reporter: str | None, add: Any) -> None:
    """Examples of the implicit-argument model: each role of a gold event that its sentence
    does not state (null, or an actor named only elsewhere), over the earlier-named actors."""
    from newsfacts.build.extract.event_context import context_features, previous_subjects

    subjects = previous_subjects(index, si)
    for role, other in (("source", "target"), ("target", "source")):
        want = gold.get(role)
        if want in stated and want is not None:
            continue  # the sentence states it: the argument model's decision
        known = gold.get(other)
        other_filled = known is not None and known in stated
        for site in index.candidates(si):
            key = keys.get(site.actor_id)
            if key is not None and key == known:
                continue
            feats = context_features(trig.head, gold["type"], role, site, si, index,
                                     other_filled, reporter, subjects)
            add("context", feats, "yes" if key is not None and key == want else "no")


def date_label(gold: dict[str, Any], options: dict[str, tuple[str | None, str]]) -> str | None:
    """Which date option gives the gold event's date (None: none does)."""
    want = (gold.get("date"), gold.get("date_precision"))
    if want[1] == "unknown":
        return "unknown"
    for option in ("sentence", "sentence_any", "narrative"):
        if options.get(option) == want:
            return option
    if gold.get("date_basis") == "publication" and options.get("publication") == want:
        return "publication"
    return None


def fit_linear(x: list[list[str]], y: list[str], c: float) -> LinearModel:
    """Logistic regression over binary string features, exported as rounded weights."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer(sort=True)
    mat = vec.fit_transform([{f: 1 for f in feats} for feats in x])
    clf = LogisticRegression(C=c, max_iter=5000, solver="lbfgs")
    clf.fit(mat, y)
    weights = {}
    for j, name in enumerate(vec.get_feature_names_out()):
        w = tuple(round(float(v), DIGITS) for v in clf.coef_[:, j])
        if max(abs(v) for v in w) >= MIN_WEIGHT:
            weights[str(name)] = w
    return LinearModel(tuple(str(k) for k in clf.classes_),
                       tuple(round(float(v), DIGITS) for v in clf.intercept_), weights)


def _uniform(classes: Sequence[str]) -> LinearModel:
    """A model without weights: every class equally likely (ties go to the first)."""
    return LinearModel(tuple(classes), tuple(0.0 for _ in classes), {})


def mention_examples(parsed: Sequence[Parsed]) -> tuple[list[list[str]], list[str]]:
    """State-name candidates met by the actor rules, labelled by whether a gold mention
    overlaps them (`mention_decisions`)."""
    xs, ys = [], []
    for p in parsed:
        for start, end, feats in p.actors.decisions:
            span = p.doc[start:end]
            hit = any(_overlaps(span.start_char, span.end_char, m["start"], m["end"])
                      for m in p.gold.mentions)
            xs.append(feats)
            ys.append("yes" if hit else "no")
    return xs, ys


def with_mentions(parsed: Sequence[Parsed], mention: LinearModel | None,
                  heads: dict[str, tuple[str | None, str]] | None = None,
                  sector: LinearModel | None = None,
                  country: LinearModel | None = None) -> list[Parsed]:
    """The articles with their actor layer re-read under these mention and attribute models."""
    from newsfacts.build.extract.actors import extract_actors

    return [Parsed(p.gold, p.doc, extract_actors(p.doc, mention_model=mention,
                                                 mention_heads=heads, sector_model=sector,
                                                 country_model=country))
            for p in parsed]


def sector_examples(parsed: Sequence[Parsed]) -> tuple[list[list[str]], list[str]]:
    """Each predicted actor's sector features, labelled with the sector of the gold actor its
    mentions overlap most (actors no gold actor stands for are left out)."""
    from newsfacts.build.extract.actor_attributes import NO_SECTOR

    xs, ys = [], []
    for p in parsed:
        keys = actor_keys(p)
        for actor_id, feats in p.actors.sector_features.items():
            key = keys.get(actor_id)
            if key is not None:
                xs.append(feats)
                ys.append(p.gold.actors[key].get("sector") or NO_SECTOR)
    return xs, ys


def fit_sector(parsed: Sequence[Parsed]) -> LinearModel:
    """The sector model, fitted on these articles' actors; applied to their actors in place."""
    from newsfacts.build.extract.actor_attributes import assign_sectors

    model = fit_linear(*sector_examples(parsed), C["sector"])
    for p in parsed:
        assign_sectors(p.actors.actors, p.actors.sector_features, model)
    return model


def fit_country(parsed: Sequence[Parsed]) -> LinearModel:
    """The country model: each candidate country of each predicted actor, labelled by whether
    it is the country of the gold actor the actor stands for; applied in place."""
    from newsfacts.build.extract.actor_attributes import assign_countries

    xs, ys = [], []
    for p in parsed:
        keys = actor_keys(p)
        for actor_id, options in p.actors.country_options.items():
            key = keys.get(actor_id)
            if key is None:
                continue
            want = p.gold.actors[key].get("country")
            for o in options:
                xs.append(list(o.features))
                ys.append("yes" if o.country == want else "no")
    model = fit_linear(xs, ys, C["country"])
    for p in parsed:
        assign_countries(p.actors.actors, p.actors.country_options, model)
    return model


def mention_heads(parsed: Sequence[Parsed]) -> dict[str, tuple[str | None, str]]:
    """Lowercase nouns heading gold mentions in MIN_HEAD_ARTICLES articles, with the sector and
    kind most often annotated for their actors (ties: alphabetical)."""
    from newsfacts.build.extract.actor_vocab import vocab

    listed = vocab()["desc_heads"]
    seen: dict[str, set[str]] = defaultdict(set)
    attrs: dict[str, Counter] = defaultdict(Counter)
    for p in parsed:
        for m in p.gold.mentions:
            span = p.doc.char_span(m["start"], m["end"], alignment_mode="expand")
            if span is None or len(span) > 3:
                continue
            root = span.root
            if root.pos_ != "NOUN" or not root.is_lower:
                continue
            lemma = root.lemma_.lower()
            if lemma in listed or root.lower_ in listed:
                continue
            actor = p.gold.actors[m["actor"]]
            seen[lemma].add(p.gold.article_id)
            attrs[lemma][(actor.get("sector") or "", actor.get("kind") or "group")] += 1
    out = {}
    for lemma in sorted(seen):
        if len(seen[lemma]) >= MIN_HEAD_ARTICLES:
            (sector, kind), _ = min(attrs[lemma].items(), key=lambda kv: (-kv[1], kv[0]))
            out[lemma] = (sector or None, kind)
    return out


def fit_event_model(parsed: Sequence[Parsed], confidence: LinearModel | None = None,
                    meta: dict[str, Any] | None = None) -> EventModel:
    """Every decision trained on these articles only: the mention model first, then the event
    decisions on the actor layer it gives, the date model on the rows the other decisions
    produce; with the given confidence model. `parsed` carries the rules' actor layer."""
    heads = mention_heads(parsed)
    mention = fit_linear(*mention_examples(with_mentions(parsed, None, heads)), C["mention"])
    parsed = with_mentions(parsed, mention, heads)
    sector = fit_sector(parsed)
    country = fit_country(parsed)
    lemmas = trigger_lemmas(parsed)
    ex = examples(parsed, lemmas)
    if set(ex["argument"][1]) != set(ROLES):
        raise ValueError("argument examples lack a role; annotate more articles")
    parts = {part: fit_linear(*ex[part], C[part]) for part in ("detector", "typer", "argument")}
    context = fit_linear(*ex["context"], C["context"]) if len(set(ex["context"][1])) > 1 else None
    conf = confidence or LinearModel(("right", "wrong"), (0.0,), {})
    partial = EventModel(**parts, dating=_uniform(DATE_OPTIONS), confidence=conf,
                         lemmas=lemmas, thresholds=dict(THRESHOLDS), meta=meta or {},
                         mention=mention, mention_heads=heads, sector=sector,
                         country=country, context=context)
    dx, dy = [], []
    for p in parsed:
        for ev in extract_with(p, partial)[0].events:
            gold = _gold_events_at(p, ev["trigger_start"], ev["trigger_end"])
            label = date_label(gold[0], ev["_date_options"]) if gold else None
            if label is not None:
                dx.append(ev["_date_features"])
                dy.append(label)
    dating = fit_linear(dx, dy, C["dating"]) if len(set(dy)) > 1 else _uniform(DATE_OPTIONS)
    return EventModel(**parts, dating=dating, confidence=conf, lemmas=lemmas,
                      thresholds=dict(THRESHOLDS), meta=meta or {}, mention=mention,
                      mention_heads=heads, sector=sector, country=country, context=context)


# -- extraction with a given model -------------------------------------------------------------
def published(g: GoldArticle) -> dt.date:
    """The article's publication date: events are dated against it, so training needs one."""
    if not g.published_date:
        raise ValueError(f"{g.path}: annotated article has no published_date")
    return dt.date.fromisoformat(g.published_date)


def extract_with(p: Parsed, model: EventModel) -> tuple[Any, list[list[str]]]:
    """The build's extraction of one parsed article with this event model; plus each event
    row's confidence features (same order as the rows)."""
    from newsfacts.build.extract import Extraction, _n_words
    from newsfacts.build.extract.events import extract_events
    from newsfacts.build.extract.figures import extract_figures
    from newsfacts.build.extract.language import passages

    g = p.gold
    mentions = p.actors.mention_records(p.doc)
    events = extract_events(p.doc, p.actors, published(g), model,
                            keep_features=True)
    english = passages(p.doc.text)
    if english.other:  # as `extract` does: nothing from passages in other languages
        events = [e for e in events if english.is_english(e["trigger_start"], e["trigger_end"])]
    feats = [e.pop("_confidence_features") for e in events]
    figures = extract_figures(p.doc, mentions, events)
    if english.other:
        figures = [f for f in figures if english.is_english(f["start"], f["end"])]
    ex = Extraction(n_words=_n_words(p.doc), n_sentences=sum(1 for _ in p.doc.sents),
                    actors=p.actors.actor_records(), mentions=mentions, events=events,
                    figures=list(figures), english_share=english.english_share)
    return ex, feats


def tables_for(parsed: Sequence[Parsed], extractions: Sequence[Any]) -> dict[str, pd.DataFrame]:
    """In-memory tables of these extractions, assembled as the build assembles them."""
    from newsfacts.build.assemble import ActorRegistry, article_rows
    from newsfacts.build.sources import Article

    rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
    reg = ActorRegistry()
    for p, ex in zip(parsed, extractions, strict=True):
        g = p.gold
        art = Article(article_id=g.article_id, source=g.corpus, url=None, title=None,
                      published_date=published(g),
                      license="NOASSERTION", text=g.text, file=g.path.name, record=1)
        r = article_rows(art, ex)
        reg.add(art, ex)
        for t in ("articles", "mentions", "events", "figures"):
            rows[t] += getattr(r, t)
    rows["actors"] = reg.rows()
    return {t: pd.DataFrame(v) for t, v in rows.items()}


def row_correct(p: Parsed, ev: dict[str, Any]) -> bool:
    """A predicted event row is right: a gold event of its type overlaps its trigger and the
    source and target stand for that event's source and target (or both are unstated)."""
    keys = actor_keys(p)

    def same(role: str, gold_key: str | None) -> bool:
        actor = ev[f"{role}_actor_id"]
        if actor is None or gold_key is None:
            return actor is None and gold_key is None
        if ev.get(f"{role}_start") is not None:
            k = _gold_key_of(p, ev[f"{role}_start"], ev[f"{role}_end"], actor)
            if k == gold_key:
                return True
        return keys.get(actor) == gold_key

    return any(e["type"] == ev["event_type"] and same("source", e.get("source"))
               and same("target", e.get("target"))
               for e in _gold_events_at(p, ev["trigger_start"], ev["trigger_end"]))


# -- cross-validation ----------------------------------------------------------------------------
def cross_validate(parsed: Sequence[Parsed], k: int = K_FOLDS) -> dict[str, Any]:
    """Out-of-fold extraction of every article, scored; confidence fitted and measured
    out-of-fold too. Returns the report plus the rows the final confidence model learns from."""
    folds = [fold_of(p.gold.article_id, k) for p in parsed]
    oof: list[Any] = [None] * len(parsed)
    row_feats: list[list[list[str]]] = [[] for _ in parsed]
    held: list[Any] = list(parsed)  # each article under its own fold's actor layer
    for f in range(k):
        train = [p for p, fo in zip(parsed, folds, strict=True) if fo != f]
        model = fit_event_model(train)
        for i, p in enumerate(parsed):
            if folds[i] == f:
                held[i] = with_mentions([p], model.mention, model.mention_heads,
                                        model.sector, model.country)[0]
                oof[i], row_feats[i] = extract_with(held[i], model)
    parsed = held
    labels = [[row_correct(p, ev) for ev in ex.events] for p, ex in zip(parsed, oof, strict=True)]
    # Confidence: fitted on the other folds' rows, applied to this fold's rows.
    conf: list[list[float]] = [[] for _ in parsed]
    for f in range(k):
        xs = [x for i in range(len(parsed)) if folds[i] != f for x in row_feats[i]]
        ys = [y for i in range(len(parsed)) if folds[i] != f for y in labels[i]]
        cm = fit_linear(xs, ["right" if y else "wrong" for y in ys], C["confidence"])
        for i in range(len(parsed)):
            if folds[i] == f:
                conf[i] = [cm.proba(x)[cm.classes.index("right")] for x in row_feats[i]]
    for ex, cs in zip(oof, conf, strict=True):
        for ev, c in zip(ex.events, cs, strict=True):
            ev["confidence"] = round(c, 4)
    report = score([p.gold for p in parsed], tables_for(parsed, oof))
    flat_c = [c for cs in conf for c in cs]
    flat_y = [y for ys in labels for y in ys]
    report["confidence"] = calibration(flat_c, flat_y)
    report["folds"] = k
    all_x = [x for fs in row_feats for x in fs]
    return {"report": report, "confidence_rows": (all_x, flat_y), "oof": oof, "parsed": parsed}


def calibration(conf: Sequence[float], right: Sequence[bool], bins: int = 10) -> dict[str, Any]:
    """Expected calibration error, AUROC, and precision/recall of rows above thresholds."""
    from sklearn.metrics import roc_auc_score

    n = len(conf)
    ece = 0.0
    table = []
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        idx = [i for i, c in enumerate(conf) if lo <= c < hi or (b == bins - 1 and c == 1.0)]
        if idx:
            mean_c = sum(conf[i] for i in idx) / len(idx)
            acc = sum(right[i] for i in idx) / len(idx)
            ece += len(idx) / n * abs(mean_c - acc)
            table.append({"bin": [lo, hi], "n": len(idx), "confidence": round(mean_c, 4),
                          "accuracy": round(acc, 4)})
    total_right = sum(right)
    pr = []
    for t in (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9):
        kept = [r for c, r in zip(conf, right, strict=True) if c >= t]
        pr.append({"threshold": t, "rows": len(kept),
                   "precision": round(sum(kept) / len(kept), 4) if kept else None,
                   "recall_of_right_rows": round(sum(kept) / total_right, 4)
                   if total_right else None})
    auroc = roc_auc_score(right, conf) if 0 < total_right < n else None
    return {"rows": n, "right": total_right, "ece": round(ece, 4),
            "auroc": None if auroc is None else round(float(auroc), 4),
            "bins": table, "precision_recall": pr}


# -- training ---------------------------------------------------------------------------------
def train(shared: Path, repo: Path, out: Path, *, k: int = K_FOLDS) -> dict[str, Any]:
    """Cross-validate, then fit the shipped model on every annotated article; write it and the
    cross-validated report. Same annotations and code give the same bytes."""
    golds = load_annotated(shared, repo)
    parsed = parse(golds)
    cv = cross_validate(parsed, k)
    xs, ys = cv["confidence_rows"]
    confidence = fit_linear(xs, ["right" if y else "wrong" for y in ys], C["confidence"])
    sets = Counter(g.path.parent.parent.name if g.path.parent.name == "gold"
                   and g.path.parent.parent.name != "gold" else g.path.parent.name
                   for g in golds)
    meta = {"articles": len(golds), "sets": dict(sorted(sets.items())),
            "annotations_sha256": annotations_hash(golds), "folds": k}
    model = fit_event_model(parsed, confidence, meta)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(dump_model(model), encoding="utf-8")
    return cv["report"]


def dump_model(model: EventModel) -> str:
    """The model as JSON with one line per weight vector: small, diffable, stable bytes."""
    data = model.to_json()
    lines = ["{"]
    parts = model.parts()
    head = {k: v for k, v in data.items() if k not in parts}
    for k, v in head.items():
        lines.append(f" {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)},")
    for n, part in enumerate(parts):
        m = data[part]
        lines.append(f" {json.dumps(part)}: {{")
        lines.append(f"  \"classes\": {json.dumps(m['classes'])},")
        lines.append(f"  \"intercept\": {json.dumps(m['intercept'])},")
        lines.append("  \"weights\": {")
        items = list(m["weights"].items())
        for i, (f, w) in enumerate(items):
            sep = "," if i < len(items) - 1 else ""
            lines.append(f"   {json.dumps(f, ensure_ascii=False)}: {json.dumps(w)}{sep}")
        lines.append("  }")
        lines.append(" }" + ("," if n < len(parts) - 1 else ""))
    lines.append("}")
    return "\n".join(lines) + "\n"


def annotations_hash(golds: Sequence[GoldArticle]) -> str:
    """One hash over the annotation files the model was trained on (which data made it)."""
    h = hashlib.sha256()
    for g in sorted(golds, key=lambda g: g.article_id):
        h.update(g.path.read_bytes())
    return h.hexdigest()
