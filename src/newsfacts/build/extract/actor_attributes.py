"""Learned actor attributes: the sector and the country of actors the dictionary does not hold.

The rules (`actors`) give a sector from head nouns and titles and a country from names, titles,
affiliations and, failing those, the article's main country. On the annotated articles that left
four sectors in ten and one country in four wrong: a news outlet or an analyst got no sector, a
foreign minister quoted in a story about another country got that country. Here the rules'
answers become features beside the words around the actor's mentions, and two small models
fitted by `newsfacts train` decide: a multiclass sector model, and a ranking of the candidate
countries (none, the rules', the article's main countries, the affiliation's, those named near
the actor's mentions). Without models the rules' answers stand.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from newsfacts.vocab import load_json

if TYPE_CHECKING:
    from newsfacts.build.extract.actors import Actor
    from newsfacts.build.extract.learned import LinearModel

NO_SECTOR = "NONE"
NO_COUNTRY = "NONE"


@dataclass(frozen=True)
class CountryOption:
    """One candidate country of an actor (None: no country) and the features of choosing it."""

    country: str | None
    features: tuple[str, ...]


def learned_attributes(builder: Any, sector_model: LinearModel | None,
                       country_model: LinearModel | None
                       ) -> tuple[dict[str, list[str]], dict[str, list[CountryOption]]]:
    """Sector features and country options of each non-curated actor of a finished `_Builder`;
    with models, their decisions replace the rules' sector and country. Everything is read
    before anything changes, so every feature saw the rules' answers."""
    context = mention_context(builder)
    sectors: dict[str, list[str]] = {}
    countries: dict[str, list[CountryOption]] = {}
    near = countries_near(builder)
    counts = country_counts(builder)
    for actor_id, actor in sorted(builder.actors.items()):
        if actor_id in builder.voc["by_id"] or actor.kind == "country":
            continue  # a curated actor's attributes are facts; a country has no sector
        aff = builder.actors.get(actor.affiliation_id or "")
        sectors[actor_id] = sector_features(
            actor.kind, actor.sector, [t.lower() for t in actor.name.split()], actor.title,
            aff.sector if aff is not None else None, sorted(context.get(actor_id, ())))
        countries[actor_id] = country_options(actor, aff, builder.country, near.get(actor_id, {}),
                                              counts, sectors[actor_id])
    if sector_model is not None:
        assign_sectors(builder.actors, sectors, sector_model)
    if country_model is not None:
        assign_countries(builder.actors, countries, country_model)
    return sectors, countries


def mention_context(builder: Any) -> dict[str, set[str]]:
    """Per actor: the words around its mentions (label, role, governing verb, premodifiers,
    apposition), as features."""
    doc = builder.doc
    context: dict[str, set[str]] = {}
    for m in builder.mentions:
        span = doc[m.start:m.end]
        ctx = context.setdefault(m.actor_id, set())
        ctx.add(f"lab={m.label}")
        root = span.root
        ctx.add(f"dep={root.dep_}")
        if root.dep_ in ("nsubj", "nsubjpass"):
            ctx.add(f"v={root.head.lemma_.lower()}")
        if root.dep_ == "pobj":
            ctx.add(f"pobj={root.head.lower_}|{root.head.head.lemma_.lower()}")
        for tok in doc[max(0, span.start - 3):span.start]:
            if tok.head.i in range(span.start, span.end) and tok.pos_ in ("NOUN", "PROPN", "ADJ"):
                ctx.add(f"pre={tok.lemma_.lower()}")
        appos = builder.appos(span)
        if appos is not None:
            for tok in appos:
                if tok.pos_ in ("NOUN", "PROPN", "ADJ") and not span.start <= tok.i < span.end:
                    ctx.add(f"ap={tok.lemma_.lower()}")
    return context


def sector_features(kind: str, rule_sector: str | None, name_words: list[str],
                    title: str | None, affiliation_sector: str | None,
                    context: list[str]) -> list[str]:
    """Sparse features of an actor's sector decision: what the rules said, the words of its
    name (not for persons: a name says little), its title, its affiliation's sector and the
    words around its mentions."""
    rule = rule_sector or NO_SECTOR
    f = [f"kind={kind}", f"rule={rule}", f"kind_rule={kind}|{rule}"]
    if kind != "person":
        f += [f"w={w}" for w in sorted(set(name_words))]
        if name_words:
            f.append(f"last={name_words[-1]}")
    if title:
        f.append(f"title={title.lower()}")
        f += [f"tw={w}" for w in sorted(set(title.lower().split()))]
    if affiliation_sector is not None:
        f.append(f"aff={affiliation_sector}")
    f += sorted(set(context))
    # The sector WordNet puts the words of the title, the name and the apposition under: what
    # a word the annotations never showed still says ('correspondent' -> MED).
    nouns = _sector_nouns()
    where = {"title": (title or "").lower().split(),
             "name": name_words if kind != "person" else [],
             "near": [c.split("=", 1)[1] for c in context if c.startswith(("ap=", "pre="))]}
    for source, words in where.items():
        hints = sorted({nouns[w] for w in words if w in nouns})
        f += [f"wns_{source}={h}" for h in hints] + [f"kind_wns={kind}|{h}" for h in hints]
    return f


