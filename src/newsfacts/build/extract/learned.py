"""Learned event decisions: which candidate is an event of which type, which mention is its
source and which its target, and how likely the row is right.

Candidates come from the parse (lexicon triggers, plus tokens whose lemma the annotations
showed to be triggers; the actor mentions and resolved pronouns of the event's sentence);
linear models trained on the annotations decide (``newsfacts train``, see
``newsfacts.evaluation.training``). The models ship as JSON weights (``models/events.json``)
read here with no machine-learning library: inference is a sum of weights over sparse
features in a fixed order, so it is fast, dependency-free and gives the same bytes
everywhere.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from spacy.tokens import Doc, Span, Token

from newsfacts.build.extract.actors import ActorResult
from newsfacts.errors import NewsfactsError
from newsfacts.models import EVENT_MODEL
from newsfacts.vocab import load_json

MODEL_FORMAT = 1
ROLES = ("none", "source", "target")
NONE = "NONE"
PRONOUN_GENDERED = frozenset({"he", "him", "his", "she", "her", "hers", "himself", "herself"})
PRONOUN_GROUP = frozenset({"they", "them", "their", "it", "its", "we", "us", "our"})
PRONOUN_FIRST = frozenset({"i", "me", "my", "we", "us", "our"})
_ANTECEDENT_SENTENCES = 3
"""How many sentences back a pronoun may find its antecedent."""


class ModelError(NewsfactsError, RuntimeError):
    """A model file that is missing, corrupt or of another format: names the file."""


@dataclass(frozen=True)
class LinearModel:
    """Multinomial (or binary) logistic regression over string features, as plain weights."""

    classes: tuple[str, ...]
    intercept: tuple[float, ...]
    weights: dict[str, tuple[float, ...]]

    def scores(self, features: Iterable[str]) -> list[float]:
        """Decision values per class (features summed in sorted order: same bytes anywhere)."""
        weights = self.weights
        if len(self.intercept) == 1:  # binary: one running sum (most calls)
            one = self.intercept[0]
            for f in sorted(set(features)):
                w = weights.get(f)
                if w is not None:
                    one += w[0]
            return [one]
        total = list(self.intercept)
        for f in sorted(set(features)):
            w = weights.get(f)
            if w is not None:
                for i, x in enumerate(w):
                    total[i] += x
        return total

    def proba(self, features: Iterable[str]) -> list[float]:
        """Class probabilities (softmax; one logistic output for a binary model)."""
        s = self.scores(features)
        if len(self.classes) == 2 and len(s) == 1:
            p = 1.0 / (1.0 + math.exp(-s[0]))
            return [1.0 - p, p]
        top = max(s)
        exps = [math.exp(x - top) for x in s]
        z = sum(exps)
        return [e / z for e in exps]

    def p(self, label: str, features: Iterable[str]) -> float:
        """Probability of one class."""
        return self.proba(features)[self.classes.index(label)]

    def best(self, features: Iterable[str], allowed: Iterable[str] | None = None
             ) -> tuple[str, float]:
        """The most probable class (among `allowed`), ties to the first, and its probability."""
        probs = self.proba(features)
        ok = set(self.classes if allowed is None else allowed)
        i = max((i for i, k in enumerate(self.classes) if k in ok),
                key=lambda i: (probs[i], -i))
        return self.classes[i], probs[i]

    def to_json(self) -> dict[str, Any]:
        return {"classes": list(self.classes), "intercept": list(self.intercept),
                "weights": {k: list(v) for k, v in sorted(self.weights.items())}}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LinearModel:
        return cls(tuple(data["classes"]), tuple(float(x) for x in data["intercept"]),
                   {k: tuple(float(x) for x in v) for k, v in data["weights"].items()})


@dataclass(frozen=True)
class EventModel:
    """The three decisions plus the trigger lemmas learned from the annotations."""

    detector: LinearModel  # is the candidate an event at all (binary)
    typer: LinearModel  # which PLOVER type, given that it is one
    argument: LinearModel  # none / source / target, per candidate argument
    dating: LinearModel  # which date the event takes
    confidence: LinearModel  # is the whole row right (binary, fitted out-of-fold)
    lemmas: frozenset[str]
    thresholds: dict[str, float]
    meta: dict[str, Any]
    mention: LinearModel | None = None
    """Is a state name or description an actor mention (`mention_decisions`); None: the actor
    rules decide."""
    mention_heads: dict[str, tuple[str | None, str]] = field(default_factory=dict)
    """Descriptive head lemmas the annotations show naming actors -> (sector, kind)."""
    sector: LinearModel | None = None
    """The sector of actors the dictionary does not hold; None: the actor rules decide."""
    country: LinearModel | None = None
    """Is a candidate country the actor's (`actor_attributes`); None: the actor rules decide."""
    context: LinearModel | None = None
    """Does an earlier-named actor fill a role the event's sentence leaves empty
    (`event_context`); None: such roles stay empty."""

    PARTS = ("detector", "typer", "argument", "dating", "confidence")
    OPTIONAL = ("mention", "sector", "country", "context")

    def parts(self) -> tuple[str, ...]:
        """Names of the decisions this model carries, in file order."""
        return self.PARTS + tuple(p for p in self.OPTIONAL if getattr(self, p) is not None)

    def to_json(self) -> dict[str, Any]:
        heads = {"mention_heads": {k: list(v) for k, v in sorted(self.mention_heads.items())}
                 } if self.mention_heads else {}
        return {"format": MODEL_FORMAT, "meta": self.meta, "thresholds": self.thresholds,
                "lemmas": sorted(self.lemmas), **heads,
                **{part: getattr(self, part).to_json() for part in self.parts()}}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> EventModel:
        parts = {part: LinearModel.from_json(data[part]) for part in cls.PARTS}
        def optional(part: str) -> LinearModel | None:
            return LinearModel.from_json(data[part]) if part in data else None

        return cls(**parts, mention=optional("mention"), sector=optional("sector"),
                   country=optional("country"), context=optional("context"),
                   lemmas=frozenset(data["lemmas"]),
                   thresholds=dict(data["thresholds"]), meta=dict(data.get("meta", {})),
                   mention_heads={k: (v[0], v[1]) for k, v in data.get(
                       "mention_heads", {}).items()})


