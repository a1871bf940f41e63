"""Within-article coreference of actor names: short person forms and acronyms linked to the full
name, and later occurrences of a known name the NER missed. A mixin of `actors._Builder`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from spacy.tokens import Doc, Span, Token

from newsfacts.build.extract.actor_vocab import LOCATION_PREPS, STOP_INITIALS
from newsfacts.build.extract.countries import Gazetteer

if TYPE_CHECKING:
    from newsfacts.build.extract.actors import Actor, Mention


class ActorCoreference:
    """Coreference passes over the mentions registered so far (`actors._Builder`)."""

    doc: Doc
    tokens: list[Token]
    gaz: Gazetteer
    voc: dict[str, Any]
    actors: dict[str, Actor]
    mentions: list[Mention]
    taken: list[bool]

    def add(self, span: Span, actor: Actor, label: str) -> Mention | None:
        """Register a mention (`actors._Builder.add`)."""
        raise NotImplementedError

    def is_actor_name(self, span: Span, label: str) -> bool:
        """Does this proposed name stand for an actor (`actors._Builder.is_actor_name`)?"""
        raise NotImplementedError

    def short_forms(self) -> None:
        """Map short person forms ('Shaheen') and acronyms ('NSC') to their full actor."""
        persons = [(m, (self.tokens[m.end - 1].text, self.tokens[m.start].text))
                   for m in self.mentions
                   if self.actors[m.actor_id].kind == "person" and m.end - m.start > 1]
        orgs = [(m, "".join(t.text[0] for t in self.doc[m.start:m.end]
                            if t.lower_ not in STOP_INITIALS).upper())
                for m in self.mentions
                if self.actors[m.actor_id].kind == "organization" and m.end - m.start > 1]
        for m in sorted(self.mentions, key=lambda x: x.start):
            if m.end - m.start > 2:
                continue
            text = self.doc[m.start:m.end].text
            target = self.person_for(text, m.start, persons) or self.org_for(text, m.start, orgs)
            if target and target != m.actor_id:
                self.relink(m, target)

    def person_for(self, text: str, at: int, persons: list[tuple[Mention, tuple[str, str]]]
                   ) -> str | None:
        """Actor id of the full name (of 2+ words; `persons` gives their last and first
        words) whose first or last word is `text` (earliest first)."""
        candidates = [(m.start > at, m.start, m.actor_id) for m, ends in persons
                      if text in ends]
        return sorted(candidates)[0][2] if candidates else None

    def org_for(self, text: str, at: int, orgs: list[tuple[Mention, str]]) -> str | None:
        """Actor id of the organisation whose initials (or initials of a tail) spell `text`
        (`orgs`: multi-word organisation mentions with their upper-cased initials)."""
        if not (text.isupper() and 2 <= len(text) <= 6):
            return None
        candidates = []
        for m, initials in orgs:
            if initials.endswith(text) and len(text) >= 2:
                candidates.append((m.start > at, m.start, m.actor_id))
        return sorted(candidates)[0][2] if candidates else None

    def relink(self, mention: Mention, target: str) -> None:
        """Point a mention to another actor and drop the old actor if now unused."""
        old = mention.actor_id
        mention.actor_id = target
        mention.label = "ALIAS"
        self.actors[target].forms.append(self.doc[mention.start:mention.end].text)
        if not any(m.actor_id == old for m in self.mentions):
            self.actors.pop(old, None)

    def repeated_forms(self) -> None:
        """Other occurrences of a known name the NER missed: surnames and first names of
        persons ('Matovič', 'Munk'), full forms of organisations ('Sustainable Australia')."""
        forms: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for m in sorted(self.mentions, key=lambda x: x.start):
            actor = self.actors[m.actor_id]
            if actor.kind not in ("person", "organization"):
                continue
            words = tuple(t.text for t in self.doc[m.start:m.end])
            candidates = [words]
            if actor.kind == "person" and len(words) > 1:
                candidates += [words[-1:], words[:1]]
            for cand in candidates:
                text = " ".join(cand)
                if len(text) < 3 or not text[:1].isupper() or text.lower() in self.voc[
                        "titles"] or text.lower() in self.voc["desc_heads"]:
                    continue
                bucket = forms.setdefault(cand[0], [])
                if all(c != cand for c, _ in bucket):
                    bucket.append((cand, m.actor_id))
        doc = self.doc
        for tok in self.tokens:
            if self.taken[tok.i] or tok.text not in forms:
                continue
            for cand, actor_id in sorted(forms[tok.text], key=lambda c: -len(c[0])):
                end = tok.i + len(cand)
                if tuple(t.text for t in doc[tok.i:end]) != cand or any(self.taken[tok.i:end]):
                    continue
                locative = tok.dep_ == "pobj" and tok.head.lower_ in LOCATION_PREPS
                if tok.ent_type_ == "DATE" or tok.pos_ not in ("PROPN", "NOUN") or (
                        tok.ent_type_ in ("GPE", "LOC", "FAC") and self.gaz.place(tok.text)
                        and (locative or self.actors[actor_id].kind != "person")):
                    continue  # 'in Paris' is a place; 'Paris said' in a story on Valeska Paris not
                if self.is_actor_name(doc[tok.i:end], "ALIAS"):
                    self.add(doc[tok.i:end], self.actors[actor_id], "ALIAS")
                break
