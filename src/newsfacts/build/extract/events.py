"""PLOVER events from the dependency parse: lexicon triggers (verbs, nouns, phrasal verbs), source
and target actors from grammatical roles, modality, date, location and the reporting actor.

One record per (trigger, source, target) as in gold/FORMAT.md. `rule` names the lexicon entry.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from spacy.tokens import Doc, Span, Token

from newsfacts.build.extract.actors import ActorResult, Mention
from newsfacts.build.extract.countries import gazetteer
from newsfacts.build.extract.dates import ResolvedDate, resolve
from newsfacts.build.extract.learned import (
    DATE_OPTIONS,
    NONE,
    Candidate,
    EventModel,
    argument_candidates,
    argument_features,
    choose_arguments,
    confidence_features,
    dating_features,
    default_model,
    is_passive,
    trigger_features,
)
from newsfacts.vocab import load_json

_LEXICON = load_json("plover_lexicon.json")
TARGET_PREPS = tuple(_LEXICON["target_preps"])
NOUN_TARGET_PREPS = tuple(_LEXICON["noun_target_preps"])
LOCATION_PREPS = tuple(_LEXICON["location_preps"])
NAMING_VERBS = frozenset(_LEXICON["naming_verbs"])
PLACE_LABELS = ("GPE", "LOC", "FAC")
PERSON_PRONOUNS = frozenset({"he", "she", "him", "her", "his"})
FIRST_PERSON = frozenset({"i", "me", "my", "we", "us", "our"})
RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom"})


@cache
def lexicon() -> dict[str, Any]:
    """The PLOVER lexicon (vocab/plover_lexicon.json)."""
    return load_json("plover_lexicon.json")


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


def find_triggers(doc: Doc, actors: ActorResult, args: _Args | None = None) -> list[Trigger]:
    """All lexicon triggers of the document, in text order, nested restatements merged
    (`args`: the argument reader of the article, when the caller has one already)."""
    lex = lexicon()
    args = args or _Args(doc, actors)
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


def _verb_trigger(tok: Token, lex: dict[str, Any], args: _Args) -> Trigger | None:
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


def _copular_passive_subjects(verb: Token) -> list[Token]:
    """Subject of a passive the parser read as 'be' + adjective ('He was nominated ... by
    President Ford': 'nominated' is acomp of 'was'): only with a 'by' agent."""
    if verb.dep_ != "acomp" or verb.tag_ != "VBN" or not any(
            c.dep_ == "agent" for c in verb.children):
        return []
    return [c for c in verb.head.children if c.dep_ == "nsubj"]


def _convenes(verb: Token, args: _Args) -> bool:
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


def _has_actor_object(tok: Token, lex: dict[str, Any], args: _Args,
                      kind: bool | str = True) -> bool:
    """The verb's direct (or passive) object is an actor or a person noun ('prisoners'), or a
    bare count standing for people ('would release 1,500'), not a thing ('released a statement',
    'supported independence'). With `kind` "organization" only an organisation counts ('left the
    EU', not 'left the country')."""
    objects = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass", "dative")]
    if tok.dep_ in ("acl", "relcl") and tok.tag_ == "VBN":
        objects.append(tok.head)
    objects += _copular_passive_subjects(tok)
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


# -- arguments ---------------------------------------------------------------------------------
class _Args:
    """Maps syntactic argument tokens to actor mentions."""

    def __init__(self, doc: Doc, actors: ActorResult) -> None:
        self.doc = doc
        self.actors = actors
        self.persons = sorted((m for m in actors.mentions
                               if actors.actors[m.actor_id].kind == "person"),
                              key=lambda m: m.start)
        self.pairs: list[tuple[int, Mention, Mention]] = []  # (token, source, target), text order

    def note_pair(self, at: int, source: Mention | None, target: Mention | None) -> None:
        """Remember the parties of a symmetric event: 'the two sides' later refers to them."""
        if source is not None and target is not None and all(
                self.actors.actors[m.actor_id].kind != "person" for m in (source, target)):
            self.pairs.append((at, source, target))

    def mentions_of(self, tok: Token | None, depth: int = 0) -> list[Mention]:
        """Mentions an argument token stands for (itself, its name modifiers, conjuncts)."""
        if tok is None or depth > 3:
            return []
        found = self._direct(tok, depth)
        for conj in tok.children:
            if conj.dep_ == "conj":
                found += self.mentions_of(conj, depth + 1)
        seen, out = set(), []
        for m in found:
            if m.actor_id not in seen:
                seen.add(m.actor_id)
                out.append(m)
        return out

    def _direct(self, tok: Token, depth: int) -> list[Mention]:
        """Mention of the token itself, of its modifiers, or of an 'of' complement."""
        tm = self.actors.token_mention
        if tok.i in tm:
            return [tm[tok.i]]
        if tok.lower_ == "sides" and any(c.lower_ in ("two", "both") for c in tok.children):
            return self.two_sides(tok.i)
        if tok.lower_ in PERSON_PRONOUNS:
            before = [m for m in self.persons if m.end <= tok.i]
            return [before[-1]] if before else []
        if tok.lower_ in FIRST_PERSON and tok.pos_ == "PRON":
            return self.speaker(tok, depth)
        if tok.lower_ in RELATIVE_PRONOUNS and tok.head.dep_ == "relcl":
            return self._direct(tok.head.head, depth + 1)
        for child in tok.children:
            if child.dep_ in ("compound", "amod", "poss", "nmod") and child.i in tm:
                return [tm[child.i]]
        holder = self.title_holder(tok)
        if holder is not None:
            return [holder]
        for child in tok.children:
            if child.dep_ == "appos":  # "one of the candidates, Sandra Jephcott"
                found = self.mentions_of(child, depth + 1)
                if found:
                    return found
        named = self.named_as(tok, depth)
        if named:
            return named
        pobj = next(prep_objects(tok, ("of",)), None)
        return self.mentions_of(pobj, depth + 1) if pobj is not None else []

    def speaker(self, tok: Token, depth: int) -> list[Mention]:
        """'I', 'we' in reported speech: the subject of the reporting verb ('She said, "I have
        instructed ..."'), else nothing."""
        reporting = lexicon()["reporting_verbs"]
        cur = tok
        for _ in range(8):
            if cur.head.i == cur.i:
                return []
            dep, cur = cur.dep_, cur.head
            if cur.lemma_.lower() in reporting and dep in ("ccomp", "parataxis", "conj"):
                subj = [c for c in cur.children if c.dep_ == "nsubj"]
                if subj and subj[0].lower_ not in FIRST_PERSON:
                    return self.mentions_of(subj[0], depth + 1)
                return []
        return []

    def title_holder(self, tok: Token) -> Mention | None:
        """'the Prime Minister', 'the president': the latest person mentioned before with that
        title (an exact match of the title words, so 'Deputy Prime Minister' stays apart)."""
        if tok.ent_type_ != "TITLE" or not any(c.lower_ == "the" for c in tok.children):
            return None
        words = " ".join(t.lower_ for t in tok.subtree if t.ent_type_ == "TITLE")
        best = None
        for m in self.persons:
            title = self.actors.actors[m.actor_id].title
            if m.end <= tok.i and title is not None and title.lower() == words:
                best = m
        return best

    def named_as(self, tok: Token, depth: int) -> list[Mention]:
        """'the man, later identified as Khairi Saadallah': the name given by an 'identified as'
        or 'named as' participle on the phrase or, for an object, on its verb."""
        holders = [tok] + ([tok.head] if tok.dep_ in ("dobj", "nsubjpass") else [])
        for holder in holders:
            for verb in holder.children:
                if verb.tag_ != "VBN" or verb.lemma_.lower() not in NAMING_VERBS:
                    continue
                pobj = next(prep_objects(verb, ("as",)), None)
                if pobj is not None:
                    return self.mentions_of(pobj, depth + 1)
        return []

    def two_sides(self, at: int) -> list[Mention]:
        """'the two sides', 'both sides': the parties of the latest symmetric event with both
        stated (meetings, agreements), else the two most mentioned organisations/countries so
        far, each by its latest mention."""
        before = [(s, t) for i, s, t in self.pairs if i < at]
        if before:
            return list(before[-1])
        counts: dict[str, int] = {}
        latest: dict[str, Mention] = {}
        for m in self.actors.mentions:
            if m.start >= at or self.actors.actors[m.actor_id].kind == "person":
                continue
            counts[m.actor_id] = counts.get(m.actor_id, 0) + 1
            latest[m.actor_id] = m
        top = sorted(counts, key=lambda a: (-counts[a], latest[a].start))[:2]
        return [latest[a] for a in top] if len(top) == 2 else []

    def verb_args(self, verb: Token) -> tuple[list[Mention], list[Mention]]:
        """(sources, targets) of a verb trigger, active or passive."""
        children = list(verb.children)
        copular = _copular_passive_subjects(verb)
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in children) or (
            verb.dep_ == "acl" and verb.tag_ == "VBN") or bool(copular)  # "negotiated by the US"
        if not passive and self.passive_participle(verb):
            # "X appeared in court, charged with murder"; "X was arrested and charged"
            sources = self.prep_targets(verb, ("by",))
            return sources, self.inherited_subject(verb)
        sources: list[Mention] = []
        targets: list[Mention] = []
        if passive:
            for c in copular:
                targets += self.mentions_of(c)
            for c in children:
                if c.dep_ == "nsubjpass":
                    targets += self.mentions_of(c)
                if c.dep_ == "agent":
                    for p in c.children:
                        if p.dep_ == "pobj":
                            sources += self.mentions_of(p)
        else:
            for c in children:
                if c.dep_ in ("nsubj", "csubj"):
                    sources += self.mentions_of(c)
                elif c.dep_ in ("dobj", "dative"):
                    targets += self.mentions_of(c)
            if not any(c.dep_ in ("nsubj", "csubj", "expl") for c in children):
                sources = self.inherited_subject(verb)
        if verb.dep_ in ("acl", "relcl"):
            if verb.tag_ == "VBN":
                targets = targets or self.mentions_of(verb.head)
            elif not sources and not passive:
                sources = self.mentions_of(verb.head)
        if not targets:
            targets = self.prep_targets(verb, TARGET_PREPS)
        if not targets:  # "signed an agreement with the United States", "pledged funds to Syria"
            for obj in (c for c in children if c.dep_ == "dobj"):
                targets += self.prep_targets(obj, ("with", "against", "between", "to"))
        sources = [m for m in sources if m not in targets]
        subject_sides = any(c.dep_ == "nsubj" and c.lower_ == "sides" for c in children)
        if subject_sides and not targets and len(sources) == 2:
            sources, targets = sources[:1], sources[1:]  # "the two sides met": with each other
        return sources, targets

    @staticmethod
    def passive_participle(verb: Token) -> bool:
        """A subjectless past participle that reads passively: a participial clause ('...,
        charged with murder') or the conjunct of a passive verb ('was arrested and charged')."""
        if verb.tag_ != "VBN" or any(c.dep_ in ("nsubj", "nsubjpass", "aux", "expl")
                                     for c in verb.children):
            return False
        if verb.dep_ == "advcl":
            return not any(c.dep_ == "mark" for c in verb.children)
        return verb.dep_ == "conj" and any(c.dep_ in ("nsubjpass", "auxpass")
                                           for c in verb.head.children)

    def inherited_subject(self, verb: Token) -> list[Mention]:
        """Subject of the governing verb for xcomp/conj/advcl verbs ('agreed to release'), and
        for a gerund complement of a preposition ('he plans on leaving the EU'; of a noun, its
        possessor: 'the UK's efforts on leaving')."""
        cur = verb
        for _ in range(3):
            if cur.dep_ == "pcomp" and cur.head.dep_ == "prep" and cur.head.head.i != cur.head.i:
                cur = cur.head.head
                if cur.pos_ in ("NOUN", "PROPN"):
                    poss = [c for c in cur.children if c.dep_ == "poss"]
                    return self.mentions_of(poss[0]) if poss else []
            elif cur.dep_ not in ("xcomp", "conj", "advcl") or cur.head.i == cur.i:
                return []
            else:
                cur = cur.head
            subj = [c for c in cur.children if c.dep_ in ("nsubj", "nsubjpass")]
            if subj:
                if cur.lemma_.lower() in lexicon()["reporting_verbs"] and verb.dep_ == "ccomp":
                    return []
                return self.mentions_of(subj[0])
        return []

    def prep_targets(self, head: Token, preps: tuple[str, ...]) -> list[Mention]:
        """Actors in prepositional complements ('with the Taliban', 'against Iran')."""
        out: list[Mention] = []
        for p in prep_objects(head, preps):
            out += self.mentions_of(p)
        return out

    def noun_args(self, noun: Token, event_type: str) -> tuple[list[Mention], list[Mention]]:
        """(sources, targets) of a nominal trigger. The possessor is the victim of an attack or
        arrest ('Nabil's murder', 'his arrest', 'his trial') and the agent of anything else; the
        'of' complement is the agent of intransitive events ('resignation of X', 'withdrawal of
        forces') and the patient otherwise ('release of prisoners')."""
        lex = lexicon()
        tm = self.actors.token_mention
        key = noun.lower_ if noun.lower_ in lex["nouns"] else noun.lemma_.lower()
        sources: list[Mention] = []
        possessed: list[Mention] = []
        for c in noun.children:
            if c.dep_ == "poss":
                possessed += self.mentions_of(c)
            elif c.dep_ in ("compound", "amod", "nmod") and c.i in tm:
                sources.append(tm[c.i])
            if c.dep_ == "prep" and c.lower_ == "by":
                for p in c.children:
                    if p.dep_ == "pobj":
                        sources += self.mentions_of(p)
        if key in lex["of_is_source"]:
            sources += [m for m in self.prep_targets(noun, ("of",)) if m not in sources]
            targets = self.prep_targets(noun, tuple(p for p in NOUN_TARGET_PREPS if p != "of"))
        else:
            targets = self.prep_targets(noun, NOUN_TARGET_PREPS)
        if event_type in lex["possessor_is_target"] or key in lex["possessor_target_nouns"]:
            targets = possessed + [m for m in targets if m not in possessed]
        else:
            sources = possessed + sources
        between = [c for c in noun.children if c.dep_ == "prep" and c.lower_ == "between"]
        if between and not sources and len(targets) >= 2:
            sources, targets = targets[:1], targets[1:]
        head = noun.head
        if not sources and noun.dep_ in ("dobj", "attr") and head.pos_ in ("VERB", "AUX"):
            lemma = head.lemma_.lower()
            if lemma in lex["patient_verbs"]:  # "he survived an attack": he is the target
                if not targets:
                    targets = self.verb_args(head)[0]
            elif lemma not in lex["no_agent_verbs"] and lemma not in lex["reporting_verbs"]:
                sources, more = self.verb_args(head)
                sources = [m for m in sources if m not in targets]
                targets = targets or [m for m in more if m.start != noun.i]
        return sources, targets


