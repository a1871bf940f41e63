"""Score built newsfacts tables against gold annotations (shared/gold/FORMAT.md, EXTERNAL.md).

``newsfacts evaluate`` (``newsfacts.cli``) calls :func:`evaluate`, then
``newsfacts.evaluation.report`` renders and writes the report.

Rules (decided here, the tests pin them down):

- **Join.** Gold articles join built articles on ``article_id``. A gold article missing from the
  build raises :class:`EvaluationError` naming the gold file and the id. If the build has a
  ``text`` column it must equal the gold text (offsets are meaningless otherwise).
- **Scope.** When a gold file has ``scope`` ``{start, end}``, a prediction is ignored only when its
  span (the trigger span for events) lies fully outside ``[start, end)``. A prediction that
  partly overlaps the scope is kept: it can still match a gold annotation near the boundary, and
  dropping it would hide errors. Gold annotations are never filtered.
- **Matching.** Every one-to-one matching (mentions, events, figures) is a maximum-cardinality
  bipartite matching on "spans overlap (and the layer's extra condition holds)". It is seeded
  greedily in the order: exact span first, then the layer's preference (events: arguments
  correct; figures: value and kind correct), then larger overlap, then earlier gold start, earlier
  predicted start, row order; augmenting paths (Kuhn) then raise it to maximum cardinality. The
  result depends only on the input rows and their order, never on hashing or randomness.
- **Mentions.** ``exact``: spans identical. ``overlap``: spans share at least one character.
  ``kind``/``sector``/``country`` accuracy is measured on the *overlap* matches (they include the
  exact ones, which the seed prefers); null == null counts as correct.
- **Events.** ``type_trigger``: same ``event_type`` and overlapping triggers. ``arguments``: a
  separate matching that also requires source and target correct; a predicted argument is correct
  when some mention of the predicted actor in that article overlaps some gold mention of the gold
  actor, or both are null. ``modality`` and ``date`` (``event_date`` and ``date_precision`` both
  equal) accuracies are measured on the ``type_trigger`` matches.
- **Figures.** ``span``: overlapping spans. ``value_kind``: a separate matching that also requires
  value (relative tolerance 1e-9) and kind equal. Attribute accuracies on the ``span`` matches.
- **Averaging.** Counts are summed over articles (micro average). A ratio with a zero denominator
  is ``None`` (JSON ``null``); F1 is ``2tp / (2tp + fp + fn)``.
- **Coverage.** What a gold file annotates comes from its ``source_corpus`` (absent = our own
  guidelines, everything annotated); see :data:`COVERAGE`. Layers or attributes a corpus does not
  annotate are not scored: the group is ``null`` in the report when no scored article annotates
  it (e.g. ``events`` for MEANTIME/GUM, ``figures`` for GUM, ``counted`` for MEANTIME). When any
  scored article's mentions are names only (MEANTIME, GUM), mention ``precision`` and ``f1`` are
  ``null`` and ``names_only`` is true: read recall. An unknown ``source_corpus`` is an error, so a
  new corpus must say what it covers before it is scored.
The report's layout: ``newsfacts.evaluation.report``.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from newsfacts.errors import NewsfactsError
from newsfacts.evaluation.matching import (
    Span,
    _acc,
    _add,
    _finish,
    _in_scope,
    _num,
    _overlap,
    _prf,
    _same,
    _same_value,
    _to_date,
    _val,
    match_spans,
)
from newsfacts.evaluation.report import FIGURE_ATTRS, MENTION_ATTRS, REPORT_VERSION, summary
from newsfacts.schema import TABLES

__all__ = [
    "COVERAGE",
    "Coverage",
    "EvaluationError",
    "GoldArticle",
    "GoldFormatError",
    "evaluate",
    "gold_to_tables",
    "load_gold",
    "match_spans",
    "read_tables",
    "score",
]

DEFAULT_CORPUS = "newsfacts"
REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "articles": ("article_id",),
    "actors": ("actor_id", "kind", "sector", "country"),
    "mentions": ("article_id", "actor_id", "start", "end"),
    "events": (
        "article_id", "event_type", "modality", "trigger_start", "trigger_end",
        "source_actor_id", "target_actor_id", "event_date", "date_precision",
    ),
    "figures": ("article_id", "start", "end", "value", "kind", "qualifier", "unit", "counted"),
}

Record = dict[str, Any]


class EvaluationError(NewsfactsError, ValueError):
    """The build cannot be scored against the gold (missing article, different text)."""


class GoldFormatError(NewsfactsError, ValueError):
    """A gold file breaks FORMAT.md, so scoring against it would be meaningless."""


@dataclass(frozen=True)
class Coverage:
    """What one gold corpus annotates, so unannotated layers are not counted as errors."""

    mentions_complete: bool  # False: names only, so mention precision is meaningless
    mention_attrs: tuple[str, ...]
    events: bool
    figures: bool
    figure_attrs: tuple[str, ...]


COVERAGE: dict[str, Coverage] = {
    DEFAULT_CORPUS: Coverage(True, MENTION_ATTRS, True, True, FIGURE_ATTRS),
    # EXTERNAL.md: names only (PER/ORG), no sector/country, figures without `counted`, no events.
    "meantime": Coverage(False, ("kind",), False, True, ("value", "kind", "qualifier", "unit")),
    # EXTERNAL.md: names only, no number layer (`figures: []` means "not annotated"), no events.
    "gum": Coverage(False, ("kind",), False, False, ()),
}


@dataclass(frozen=True)
class GoldArticle:
    """One gold file: the article's text and what a careful reader would put in the tables."""

    article_id: str
    path: Path
    corpus: str
    text: str
    published_date: str | None
    scope: Span | None
    actors: dict[str, Record]
    mentions: list[Record]
    events: list[Record]
    figures: list[Record]
    coref: list[Record] = field(default_factory=list)  # pronouns of our annotations' arguments

    @property
    def coverage(self) -> Coverage:
        """The layers this article's corpus annotates."""
        return COVERAGE[self.corpus]


