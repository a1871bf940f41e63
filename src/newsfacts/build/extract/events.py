"""PLOVER events from the dependency parse: lexicon triggers (verbs, nouns, phrasal verbs), source
and target actors from grammatical roles, modality, date, location and the reporting actor.

One record per (trigger, source, target) as in gold/FORMAT.md. `rule` names the lexicon entry.

The pieces live beside this module: `event_triggers` (lexicon triggers), `event_arguments`
(arguments by grammatical role), `event_candidates` (what the learned model decides among),
`event_modality`, `event_dates` (dates, places, reporter); this module assembles the records
and fills what an event leaves unstated from the rest of the article.
"""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from spacy.tokens import Doc, Span, Token

from newsfacts.build.extract.actors import ActorResult, Mention
from newsfacts.build.extract.dates import ResolvedDate, resolve
from newsfacts.build.extract.event_arguments import RuleArguments
from newsfacts.build.extract.event_candidates import (
    TriggerCandidate,
    argument_examples,
    rule_arguments,
    trigger_candidates,
)
from newsfacts.build.extract.event_context import (
    ContextIndex,
    context_features,
    previous_subjects,
)
from newsfacts.build.extract.event_dates import (
    bound_only,
    choose_date,
    choose_location,
    location_country,
    location_span,
    reported_by,
)
from newsfacts.build.extract.event_lexicon import lexicon
from newsfacts.build.extract.event_modality import governing_verb, modality
from newsfacts.build.extract.event_triggers import Trigger
from newsfacts.build.extract.learned import (
    DATE_OPTIONS,
    Candidate,
    EventModel,
    choose_arguments,
    confidence_features,
    dating_features,
    default_model,
)
from newsfacts.build.extract.records import EventRecord