# -- modality ----------------------------------------------------------------------------------
def _governing_verb(tok: Token) -> Token:
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
    verb = _governing_verb(tok)
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


# -- dates and places --------------------------------------------------------------------------
def prep_objects(head: Token, preps: tuple[str, ...]) -> Iterator[Token]:
    """Objects of `head`'s prepositions `preps` ('talks [with] [the Taliban]'), in order."""
    for c in head.children:
        if c.dep_ == "prep" and c.lower_ in preps:
            yield from (p for p in c.children if p.dep_ == "pobj")


def _attached_verb(span: Span) -> Token:
    """Governing verb (or trigger noun) a date/place phrase attaches to."""
    cur = span.root.head
    for _ in range(6):
        if cur.pos_ in ("VERB", "AUX") or cur.head.i == cur.i:
            return cur
        if cur.dep_ in ("dobj", "nsubj", "nsubjpass") or cur.pos_ == "NOUN" and cur.dep_ != "pobj":
            return cur
        cur = cur.head
    return cur


def choose_date(trigger: Trigger, sent_ents: Sequence[Span], trigger_verbs: frozenset[int]
                ) -> Span | None:
    """The DATE/TIME entity of the trigger: inside a nominal trigger's phrase ('a mass shooting
    ... on Friday'), attached to its clause, else to a governing clause, without crossing a
    reporting verb ('said on Wednesday that ... would begin in late March') or another event
    verb ('charged yesterday with the murder ... on Friday'). `sent_ents`: the entities of
    the trigger's sentence."""
    dates = [e for e in sent_ents if e.label_ in ("DATE", "TIME") and not _bound_only(e)]
    if not dates:
        return None
    head = trigger.head
    if not trigger.is_verb:
        within = [e for e in dates
                  if head.left_edge.i <= e.start and e.end <= head.right_edge.i + 1]
        inside = [e for e in within
                  if not any(t.i in trigger_verbs for t in _path(e.root, head))]
        if inside:
            return inside[0]
    reporting = lexicon()["reporting_verbs"]
    attached: dict[int, Span] = {}
    for ent in dates:
        attached.setdefault(_attached_verb(ent).i, ent)
        attached.setdefault(ent.root.head.i, ent)
    cur = head
    for _ in range(6):
        other_event = cur.i != head.i and cur.i in trigger_verbs
        other_report = cur.i != head.i and cur.lemma_.lower() in reporting
        if cur.i in attached and not other_report:
            return attached[cur.i]
        if cur.head.i == cur.i or other_event or other_report:
            return None
        cur = cur.head
    return None