# --------------------------------------------------------------------------- gold loading


def load_gold(gold_dir: str | Path, corpus_root: str | Path | None = None) -> list[GoldArticle]:
    """Read and check every ``*.json`` gold file in a directory, sorted by file name. Files
    stored without text (our annotations) get it from ``corpus_root`` (hash-checked)."""
    from newsfacts.evaluation.annotations import AnnotationError, default_corpus_root, join_text

    gold_dir = Path(gold_dir)
    if not gold_dir.is_dir():
        raise FileNotFoundError(f"gold directory not found: {gold_dir}")
    paths = sorted(gold_dir.glob("*.json"))
    if not paths:
        raise GoldFormatError(f"no gold files (*.json) in {gold_dir}")
    root = Path(corpus_root) if corpus_root is not None else default_corpus_root()
    cache: dict[str, Any] = {}
    out = []
    for p in paths:
        doc = json.loads(p.read_text(encoding="utf-8"))
        if "text" not in doc:
            try:
                doc = join_text(doc, root, p, cache)
            except AnnotationError as exc:
                raise GoldFormatError(str(exc)) from None
        out.append(parse_gold(doc, p))
    return out


def parse_gold(doc: Record, path: Path) -> GoldArticle:
    """Turn one gold JSON object into a checked :class:`GoldArticle`."""
    corpus = doc.get("source_corpus") or DEFAULT_CORPUS
    if corpus not in COVERAGE:
        raise GoldFormatError(
            f"{path}: unknown source_corpus {corpus!r}; add it to COVERAGE in evaluate.py"
        )
    scope = doc.get("scope")
    gold = GoldArticle(
        article_id=str(doc["article_id"]),
        path=path,
        corpus=corpus,
        text=doc["text"],
        published_date=doc.get("published_date"),
        scope=(int(scope["start"]), int(scope["end"])) if scope else None,
        actors=dict(doc.get("actors") or {}),
        mentions=list(doc.get("mentions") or []),
        events=list(doc.get("events") or []),
        figures=list(doc.get("figures") or []),
        coref=list(doc.get("coref") or []),
    )
    check_gold(gold)
    return gold


