"""Event triggers from the lexicon: verbs (phrasal forms first) and nouns of
vocab/plover_lexicon.json, with the checks that keep a lexicon word from firing ('released a
statement', 'the Senate was set to meet'), nested restatements merged."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc, Token

from newsfacts.build.extract.actors import ActorResult
from newsfacts.build.extract.event_arguments import RuleArguments, copular_passive_subjects
from newsfacts.build.extract.event_lexicon import lexicon


@dataclass
class Trigger:
    """A lexicon hit: token span, type, mode and the rule that fired."""

    start: int
    end: int
    head: Token
    type: str
    mode: str | None
    rule: str
    is_verb: bool


def find_triggers(doc: Doc, actors: ActorResult, args: RuleArguments | None = None
                  ) -> list[Trigger]:
    """All lexicon triggers of the document, in text order, nested restatements merged
    (`args`: the argument reader of the article, when the caller has one already)."""
    lex = lexicon()
    args = args or RuleArguments(doc, actors)
    out = []
    for tok in doc:
        if tok.i in actors.token_mention:
            continue
        trig = _verb_trigger(tok, lex, args) if tok.pos_ == "VERB" else None
        if trig is None and tok.pos_ in ("NOUN", "PROPN") and tok.ent_type_ not in (
                "ORG", "PERSON", "GPE", "NORP", "DATE") and tok.dep_ != "compound":
            trig = _noun_trigger(tok, lex)
        if trig is not None:
            out.append(trig)
    return _merge_nested(out)


def _merge_nested(triggers: list[Trigger]) -> list[Trigger]:
    """Drop a trigger governed (within two heads) by a trigger of the same type: 'met via video
    conference', 'meet ... to discuss' state one event. The governing trigger takes the mode."""
    by_token = {t.head.i: t for t in triggers}
    kept = []
    for trig in triggers:
        cur, parent = trig.head, None
        if trig.is_verb and trig.head.dep_ != "xcomp":
            kept.append(trig)
            continue
        for _ in range(3):
            if cur.head.i == cur.i or cur.dep_ not in ("dobj", "pobj", "prep", "xcomp", "advcl"):
                break
            cur = cur.head
            found = by_token.get(cur.i)
            if found is not None and found.type == trig.type and found is not trig:
                parent = found
                break
        if parent is None:
            kept.append(trig)
        elif parent.mode is None and trig.mode is not None:
            parent.mode = trig.mode
    return kept


def _verb_trigger(tok: Token, lex: dict[str, Any], args: RuleArguments) -> Trigger | None:
    """A verb trigger, phrasal forms ('call for', 'step down') first."""
    lemma = tok.lemma_.lower()
    if any(c.dep_ == "det" for c in tok.children):
        return None  # nominalised participle: "the accused"
    nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
    if nxt is not None and nxt.pos_ in ("ADP", "PART", "SCONJ", "ADV"):
        entry = lex["phrasal"].get(f"{lemma} {nxt.lower_}")
        if entry:
            return Trigger(tok.i, nxt.i + 1, tok, entry["type"], entry["mode"],
                           f"phrasal:{lemma} {nxt.lower_}", True)
    entry = lex["verbs"].get(lemma)
    if entry is None:
        return None
    if entry.get("actor_object") and not _has_actor_object(tok, lex, args, entry["actor_object"]):
        return None
    if entry.get("actor_subject") and not args.verb_args(tok)[0]:
        return None
    if any(c.dep_ == "nsubj" and c.lemma_.lower() in lex["non_actor_subjects"]
           for c in tok.children):
        return None  # "the accident killed eleven": not an interaction between actors
    if lemma in lex["reciprocal"] and _convenes(tok, args):
        return None
    preps = entry.get("needs_prep")
    if preps and not any(c.dep_ == "prep" and c.lower_ in preps for c in tok.children):
        return None
    return Trigger(tok.i, tok.i + 1, tok, entry["type"], entry["mode"], f"verb:{lemma}", True)


def _convenes(verb: Token, args: RuleArguments) -> bool:
    """'The Senate was set to meet', 'it would meet on Monday': one organisation (or 'it') as
    subject, no partner (object, 'with' phrase or conjoined subject) is a body convening, not a
    meeting between actors."""
    if any(c.dep_ in ("dobj", "dative") or c.dep_ == "prep" and c.lower_ == "with"
           for c in verb.children):
        return False
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    if len(subjects) > 1 or subjects and any(c.dep_ == "conj" for c in subjects[0].children):
        return False
    if subjects and subjects[0].lower_ == "it":
        return True  # an organisation referred to as 'it'
    found = args.mentions_of(subjects[0]) if subjects else args.inherited_subject(verb)
    return len(found) == 1 and args.actors.actors[found[0].actor_id].kind == "organization"


def _has_actor_object(tok: Token, lex: dict[str, Any], args: RuleArguments,
                      kind: bool | str = True) -> bool:
    """The verb's direct (or passive) object is an actor or a person noun ('prisoners'), or a
    bare count standing for people ('would release 1,500'), not a thing ('released a statement',
    'supported independence'). With `kind` "organization" only an organisation counts ('left the
    EU', not 'left the country')."""
    objects = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass", "dative")]
    if tok.dep_ in ("acl", "relcl") and tok.tag_ == "VBN":
        objects.append(tok.head)
    objects += copular_passive_subjects(tok)
    if kind == "organization":
        tm = args.actors.token_mention
        return any(o.i in tm and args.actors.actors[tm[o.i].actor_id].kind == "organization"
                   for o in objects)
    return any(args.mentions_of(o) or o.lower_ in lex["person_objects"] or (
        o.tag_ == "CD" and o.dep_ == "dobj") for o in objects)


def _noun_trigger(tok: Token, lex: dict[str, Any]) -> Trigger | None:
    """A nominal trigger ('talks'), widened to a mode-giving modifier ('drone attack')."""
    lower = tok.lower_
    key = lower if lower in lex["nouns"] else tok.lemma_.lower()
    entry = lex["nouns"].get(key)
    if entry is None:
        return None
    start, mode = tok.i, entry["mode"]
    prev = tok.doc[tok.i - 1] if tok.i > 0 else None
    if prev is not None and prev.head.i == tok.i and prev.lower_ in lex["modifier_modes"]:
        start = prev.i
        mode = lex["modifier_modes"][prev.lower_] or mode
    return Trigger(start, tok.i + 1, tok, entry["type"], mode, f"noun:{key}", False)