def read_model(path: Path) -> EventModel:
    """An event model file; a missing, unreadable or malformed one is a ModelError naming it."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError(f"{path}: event model file is missing; run `newsfacts train`") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"{path}: event model file cannot be read: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != MODEL_FORMAT:
        raise ModelError(f"{path}: not an event model of format {MODEL_FORMAT}")
    try:
        return EventModel.from_json(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelError(f"{path}: event model is malformed: {exc!r}") from None


def model_path() -> Path:
    """The shipped model file (package data)."""
    return Path(str(resources.files("newsfacts.models").joinpath(EVENT_MODEL)))


@cache
def default_model() -> EventModel:
    """The shipped event model, read once per process."""
    return read_model(model_path())


# -- candidates --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Candidate:
    """A span that may be an event's argument: a mention, or a pronoun with its antecedent."""

    start: int  # token span
    end: int
    actor_id: str
    basis: str  # "sentence" (a mention) or "coreference" (a pronoun resolved to an actor)
    head: Token


def argument_candidates(doc: Doc, actors: ActorResult, sent_start: int, sent_end: int
                        ) -> list[Candidate]:
    """Mentions in the sentence, and its pronouns resolved to the nearest fitting mention."""
    out = []
    for m in actors.mentions:
        if sent_start <= m.start < sent_end:
            out.append(Candidate(m.start, m.end, m.actor_id, "sentence", actors.root(doc, m)))
    for tok in doc[sent_start:sent_end]:
        if tok.pos_ == "PRON" and tok.i not in actors.token_mention:
            actor = resolve_pronoun(tok, actors) if tok.lower_ not in PRONOUN_FIRST else (
                resolve_speaker(tok, actors))
            if actor is not None:
                out.append(Candidate(tok.i, tok.i + 1, actor, "coreference", tok))
    return sorted(out, key=lambda c: (c.start, c.end, c.actor_id))