def check_gold(gold: GoldArticle) -> None:
    """Raise GoldFormatError when offsets, texts or actor keys in a gold article disagree."""
    where = f"{gold.path} ({gold.article_id})"
    if gold.path.suffix == ".json" and gold.path.stem != gold.article_id:
        raise GoldFormatError(f"{where}: file name must be <article_id>.json")
    text = gold.text
    for m in gold.mentions:
        _check_slice(text, m["start"], m["end"], m["text"], f"{where}: mention")
        if m["actor"] not in gold.actors:
            raise GoldFormatError(
                f"{where}: mention {m['text']!r} has unknown actor {m['actor']!r}"
            )
    for e in gold.events:
        _check_slice(text, e["trigger_start"], e["trigger_end"], e["trigger"], f"{where}: event")
        for role in ("source", "target"):
            if e.get(role) is not None and e[role] not in gold.actors:
                raise GoldFormatError(f"{where}: event {role} {e[role]!r} is not an actor key")
    for f in gold.figures:
        _check_slice(text, f["start"], f["end"], f["text"], f"{where}: figure")
    for c in gold.coref:
        _check_slice(text, c["start"], c["end"], c["text"], f"{where}: coref")


def _check_slice(text: str, start: int, end: int, expected: str, where: str) -> None:
    """Raise when ``text[start:end]`` is not the annotated string."""
    if text[start:end] != expected:
        raise GoldFormatError(
            f"{where} [{start}, {end}) is {text[start:end]!r}, annotated as {expected!r}"
        )


# --------------------------------------------------------------------------- tables


def read_tables(data_dir: str | Path) -> dict[str, pd.DataFrame]:
    """Read the five built tables (parquet, else csv) from a data directory."""
    data_dir = Path(data_dir)
    tables = {}
    for name in TABLES:
        parquet, csv = data_dir / f"{name}.parquet", data_dir / f"{name}.csv"
        if parquet.exists():
            tables[name] = pd.read_parquet(parquet)
        elif csv.exists():
            tables[name] = pd.read_csv(csv)
        else:
            raise FileNotFoundError(
                f"table {name!r} not found: {parquet} (build the dataset first)"
            )
    return tables


def check_tables(tables: dict[str, pd.DataFrame]) -> None:
    """Raise EvaluationError when a table or a column the scorer reads is missing."""
    for name, columns in REQUIRED_COLUMNS.items():
        if name not in tables:
            raise EvaluationError(f"table {name!r} is missing")
        missing = [c for c in columns if c not in tables[name].columns]
        if missing:
            raise EvaluationError(f"table {name!r} lacks columns {missing}")


def gold_to_tables(gold: Sequence[GoldArticle]) -> dict[str, pd.DataFrame]:
    """Convert gold articles into the five tables, as a perfect build would produce them."""
    rows: dict[str, list[Record]] = {name: [] for name in TABLES}
    for g in gold:
        for name, recs in _gold_rows(g).items():
            rows[name].extend(recs)
    return {name: pd.DataFrame(rows[name], columns=_GOLD_COLUMNS[name]) for name in TABLES}


_GOLD_COLUMNS: dict[str, list[str]] = {
    "articles": [
        "article_id", "source", "url", "published_date", "text", "text_sha256", "n_chars",
    ],
    "actors": [
        "actor_id", "name", "kind", "sector", "country", "title", "affiliation_id", "n_mentions",
    ],
    "mentions": ["mention_id", "article_id", "actor_id", "start", "end", "text"],
    "events": [
        "event_id", "article_id", "event_type", "mode", "modality", "trigger", "trigger_start",
        "trigger_end", "source_actor_id", "target_actor_id", "event_date", "date_precision",
        "date_basis", "location", "location_country",
    ],
    "figures": [
        "figure_id", "article_id", "start", "end", "text", "value", "value_high", "qualifier",
        "kind", "unit", "counted", "event_id", "actor_id",
    ],
}


