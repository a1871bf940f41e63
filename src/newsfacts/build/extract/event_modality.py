"""Modality of an event trigger: asserted, future, hypothetical or negated, from
conditionals, negation, auxiliaries and governing verbs."""

from __future__ import annotations

from typing import Any

from spacy.tokens import Token

from newsfacts.build.extract.event_lexicon import lexicon
from newsfacts.build.extract.event_triggers import Trigger


def governing_verb(tok: Token) -> Token:
    """The verb whose clause holds the token (the token itself for verbs)."""
    cur = tok
    for _ in range(8):
        if cur.pos_ in ("VERB", "AUX") or cur.head.i == cur.i:
            return cur
        cur = cur.head
    return cur


def modality(trigger: Trigger) -> str:
    """asserted, future, hypothetical or negated, from conditionals (first: 'if ... does not
    confirm' is hypothetical), negation, auxiliaries and governing verbs."""
    lex = lexicon()
    tok = trigger.head
    verb = governing_verb(tok)
    chain = [verb]
    cur = verb
    while cur.dep_ in ("xcomp", "conj", "acl") and cur.head.i != cur.i and len(chain) < 4:
        cur = cur.head
        chain.append(cur)
    if any(_conditional(v) for v in chain):
        return "hypothetical"
    if not trigger.is_verb and any(c.lower_ in ("no", "without") for c in tok.children):
        return "negated"
    if not trigger.is_verb and tok.dep_ == "pobj" and tok.head.lower_ in ("in", "at", "after",
                                                                          "since", "during"):
        return "asserted"  # "a factor in the attack": the attack is not what 'may' qualifies
    if not trigger.is_verb and _prospective(tok, lex):
        return "future"
    if trigger.is_verb and tok.dep_ == "pcomp" and tok.head.dep_ == "prep" and (
            tok.head.head.lemma_.lower() in lex["future_heads"]):
        return "future"  # "plans on leaving the EU", "efforts on leaving"
    for v in chain:
        kids = list(v.children)
        if any(k.dep_ == "neg" for k in kids) and v.i == chain[0].i:
            return "negated"
        aux = [k.lower_ for k in kids if k.dep_ in ("aux", "auxpass")]
        if any(a in lex["hypothetical_aux"] for a in aux):
            return "hypothetical"
        if any(a in lex["future_aux"] for a in aux):
            return "future"
        governs = v.i != chain[0].i or not trigger.is_verb and tok.dep_ not in ("nsubj", "csubj")
        if governs and v.lemma_.lower() in lex["future_heads"]:
            return "future"  # "plans to meet", "the trial has been scheduled"
        if v.lemma_ == "be" and any(k.dep_ == "xcomp" and k.i > v.i for k in kids) and any(
                k.dep_ == "nsubj" for k in kids) and v.i != chain[0].i:
            return "future"  # "May is to step down"
    return "asserted"


def _conditional(verb: Token) -> bool:
    """The clause is introduced by 'if'/'unless', or depends on one that is."""
    marks = ("if", "unless")
    if any(k.dep_ == "mark" and k.lower_ in marks for k in verb.children):
        return True
    return verb.dep_ == "advcl" and any(k.dep_ == "mark" and k.lower_ in marks
                                        for k in verb.head.children)


def _prospective(noun: Token, lex: dict[str, Any]) -> bool:
    """A nominal event that is asked for, discussed or awaited ('demanded ... as a precondition
    for the talks', 'to discuss an initial release') has not happened yet."""
    cur = noun
    for _ in range(4):
        if cur.dep_ not in ("dobj", "pobj", "prep", "nsubj", "nsubjpass") or cur.head.i == cur.i:
            return False
        cur = cur.head
        if cur.lemma_.lower() in lex["prospective_governors"]:
            return True
        if cur.pos_ in ("VERB", "AUX"):
            return False
    return False