def extract_events(doc: Doc, actors: ActorResult, published: date,
                   model: EventModel | None = None, keep_features: bool = False
                   ) -> list[EventRecord]:
    """Event records of one article, in text order, one per trigger: candidates from the
    parse and the lexicon, type and arguments decided by the learned model (`keep_features`:
    each record keeps its confidence features under `_confidence_features`, for training)."""
    model = model or default_model()
    args = RuleArguments(doc, actors)
    kept = decide_triggers(trigger_candidates(doc, actors, args, model.lemmas), model)
    trigger_verbs = frozenset(t.head.i for t, _ in kept if t.is_verb)
    sents = list(doc.sents)
    sent_of = actors.sentence_of
    # `doc.ents` and `Span.ents` build new Span objects on every call (a few ms on a long
    # article): read them once, split by sentence as `Span.ents` does (wholly inside).
    ents = doc.ents
    sent_ents: list[list[Span]] = [[] for _ in sents]
    for ent in ents:
        si = sent_of[ent.start]
        if ent.end <= sents[si].end:
            sent_ents[si].append(ent)
    sentence_dates = _sentence_dates(sent_ents, published)
    context = ContextIndex(doc, actors)
    records = []
    read: dict[int, tuple[list[Mention], list[Mention]]] = {}  # trigger head -> its arguments
    for trig, p_type in kept:
        si = sent_of[trig.head.i]
        sent = sents[si]
        sources, targets = rule_arguments(trig, args, read)
        read[trig.head.i] = (sources, targets)
        reporter = reported_by(trig, args)
        examples = argument_examples(doc, actors, args, trig, trig.type, sent, sources,
                                     targets, reporter)
        probs = [(cand, model.argument.proba(feats)) for cand, feats in examples]
        pairs = choose_arguments(probs, model.thresholds)
        mod = modality(trig)
        date_ent = choose_date(trig, sent_ents[si], trigger_verbs)
        own = None
        if date_ent is not None:
            near = mod == "future" and _has_aux(trig.head, "would")
            own = resolve(date_ent.text, published, future=mod == "future" and not near,
                          near=near)
        narrative = next(((si - j, d) for j, d in sorted(sentence_dates.items(), reverse=True)
                          if j < si and si - j <= NARRATIVE_SENTENCES), None)
        lexical = not trig.rule.startswith("model:")
        other = sentence_dates.get(si)  # the sentence's first past date, if another one
        if other is not None and (date_ent is not None and other[1].start == date_ent.start):
            other = None
        date_feats = dating_features(trig.head, trig.type, mod, own is not None,
                                     narrative[0] if narrative else None, si, lexical,
                                     other[1] if other else None)
        options = {"sentence": own, "sentence_any": other[0] if other else None,
                   "narrative": narrative[1][0] if narrative else None,
                   "publication": ResolvedDate(published.isoformat(), "day", "publication"),
                   "unknown": ResolvedDate(None, "unknown", "publication")}
        choice, _ = model.dating.best(date_feats, [o for o in DATE_OPTIONS if options[o]])
        # `best` chose among the options that are set
        resolved = cast(ResolvedDate, options[choice])
        if choice == "narrative" and narrative is not None:
            date_ent = narrative[1][1]
        elif choice == "sentence_any" and other is not None:
            date_ent = other[1]
        elif choice != "sentence":
            date_ent = None
        loc = choose_location(trig, sent_ents[si])
        loc_span = location_span(loc, ents) if loc is not None else None
        trigger_span = doc[trig.start:trig.end]
        base: dict[str, Any] = {
            "event_type": trig.type, "mode": trig.mode, "modality": mod,
            "trigger": trigger_span.text, "trigger_start": trigger_span.start_char,
            "trigger_end": trigger_span.end_char, "sentence_index": si,
            "sentence_start": sent.start_char, "sentence_end": sent.end_char,
            "reported_by_actor_id": reporter,
            "event_date": resolved.value, "date_precision": resolved.precision,
            "date_basis": resolved.basis,
            "date_text": date_ent.text if date_ent is not None else None,
            "date_start": date_ent.start_char if date_ent is not None else None,
            "date_end": date_ent.end_char if date_ent is not None else None,
            "location": loc_span.text if loc_span is not None else None,
            "location_country": location_country(loc, actors.default_country, ents)
            if loc is not None else None,
            "rule": trig.rule,
            "_p_type": p_type, "_lexical": lexical,
        }
        if keep_features:
            base["_date_features"] = date_feats
            base["_date_options"] = {k: (v.value, v.precision) for k, v in
                                     options.items() if v is not None}
        for src, tgt in pairs:
            rec = {**base, **_chosen(doc, "source", src), **_chosen(doc, "target", tgt)}
            if model.context is not None:
                _fill_from_context(rec, trig.head, si, context, reporter, model, doc)
            records.append(rec)
    _propagate_incident_dates(records, published)
    weak = frozenset(lexicon()["needs_actor"])
    records = [r for r in records if r["rule"].split(":", 1)[1] not in weak
               or r["source_actor_id"] or r["target_actor_id"]]
    for rec in records:
        for role in ("source", "target"):
            if rec[f"{role}_actor_id"] is not None and rec[f"{role}_basis"] is None:
                rec[f"{role}_basis"] = "context"  # filled from elsewhere in the article
        feats = confidence_features(
            rec.pop("_p_type"), rec.pop("_p_source"), rec.pop("_p_target"),
            rec["source_basis"], rec["target_basis"], rec["event_type"], rec.pop("_lexical"))
        rec["confidence"] = round(model.confidence.p("right", feats), 4)
        if keep_features:
            rec["_confidence_features"] = feats
    records.sort(key=lambda r: (r["trigger_start"], r["source_mention"] or [-1],
                                r["target_mention"] or [-1]))
    # Built and completed as plain dicts: the fills index them by role (f"{role}_actor_id"),
    # which a TypedDict cannot check. Every key of EventRecord is set above.
    return cast("list[EventRecord]", records)


NARRATIVE_SENTENCES = 3
"""How far back (in sentences) the narrative's date may come from."""


def decide_triggers(cands: list[TriggerCandidate], model: EventModel
                    ) -> list[tuple[Trigger, float]]:
    """The candidates the detector calls events, typed by the type model (a lexicon entry's
    mode is kept when the type agrees with it), with P(event and type)."""
    kept = []
    for c in cands:
        p_event = model.detector.p("yes", c.features)
        if p_event < model.thresholds.get("trigger", 0.5):
            continue
        label, p_type = model.typer.best(c.features)
        trig = c.trigger
        mode = trig.mode if label == c.lex_type else None
        kept.append((Trigger(trig.start, trig.end, trig.head, label, mode, trig.rule,
                             trig.is_verb), p_event * p_type))
    return kept


def _sentence_dates(sent_ents: list[list[Span]], published: date
                    ) -> dict[int, tuple[ResolvedDate, Span]]:
    """Sentence index -> the first past date expression it states (the narrative's date)."""
    out = {}
    for si, ents in enumerate(sent_ents):
        for ent in ents:
            if ent.label_ != "DATE" or bound_only(ent):
                continue
            res = resolve(ent.text, published)
            if res is not None and res.value is not None and res.value <= published.isoformat():
                out[si] = (res, ent)
                break
    return out


