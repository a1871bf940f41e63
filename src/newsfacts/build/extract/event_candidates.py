"""What the learned event model decides among: trigger candidates (lexicon triggers and
tokens whose lemma the annotations showed to be triggers) and, for a trigger, every candidate
argument of its sentence with its features, beside the rule reading of its arguments."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from spacy.attrs import POS
from spacy.parts_of_speech import NOUN, VERB
from spacy.tokens import Doc, Span, Token

from newsfacts.build.extract.actors import ActorResult, Mention
from newsfacts.build.extract.event_arguments import RuleArguments
from newsfacts.build.extract.event_lexicon import lexicon
from newsfacts.build.extract.event_triggers import Trigger, find_triggers
from newsfacts.build.extract.learned import (
    NONE,
    Candidate,
    argument_candidates,
    argument_features,
    is_passive,
    trigger_features,
    wordnet_type,
)

_VERB_NOUN = frozenset((NOUN, VERB))


@dataclass
class TriggerCandidate:
    """A token that may state an event: the lexicon's reading (if any) and its features."""

    trigger: Trigger
    lex_type: str | None
    features: list[str]


def trigger_candidates(doc: Doc, actors: ActorResult, args: RuleArguments,
                       lemmas: frozenset[str]) -> list[TriggerCandidate]:
    """Lexicon triggers, plus verbs and nouns whose lemma the annotations showed to be triggers
    or WordNet relates to a PLOVER type: the candidates the trigger model types (or rejects), in
    text order."""
    found = {t.head.i: t for t in find_triggers(doc, actors, args)}
    out = []
    # Only verbs, nouns and lexicon triggers can be candidates: read the tags from the token
    # array and build Token objects for those alone (`for tok in doc` builds one per token).
    # Adjectives annotated as triggers ('baseless', 'illegal') were tried as candidates too:
    # 5-fold type+trigger .512 -> .511, arguments .198 -> .197.
    pos = doc.to_array([POS]).tolist() if len(doc) else []
    for i in range(len(doc)):
        if i not in found and (pos[i] not in _VERB_NOUN or i in actors.token_mention):
            continue
        tok = doc[i]
        trig = found.get(i)
        if trig is None:
            lemma = tok.lemma_.lower()
            known = lemma in lemmas or wordnet_type(tok) is not None
            if not known or tok.ent_type_ in ("ORG", "PERSON", "GPE", "NORP", "DATE"):
                continue
            trig = Trigger(tok.i, tok.i + 1, tok, NONE, None, f"model:{lemma}",
                           tok.pos_ == "VERB")
            lex_type = None
        else:
            lex_type = trig.type
        out.append(TriggerCandidate(trig, lex_type,
                                    trigger_features(tok, lex_type, trig.rule, actors)))
    return out


def rule_arguments(trig: Trigger, args: RuleArguments, read: dict[int, Any]
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


def argument_examples(doc: Doc, actors: ActorResult, args: RuleArguments, trig: Trigger,
                      event_type: str, sent: Span, sources: list[Mention],
                      targets: list[Mention], reporter: str | None
                      ) -> list[tuple[Candidate, list[str]]]:
    """Every candidate argument of a trigger in its sentence, with its features: mentions,
    pronouns, and titles that refer to an earlier holder ('the Prime Minister'); `reporter`:
    the actor reporting the event (`event_dates.reported_by`)."""
    role: dict[tuple[int, int], str | None] = {(m.start, m.end): "source" for m in sources}
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
    # Rank features (how many other actors stand nearer, on a shorter path; which roles the
    # rule gives the others) were tried: both arguments right on gold triggers .343 -> .359,
    # but 5-fold arguments F1 .198 -> .194 (.196 with the source threshold retuned).
    for cand in cands:
        if cand.start <= trig.head.i < cand.end:
            continue
        rr = role.get((cand.start, cand.end)) or by_actor.get(cand.actor_id)
        feats = argument_features(trig.head, event_type, cand, rr, passive, actors)
        # 'according to X', 'X said': the reporter is rarely a party of what it reports
        is_reporter = cand.actor_id == reporter
        feats += [f"reporter={is_reporter}", f"reporter_t={event_type}|{is_reporter}"]
        out.append((cand, feats))
    return out


def _governing_trigger(noun: Token, read: dict[int, Any]) -> int | None:
    """Head of an earlier nominal trigger whose prepositional complement this noun is ('talks
    ... for a peace deal', 'negotiations on a ceasefire')."""
    prep = noun.head
    if noun.dep_ != "pobj" or prep.dep_ != "prep" or prep.head.pos_ not in ("NOUN", "PROPN"):
        return None
    return prep.head.i if prep.head.i in read else None
