"""Learned mention decisions: is a state name the state acting, is a description an actor?

State names.
"China imposed tariffs", "talks with Beijing", "Washington's ally" name the state as an actor;
"in China", "flights to Beijing", "China's economy" only a place (FORMAT.md, actors and mentions).
The parse shows which: the name's grammatical role, the word that governs it, the preposition.
A hand-written reading of those cues (`actor_places.is_location_use`) came from 17 articles; here
the same cues are features of a binary model (`EventModel.mention`, "yes"/"no") fitted on every
annotated article by `newsfacts train`. Without a model the rule decides, as before.

Extensions. "Chinese army", "Trump administration" name another actor than "Chinese" and
"Trump"; "Chinese officials", "Taliban members" are mentions of China's government and the
Taliban (FORMAT.md: the shortest span that names the actor). The model decides from the noun.

Names. The NER's PERSON and ORG entities and the aliases found for them: most are actors, but
the NER also names places, vehicles, treaties and programmes; the model decides from the parse
and the words.

Descriptions. "militants", "the government", "rights groups" name actors; "leaders" in "world
leaders meet every year" or "passengers" on a train usually do not. Candidates are nouns whose
lemma is a descriptive head of the vocabulary or one the annotations show heading mentions
(`EventModel.mention_heads`, with the sector and kind most often annotated for it); the model
decides from the same kind of cues, including which hand-written filter would have refused it.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from newsfacts.build.extract.actor_places import governor

DESC = "description"


def state_features(span: Span, kind: str, location_rule: bool) -> list[str]:
    """Sparse features of a state-name candidate: `kind` (country name or capital), the rule's
    reading (`location_rule`: only a place), and the parse around the name."""
    root = governor(span)
    head = root.head
    dep = root.dep_
    hl = head.lemma_.lower()
    f = [f"kind={kind}", f"rule={'place' if location_rule else 'actor'}",
         f"kind_rule={kind}|{location_rule}", f"dep={dep}", f"kind_dep={kind}|{dep}",
         f"head={hl}", f"dep_head={dep}|{hl}", f"hpos={head.pos_}",
         f"hent={head.ent_type_ or '-'}", f"dep_hpos={dep}|{head.pos_}",
         f"name={span.text.lower()}", f"conj={span.root.dep_ == 'conj'}"]
    if dep == "pobj":
        gov = head.head
        f += [f"prep={head.lower_}", f"prep_gov={head.lower_}|{gov.lemma_.lower()}",
              f"prep_govpos={head.lower_}|{gov.pos_}"]
    if dep in ("nsubj", "nsubjpass", "agent"):
        f.append(f"subj_verb={hl}")
    if dep == "poss":
        f.append(f"poss={hl}")
    if dep in ("compound", "amod", "nmod"):
        f.append(f"mod_of={hl}")
    nxt = span.doc[span.end] if span.end < len(span.doc) else None
    prev = span.doc[span.start - 1] if span.start > 0 else None
    f.append(f"next={nxt.lower_ if nxt is not None else '<end>'}")
    f.append(f"prev={prev.lower_ if prev is not None else '<start>'}")
    if span.start == span.sent.start or (prev is not None and prev.lower_ == "the"
                                         and prev.i == span.sent.start):
        f.append("sent_start")
    if any(c.dep_ == "case" for c in span.root.children):
        f.append("has_case")
    return f


def description_features(tok: Token, key: str, in_vocab: bool, rule: str | None,
                         linked: bool) -> list[str]:
    """Sparse features of a descriptive head noun: its lemma (`key`), whether the vocabulary
    lists it, the filter that would refuse it (`rule`), whether it links to an earlier named
    organisation (`linked`), and its grammatical setting."""
    dets = sorted(c.lower_ for c in tok.children if c.dep_ in ("det", "poss"))
    mods = sorted(c.dep_ for c in tok.children if c.dep_ in ("amod", "compound", "nummod",
                                                               "prep", "relcl", "acl"))
    head = tok.head
    f = [f"kind={DESC}", f"lem={key}", f"vocab={in_vocab}", f"rule={rule or 'keep'}",
         f"linked={linked}", f"dep={tok.dep_}", f"lem_dep={key}|{tok.dep_}",
         f"head={head.lemma_.lower()}", f"tag={tok.tag_}", f"det={'+'.join(dets) or '-'}",
         f"lem_det={key}|{'+'.join(dets) or '-'}", f"title={tok.is_title}"]
    f += [f"mod={m}" for m in mods]
    if tok.dep_ == "pobj":
        f.append(f"prep={head.lower_}")
    if tok.dep_ in ("nsubj", "nsubjpass"):
        f.append(f"subj_verb={head.lemma_.lower()}")
    return f


def modifier_features(mod: Token, head: Token, rule: bool) -> list[str]:
    """Sparse features of extending a description over a premodifier ('rights' in 'rights
    groups', 'suicide' in 'suicide bombers', but not 'many' or 'local'): FORMAT.md wants the
    shortest span that still names the actor."""
    m, h = mod.lemma_.lower(), head.lemma_.lower()
    return ["kind=modifier", f"mrule={rule}", f"mlem={m}", f"mpos={mod.pos_}", f"mdep={mod.dep_}",
            f"ment={mod.ent_type_ or '-'}", f"mhead={h}", f"mpair={m}|{h}",
            f"mpos_head={mod.pos_}|{h}", f"mtitle={mod.is_title}", f"mgap={head.i - mod.i}"]


def extension_features(span: Span, noun: Token, label: str, heads: dict[str, bool]) -> list[str]:
    """Sparse features of extending a name over the common noun it modifies ('Chinese army',
    'Trump administration', 'U.S. leader', but 'Chinese officials' stays 'Chinese'): FORMAT.md
    keeps such a head only when the name alone does not already name the actor. `heads`: which
    vocabulary lists hold the noun."""
    n = noun.lemma_.lower()
    nxt = noun.doc[noun.i + 1] if noun.i + 1 < len(noun.doc) else None
    dets = sorted(c.lower_ for c in noun.children if c.dep_ in ("det", "poss"))
    f = ["kind=extension", f"xnoun={n}", f"xlabel={label}", f"xlabel_noun={label}|{n}",
         f"xdep={span.root.dep_}", f"xtag={noun.tag_}", f"xnoun_dep={noun.dep_}",
         f"xlen={min(len(span), 3)}", f"xnext={nxt.pos_ if nxt is not None else '<end>'}",
         f"xdet={'+'.join(dets) or '-'}"]
    f += [f"x{name}={inside}" for name, inside in sorted(heads.items())]
    return f


def name_features(span: Span, label: str, gazetteer: str, count: int) -> list[str]:
    """Sparse features of a name the NER or an alias pass proposes (`label`: PERSON, ORG,
    ALIAS): the parse around it and its words. The NER also names places ('Malawi' as PERSON,
    'Peshawar' as ORG), vehicles, treaties and programmes ('Jaffar Express', 'JCPOA');
    `gazetteer`: what the country gazetteer knows the text as, `count`: its occurrences."""
    root = governor(span)
    head = root.head
    dep = root.dep_
    hl = head.lemma_.lower()
    words = [t.lower_ for t in span]
    nxt = span.doc[span.end] if span.end < len(span.doc) else None
    prev = span.doc[span.start - 1] if span.start > 0 else None
    f = ["kind=name", f"nlabel={label}", f"nent={span.root.ent_type_ or '-'}", f"ndep={dep}",
         f"nlabel_dep={label}|{dep}", f"nhead={hl}", f"ndep_head={dep}|{hl}",
         f"nlast={words[-1]}", f"nlen={min(len(span), 4)}", f"ncaps={span.text.isupper()}",
         f"ngaz={gazetteer}", f"ncount={min(count, 3)}",
         f"nnext={nxt.lower_ if nxt is not None else '<end>'}",
         f"nprev={prev.lower_ if prev is not None else '<start>'}"]
    f += [f"nw={w}" for w in sorted(set(words))]
    if dep == "pobj":
        f += [f"nprep={head.lower_}", f"nprep_gov={head.lower_}|{head.head.lemma_.lower()}"]
    if dep in ("nsubj", "nsubjpass", "agent"):
        f.append(f"nsubj_verb={hl}")
    return f