def resolve_speaker(tok: Token, actors: ActorResult) -> str | None:
    """Actor of a first-person pronoun in reported speech: the subject of the reporting verb
    whose complement holds it ('"We will respond," the ministry said'); for 'we', 'us', 'our'
    spoken by a person who speaks for a body, that body ('"We will not yield," said Zelenskyy'
    is Ukraine when the actor layer affiliates him with it)."""
    reporting = _reporting_verbs()
    cur = tok
    for _ in range(8):
        if cur.head.i == cur.i:
            return None
        dep, cur = cur.dep_, cur.head
        if cur.lemma_.lower() in reporting and dep in ("ccomp", "parataxis", "conj"):
            subj = next((c for c in cur.children if c.dep_ == "nsubj"), None)
            if subj is None:
                return None
            m = next((actors.token_mention[t.i] for t in subj.subtree
                      if t.i in actors.token_mention), None)
            if m is None:
                return None
            actor = actors.actors[m.actor_id]
            if tok.lower_ in ("we", "us", "our") and actor.kind == "person" and (
                    actor.affiliation_id in actors.actors):
                return actor.affiliation_id
            return m.actor_id
    return None


@cache
def _reporting_verbs() -> frozenset[str]:
    return frozenset(load_json("plover_lexicon.json")["reporting_verbs"])


def resolve_pronoun(tok: Token, actors: ActorResult) -> str | None:
    """Antecedent actor of a third-person pronoun: the nearest earlier mention of a person (he,
    she) within three sentences, or the nearest earlier non-person (it, they) that is a
    subject, else the nearest non-person; first person is left to `resolve_speaker`.
    Hand-written because no coreference library works offline here (coreferee downloads its
    model at install time)."""
    lower = tok.lower_
    if lower in PRONOUN_GENDERED:
        want_person = True
    elif lower in PRONOUN_GROUP and lower not in ("we", "us", "our"):
        want_person = False
    else:
        return None
    if tok.i not in actors.antecedents:
        actors.antecedents[tok.i] = _antecedent(tok, actors, want_person)
    return actors.antecedents[tok.i]


def _antecedent(tok: Token, actors: ActorResult, want_person: bool) -> str | None:
    here = actors.sentence_of[tok.i]
    floor = actors.sentence_starts[max(0, here - _ANTECEDENT_SENTENCES)]
    best = best_subject = None
    for m in actors.mentions:
        if floor <= m.start and m.end <= tok.i:
            is_person = actors.actors[m.actor_id].kind == "person"
            if is_person == want_person and (best is None or m.start > best.start):
                best = m
                if actors.root(tok.doc, m).dep_ in ("nsubj", "nsubjpass"):
                    best_subject = m
    if not want_person and best_subject is not None:
        best = best_subject
    return best.actor_id if best is not None else None


# -- features ----------------------------------------------------------------------------------
_WN_POS = {"VERB": "verb", "NOUN": "noun"}


@cache
def _wordnet() -> dict[str, Any]:
    return load_json("plover_wordnet.json")


def wordnet_type(tok: Token) -> str | None:
    """The PLOVER type WordNet relates this verb or noun to (`vocab/plover_wordnet.json`)."""
    pos = _WN_POS.get(tok.pos_)
    return _wordnet()["types"][pos].get(tok.lemma_.lower()) if pos else None


def supersense(tok: Token) -> str | None:
    """WordNet supersense of the word's first sense ('verb.contact'), if known."""
    pos = _WN_POS.get(tok.pos_)
    return _wordnet()["supersenses"][pos].get(tok.lemma_.lower()) if pos else None


def _children_deps(tok: Token) -> list[str]:
    return sorted({c.dep_ for c in tok.children})