def _chosen(doc: Doc, role: str, choice: tuple[Candidate, float] | None) -> dict[str, Any]:
    """Fields of one learned argument: actor, the mention it names (for a pronoun: none),
    its evidence span inside the sentence and its basis."""
    if choice is None:
        return {f"{role}_actor_id": None, f"{role}_mention": None, f"{role}_start": None,
                f"{role}_end": None, f"{role}_basis": None, f"_p_{role}": None}
    cand, p = choice
    span = doc[cand.start:cand.end]
    return {f"{role}_actor_id": cand.actor_id,
            f"{role}_mention": [span.start_char, span.end_char]
            if cand.basis == "sentence" else None,
            f"{role}_start": span.start_char, f"{role}_end": span.end_char,
            f"{role}_basis": cand.basis, f"_p_{role}": p}


def _fill_from_context(rec: dict[str, Any], head: Token, si: int, index: ContextIndex,
                       reporter: str | None, model: EventModel, doc: Doc) -> None:
    """Fill each role the sentence left empty with the most probable earlier-named actor
    (`event_context`), when its probability reaches the `context` threshold."""
    assert model.context is not None
    threshold = model.thresholds.get("context", 0.5)
    subjects = previous_subjects(index, si)
    for role, other in (("source", "target"), ("target", "source")):
        if rec[f"{role}_actor_id"] is not None:
            continue
        known = rec[f"{other}_actor_id"]
        best: tuple[float, str] | None = None
        for site in index.candidates(si):
            if site.actor_id == known:
                continue
            feats = context_features(head, rec["event_type"], role, site, si, index,
                                     known is not None, reporter, subjects)
            p = model.context.p("yes", feats)
            if best is None or p > best[0]:
                best = (p, site.actor_id)
        if best is not None and best[0] >= threshold:
            rec[f"{role}_actor_id"] = best[1]
            rec[f"{role}_mention"] = _nearest_mention(index.actors, best[1], doc,
                                                      rec["trigger_start"])
            rec[f"{role}_basis"] = "context"
            rec[f"_p_{role}"] = best[0]


def _nearest_mention(actors: ActorResult, actor_id: str, doc: Doc, at: int) -> list[int]:
    """[start, end] char offsets of the actor's latest mention before `at` (else its first)."""
    spans = [doc[m.start:m.end] for m in actors.mentions if m.actor_id == actor_id]
    before = [s for s in spans if s.start_char < at]
    span = before[-1] if before else spans[0]
    return [span.start_char, span.end_char]


def _has_aux(tok: Token, word: str) -> bool:
    """The token's governing verb carries the auxiliary `word`."""
    verb = governing_verb(tok)
    return any(c.lower_ == word for c in verb.children if c.dep_ in ("aux", "auxpass"))


def _incident_key(rec: dict[str, Any]) -> tuple[str, str | None]:
    """Which restatements share a date: any attack, or coercion of the same mode (arrest)."""
    return (rec["event_type"], None if rec["event_type"] == "ASSAULT" else rec["mode"])


def _propagate_incident_dates(records: list[dict[str, Any]], published: date) -> None:
    """Restatements of an incident take the date stated at its nearest explicit mention (the
    preceding one, else the following one): news restates 'the attack' without repeating
    'on Friday', 'the agreement' without 'signed earlier this month'. Arrests without a date of
    their own take the attack's date (suspects are arrested the day of the attack unless said
    otherwise). Only past dates are donated: 'custody until April 5' does not date the arrest."""
    lex = lexicon()
    ordered = sorted(records, key=lambda r: r["trigger_start"])
    donors = [r for r in ordered if r["event_type"] in lex["incident_types"]
              and r["modality"] == "asserted" and r["date_basis"] == "explicit"
              and r["event_date"] <= published.isoformat()
              and (r["date_precision"] == "day" or r["event_type"] == "AGREE")]
    for rec in ordered:
        if rec["event_type"] not in lex["incident_types"] or rec["modality"] != "asserted" or (
                rec["date_basis"] == "explicit"):
            continue
        keys = [_incident_key(rec)] + ([("ASSAULT", None)] if rec["mode"] == "arrest" else [])
        src = None
        for key in keys:
            same = [d for d in donors if _incident_key(d) == key]
            before = [d for d in same if d["trigger_start"] < rec["trigger_start"]]
            after = [d for d in same if d["trigger_start"] > rec["trigger_start"]]
            src = before[-1] if before else (after[0] if after else None)
            if src is not None:
                break
        if src is None:
            continue
        for field_name in ("event_date", "date_precision", "date_basis", "date_text",
                           "date_start", "date_end"):
            rec[field_name] = src[field_name]
