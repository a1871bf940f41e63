"""Actors and their mentions: NER + curated dictionary + descriptive noun phrases + within-article
short forms and acronyms, with titles, affiliations and countries.

The sm NER gives the name spans; everything else (which spans are actors, their kind, sector and
country) is decided here from the parse and the versioned vocabularies. The output is plain dicts
(contract in `newsfacts.build.extract`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from spacy.tokens import Doc, Span, Token

from newsfacts.build.extract.actor_attributes import CountryOption, learned_attributes
from newsfacts.build.extract.actor_coreference import ActorCoreference
from newsfacts.build.extract.actor_names import ID, extend_name, is_name, name_id, trim
from newsfacts.build.extract.actor_places import (
    country_in,
    default_country,
    governor,
    is_location_use,
)
from newsfacts.build.extract.actor_titles import ActorTitles
from newsfacts.build.extract.actor_vocab import INTERNATIONAL, vocab
from newsfacts.build.extract.countries import gazetteer
from newsfacts.build.extract.language import Passages, passages
from newsfacts.build.extract.mention_decisions import (
    description_features,
    extension_features,
    modifier_features,
    name_features,
    state_features,
)
from newsfacts.build.extract.sentences import sentence_numbers, sentence_starts
from newsfacts.vocab import load_json

STATE_THRESHOLD = 0.5
"""The probability a country name, capital or demonym needs to be a mention of its state.
5-fold mention exact F1 .759 at .35, .761 at .5, .756 at .65 (arguments .198, .198, .190)."""
EXTENSION_THRESHOLD = 0.5
"""The probability a common noun needs to join the name before it ('Chinese army'). 5-fold
mention exact F1 .761 at .35, .761 at .5, .760 at .65: flat."""
NAME_THRESHOLD = 0.25
"""The probability a proposed name needs to become a mention (`is_actor_name`). Below .5: a
refused name loses the actor and every event role it fills, a spurious one costs a mention's
precision. 5-fold mention exact F1: .765 at .5, .761 at .3, .760 at .2; at .5 the gate also
refused names GUM and MEANTIME annotate ("DAB's Ben Chan", acronyms), recall .837/.923 against
.867/.933 at .2, so those two are no longer wholly unseen for this one threshold."""

if TYPE_CHECKING:
    from newsfacts.build.extract.learned import LinearModel

ACTOR_LABELS = ("PERSON", "ORG", "GPE", "NORP")


@dataclass
class Actor:
    """One actor of one article, as it will be written to the `actors` records."""

    actor_id: str
    name: str
    kind: str
    sector: str | None
    country: str | None
    title: str | None = None
    affiliation_id: str | None = None
    wikidata_qid: str | None = None
    forms: list[str] = field(default_factory=list)

    def record(self) -> dict[str, Any]:
        """Plain dict for `Extraction.actors`."""
        return {"name": self.name, "kind": self.kind, "sector": self.sector,
                "country": self.country, "title": self.title,
                "affiliation_id": self.affiliation_id, "wikidata_qid": self.wikidata_qid}


@dataclass
class Mention:
    """One span naming an actor."""

    start: int  # token index
    end: int
    actor_id: str
    label: str


@dataclass
class ActorResult:
    """Actors and mentions of one article plus the token index the event layer needs."""

    actors: dict[str, Actor]
    mentions: list[Mention]
    token_mention: dict[int, Mention]
    default_country: str | None
    decisions: list[tuple[int, int, list[str]]] = field(default_factory=list)
    """Learned mention decisions met (token span, features): what `newsfacts train` learns from."""
    sector_features: dict[str, list[str]] = field(default_factory=dict)
    """Features of each non-curated actor's sector decision (`actor_attributes`)."""
    country_options: dict[str, list[CountryOption]] = field(default_factory=dict)
    """Each non-curated actor's candidate countries with their features (`actor_attributes`)."""
    sentence_of: list[int] = field(default_factory=list)
    """Sentence number of every token (`sentence_index` of the mention records)."""
    sentence_starts: list[int] = field(default_factory=list)
    """Token index where each sentence begins."""
    covers: list[bool] = field(default_factory=list)
    """Per token: does its subtree hold a mention?"""
    antecedents: dict[int, str | None] = field(default_factory=dict)
    """`learned.resolve_pronoun` per pronoun token, kept because every trigger of a sentence
    asks again."""
    _roots: dict[tuple[int, int], int] = field(default_factory=dict)

    def root(self, doc: Doc, m: Mention) -> Token:
        """`Span.root` of a mention, computed once (the event layer asks per trigger)."""
        key = (m.start, m.end)
        if key not in self._roots:
            self._roots[key] = doc[m.start:m.end].root.i
        return doc[self._roots[key]]

    def mention_records(self, doc: Doc) -> list[dict[str, Any]]:
        """Mentions as contract dicts, in text order."""
        sent_index = self.sentence_of
        out = []
        for m in sorted(self.mentions, key=lambda m: (m.start, m.end)):
            span = doc[m.start:m.end]
            out.append({"start": span.start_char, "end": span.end_char, "text": span.text,
                        "actor_id": m.actor_id, "label": m.label,
                        "sentence_index": sent_index[m.start]})
        return out

    def actor_records(self) -> dict[str, dict[str, Any]]:
        """Actors as contract dicts, sorted by id."""
        return {k: self.actors[k].record() for k in sorted(self.actors)}