def trigger_features(tok: Token, lex_type: str | None, rule: str | None,
                     actors: ActorResult) -> list[str]:
    """Sparse features of a candidate trigger token."""
    lemma = tok.lemma_.lower()
    head = tok.head
    f = [f"lem={lemma}", f"pos={tok.pos_}", f"tag={tok.tag_}", f"dep={tok.dep_}",
         f"lex={lex_type or NONE}", f"lem_pos={lemma}|{tok.pos_}",
         f"lex_dep={lex_type or NONE}|{tok.dep_}", f"head={head.lemma_.lower()}",
         f"lem_head={lemma}|{head.lemma_.lower()}", f"low={tok.lower_}"]
    if rule:
        f.append(f"rule={rule.split(':', 1)[0]}")
    for d in _children_deps(tok):
        f.append(f"child={d}")
        f.append(f"lem_child={lemma}|{d}")
    for c in tok.children:
        if c.dep_ in ("nsubj", "nsubjpass", "dobj", "poss", "agent", "pobj", "compound"):
            has = actors.covers[c.i]
            f.append(f"arg_{c.dep_}={'actor' if has else 'other'}")
        if c.dep_ == "prep":
            f.append(f"prep={c.lower_}")
            f.append(f"lem_prep={lemma}|{c.lower_}")
        if c.dep_ in ("aux", "auxpass", "neg"):
            f.append(f"{c.dep_}={c.lower_}")
    if tok.ent_type_:
        f.append(f"ent={tok.ent_type_}")
    f.append(f"headdep={head.dep_}|{head.pos_}")
    wn_type, sense = wordnet_type(tok), supersense(tok)
    f += [f"wn={wn_type or NONE}", f"ss={sense or NONE}", f"lex_wn={lex_type or NONE}|{wn_type}",
          f"ss_dep={sense}|{tok.dep_}"]
    f += _setting_features(tok, lemma, actors)
    f += _participant_features(tok, lemma, actors)
    return f


def _participant_features(tok: Token, lemma: str, actors: ActorResult) -> list[str]:
    """What the candidate acts on when that is not an actor ('launched an attack', 'took
    control', 'held talks': the object word tells the event from a product launch), and what
    kind of actor fills its subject, object or possessor ('police arrested', 'a country's
    ban'). 5-fold, candidate level: detector F1 .674 -> .680, type accuracy .708 -> .711."""
    f = []
    tm = actors.token_mention
    for c in tok.children:
        dep = c.dep_
        if dep in ("dobj", "nsubjpass") and c.i not in tm:
            obj = c.lemma_.lower()
            f += [f"obj={obj}", f"lem_obj={lemma}|{obj}"]
        if dep in ("nsubj", "nsubjpass", "dobj", "poss", "agent"):
            m = next((tm[t.i] for t in c.subtree if t.i in tm), None)
            if m is not None:
                f.append(f"kind_{dep}={actors.actors[m.actor_id].kind}")
    return f


def _setting_features(tok: Token, lemma: str, actors: ActorResult) -> list[str]:
    """Where the candidate stands: how many actors its sentence names (an event is an
    interaction between actors), whether actors stand on both sides of it, whether it sits
    inside a quotation, and the nearest verb above it ('said', 'plans to')."""
    sent = tok.sent
    before = sum(1 for i in range(sent.start, tok.i) if i in actors.token_mention)
    after = sum(1 for i in range(tok.i + 1, sent.end) if i in actors.token_mention)
    n = before + after
    bucket = "0" if n == 0 else "1" if n <= 2 else "3" if n <= 6 else "7"
    quotes = sum(1 for t in tok.doc[sent.start:tok.i] if t.text in ('"', "“", "”"))
    above = next((a.lemma_.lower() for a in list(tok.ancestors)[:3] if a.pos_ == "VERB"), NONE)
    return [f"actors={bucket}", f"sides={before > 0}|{after > 0}", f"lem_actors={lemma}|{n > 0}",
            f"quote={quotes % 2 == 1}", f"above={above}"]


def _path(a: Token, b: Token) -> str:
    """Dependency path from a to b: deps up to their lowest common ancestor, then down."""
    up_a = [a, *a.ancestors]
    up_b = [b, *b.ancestors]
    ids_b = {t.i: k for k, t in enumerate(up_b)}
    for k, t in enumerate(up_a):
        if t.i in ids_b:
            ups = [x.dep_ for x in up_a[:k]]
            downs = [x.dep_ for x in up_b[:ids_b[t.i]]][::-1]
            if len(ups) + len(downs) > 5:
                return "long"
            return "^".join(ups) + "|" + "v".join(downs)
    return "none"