@cache
def _sector_nouns() -> dict[str, str]:
    return load_json("sector_wordnet.json")["nouns"]


def assign_sectors(actors: dict[str, Actor], features: dict[str, list[str]],
                   model: LinearModel) -> None:
    """Set each actor's sector to the model's decision on its features."""
    for actor_id, feats in features.items():
        best = model.best(feats)[0]
        actors[actor_id].sector = None if best == NO_SECTOR else best


def _iso3(builder: Any, text: str) -> str | None:
    gaz = builder.gaz
    return gaz.country(text) or gaz.demonym(text) or gaz.place(text)


def country_counts(builder: Any) -> Counter:
    """How often the article names each country (its name, demonym, capital or province)."""
    counts: Counter = Counter()
    for ent in builder.doc.ents:
        if ent.label_ in ("GPE", "NORP", "LOC"):
            iso3 = _iso3(builder, ent.text)
            if iso3:
                counts[iso3] += 1
    return counts


def countries_near(builder: Any) -> dict[str, dict[str, set[str]]]:
    """Per actor: countries named in the sentences of its mentions, marked `adjacent` when
    within three tokens of a mention ('Pakistani Foreign Minister X', 'X of Kenya')."""
    doc = builder.doc
    ents = []
    for e in doc.ents:
        iso3 = _iso3(builder, e.text) if e.label_ in ("GPE", "NORP", "LOC") else None
        if iso3:
            ents.append((e, iso3))
    out: dict[str, dict[str, set[str]]] = {}
    for m in builder.mentions:
        sent = doc[m.start].sent
        here = out.setdefault(m.actor_id, {})
        for e, iso3 in ents:
            if sent.start <= e.start < sent.end:
                gap = e.start - m.end if e.start >= m.end else m.start - e.end
                here.setdefault(iso3, set()).add("adjacent" if gap <= 3 else "sentence")
    return out


_PRIORITY = ("none", "rule", "affiliation", "near_adjacent", "main", "near_sentence", "top3")
_DESCRIBING = ("w=", "last=", "title=", "tw=", "ap=", "pre=", "lab=", "kind=", "rule=")


def country_options(actor: Actor, aff: Actor | None, main: str | None,
                    near: dict[str, set[str]], counts: Counter,
                    describing: list[str]) -> list[CountryOption]:
    """The candidate countries of an actor, each with what proposes it; `None` always.
    `describing`: the actor's sector features, crossed with the option's strongest source so
    that 'an analyst' can learn to take no country and 'a minister' the named one."""
    words = [d for d in describing if d.startswith(_DESCRIBING)]
    sources: dict[str | None, set[str]] = {None: {"none"}}
    if actor.country:
        sources.setdefault(actor.country, set()).add("rule")
    if main:
        sources.setdefault(main, set()).add("main")
    for iso3, _ in counts.most_common(3):
        sources.setdefault(iso3, set()).add("top3")
    if aff is not None and aff.country:
        sources.setdefault(aff.country, set()).add("affiliation")
    for place, where in near.items():
        sources.setdefault(place, set()).update(f"near_{w}" for w in where)
    total = sum(counts.values()) or 1
    out = []
    for iso3 in sorted(sources, key=lambda c: (c is not None, c or "")):
        srcs = sorted(sources[iso3])
        share = counts.get(iso3, 0) / total if iso3 else 0.0
        f = [f"src={s}" for s in srcs] + [f"kind_src={actor.kind}|{s}" for s in srcs]
        f += [f"sec_src={actor.sector or NO_SECTOR}|{s}" for s in srcs]
        f += [f"srcs={'+'.join(srcs)}", f"share={min(int(share * 5), 4)}",
              f"n_src={min(len(srcs), 4)}"]
        if aff is not None:
            f.append(f"has_aff={aff.kind}")
        top = next(s for s in _PRIORITY if s in srcs)
        f += [f"{top}|{w}" for w in words]
        out.append(CountryOption(iso3, tuple(f)))
    return out


def assign_countries(actors: dict[str, Actor], options: dict[str, list[CountryOption]],
                     model: LinearModel) -> None:
    """Set each actor's country to its most probable option (ties: the first, i.e. none)."""
    for actor_id, opts in options.items():
        scored = [(model.p("yes", o.features), -i, o.country) for i, o in enumerate(opts)]
        actors[actor_id].country = max(scored)[2]