def _gold_rows(g: GoldArticle) -> dict[str, list[Record]]:
    """Rows of the five tables for one gold article; actor ids are ``<article_id>:<key>``."""
    aid = g.article_id

    def actor_id(key: str | None) -> str | None:
        return None if key is None else f"{aid}:{key}"

    n_mentions: dict[str, int] = defaultdict(int)
    for m in g.mentions:
        n_mentions[m["actor"]] += 1
    article = {
        "article_id": aid, "source": g.corpus, "url": None, "text": g.text,
        "published_date": _to_date(g.published_date),
        "text_sha256": hashlib.sha256(g.text.encode("utf-8")).hexdigest(), "n_chars": len(g.text),
    }
    actors = [
        {"actor_id": actor_id(k), "name": a.get("name"), "kind": a.get("kind"),
         "sector": a.get("sector"), "country": a.get("country"), "title": a.get("title"),
         "affiliation_id": actor_id(a.get("affiliation")), "n_mentions": n_mentions[k]}
        for k, a in g.actors.items()
    ]
    mentions = [
        {"mention_id": f"{aid}:m{i}", "article_id": aid, "actor_id": actor_id(m["actor"]),
         "start": m["start"], "end": m["end"], "text": m["text"]}
        for i, m in enumerate(g.mentions)
    ]
    events = [
        {"event_id": f"{aid}:e{i}", "article_id": aid, "event_type": e["type"],
         "mode": e.get("mode"), "modality": e.get("modality"), "trigger": e["trigger"],
         "trigger_start": e["trigger_start"], "trigger_end": e["trigger_end"],
         "source_actor_id": actor_id(e.get("source")),
         "target_actor_id": actor_id(e.get("target")), "event_date": _to_date(e.get("date")),
         "date_precision": e.get("date_precision"), "date_basis": e.get("date_basis"),
         "location": e.get("location"), "location_country": e.get("location_country")}
        for i, e in enumerate(g.events)
    ]
    event_by_start: dict[int | None, str] = {}
    for ev in events:
        event_by_start.setdefault(ev["trigger_start"], ev["event_id"])
    figures = [
        {"figure_id": f"{aid}:f{i}", "article_id": aid, "start": f["start"], "end": f["end"],
         "text": f["text"], "value": _num(f.get("value")), "value_high": _num(f.get("value_high")),
         "qualifier": f.get("qualifier"), "kind": f.get("kind"), "unit": f.get("unit"),
         "counted": f.get("counted"),
         "event_id": event_by_start.get(f.get("event_trigger_start")), "actor_id": None}
        for i, f in enumerate(g.figures)
    ]
    return {"articles": [article], "actors": actors, "mentions": mentions, "events": events,
            "figures": figures}


# --------------------------------------------------------------------------- scoring


@dataclass(frozen=True)
class _Pred:
    """Predicted rows of one article, plus the actors table as a lookup."""

    mentions: list[Record]
    events: list[Record]
    figures: list[Record]
    actors: dict[Any, Record]


def _group_records(df: pd.DataFrame) -> dict[str, list[Record]]:
    """Rows of a table as records grouped by article_id."""
    return {
        str(aid): [{str(k): _val(v) for k, v in r.items()} for r in g.to_dict("records")]
        for aid, g in df.groupby("article_id", sort=False)
    }


def _actor_lookup(actors: pd.DataFrame) -> dict[Any, Record]:
    """actor_id -> {kind, sector, country}; the first row wins if an id repeats."""
    rows = actors.drop_duplicates("actor_id", keep="first")
    return {
        _val(r["actor_id"]): {a: _val(r[a]) for a in MENTION_ATTRS}
        for r in rows[["actor_id", *MENTION_ATTRS]].to_dict("records")
    }


def _check_join(gold: Sequence[GoldArticle], articles: pd.DataFrame, check_text: bool) -> None:
    """Raise EvaluationError if a gold article is missing from the build or its text differs."""
    texts = {}
    has_text = "text" in articles.columns
    for r in articles.to_dict("records"):
        texts[str(r["article_id"])] = r.get("text") if has_text else None
    for g in gold:
        if g.article_id not in texts:
            raise EvaluationError(
                f"gold file {g.path}: article {g.article_id} is not in the built articles table"
            )
        built = _val(texts[g.article_id])
        if check_text and has_text and built is not None and built != g.text:
            at = next(
                (i for i, (a, b) in enumerate(zip(built, g.text, strict=False)) if a != b),
                min(len(built), len(g.text)),
            )
            raise EvaluationError(
                f"gold file {g.path}: text of article {g.article_id} differs from the build "
                f"(first difference at offset {at}); offsets cannot be compared"
            )