def argument_features(trigger: Token, event_type: str, cand: Candidate, rule_role: str | None,
                      passive: bool, actors: ActorResult) -> list[str]:
    """Sparse features of a (trigger, candidate argument) pair."""
    path = _path(cand.head, trigger)
    side = "before" if cand.start < trigger.i else "after"
    dist = abs(cand.head.i - trigger.i)
    bucket = "1" if dist <= 1 else "3" if dist <= 3 else "6" if dist <= 6 else "12" if (
        dist <= 12) else "far"
    kind = actors.actors[cand.actor_id].kind
    f = [f"path={path}", f"path_t={event_type}|{path}", f"side={side}", f"dist={bucket}",
         f"side_pass={side}|{passive}", f"dep={cand.head.dep_}",
         f"dep_t={event_type}|{cand.head.dep_}", f"kind={kind}", f"basis={cand.basis}",
         f"type={event_type}", f"side_t={event_type}|{side}", f"trig={trigger.lemma_.lower()}",
         f"path_pass={passive}|{path}", f"tpos={trigger.pos_}"]
    if cand.head.dep_ == "pobj":
        prep = cand.head.head.lower_
        f += [f"prep={prep}", f"prep_t={event_type}|{prep}",
              f"prep_trig={trigger.lemma_.lower()}|{prep}"]
    if rule_role:
        f += [f"rule={rule_role}", f"rule_t={event_type}|{rule_role}"]
    else:
        f.append("rule=none")
    lemma = trigger.lemma_.lower()
    f += [f"trig_path={lemma}|{path}", f"trig_dep={lemma}|{cand.head.dep_}|{side}",
          f"tpos_path={trigger.pos_}|{path}", f"tpos_dep={trigger.pos_}|{cand.head.dep_}|{side}",
          f"trig_side={lemma}|{side}|{passive}", f"trig_rule={lemma}|{rule_role}",
          f"trig_kind={lemma}|{kind}"]
    if trigger.pos_ == "NOUN" and trigger.dep_ in ("dobj", "nsubj", "nsubjpass", "pobj"):
        # 'has drawn criticism', 'survived an attack', 'received aid': the governing verb
        # decides whether its subject is the nominal event's source or target
        gov = trigger.head.lemma_.lower() if trigger.dep_ != "pobj" else (
            trigger.head.head.lemma_.lower())
        f += [f"gov_path={gov}|{path}", f"gov_dep={gov}|{trigger.dep_}|{cand.head.dep_}"]
    return f


def is_passive(tok: Token) -> bool:
    """A passive verb ('was arrested', 'attacked by')."""
    return any(c.dep_ in ("auxpass", "nsubjpass", "agent") for c in tok.children)


def confidence_features(p_type: float, p_source: float | None, p_target: float | None,
                        source_basis: str | None, target_basis: str | None, event_type: str,
                        lexical: bool) -> list[str]:
    """Features of the row-level confidence model: the decisions' own probabilities, binned."""
    def b(p: float | None) -> str:
        return "none" if p is None else str(min(int(p * 5), 4))

    return [f"pt={b(p_type)}", f"ps={b(p_source)}", f"pg={b(p_target)}",
            f"sb={source_basis}", f"tb={target_basis}", f"type={event_type}",
            f"lexical={lexical}", f"pt_ps={b(p_type)}|{b(p_source)}"]


DATE_OPTIONS = ("sentence", "sentence_any", "narrative", "publication", "unknown")
"""Where an event's date comes from: the date expression the parse attaches to the trigger's
clause, another date of its sentence (the parse often attaches 'Tuesday' to a noun, or a
second event verb stands between), the date of the narrative (the latest earlier sentence with
one), the publication day, or none (background, planned or hypothetical events)."""