class _Builder(ActorCoreference, ActorTitles):
    """Collects actors and mentions for one document."""

    def __init__(self, doc: Doc, english: Passages | None = None,
                 mention_model: LinearModel | None = None,
                 mention_heads: dict[str, tuple[str | None, str]] | None = None,
                 sector_model: LinearModel | None = None,
                 country_model: LinearModel | None = None, text: str | None = None) -> None:
        self.doc = doc
        self.text = doc.text if text is None else text  # `Doc.text` joins every token per read
        self.country_model = country_model
        self.model = mention_model
        self.sector_model = sector_model
        self.heads = mention_heads or {}
        self.decisions: list[tuple[int, int, list[str]]] = []
        # Each `for tok in doc` makes a new Token object per token; the passes below walk the
        # document about ten times, so they share one list.
        self.tokens = list(doc)
        self.gaz = gazetteer()
        self.voc = vocab()
        self.country = default_country(doc, self.gaz)
        self.actors: dict[str, Actor] = {}
        self.mentions: list[Mention] = []
        self.taken = [False] * len(doc)
        self.readable = _readable_tokens(self.tokens, self.text, english or passages(self.text))

    # -- registration -------------------------------------------------------------------
    def add(self, span: Span, actor: Actor, label: str) -> Mention | None:
        """Register a mention (first come first served on tokens) and merge its actor."""
        if span.start >= span.end or any(self.taken[span.start:span.end]):
            return None
        if not all(self.readable[span.start:span.end]) or not is_name(span.text) or (
                not ID.fullmatch(actor.actor_id)):
            return None  # not English text, no letter (only punctuation or digits), no id
        if actor.actor_id in self.voc["by_id"] and actor.actor_id not in self.actors:
            # a name that slugs to a curated id ('Wikinews' read as a plain organisation) is
            # that actor: the dictionary's attributes, not ones guessed from the article
            actor = self.from_dictionary(actor.actor_id) or actor
        for i in range(span.start, span.end):
            self.taken[i] = True
        known = self.actors.get(actor.actor_id)
        if known is None:
            self.actors[actor.actor_id] = actor
            known = actor
        known.forms.append(span.text)
        curated = known.actor_id in self.voc["by_id"]  # its null country or sector is a fact
        for attr in ("title", "affiliation_id", "sector", "country"):
            if curated and attr in ("sector", "country"):
                continue
            if getattr(known, attr) is None and getattr(actor, attr) is not None:
                setattr(known, attr, getattr(actor, attr))
        mention = Mention(span.start, span.end, actor.actor_id, label)
        self.mentions.append(mention)
        return mention

    def from_dictionary(self, actor_id: str) -> Actor | None:
        """Actor built from a curated dictionary entry."""
        entry = self.voc["by_id"].get(actor_id)
        if entry is None:
            return None
        return Actor(actor_id, entry["name"], entry["kind"], entry["sector"], entry["country"],
                     affiliation_id=entry.get("affiliation"),
                     wikidata_qid=entry.get("wikidata_qid"))

    def country_actor(self, iso3: str) -> Actor:
        """A country acting as a state."""
        return Actor(iso3.lower(), self.gaz.name_of(iso3), "country", None, iso3)

    def government_actor(self, iso3: str) -> Actor:
        """The government of a country."""
        return Actor(f"{iso3.lower()}-government", f"Government of {self.gaz.name_of(iso3)}",
                     "organization", "GOV", iso3)

    # -- passes -------------------------------------------------------------------------
    def named(self) -> None:
        """Mentions from NER and ruler entities."""
        for ent in self.doc.ents:
            if ent.ent_id_ == "platform":
                self.platform(ent)
                continue
            if ent.label_ not in ACTOR_LABELS:
                continue
            span = trim(ent)
            if not len(span) or span.text.lower() in self.voc["nonactors"]:
                continue
            if ent.label_ == "PERSON" and self.gaz.country(span.text):
                self.gpe(span)  # the small NER tags some countries PERSON ('Malawi', 'Niger')
            elif ent.label_ == "PERSON":
                self.person(span)
            elif ent.label_ == "ORG":
                self.organization(span, ent)
            elif ent.label_ == "GPE":
                if self.gaz.country(span.text):
                    self.gpe(span)
                else:
                    self.capital(span)
            else:
                self.norp(span, ent)

    def platform(self, ent: Span) -> None:
        """'said on Twitter' is a channel, not an actor; 'Twitter suspended ...' is the company."""
        root = ent.root
        if root.dep_ == "pobj" or root.dep_ in ("compound", "amod", "nmod", "poss"):
            return
        self.add(ent, Actor(name_id(ent.text), ent.text, "organization", "BUS", None), "ORG")

    def person(self, span: Span) -> None:
        """A person name (widened over name words the NER left out, honorifics dropped)."""
        span = extend_name(span)
        while len(span) > 1 and span[0].whitespace_ and (
                span[0].lower_ in self.voc["honorifics"] or span[0].lower_ in self.voc["titles"]
                or span[0].pos_ == "ADJ" or span[0].is_lower
                or "-" in span[0].text and span[1].is_title):
            span = span[1:]  # "Mr Key", "Nonpartisan Paul Tse", "Administrator Charles Bolden"
        dict_entry = self.voc["by_alias"].get(span.text)
        if dict_entry and dict_entry["kind"] == "person":
            actor = self.from_dictionary(dict_entry["id"])
        else:
            actor = Actor(name_id(span.text), span.text, "person", None, None)
        assert actor is not None
        if not dict_entry and (self.extended(span, "PERSON")
                               or not self.is_actor_name(span, "PERSON")):
            return
        self.add(span, actor, "DICT" if dict_entry else "PERSON")

    def organization(self, span: Span, ent: Span) -> None:
        """An organisation name (or a '<demonym> government' from the ruler)."""
        if ent.ent_id_ == "government":
            iso3 = country_in(span, self.gaz)
            if iso3:
                self.add(span, self.government_actor(iso3), "ORG")
            return
        if span.root.lower_ in self.voc["place_heads"] and span.root.dep_ == "pobj":
            return
        while len(span) > 1 and (span[-1].is_lower or span[-1].lower_ in self.voc["titles"]):
            span = span[:-1]  # "Yonhap news agency", "State Department Spokesperson"
        while len(span) > 1 and span[0].whitespace_ and (
                span[0].is_lower or span[0].pos_ == "ADJ" and "-" in span[0].text):
            span = span[1:]  # "pro-Beijing New People Party"
        if self.add_dictionary(span):
            return
        iso3 = self.gaz.country(span.text)
        if iso3:
            self.gpe(span)
            return
        if span.text.isupper() and len(span) == 1 and len(span.text) > 4 and span[0].is_stop:
            return  # shouted words: "TOGETHER"
        if len(span) == 1:
            earlier = self.earlier_named(span[0])
            if earlier is not None:  # "Council" after "European Council"
                self.add(span, self.actors[earlier], "ALIAS")
                return
        span = self.with_state_modifier(span)
        if self.extended(span, "ORG") or not self.is_actor_name(span, "ORG"):
            return
        self.add(span, self.org_actor(span), "ORG")

    def is_actor_name(self, span: Span, label: str) -> bool:
        """Does this proposed name (NER PERSON or ORG, an alias) name an actor? The mention
        model decides (`mention_decisions.name_features`); without one, yes."""
        if any(self.taken[span.start:span.end]):
            return False
        text = span.text
        gaz = ("country" if self.gaz.country(text) else "capital" if self.gaz.capital(text)
               else "demonym" if self.gaz.demonym(text) else "place" if self.gaz.place(text)
               else "-")
        feats = name_features(span, label, gaz, self.text.count(text))
        self.decisions.append((span.start, span.end, feats))
        return self.model is None or self.model.p("yes", feats) >= NAME_THRESHOLD

    def extended(self, span: Span, label: str) -> bool:
        """Register the name with the common noun it modifies as one organisation mention
        ('Chinese army', 'Trump administration') when the mention model says the noun belongs
        to it (`mention_decisions.extension_features`); without a model, never."""
        if span.end >= len(self.doc):
            return False
        noun = self.doc[span.end]
        if (noun.pos_ != "NOUN" or not noun.is_lower or self.taken[noun.i]
                or span.root.head.i != noun.i
                or span.root.dep_ not in ("compound", "amod", "nmod")):
            return False
        n = noun.lemma_.lower()
        heads = {"org": n in self.voc["org_heads"] or noun.lower_ in self.voc["org_heads"],
                 "group": noun.lower_ in self.voc["group_words"],
                 "title": n in self.voc["titles"], "desc": n in self.voc["desc_heads"]}
        feats = extension_features(span, noun, label, heads)
        self.decisions.append((noun.i, noun.i + 1, feats))
        if self.model is None or self.model.p("yes", feats) < EXTENSION_THRESHOLD:
            return False
        whole = self.doc[span.start:noun.i + 1]
        return self.add(whole, self.org_actor(whole), "ORG") is not None

    def with_state_modifier(self, span: Span) -> Span:
        """'French' + 'Parliament' -> 'French Parliament': the NER leaves the demonym out."""
        start = span.start
        while start > 0 and self.doc[start - 1].ent_type_ in ("NORP", "GPE") and (
                self.doc[start - 1].head.i in range(span.start, span.end)) and not self.taken[
                start - 1] and self.doc[start - 1].dep_ in ("amod", "compound", "nmod"):
            start -= 1
        return self.doc[start:span.end]

    def org_actor(self, span: Span) -> Actor:
        """A non-curated organisation: sector from its head noun, country from its words."""
        head = span[-1].lower_
        sector, kind = self.voc["org_heads"].get(head, [None, "organization"])
        lowered = span.text.lower()
        if any(lowered.startswith(p) or f" {p}" in lowered for p in INTERNATIONAL):
            country = None
        else:
            country = country_in(span, self.gaz) or self.country
        return Actor(self.scoped_id(span, country), span.text, kind, sector, country)

    def scoped_id(self, span: Span, country: str | None) -> str:
        """Slug of a name; generic names ('Senate', 'soldiers') carry their country
        ('usa-senate'), or the registry would merge different countries' institutions."""
        slug = name_id(span.text)
        if not slug:
            return ""
        words = self.voc["generic"]
        if country and all(t.lower_ in words or t.is_punct for t in span):
            prefix = country.lower()
            return slug if slug.startswith(f"{prefix}-") else f"{prefix}-{slug}"
        return slug

    def gpe(self, span: Span) -> None:
        """A country name: a state actor unless it is a location or part of a title."""
        iso3 = self.gaz.country(span.text)
        if iso3 is None or any(self.taken[span.start:span.end]):
            return
        if self.extended(span, "GPE") or not self.is_state(span, "country"):
            return
        head = span.root.head
        following = self.doc[span.end] if span.end < len(self.doc) else None
        org_next = following is not None and following.ent_type_ == "ORG" and (
            following.ent_iob_ == "B")
        if org_next and head.ent_type_ == "ORG" and head.i >= span.end:
            return  # "US State Department": the organisation's name absorbs the country
        if span.root.dep_ in ("compound", "amod", "nmod") and head.lower_ in self.voc[
                "group_words"]:
            self.add(span, self.government_actor(iso3), "GPE")
            return
        if span.root.dep_ == "conj" and head.ent_type_ == "NORP" and head.head.lower_ in self.voc[
                "group_words"]:
            self.add(span, self.government_actor(iso3), "GPE")
            return
        self.add(span, self.country_actor(iso3), "GPE")

    def capital(self, span: Span) -> None:
        """A capital standing for its state ('Ankara is threatening retaliation'): the country
        actor; only the learned decision admits one (the rules never did)."""
        iso3 = self.gaz.capital(span.text)
        if iso3 is not None and self.is_state(span, "capital"):
            self.add(span, self.country_actor(iso3), "GPE")

    def is_state(self, span: Span, kind: str, refused: bool | None = None) -> bool:
        """Does this country name, capital or demonym stand for the state acting? The mention
        model decides (`mention_decisions`); without one, the rule: a country name unless it
        reads as a place, never a capital, a demonym only before 'officials' and the like
        (`refused`: the rule's answer for demonyms)."""
        if any(self.taken[span.start:span.end]):
            return False
        place = is_location_use(span) if refused is None else refused
        feats = state_features(span, kind, place)
        self.decisions.append((span.start, span.end, feats))
        if self.model is None:
            return kind != "capital" and not place
        return self.model.p("yes", feats) >= STATE_THRESHOLD

    def add_dictionary(self, span: Span) -> bool:
        """Add the span as a mention of a curated actor if it is one of its aliases."""
        entry = self.voc["by_alias"].get(span.text)
        actor = self.from_dictionary(entry["id"]) if entry is not None else None
        if actor is None:
            return False
        self.add(span, actor, "DICT")
        return True

    def norp(self, span: Span, ent: Span) -> None:
        """A nationality adjective standing for its state ('Qatari officials')."""
        if self.add_dictionary(span) or self.extended(span, "NORP"):
            return
        iso3 = self.gaz.demonym(span.text)
        plural = span.root.tag_ in ("NNS", "NNPS") or (
            span.text.endswith("s") and self.gaz.demonym(span.text[:-1]) is not None)
        if plural and span.root.dep_ not in ("amod", "compound"):
            # a plural people noun names a group: "Afghans", "Muslims"
            iso3 = iso3 or self.gaz.demonym(span.text[:-1])
            self.add(span, Actor(name_id(span.text), span.text, "group", None, iso3), "NORP")
            return
        root = governor(span)  # "US and Qatari officials": the first conjunct carries the head
        head = root.head
        official = root.dep_ in ("amod", "compound", "nmod") and head.lower_ in {
            "officials", "authorities", "government", "administration", "diplomats",
            "negotiators", "delegation", "ministers"}
        if iso3 and self.is_state(span, "demonym", not official):
            self.add(span, self.government_actor(iso3), "NORP")

    def acronyms(self) -> None:
        """All-capital proper nouns the NER skipped ('ODESC', 'FIFA', 'DAB') are organisations:
        news writes organisation acronyms in capitals; words shouted in capitals are not PROPN."""
        for tok in self.tokens:
            text = tok.text
            if self.taken[tok.i] or tok.pos_ != "PROPN" or not (text.isupper() and text.isalpha()
                                                                 and 3 <= len(text) <= 6):
                continue
            if tok.ent_type_ not in ("", "ORG") or text.lower() in self.voc["nonactors"] or (
                    text.lower() in self.voc["titles"]):
                continue
            if self.gaz.country(text) or self.gaz.demonym(text):
                continue
            span = self.doc[tok.i:tok.i + 1]
            if self.is_actor_name(span, "ORG"):
                self.add(span, self.org_actor(span), "ORG")

    def people_nouns(self) -> None:
        """Plural nationality nouns the NER skipped ('Greeks', 'Afghans') name groups."""
        for tok in self.tokens:
            if self.taken[tok.i] or not tok.is_title or not tok.text.endswith("s"):
                continue
            iso3 = self.gaz.demonym(tok.text[:-1])
            if iso3 and tok.dep_ not in ("amod", "compound"):
                self.add(self.doc[tok.i:tok.i + 1],
                         Actor(name_id(tok.text), tok.text, "group", None, iso3), "NORP")

    def government_phrases(self) -> None:
        """'Goa's government', 'Morrison government', 'Seoul government': one GOV mention.

        Runs before the named pass so the NER's reading of the modifier ('Goa' as PERSON) does not
        win. Country modifiers are left to the ruler ('Afghan government').
        """
        for tok in self.tokens:
            if tok.lower_ not in ("government", "administration") or self.taken[tok.i]:
                continue
            mods = [c for c in tok.children if c.dep_ in ("poss", "compound") and c.i < tok.i
                    and c.pos_ == "PROPN" and c.is_title]
            if not mods or tok.ent_type_ == "ORG":
                continue
            mod = mods[0]
            name = self.doc[mod.left_edge.i:mod.i + 1]
            iso3 = self.gaz.country(name.text) or self.gaz.demonym(name.text)
            span = self.doc[name.start:tok.i + 1]
            if iso3:
                actor = self.government_actor(iso3)
            else:
                actor = Actor(f"{name_id(name.text)}-government", span.text, "organization",
                              "GOV", self.gaz.place(name.text) or self.country)
            self.add(span, actor, "DESC")

    def descriptive(self) -> None:
        """Descriptive noun phrases ('the government', 'security officials', 'police'): the
        mention model decides (`mention_decisions`), else the filters of `desc_rule`."""
        heads = self.voc["desc_heads"]
        for tok in self.tokens:
            nominal = tok.pos_ in ("NOUN", "PROPN") or tok.lower_ in self.voc[
                "perpetrator_heads"] and any(c.dep_ == "det" for c in tok.children)
            if self.taken[tok.i] or not nominal or tok.ent_type_ in (
                    "PERSON", "ORG", "GPE", "NORP", "DATE", "TITLE"):
                continue
            key = tok.lower_ if tok.lower_ in heads else tok.lemma_.lower()
            if key not in heads and key not in self.heads:
                continue
            if any(self.taken[c.i] for c in tok.children if c.dep_ in (
                    "compound", "amod", "nmod", "poss")):
                continue  # "Afghan government officials": the name already names the actor
            rule = self.desc_rule(tok, key)
            inner = [c for c in tok.children if c.dep_ == "compound" and c.i == tok.i - 1 and (
                c.lower_ in heads)]
            if inner and key in ("officials", "members", "leaders"):
                tok, key = inner[0], inner[0].lower_  # "administration officials"
            earlier = self.earlier_named(tok)
            rule = rule or self.short_form_rule(tok, key, earlier)
            feats = description_features(tok, key, key in heads, rule, earlier is not None)
            self.decisions.append((tok.i, tok.i + 1, feats))
            keep = rule is None if self.model is None else self.model.p("yes", feats) >= 0.5
            if not keep:
                continue
            span = self.desc_span(tok)
            if earlier is not None:
                self.add(span, self.actors[earlier], "DESC")
            else:
                self.add(span, self.desc_actor(span, tok, key), "DESC")

    def desc_rule(self, tok: Token, key: str) -> str | None:
        """Which hand-written filter refuses this descriptive head (None: none does)."""
        if key not in self.voc["desc_heads"]:
            return "unlisted"  # a head only the annotations suggest
        if tok.dep_ == "compound":
            return "compound"
        if not self.desc_allowed(tok, key):
            return "generic"
        if tok.dep_ == "pobj" and tok.head.lower_ in ("in", "at", "into"):
            return "place"  # "appeared in court"
        return None

    def short_form_rule(self, tok: Token, key: str, earlier: str | None) -> str | None:
        """Heads that name an actor only as the short form of an earlier named one."""
        if earlier is not None:
            return None
        if key in self.voc["coref_only"]:
            return "coref-only"  # 'the council' without a named council before it
        if key in ("party", "state") and tok.dep_ != "ROOT" and not any(
                c.lower_ == "the" for c in tok.children):
            return "bare"
        return None

    def casualties(self) -> None:
        """Unnamed people an attack kills or wounds ('killing seven riders', 'attacked a group of
        middle-aged men'): one `group` actor (CVL) per article, the victims. Only counted plural
        person nouns (or a 'group of' such nouns) as object of an ASSAULT verb, so that 'people'
        in general stays out. The mention is the noun without its number ('riders'), or the
        whole 'group of ...' phrase."""
        lex = load_json("plover_lexicon.json")
        nouns = frozenset(lex["casualty_nouns"])
        for tok in self.tokens:
            if tok.dep_ not in ("dobj", "nsubjpass"):
                continue
            verb = tok.head
            if verb.pos_ != "VERB" or lex["verbs"].get(
                    verb.lemma_.lower(), {}).get("type") != "ASSAULT":
                continue
            span = None
            if tok.lower_ in nouns and any(
                    c.dep_ == "nummod" or c.lower_ in ("several", "many", "dozens", "hundreds")
                    for c in tok.children):
                span = self.doc[tok.i:tok.i + 1]
            elif tok.lower_ in lex["casualty_groups"]:
                for prep in tok.children:
                    if prep.dep_ == "prep" and prep.lower_ == "of":
                        pobj = [p for p in prep.children if p.dep_ == "pobj" and p.lower_ in nouns]
                        if pobj:
                            span = self.doc[tok.i:pobj[0].i + 1]
            if span is None:
                continue
            actor_id = f"{self.country.lower()}-victims" if self.country else "victims"
            self.add(span, Actor(actor_id, "victims", "group", "CVL", self.country), "DESC")

    def nation_people(self) -> None:
        """The population of the article's state as a `group` actor (CVL): 'the nation's
        people' (mention 'people'), 'the people of his country' (the whole phrase)."""
        if self.country is None:
            return
        nation = ("nation", "country")
        for tok in self.tokens:
            if tok.lower_ != "people" or self.taken[tok.i]:
                continue
            span = None
            if any(c.dep_ == "poss" and c.lower_ in nation for c in tok.children):
                span = self.doc[tok.i:tok.i + 1]
            for prep in tok.children:
                if prep.dep_ == "prep" and prep.lower_ == "of":
                    pobj = [p for p in prep.children if p.dep_ == "pobj" and p.lower_ in nation]
                    if pobj:
                        span = self.doc[tok.i:pobj[0].i + 1]
            if span is not None:
                actor_id = f"{self.country.lower()}-people"
                self.add(span, Actor(actor_id, "people", "group", "CVL", self.country), "DESC")

    def desc_allowed(self, tok: Token, key: str) -> bool:
        """Filter generic readings: 'the state of Goa', 'is not a state', 'a party'."""
        if key == "state":
            det = [c.lower_ for c in tok.children if c.dep_ == "det"]
            has_of = any(c.dep_ == "prep" and c.lower_ == "of" for c in tok.children)
            return det == ["the"] and not has_of and tok.dep_ not in ("attr", "pobj")
        indefinite = any(c.dep_ == "det" and c.lower_ in ("a", "an", "any") for c in tok.children)
        return not (key in ("party", "leaders") and indefinite)

    def earlier_named(self, tok: Token) -> str | None:
        """'the party', 'the council', 'the university': the latest named org with that head."""
        if tok.lower_ not in ("party", "council", "court", "university", "senate", "parliament",
                              "assembly", "committee", "commission", "company", "agency"):
            return None
        best = None
        for m in self.mentions:
            actor = self.actors[m.actor_id]
            if m.start >= tok.i or actor.kind != "organization":
                continue
            same_head = actor.name.lower().split()[-1:] == [tok.lower_]
            party = tok.lower_ == "party" and actor.sector == "PTY"
            if (same_head or party) and (best is None or m.start > best.start):
                best = m
        return best.actor_id if best is not None else None

    def desc_span(self, tok: Token) -> Span:
        """The head noun with its contiguous descriptive modifiers ('counter terror police')."""
        start = tok.i
        mods = self.voc["desc_modifiers"]
        while start > 0:
            prev = self.doc[start - 1]
            attached = prev.dep_ in ("compound", "amod") and prev.head.i in range(start, tok.i + 1)
            if not attached or self.taken[prev.i]:
                break
            group_norp = prev.ent_type_ == "NORP" and not self.gaz.demonym(prev.text)
            rule = prev.lower_ in mods or group_norp  # "counter terror police", "European leaders"
            feats = modifier_features(prev, tok, rule)
            self.decisions.append((prev.i, prev.i + 1, feats))
            keep = rule if self.model is None else self.model.p("yes", feats) >= 0.5
            if not keep:
                break
            start -= 1
        return self.doc[start:tok.i + 1]

    def desc_actor(self, span: Span, tok: Token, key: str) -> Actor:
        """Actor of a descriptive phrase: governments resolve to the article's country."""
        sector, kind = self.voc["desc_heads"].get(key) or self.heads[key]
        if key in ("government", "authorities", "administration", "state", "officials") and (
                self.country and len(span) == 1):
            return self.government_actor(self.country)
        if key in self.voc["perpetrator_heads"] and any(
                c.lower_ == "the" for c in tok.children):
            main = self.main_person()
            if main is not None:
                return self.actors[main]  # "the accused", "the attacker": the story's suspect
        lowered = span.text.lower()
        international = any(t.lower_ == "foreign" for t in span) or any(
            lowered.startswith(p) or f" {p}" in lowered for p in INTERNATIONAL)
        country = None if international else self.country  # "European leaders": no state
        return Actor(self.scoped_id(span, country), span.text, kind, sector, country)

    def main_person(self) -> str | None:
        """The most mentioned person so far (ties: first mentioned)."""
        counts: dict[str, int] = {}
        first: dict[str, int] = {}
        for m in self.mentions:
            if self.actors[m.actor_id].kind == "person":
                counts[m.actor_id] = counts.get(m.actor_id, 0) + 1
                first.setdefault(m.actor_id, m.start)
        if not counts:
            return None
        return sorted(counts, key=lambda a: (-counts[a], first[a]))[0]

    def finish(self) -> ActorResult:
        """Canonical names and the token -> mention index."""
        for actor in self.actors.values():
            if actor.actor_id not in self.voc["by_id"] and actor.kind in ("person", "organization"
                                                                          ) and actor.forms:
                longest = sorted(actor.forms, key=lambda f: (-len(f), f))[0]
                if actor.name != longest and len(longest) > len(actor.name):
                    actor.name = longest
        for actor in self.actors.values():
            if actor.affiliation_id not in self.actors:
                actor.affiliation_id = None  # the registry needs the affiliation in the article
        learned = learned_attributes(self, self.sector_model, self.country_model)
        token_mention = {i: m for m in self.mentions for i in range(m.start, m.end)}
        self.mentions.sort(key=lambda m: (m.start, m.end))
        starts = sentence_starts(self.doc)
        return ActorResult(self.actors, self.mentions, token_mention, self.country,
                           self.decisions, *learned, sentence_numbers(starts, len(self.doc)),
                           starts, _covers(self.tokens, token_mention))


