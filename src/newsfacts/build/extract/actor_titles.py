"""Titles, affiliations and nationalities of persons, read from premodifiers ('Afghan President
Ashraf Ghani') and appositions ('Suhail Shaheen, a Taliban spokesman'). A mixin of
`actors._Builder`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from spacy.tokens import Doc, Span

from newsfacts.build.extract.actor_places import country_in
from newsfacts.build.extract.countries import Gazetteer

if TYPE_CHECKING:
    from newsfacts.build.extract.actors import Actor, Mention


class ActorTitles:
    """Person attributes from the words around their names (`actors._Builder`)."""

    doc: Doc
    gaz: Gazetteer
    voc: dict[str, Any]
    country: str | None
    actors: dict[str, Actor]
    mentions: list[Mention]

    def person_attributes(self) -> None:
        """Title, affiliation, sector and country of persons from premodifiers and appositions."""
        by_token = {i: m for m in self.mentions for i in range(m.start, m.end)}
        for m in self.mentions:
            actor = self.actors[m.actor_id]
            if actor.kind != "person":
                continue
            span = self.doc[m.start:m.end]
            title, title_span, org = self.title_of(span, by_token)
            if title and actor.title is None:
                actor.title = title
            if org and actor.affiliation_id is None and org.actor_id != actor.actor_id:
                actor.affiliation_id = org.actor_id
            if actor.actor_id in self.voc["by_id"]:
                continue  # a curated person's country and sector are the dictionary's
            if title_span is not None and actor.country is None:
                actor.country = country_in(title_span, self.gaz)
            if actor.sector is None and title:
                actor.sector = self.voc["titles"].get(title.lower())
            if actor.country is None:
                actor.country = self.nationality(span)
        for actor in self.actors.values():
            if actor.kind != "person" or actor.actor_id in self.voc["by_id"]:
                continue
            aff = self.actors.get(actor.affiliation_id or "")
            if aff is not None:
                actor.country = actor.country or aff.country
                actor.sector = actor.sector or aff.sector
                if aff.sector == "IGO":
                    continue  # an international official belongs to no state
            actor.country = actor.country or self.country

    def nationality(self, span: Span) -> str | None:
        """Country from a demonym next to a name: 'Libyan national Khairi Saadallah',
        'An Australian, Brenton Tarrant'."""
        doc = self.doc
        near = [t for t in doc[max(0, span.start - 3):span.start] if t.head.i in range(
            span.start, span.end) or t.head.i in range(span.start - 3, span.start)]
        appos = self.appos(span)
        if appos is not None:
            near += list(appos)
        if span.root.dep_ == "appos":
            near.append(span.root.head)
        for tok in near:
            if tok.ent_type_ == "NORP":
                found = self.gaz.demonym(tok.text)
                if found:
                    return found
        return None

    def title_of(self, span: Span, by_token: dict[int, Mention]
                 ) -> tuple[str | None, Span | None, Mention | None]:
        """(title, span holding it, affiliation mention) from premodifiers or an apposition."""
        doc = self.doc
        titles = self.voc["titles"]
        # Premodifiers: "Taliban spokesman Suhail Shaheen", "Afghan President Ashraf Ghani".
        start = span.start
        while start > 0 and doc[start - 1].is_title | doc[start - 1].is_lower and (
                doc[start - 1].head.i in range(span.start, span.end) or doc[start - 1].ent_type_
                == "TITLE") and doc[start - 1].dep_ in ("compound", "amod", "nmod", "nnp"):
            start -= 1
        pre = doc[start:span.start]
        for tokens in (pre, self.appos(span)):
            if tokens is None or not len(tokens):
                continue
            found = self.title_words(tokens, titles)
            if found:
                org = next((by_token[t.i] for t in tokens if t.i in by_token
                            and self.actors[by_token[t.i].actor_id].kind != "person"), None)
                return found, tokens, org
        return None, None, None

    def appos(self, span: Span) -> Span | None:
        """The apposition attached to a name ('Suhail Shaheen, a Taliban spokesman')."""
        for child in span.root.children:
            if child.dep_ == "appos":
                return self.doc[child.left_edge.i:child.right_edge.i + 1]
        if span.root.dep_ == "appos":
            head = span.root.head
            return self.doc[head.left_edge.i:head.i + 1]
        return None

    @staticmethod
    def title_words(tokens: Span, titles: dict[str, Any]) -> str | None:
        """Longest title phrase inside the tokens, as written."""
        words = [t.text for t in tokens]
        lowered = [w.lower() for w in words]
        for n in (4, 3, 2, 1):
            for i in range(len(words) - n + 1):
                if " ".join(lowered[i:i + n]) in titles:
                    return " ".join(words[i:i + n])
        return None
