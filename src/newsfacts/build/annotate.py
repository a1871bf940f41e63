"""The spaCy pipeline used for every article: en_core_web_sm plus a rule layer before the NER.

The rule layer (`newsfacts_actor_ruler`, an EntityRuler) fixes the sm model's measured errors
(NLP-NOTES): "Afghan government" read as NORP + noun, "Twitter" tagged PERSON, "US Secretary of
State" split into "US" + "State". Its patterns come from versioned vocabulary files plus patterns
generated from the country tables (demonym + "government", country + title), so no rule lives in
code. This module is imported by spaCy through the `spacy_factories` entry point whenever any
pipeline is loaded, so it must import cleanly and cheaply: heavy work happens inside the factory.
"""

from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.pipeline import EntityRuler

from newsfacts.build import DEFAULT_MODEL
from newsfacts.vocab import load_json, load_jsonl

RULER_NAME = "newsfacts_actor_ruler"
GOVERNMENT_WORDS = ("government", "administration", "authorities")


def _generated_patterns() -> list[dict[str, Any]]:
    """Phrase patterns built from the country tables: '<Demonym> government' (ORG) and
    '<Country|Demonym> <Title>' (TITLE). Phrase patterns, not token patterns: the EntityRuler
    matches them with a PhraseMatcher, which stays fast with thousands of entries (token patterns
    cost ~1.4 s per article at this size)."""
    from newsfacts.build.extract.countries import gazetteer

    gaz = gazetteer()
    titles = [" ".join(t["LOWER"] for t in p["pattern"]) for p in load_jsonl("ruler_patterns.jsonl")
              if p.get("label") == "TITLE" and isinstance(p.get("pattern"), list)]
    title_forms = sorted({form for t in titles for form in (t, _title_case(t))})
    patterns: list[dict[str, Any]] = []
    adjectives = sorted(set(gaz.demonyms) | {n for n in gaz.names if len(n) <= 4})
    for adj in adjectives:
        for word in GOVERNMENT_WORDS:
            patterns.append({"label": "ORG", "id": "government", "pattern": f"{adj} {word}"})
    names = sorted(n for n in set(gaz.names) | set(gaz.demonyms) if n.isascii())
    single = [n for n in names if " " not in n]
    for title in title_forms:  # one token pattern per title covers all one-word names
        words = [{"TEXT": w} for w in title.split()]
        patterns.append({"label": "TITLE", "id": "title",
                         "pattern": [{"TEXT": {"IN": single}}, *words]})
    for name in (n for n in names if " " in n):
        for title in title_forms:
            patterns.append({"label": "TITLE", "id": "title", "pattern": f"{name} {title}"})
    return patterns


def _title_case(phrase: str) -> str:
    """'secretary of state' -> 'Secretary of State'."""
    small = {"of", "the", "for", "and"}
    return " ".join(w if w in small else w.capitalize() for w in phrase.split())


def _dictionary_patterns() -> list[dict[str, Any]]:
    """Exact multi-word alias patterns of curated actors, labelled with their kind's NER label.

    One-word aliases ('BBC', 'Taliban') are left to the NER, which the actor dictionary then
    reads: as ruler patterns they would cut longer names short ('BBC News')."""
    label = {"person": "PERSON", "organization": "ORG", "group": "NORP", "country": "GPE"}
    patterns = []
    for actor in load_json("actors.json")["actors"]:
        for alias in actor["aliases"]:
            if " " not in alias:
                continue
            patterns.append({"label": label[actor["kind"]], "pattern": alias, "id": actor["id"]})
    return patterns


def ruler_patterns() -> list[dict[str, Any]]:
    """All patterns of the actor ruler, in a fixed order (file, dictionary, generated)."""
    static = [p for p in load_jsonl("ruler_patterns.jsonl") if "pattern" in p]
    return [*static, *_dictionary_patterns(), *_generated_patterns()]


@Language.factory(
    RULER_NAME,
    default_config={"overwrite_ents": True, "phrase_matcher_attr": None},
)
def make_actor_ruler(
    nlp: Language, name: str, overwrite_ents: bool, phrase_matcher_attr: str | None
) -> EntityRuler:
    """spaCy factory: an EntityRuler loaded with the newsfacts vocabulary patterns."""
    ruler = EntityRuler(nlp, name=name, overwrite_ents=overwrite_ents,
                        phrase_matcher_attr=phrase_matcher_attr)
    # Phrase patterns match on ORTH, so only the tokenizer is needed to compile them; without
    # this the EntityRuler runs every pipe of `nlp` over each pattern text (~40 s at load).
    with nlp.select_pipes(disable=nlp.pipe_names):
        ruler.add_patterns(ruler_patterns())
    return ruler


def load_pipeline(model: str = DEFAULT_MODEL) -> Language:
    """Load the spaCy model and insert the actor ruler before its NER. Every call loads it
    again (about 1.5 s); `build.engine.pipeline` keeps one per process."""
    import spacy

    nlp = spacy.load(model)
    if RULER_NAME not in nlp.pipe_names:
        nlp.add_pipe(RULER_NAME, before="ner" if "ner" in nlp.pipe_names else None)
    return nlp