def _covers(tokens: list[Token], token_mention: dict[int, Mention]) -> list[bool]:
    """Per token: does its subtree hold a mention? One walk up from each mention token, where
    asking `Token.subtree` per question walks down every time."""
    covers = [False] * len(tokens)
    for i in token_mention:
        tok = tokens[i]
        while not covers[tok.i]:
            covers[tok.i] = True
            if tok.head.i == tok.i:
                break
            tok = tok.head
    return covers


def _readable_tokens(tokens: list[Token], text: str, english: Passages) -> list[bool]:
    """Per token: does it lie inside an English passage (`newsfacts.build.extract.language`)?"""
    if not english.other:
        return [True] * len(tokens)
    inside = bytearray(len(text))
    for start, end in english.english:
        inside[start:end] = b"\x01" * (end - start)
    return [bool(inside[t.idx]) and bool(inside[t.idx + len(t.text) - 1]) if t.text.strip()
            else False for t in tokens]


def extract_actors(doc: Doc, english: Passages | None = None,
                   mention_model: LinearModel | None = None,
                   mention_heads: dict[str, tuple[str | None, str]] | None = None,
                   sector_model: LinearModel | None = None,
                   country_model: LinearModel | None = None,
                   text: str | None = None) -> ActorResult:
    """Actors and mentions of one parsed article, from its English passages only (`english`,
    computed from the text when not given); `mention_model` decides which state names and
    descriptions are actors (`mention_decisions`; the rules when None), `mention_heads` adds
    descriptive heads learned from the annotations (lemma -> sector, kind), `sector_model`
    and `country_model` the sector and country of actors the dictionary does not hold; `text`:
    `doc.text` when the caller has it."""
    builder = _Builder(doc, english, mention_model, mention_heads, sector_model, country_model,
                       text)
    builder.government_phrases()
    builder.named()
    builder.acronyms()
    builder.people_nouns()
    builder.short_forms()
    builder.repeated_forms()
    builder.descriptive()
    builder.casualties()
    builder.nation_people()
    builder.person_attributes()
    return builder.finish()