def score(
    gold: Sequence[GoldArticle],
    tables: dict[str, pd.DataFrame],
    by_article: bool = False,
    check_text: bool = True,
) -> dict[str, Any]:
    """Score built tables against gold articles; returns the JSON-ready report."""
    check_tables(tables)
    ids = [g.article_id for g in gold]
    if len(set(ids)) != len(ids):
        raise GoldFormatError(f"article ids appear twice in the gold: {_repeated(ids)}")
    _check_join(gold, tables["articles"], check_text)
    grouped = {name: _group_records(tables[name]) for name in ("mentions", "events", "figures")}
    actors = _actor_lookup(tables["actors"])
    totals: dict[str, Any] = {"mentions": None, "events": None, "figures": None}
    rows = []
    corpora: dict[str, int] = defaultdict(int)
    for g in gold:
        corpora[g.corpus] += 1
        pred = _Pred(grouped["mentions"].get(g.article_id, []),
                     grouped["events"].get(g.article_id, []),
                     grouped["figures"].get(g.article_id, []), actors=actors)
        counts = score_article(g, pred)
        for layer in totals:
            totals[layer] = _add(totals[layer], counts[layer])
        if by_article:
            rows.append({"article_id": g.article_id, "file": g.path.name, "corpus": g.corpus,
                         **{layer: _finish(c) for layer, c in counts.items()}})
    report: dict[str, Any] = {
        "report_version": REPORT_VERSION,
        "n_articles": len(gold),
        "corpora": dict(sorted(corpora.items())),
    }
    finished = {layer: _finish(c) for layer, c in totals.items()}
    report["summary"] = summary(finished)
    report.update(finished)
    if by_article:
        report["articles"] = rows
    return report


def _repeated(items: Sequence[str]) -> list[str]:
    """Items that occur more than once, sorted."""
    return sorted(x for x, n in Counter(items).items() if n > 1)


def score_article(g: GoldArticle, pred: _Pred) -> dict[str, dict[str, Any] | None]:
    """Raw counters for one article; a layer its corpus does not annotate is None."""
    cov = g.coverage
    return {
        "mentions": _score_mentions(g, pred, cov),
        "events": _score_events(g, pred) if cov.events else None,
        "figures": _score_figures(g, pred, cov) if cov.figures else None,
    }


def _score_mentions(g: GoldArticle, pred: _Pred, cov: Coverage) -> dict[str, Any]:
    """Exact and overlap mention counts, and actor attribute accuracy on overlap matches."""
    preds = [m for m in pred.mentions if _in_scope((m["start"], m["end"]), g.scope)]
    gs = [(m["start"], m["end"]) for m in g.mentions]
    ps = [(int(m["start"]), int(m["end"])) for m in preds]
    exact = match_spans(gs, ps, compatible=lambda gi, pi: gs[gi] == ps[pi])
    overlap = match_spans(gs, ps)
    attrs: dict[str, Any] = {a: None for a in MENTION_ATTRS}
    for a in cov.mention_attrs:
        pairs = [
            (g.actors[g.mentions[gi]["actor"]].get(a),
             pred.actors.get(preds[pi]["actor_id"], {}).get(a))
            for gi, pi in overlap
        ]
        attrs[a] = _acc(pairs, _same)
    return {
        "n_articles": 1,
        "names_only": not cov.mentions_complete,
        "exact": _prf(len(exact), len(gs), len(ps)),
        "overlap": _prf(len(overlap), len(gs), len(ps)),
        "attributes": attrs,
    }


def _spans_by_actor(mentions: Iterable[Record], key: str) -> dict[Any, list[Span]]:
    """Mention spans grouped by actor (gold key or predicted actor_id)."""
    out: dict[Any, list[Span]] = defaultdict(list)
    for m in mentions:
        out[m[key]].append((int(m["start"]), int(m["end"])))
    return out


