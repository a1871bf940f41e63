"""Country gazetteer: names, short forms, demonyms, capitals and provinces -> ISO 3166-1 alpha-3.

Built once per process from countryinfo (names, alt spellings, demonyms, capitals, provinces) and
pycountry (official and common names), plus the vocabulary's small colloquial supplement ("US",
"Britain", "Saudi") that neither library carries. Lookups are exact (no fuzzy matching: pycountry's
fuzzy search maps "the United States" to the US Virgin Islands, NLP-NOTES).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import pycountry
from countryinfo import all_countries

from newsfacts.vocab import load_json

_ALPHA3 = re.compile(r"^[A-Z]{3}$")


@dataclass(frozen=True)
class Gazetteer:
    """Exact-match tables from surface form (case-sensitive) to ISO3."""

    names: dict[str, str]
    demonyms: dict[str, str]
    places: dict[str, str]
    display: dict[str, str]
    capitals: dict[str, str]

    def country(self, text: str) -> str | None:
        """ISO3 of a country name ("Afghanistan", "the United States", "US"), else None."""
        return self.names.get(_strip_the(text))

    def demonym(self, text: str) -> str | None:
        """ISO3 of a nationality adjective ("Afghan", "Qatari"), else None."""
        return self.demonyms.get(text)

    def place(self, text: str) -> str | None:
        """ISO3 of a country, capital or province name ("Kabul", "Texas"), else None."""
        text = _strip_the(text)
        return self.names.get(text) or self.places.get(text)

    def capital(self, text: str) -> str | None:
        """ISO3 of the state whose capital this is ("Ankara", "Washington"), else None."""
        return self.capitals.get(text)

    def name_of(self, iso3: str) -> str:
        """Display name of a country."""
        return self.display.get(iso3, iso3)


def _strip_the(text: str) -> str:
    """Drop a leading article: 'the United Kingdom' -> 'United Kingdom'."""
    return text[4:] if text.lower().startswith("the ") else text


def _add(table: dict[str, str], key: object, iso3: str | None) -> None:
    """First writer wins, so sovereign names registered first are not overwritten."""
    if isinstance(key, list):
        for item in key:
            _add(table, item, iso3)
        return
    if isinstance(key, str) and key and iso3 and _ALPHA3.match(iso3) and key not in table:
        table[key] = iso3


@cache
def gazetteer() -> Gazetteer:
    """The process-wide gazetteer (built in ~0.1 s)."""
    names: dict[str, str] = {}
    demonyms: dict[str, str] = {}
    places: dict[str, str] = {}
    display: dict[str, str] = {}
    capitals: dict[str, str] = {}
    vocab = load_json("actors.json")
    for form, iso3 in sorted(vocab["colloquial_capitals"].items()):
        _add(capitals, form, iso3)
    for form, iso3 in sorted(vocab["colloquial_countries"].items()):
        _add(names, form, iso3)
    for form, iso3 in sorted(vocab["colloquial_demonyms"].items()):
        _add(demonyms, form, iso3)
    # Most populous first: a place name shared by several countries ("Florida" is also a Puerto
    # Rican municipality) goes to the country where it is most likely meant.
    infos = sorted((c.info() for c in all_countries()),
                   key=lambda i: (-(i.get("population") or 0), i["name"]))
    for info in infos:
        iso3 = (info.get("ISO") or {}).get("alpha3")
        if not iso3:
            continue
        display.setdefault(iso3, info["name"])
        _add(names, info["name"], iso3)
        for alt in info.get("altSpellings") or []:
            # Two-letter codes ("IN", "TO") collide with words; alpha-3 codes only in capitals.
            if len(alt) > 3 or alt == iso3:
                _add(names, alt, iso3)
        _add(demonyms, info.get("demonym"), iso3)
        _add(places, info.get("capital"), iso3)
        _add(capitals, info.get("capital"), iso3)
        for province in info.get("provinces") or []:
            _add(places, province, iso3)
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_3):
        for attr in ("name", "common_name", "official_name"):
            _add(names, getattr(country, attr, None), country.alpha_3)
        display.setdefault(country.alpha_3, getattr(country, "common_name", country.name))
    return Gazetteer(names=names, demonyms=demonyms, places=places, display=display,
                     capitals=capitals)
