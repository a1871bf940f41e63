"""Implicit arguments: a role the event's sentence leaves empty, filled from earlier in the text.

News restates an event without its participants ("the ban", "During the negotiations, ..."):
about one gold source or target in five is an actor named only in earlier sentences. Every
actor mentioned in the preceding `CONTEXT_SENTENCES` sentences (and not in the event's own
sentence) is a candidate; a learned binary model (`EventModel.context`, fitted by `newsfacts
train` on the annotated roles that their sentence does not fill) scores each one, and the best
fills the role, with basis `context`, when its probability reaches the `context` threshold.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from newsfacts.build.extract.actors import ActorResult

CONTEXT_SENTENCES = 6
"""How many sentences back an implicit argument may have been named."""

_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "agent", "csubj"})
_OBJECT_DEPS = frozenset({"dobj", "pobj", "iobj", "dative", "attr", "oprd"})


@dataclass(frozen=True)
class ActorSite:
    """Where an actor was last named before some sentence: its sentence and grammatical role."""

    actor_id: str
    sentence: int
    role: str  # subject / object / possessive / other


class ContextIndex:
    """Per-article index of mentions by sentence, built once and queried per event role."""

    def __init__(self, doc: Doc, actors: ActorResult) -> None:
        self.actors = actors
        self.by_sentence: dict[int, list[ActorSite]] = {}
        for m in sorted(actors.mentions, key=lambda m: (m.start, m.end, m.actor_id)):
            head = actors.root(doc, m)
            dep = head.dep_
            role = ("subject" if dep in _SUBJECT_DEPS else "object" if dep in _OBJECT_DEPS
                    else "possessive" if dep == "poss" else "other")
            si = actors.sentence_of[m.start]
            self.by_sentence.setdefault(si, []).append(ActorSite(m.actor_id, si, role))
        counts = Counter(m.actor_id for m in actors.mentions)
        ranked = sorted(counts, key=lambda a: (-counts[a], a))
        self.rank = {a: i for i, a in enumerate(ranked)}
        self.first = min(self.by_sentence) if self.by_sentence else 0
        self.first_named = self.in_sentence(self.first)

    def in_sentence(self, si: int) -> set[str]:
        """Actors named in sentence `si`."""
        return {s.actor_id for s in self.by_sentence.get(si, ())}

    def candidates(self, si: int) -> list[ActorSite]:
        """Each actor named in the `CONTEXT_SENTENCES` sentences before `si` but not in `si`,
        at its latest mention (sorted by actor id: the order never depends on hashing)."""
        here = self.in_sentence(si)
        latest: dict[str, ActorSite] = {}
        for back in range(CONTEXT_SENTENCES, 0, -1):
            for site in self.by_sentence.get(si - back, ()):
                if site.actor_id not in here:
                    latest[site.actor_id] = site
        return [latest[a] for a in sorted(latest)]


def _bucket(n: int, edges: tuple[int, ...]) -> str:
    for e in edges:
        if n <= e:
            return str(e)
    return f">{edges[-1]}"


def context_features(trigger: Token, event_type: str, role: str, site: ActorSite, si: int,
                     index: ContextIndex, other_filled: bool, reporter: str | None,
                     previous_subjects: set[str]) -> list[str]:
    """Features of `site`'s actor as the implicit `role` of the event at `trigger`."""
    actor = index.actors.actors.get(site.actor_id)
    kind = actor.kind if actor else "?"
    sector = (actor.sector or "none") if actor else "?"
    dist = _bucket(si - site.sentence, (1, 2, 3, 6))
    rank = _bucket(index.rank.get(site.actor_id, 99), (0, 1, 2, 4))
    pos = "noun" if trigger.pos_ in ("NOUN", "PROPN") else "verb"
    has_subj = any(c.dep_ in _SUBJECT_DEPS for c in trigger.children)
    r = f"role={role}"
    return [
        r, f"{r}|type={event_type}", f"{r}|dist={dist}", f"{r}|rank={rank}",
        f"{r}|was={site.role}", f"{r}|was={site.role}|dist={dist}",
        f"{r}|kind={kind}", f"{r}|sector={sector}", f"{r}|type={event_type}|kind={kind}",
        f"{r}|pos={pos}", f"{r}|pos={pos}|dist={dist}", f"{r}|has_subj={has_subj}",
        f"{r}|other={other_filled}", f"{r}|lemma={trigger.lemma_.lower()}",
        f"{r}|first={site.actor_id in index.first_named}",
        f"{r}|reporter={site.actor_id == reporter}",
        f"{r}|prev_subject={site.actor_id in previous_subjects}",
        f"{r}|rank={rank}|dist={dist}",
    ]


def previous_subjects(index: ContextIndex, si: int) -> set[str]:
    """Actors that are the subject of a clause in the sentence before `si`."""
    return {s.actor_id for s in index.by_sentence.get(si - 1, ()) if s.role == "subject"}
