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
    sent_of = {}
    for i, s in enumerate(sents):
        for t in range(s.start, s.end):
            sent_of[t] = i
    # `doc.ents` and `Span.ents` build new Span objects on every call (a few ms on a long
    # article): read them once, split by sentence as `Span.ents` does (wholly inside).
    ents = doc.ents
    sent_ents: list[list[Span]] = [[] for _ in sents]
    for ent in ents:
        si = sent_of[ent.start]
        if ent.end <= sents[si].end:
            sent_ents[si].append(ent)
    sentence_dates = _sentence_dates(sent_ents, published)
    records = []
    read: dict[int, tuple[list[Mention], list[Mention]]] = {}  # trigger head -> its arguments
    for trig, p_type in kept:
        si = sent_of[trig.head.i]
        sent = sents[si]
        sources, targets = rule_arguments(trig, args, read)
        read[trig.head.i] = (sources, targets)
        examples = argument_examples(doc, actors, args, trig, trig.type, sent, sources,
                                     targets)
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
        reporter = reported_by(trig, args)
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
            records.append({**base, **_chosen(doc, "source", src),
                            **_chosen(doc, "target", tgt)})
    if model.thresholds.get("context", 1.0) >= 0.5:
        _propagate_arguments(records)
        _complete_from_main_parties(records, doc, actors)
        _complete_attack_parties(records, doc, actors)
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


def _propagate_arguments(records: list[dict[str, Any]]) -> None:
    """Fill a missing source/target from the nearest event of the same type that states it
    (preceding first): news restates an event ('the meeting', 'the release') without its
    participants. A donor must not contradict what the record states itself: its other argument
    is the record's or unstated (for symmetric types the known party may sit in either role). A
    record with no argument at all takes a donor that states both, when there is one. Filled
    values keep the mention offsets they were read from."""
    symmetric = lexicon()["symmetric_types"]
    ordered = sorted(records, key=lambda r: r["trigger_start"])
    direct = [dict(r) for r in ordered]  # donate only what was read, not what was filled
    for role, other in (("source", "target"), ("target", "source")):
        for i, rec in enumerate(ordered):
            if rec[f"{role}_actor_id"] is not None:
                continue
            known = rec[f"{other}_actor_id"]
            candidates = [d for d in direct[:i][::-1] + direct[i + 1:]
                          if d["event_type"] == rec["event_type"]
                          and d["trigger_start"] != rec["trigger_start"]]
            want_both = known is None and any(
                d[f"{role}_actor_id"] and d[f"{other}_actor_id"] for d in candidates)
            found = None
            for d in candidates:
                if want_both and d[f"{other}_actor_id"] is None:
                    continue
                if known is None or d[f"{other}_actor_id"] in (None, known):
                    take = role
                elif rec["event_type"] in symmetric and d[f"{role}_actor_id"] == known:
                    take = other  # "X met Y" restated as "Y's meeting with X"
                else:
                    continue
                if d[f"{take}_actor_id"] and d[f"{take}_actor_id"] != known:
                    found = (d[f"{take}_actor_id"], d[f"{take}_mention"])
                    break
            if found is not None:
                rec[f"{role}_actor_id"], rec[f"{role}_mention"] = found


MAIN_PARTY_MIN = 3
"""Mentions an actor needs to count as one of an article's two main parties."""


def main_parties(actors: ActorResult) -> list[str]:
    """The article's two main parties: the two most mentioned actors (ties: first mentioned),
    each mentioned at least `MAIN_PARTY_MIN` times; fewer when the article has no such pair."""
    counts: dict[str, int] = {}
    first: dict[str, int] = {}
    for m in actors.mentions:
        counts[m.actor_id] = counts.get(m.actor_id, 0) + 1
        first.setdefault(m.actor_id, m.start)
    top = sorted(counts, key=lambda a: (-counts[a], first[a]))[:2]
    return [a for a in top if counts[a] >= MAIN_PARTY_MIN]


def _complete_from_main_parties(records: list[dict[str, Any]], doc: Doc,
                                actors: ActorResult) -> None:
    """An interaction between the article's two main parties often states only one of them
    ('the Taliban demanded 5,000', 'the release of prisoners by the government'): when one
    argument of a two-party event type is a main party and the other is unstated, the other is
    the other main party. Only when the text itself pairs the two in some event (they are
    counterparts, not just two frequent names)."""
    parties = main_parties(actors)
    if len(parties) < 2 or not any(
            {r["source_actor_id"], r["target_actor_id"]} == set(parties) for r in records):
        return
    types = lexicon()["implicit_party_types"]
    for rec in records:
        if rec["event_type"] not in types:
            continue
        for role, other in (("source", "target"), ("target", "source")):
            known = rec[f"{other}_actor_id"]
            if rec[f"{role}_actor_id"] is None and known in parties:
                party = parties[1 - parties.index(known)]
                rec[f"{role}_actor_id"] = party
                rec[f"{role}_mention"] = _nearest_mention(actors, party, doc,
                                                          rec["trigger_start"])


def attack_parties(records: list[dict[str, Any]], actors: ActorResult
                   ) -> tuple[str | None, str | None]:
    """(perpetrator, victims) of an article's attack: the most frequent source of its asserted
    attacks, else the person arrested (the suspect is the attacker); and its unnamed casualties
    (the `group` actor named 'victims', see `actors._Builder.casualties`)."""
    victims = next((a.actor_id for a in actors.actors.values()
                    if a.kind == "group" and a.name.lower() == "victims"), None)
    counts: dict[str, int] = {}
    for rec in records:
        src = rec["source_actor_id"]
        if rec["event_type"] == "ASSAULT" and rec["modality"] == "asserted" and src and (
                src != victims):
            counts[src] = counts.get(src, 0) + 1
    if counts:
        return max(counts, key=lambda a: counts[a]), victims  # first seen wins ties
    for rec in records:
        tgt = rec["target_actor_id"]
        if rec["event_type"] == "COERCE" and rec["mode"] == "arrest" and (
                rec["modality"] == "asserted") and tgt and actors.actors[tgt].kind == "person":
            return tgt, victims
    return None, victims


def _complete_attack_parties(records: list[dict[str, Any]], doc: Doc,
                             actors: ActorResult) -> None:
    """An attack restated without its parties ('the attack', 'a mass stabbing killed three
    people') is the article's attack: its unstated attacker is the perpetrator, its unstated
    target the unnamed casualties (`attack_parties`)."""
    perpetrator, victims = attack_parties(records, actors)
    for rec in records:
        if rec["event_type"] != "ASSAULT" or rec["modality"] != "asserted":
            continue
        for role, other, party in (("source", "target", perpetrator),
                                   ("target", "source", victims)):
            if party and rec[f"{role}_actor_id"] is None and rec[f"{other}_actor_id"] != party:
                rec[f"{role}_actor_id"] = party
                rec[f"{role}_mention"] = _nearest_mention(actors, party, doc, rec["trigger_start"])


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