def _bound_only(ent: Span) -> bool:
    """'until 2020', 'through 2021', 'since 2014' bound a state; they do not date an event."""
    first = ent.doc[ent.start - 1] if ent.start > 0 else None
    return first is not None and first.lower_ in ("until", "till", "through", "since", "before")


def _path(tok: Token, ancestor: Token) -> list[Token]:
    """Tokens strictly between `tok` and its ancestor `ancestor` on the head chain."""
    out = []
    cur = tok.head
    while cur.i != ancestor.i and cur.head.i != cur.i:
        out.append(cur)
        cur = cur.head
    return out


def choose_location(trigger: Trigger, sent_ents: Sequence[Span]) -> Span | None:
    """A place entity (of `sent_ents`, the sentence's) in a locative phrase of the trigger's
    clause."""
    anchor = {trigger.head.i, _governing_verb(trigger.head).i}
    for ent in sent_ents:
        if ent.label_ not in PLACE_LABELS:
            continue
        root = ent.root
        if root.dep_ == "pobj" and root.head.lower_ in LOCATION_PREPS and (
                root.head.head.i in anchor or _attached_verb(ent).i in anchor
                or _governing_verb(root.head.head).i in anchor):
            return ent
    return None


def location_span(ent: Span, ents: Sequence[Span]) -> Span:
    """Extend 'Randolph' to 'Randolph, New Hampshire' when a region follows with a comma
    (`ents`: the document's entities)."""
    doc = ent.doc
    end = ent.end
    if end + 1 < len(doc) and doc[end].text == "," and doc[end + 1].ent_type_ == "GPE" and (
            doc[end + 1].ent_iob_ == "B"):
        nxt = next((e for e in ents if e.start == end + 1), None)
        if nxt is not None and gazetteer().place(nxt.text) and not gazetteer().country(nxt.text):
            return doc[ent.start:nxt.end]
    return doc[ent.start:ent.end]