def _score_events(g: GoldArticle, pred: _Pred) -> dict[str, Any]:
    """Type+trigger and with-arguments event counts; modality and date accuracy."""
    preds = [
        e for e in pred.events
        if _in_scope((int(e["trigger_start"]), int(e["trigger_end"])), g.scope)
    ]
    gs = [(e["trigger_start"], e["trigger_end"]) for e in g.events]
    ps = [(int(e["trigger_start"]), int(e["trigger_end"])) for e in preds]
    gold_spans = _spans_by_actor(g.mentions, "actor")
    pred_spans = _spans_by_actor(pred.mentions, "actor_id")  # all mentions: identity, not scoring

    def arg_ok(gold_key: str | None, pred_id: Any) -> bool:
        if gold_key is None or pred_id is None:
            return gold_key is None and pred_id is None
        return any(_overlap(a, b) > 0 for a in pred_spans.get(pred_id, ())
                   for b in gold_spans.get(gold_key, ()))

    def same_type(gi: int, pi: int) -> bool:
        return g.events[gi]["type"] == preds[pi]["event_type"]

    def args_ok(gi: int, pi: int) -> bool:
        ge, pe = g.events[gi], preds[pi]
        return (arg_ok(ge.get("source"), pe["source_actor_id"])
                and arg_ok(ge.get("target"), pe["target_actor_id"]))

    typed = match_spans(gs, ps, compatible=same_type, prefer=lambda gi, pi: args_ok(gi, pi))
    with_args = match_spans(gs, ps, compatible=lambda gi, pi: same_type(gi, pi) and args_ok(gi, pi))
    pairs = [(g.events[gi], preds[pi]) for gi, pi in typed]
    return {
        "n_articles": 1,
        "type_trigger": _prf(len(typed), len(gs), len(ps)),
        "arguments": _prf(len(with_args), len(gs), len(ps)),
        "modality": _acc(((ge.get("modality"), pe["modality"]) for ge, pe in pairs), _same),
        "date": _acc(
            (((_to_date(ge.get("date")), ge.get("date_precision")),
              (_to_date(pe["event_date"]), pe["date_precision"])) for ge, pe in pairs),
            lambda a, b: a == b,
        ),
    }


def _score_figures(g: GoldArticle, pred: _Pred, cov: Coverage) -> dict[str, Any]:
    """Span and value+kind figure counts; attribute accuracy on span matches."""
    preds = [f for f in pred.figures if _in_scope((int(f["start"]), int(f["end"])), g.scope)]
    gs = [(f["start"], f["end"]) for f in g.figures]
    ps = [(int(f["start"]), int(f["end"])) for f in preds]

    def value_kind(gi: int, pi: int) -> bool:
        gf, pf = g.figures[gi], preds[pi]
        return _same_value(gf.get("value"), pf["value"]) and _same(gf.get("kind"), pf["kind"])

    spans = match_spans(gs, ps, prefer=lambda gi, pi: value_kind(gi, pi))
    both = match_spans(gs, ps, compatible=value_kind)
    attrs: dict[str, Any] = {a: None for a in FIGURE_ATTRS}
    for a in cov.figure_attrs:
        same = _same_value if a == "value" else _same
        attrs[a] = _acc(((g.figures[gi].get(a), preds[pi][a]) for gi, pi in spans), same)
    return {
        "n_articles": 1,
        "span": _prf(len(spans), len(gs), len(ps)),
        "value_kind": _prf(len(both), len(gs), len(ps)),
        "attributes": attrs,
    }


# --------------------------------------------------------------------------- entry points


def evaluate(
    gold_dir: str | Path, data_dir: str | Path = "dataset/data", by_article: bool = False
) -> dict[str, Any]:
    """Score the build in ``data_dir`` against every gold file in ``gold_dir``. When
    ``data_dir`` holds gold files instead of tables, the second annotation is scored against
    the first (inter-annotator agreement), on the articles both annotated."""
    gold = load_gold(gold_dir)
    data_dir = Path(data_dir)
    if not any(data_dir.glob("*.parquet")) and not any(data_dir.glob("*.csv")) and any(
            data_dir.glob("*.json")):
        other = load_gold(data_dir)
        common = {g.article_id for g in other} & {g.article_id for g in gold}
        gold = [g for g in gold if g.article_id in common]
        tables = gold_to_tables([g for g in other if g.article_id in common])
        report = score(gold, tables, by_article=by_article)
    else:
        report = score(gold, read_tables(data_dir), by_article=by_article)
    return {"gold_dir": str(gold_dir), "data_dir": str(data_dir), **report}