def dating_features(trigger: Token, event_type: str, modality: str, has_sentence: bool,
                    narrative_gap: int | None, sentence_index: int, lexical: bool,
                    other_date: Span | None = None) -> list[str]:
    """Features of the date decision: tense and aspect, modality, what dates are available."""
    verb = trigger
    for _ in range(3):
        if verb.pos_ in ("VERB", "AUX") or verb.head.i == verb.i:
            break
        verb = verb.head
    auxes = sorted({c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")})
    gap = "none" if narrative_gap is None else str(min(narrative_gap, 4))
    pos = "0" if sentence_index == 0 else "1" if sentence_index < 3 else "3" if (
        sentence_index < 8) else "8"
    f = [f"mod={modality}", f"tag={trigger.tag_}", f"vtag={verb.tag_}", f"type={event_type}",
         f"sent={has_sentence}", f"gap={gap}", f"pos={pos}", f"lexical={lexical}",
         f"mod_sent={modality}|{has_sentence}", f"vtag_sent={verb.tag_}|{has_sentence}",
         f"vlem={verb.lemma_.lower()}", f"headdep={verb.dep_}"]
    f += [f"aux={a}" for a in auxes]
    f.append(f"auxes={'+'.join(auxes) or '-'}|{verb.tag_}")
    # Habitual and ongoing readings ('frequently conducts', 'still holds') have no date.
    f += [f"adv={c.lemma_.lower()}" for c in verb.children if c.dep_ == "advmod"]
    if trigger.i != verb.i:
        f += [f"tlem={trigger.lemma_.lower()}", f"tdep={trigger.dep_}|{verb.tag_}"]
    sent = trigger.sent
    quotes = sum(1 for t in trigger.doc[sent.start:trigger.i] if t.text in ('"', "“", "”"))
    f.append(f"quote={quotes % 2 == 1}")
    if other_date is not None:  # a date of the sentence the parse does not attach to the trigger
        dist = abs(other_date.root.i - trigger.i)
        where = "before" if other_date.start < trigger.i else "after"
        far = "3" if dist <= 3 else "8" if dist <= 8 else "far"
        f += ["other=yes", f"other_where={where}|{far}", f"other_dep={other_date.root.dep_}",
              f"other_sent={has_sentence}|{where}", f"other_mod={modality}|{where}",
              f"other_head={other_date.root.head.pos_}"]
    else:
        f.append("other=no")
    return f


Choice = tuple[Candidate, float] | None
"""A chosen argument and its probability, or none."""


def choose_arguments(probs: Sequence[tuple[Candidate, list[float]]],
                     thresholds: dict[str, float]) -> list[tuple[Choice, Choice]]:
    """(source, target) pairs: the source and target that are most probable together (the
    product of their probabilities, 'none' of a role scoring its threshold; a source never also
    a target, so an actor likelier as both takes the role where the other party's loss is
    least), plus the other actors coordinated with each ('China, Iran and Russia pledged':
    FORMAT.md wants one row per pair), no self-pairs; one (None, None) row when no argument is
    found. Only coordination adds a second actor: an apposition or a reporter in the same
    sentence is not a second source."""
    def ranked(role: int) -> list[tuple[Candidate, float]]:
        best: dict[str, tuple[Candidate, float]] = {}
        for c, p in probs:
            if p[role] < thresholds.get(ROLES[role], 0.5):
                continue
            if c.actor_id not in best or p[role] > best[c.actor_id][1]:
                best[c.actor_id] = (c, p[role])
        return sorted(best.values(), key=lambda x: (-x[1], x[0].start))

    def together(top: tuple[Candidate, float], ranked: list[tuple[Candidate, float]],
                 taken: set[str]) -> list[tuple[Candidate, float]]:
        head = top[0].head
        near = {t.i for t in head.conjuncts} | {head.i}
        return [top] + [x for x in ranked if x[0].actor_id not in taken | {top[0].actor_id}
                        and x[0].head.i in near]

    src, tgt = ranked(1), ranked(2)
    none_s, none_t = thresholds.get("source", 0.5), thresholds.get("target", 0.5)
    best_pair: tuple[float, int, int] | None = None  # (-score, i, j); index -1 is none
    for i in range(-1, min(len(src), 2)):
        for j in range(-1, min(len(tgt), 2)):
            if i >= 0 and j >= 0 and src[i][0].actor_id == tgt[j][0].actor_id:
                continue
            score = (src[i][1] if i >= 0 else none_s) * (tgt[j][1] if j >= 0 else none_t)
            key = (-score, i, j)
            if best_pair is None or key < best_pair:
                best_pair = key
    _, i, j = best_pair or (0.0, -1, -1)  # the (none, none) pair is always scored
    # The chosen target is never also a coordinated source ('a meeting that included the
    # Taliban and Afghan government officials': the government stays the target).
    sources = together(src[i], src, {tgt[j][0].actor_id} if j >= 0 else set()) if i >= 0 else []
    s_ids = {c.actor_id for c, _ in sources}
    targets = together(tgt[j], [x for x in tgt if x[0].actor_id not in s_ids], s_ids) if (
        j >= 0) else []
    none: list[Choice] = [None]
    return [(s, t) for s in (list(sources) or none) for t in (list(targets) or none)]