def location_country(ent: Span, default: str | None, ents: Sequence[Span]) -> str | None:
    """ISO3 of a place: its own name, a following ', Country', else the article's country
    (`ents`: the document's entities)."""
    gaz = gazetteer()
    found = gaz.place(ent.text)
    if found:
        return found
    for e in ents:
        if e.start > ent.end and e.start <= ent.end + 8 and e.label_ == "GPE":
            found = gaz.place(e.text)
            if found:
                return found
            break
    return default


def reported_by(trigger: Trigger, args: _Args) -> str | None:
    """Actor of the 'X said' that embeds the trigger, or of 'according to X'."""
    reporting = lexicon()["reporting_verbs"]
    cur = trigger.head
    for _ in range(10):
        if cur.head.i == cur.i:
            break
        dep = cur.dep_
        cur = cur.head
        if cur.lemma_.lower() in reporting and dep in ("ccomp", "parataxis", "xcomp", "dobj",
                                                        "advcl", "conj"):
            subj = [c for c in cur.children if c.dep_ == "nsubj"]
            found = args.mentions_of(subj[0]) if subj else []
            if found:
                return found[0].actor_id
    for tok in trigger.head.sent:
        if tok.lower_ == "according" and tok.i + 1 < len(tok.doc) and tok.nbor().lower_ == "to":
            for p in tok.nbor().children:
                if p.dep_ == "pobj":
                    found = args.mentions_of(p)
                    if found:
                        return found[0].actor_id
    return None


