"""When, where and by whom: the date expression and the place of an event trigger (from
its sentence's entities and the parse), the place's country, and the actor that reports it."""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Span, Token

from newsfacts.build.extract.countries import gazetteer
from newsfacts.build.extract.event_arguments import RuleArguments
from newsfacts.build.extract.event_lexicon import lexicon
from newsfacts.build.extract.event_modality import governing_verb
from newsfacts.build.extract.event_triggers import Trigger

LOCATION_PREPS = tuple(lexicon()["location_preps"])
PLACE_LABELS = ("GPE", "LOC", "FAC")


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
    dates = [e for e in sent_ents if e.label_ in ("DATE", "TIME") and not bound_only(e)]
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


def bound_only(ent: Span) -> bool:
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
    anchor = {trigger.head.i, governing_verb(trigger.head).i}
    for ent in sent_ents:
        if ent.label_ not in PLACE_LABELS:
            continue
        root = ent.root
        if root.dep_ == "pobj" and root.head.lower_ in LOCATION_PREPS and (
                root.head.head.i in anchor or _attached_verb(ent).i in anchor
                or governing_verb(root.head.head).i in anchor):
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


def reported_by(trigger: Trigger, args: RuleArguments) -> str | None:
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
