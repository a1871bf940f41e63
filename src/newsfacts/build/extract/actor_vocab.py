"""The vocabularies the actor rules read (`vocab/actors.json`, `sectors.json`, `nonactors.json`),
loaded once and indexed for lookup."""

from __future__ import annotations

from functools import cache
from typing import Any

from newsfacts.build.extract.countries import gazetteer
from newsfacts.build.extract.dictionary import validate_actors
from newsfacts.vocab import load_json

_SECTORS = load_json("sectors.json")
LOCATION_PREPS = frozenset(_SECTORS["location_preps"])
INTERNATIONAL = tuple(_SECTORS["international_markers"])
STOP_INITIALS = frozenset(_SECTORS["initials_stopwords"])


@cache
def vocab() -> dict[str, Any]:
    """Vocabularies used here, indexed for lookup."""
    actors = validate_actors(load_json("actors.json"))
    sectors = load_json("sectors.json")
    nonactors = load_json("nonactors.json")
    by_alias: dict[str, dict[str, Any]] = {}
    for actor in actors:
        for alias in actor["aliases"]:
            by_alias.setdefault(alias, actor)
    return {
        "by_id": {a["id"]: a for a in actors},
        "by_alias": by_alias,
        "org_heads": sectors["org_heads"],
        "desc_heads": sectors["desc_heads"],
        "desc_modifiers": frozenset(sectors["desc_modifiers"]),
        "titles": sectors["titles"],
        "honorifics": frozenset(sectors["honorifics"]),
        "state_possessions": frozenset(sectors["state_possessions"]),
        "perpetrator_heads": frozenset(sectors["perpetrator_heads"]),
        "coref_only": frozenset(sectors["coref_only"]),
        "group_words": frozenset(sectors["group_words"]),
        "generic": frozenset(sectors["generic_words"]) | set(sectors["org_heads"])
        | set(sectors["desc_heads"]) | set(sectors["desc_modifiers"]),
        "nonactors": frozenset(nonactors["names"]),
        "place_heads": frozenset(nonactors["place_heads"]),
        "country_abbreviations": {
            form: gazetteer().name_of(iso3)
            for form, iso3 in load_json("actors.json")["colloquial_countries"].items()
            if form.replace(".", "").isupper() and len(form.replace(".", "")) <= 3},
    }