# -- learned decisions -------------------------------------------------------------------------
@dataclass
class TriggerCandidate:
    """A token that may state an event: the lexicon's reading (if any) and its features."""

    trigger: Trigger
    lex_type: str | None
    features: list[str]


def trigger_candidates(doc: Doc, actors: ActorResult, args: _Args,
                       lemmas: frozenset[str]) -> list[TriggerCandidate]:
    """Lexicon triggers, plus verbs and nouns whose lemma the annotations showed to be
    triggers: the candidates the trigger model types (or rejects), in text order."""
    found = {t.head.i: t for t in find_triggers(doc, actors, args)}
    out = []
    for tok in doc:
        trig = found.get(tok.i)
        if trig is None:
            lemma = tok.lemma_.lower()
            if (lemma not in lemmas or tok.pos_ not in ("VERB", "NOUN")
                    or tok.i in actors.token_mention or tok.ent_type_ in (
                        "ORG", "PERSON", "GPE", "NORP", "DATE")):
                continue
            trig = Trigger(tok.i, tok.i + 1, tok, NONE, None, f"model:{lemma}",
                           tok.pos_ == "VERB")
            lex_type = None
        else:
            lex_type = trig.type
        out.append(TriggerCandidate(trig, lex_type,
                                    trigger_features(tok, lex_type, trig.rule, actors)))
    return out


def rule_arguments(trig: Trigger, args: _Args, read: dict[int, Any]
                   ) -> tuple[list[Mention], list[Mention]]:
    """The grammatical-role reading of a trigger's arguments (a feature of the learned choice)."""
    if trig.is_verb:
        sources, targets = args.verb_args(trig.head)
        if trig.head.lemma_.lower() in lexicon()["reciprocal"] and len(sources) >= 2 and (
                not targets):
            sources, targets = sources[:1], sources[1:]  # "X and Y met": with each other
        return sources, targets
    sources, targets = args.noun_args(trig.head, trig.type)
    governor = _governing_trigger(trig.head, read)
    if not sources and not targets and governor is not None:
        sources, targets = read[governor]  # "negotiations between X and Y for a deal"
    return sources, targets


def argument_examples(doc: Doc, actors: ActorResult, args: _Args, trig: Trigger,
                      event_type: str, sent: Span, sources: list[Mention],
                      targets: list[Mention]) -> list[tuple[Candidate, list[str]]]:
    """Every candidate argument of a trigger in its sentence, with its features: mentions,
    pronouns, and titles that refer to an earlier holder ('the Prime Minister')."""
    role = {(m.start, m.end): "source" for m in sources}
    role.update({(m.start, m.end): "target" for m in targets})
    by_actor = {m.actor_id: "source" for m in sources}
    by_actor.update({m.actor_id: "target" for m in targets})
    passive = is_passive(trig.head)
    out = []
    cands = argument_candidates(doc, actors, sent.start, sent.end)
    for tok in sent:
        holder = args.title_holder(tok) if tok.i not in actors.token_mention else None
        if holder is not None:
            cands.append(Candidate(tok.i, tok.i + 1, holder.actor_id, "coreference", tok))
            role.setdefault((tok.i, tok.i + 1), by_actor.get(holder.actor_id))
    for cand in cands:
        if cand.start <= trig.head.i < cand.end:
            continue
        rr = role.get((cand.start, cand.end)) or by_actor.get(cand.actor_id)
        out.append((cand, argument_features(trig.head, event_type, cand, rr, passive, actors)))
    return out


# -- assembly ----------------------------------------------------------------------------------
def extract_events(doc: Doc, actors: ActorResult, published: date,
                   model: EventModel | None = None, keep_features: bool = False
                   ) -> list[dict[str, Any]]:
    """Event records of one article, in text order, one per trigger: candidates from the
    parse and the lexicon, type and arguments decided by the learned model (`keep_features`:
    each record keeps its confidence features under `_confidence_features`, for training)."""
    model = model or default_model()
    args = _Args(doc, actors)
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
        date_feats = dating_features(trig.head, trig.type, mod, own is not None,
                                     narrative[0] if narrative else None, si, lexical)
        options = {"sentence": own, "narrative": narrative[1][0] if narrative else None,
                   "publication": ResolvedDate(published.isoformat(), "day", "publication"),
                   "unknown": ResolvedDate(None, "unknown", "publication")}
        choice, _ = model.dating.best(date_feats, [o for o in DATE_OPTIONS if options[o]])
        resolved = options[choice]
        if choice == "narrative" and narrative is not None:
            date_ent = narrative[1][1]
        elif choice != "sentence":
            date_ent = None
        loc = choose_location(trig, sent_ents[si])
        loc_span = location_span(loc, ents) if loc is not None else None
        reporter = reported_by(trig, args)
        trigger_span = doc[trig.start:trig.end]
        base = {
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
    return records


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
            if ent.label_ != "DATE" or _bound_only(ent):
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


def _governing_trigger(noun: Token, read: dict[int, Any]) -> int | None:
    """Head of an earlier nominal trigger whose prepositional complement this noun is ('talks
    ... for a peace deal', 'negotiations on a ceasefire')."""
    prep = noun.head
    if noun.dep_ != "pobj" or prep.dep_ != "prep" or prep.head.pos_ not in ("NOUN", "PROPN"):
        return None
    return prep.head.i if prep.head.i in read else None


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
    verb = _governing_verb(tok)
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
