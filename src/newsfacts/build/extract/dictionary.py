"""The curated actor dictionary (`newsfacts/vocab/actors.json`), checked when it is loaded.

A malformed entry would otherwise write a bad id, country or sector into every build that
mentions it, so loading refuses the whole dictionary and names the entry (its position and id)
and the field. Checks: `id` is a slug (`[a-z0-9]+(-[a-z0-9]+)*`) and unique; `name` and every
alias are non-empty strings with a letter (a name of only punctuation or digits names no
actor); `kind` and `sector` are values of `schema/actors.json` (FORMAT.md section 3); `country`
is null or an ISO 3166-1 alpha-3 code known to pycountry (plus `XKX`, the user-assigned code
used for Kosovo); `wikidata_qid` is null or `Q<digits>`; `affiliation` is null, the id of
another entry, or `<iso3>-government` (the id the extractor gives a country's government).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from newsfacts.schema import fields

_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
_GOVERNMENT = re.compile(r"[a-z]{3}-government")
_QID = re.compile(r"Q[1-9][0-9]*")
_LETTER = re.compile(r"[^\W\d_]")
_EXTRA_ISO3 = frozenset({"XKX"})
_KEYS = ("id", "name", "aliases", "kind", "sector", "country", "wikidata_qid", "affiliation")


class ActorDictionaryError(ValueError):
    """A malformed entry of the actor dictionary."""


def _enum(name: str) -> frozenset[str]:
    field = next(f for f in fields("actors") if f["name"] == name)
    return frozenset(field["constraints"]["enum"])


@cache
def _iso3() -> frozenset[str]:
    import pycountry

    return frozenset(c.alpha_3 for c in pycountry.countries) | _EXTRA_ISO3


def _problems(entry: Any, ids: set[str]) -> list[str]:
    """What is wrong with one entry (empty when nothing)."""
    if not isinstance(entry, dict):
        return [f"expected an object, found {type(entry).__name__}"]
    out = [f"missing field {k!r}" for k in _KEYS if k not in entry]
    out += [f"unknown field {k!r}" for k in sorted(set(entry) - set(_KEYS))]
    if out:
        return out
    if not isinstance(entry["id"], str) or not _ID.fullmatch(entry["id"]):
        out.append(f"id {entry['id']!r} is not a lowercase slug [a-z0-9]+(-[a-z0-9]+)*")
    names = [entry["name"]] + (entry["aliases"] if isinstance(entry["aliases"], list) else [])
    if not isinstance(entry["aliases"], list) or not entry["aliases"]:
        out.append(f"aliases {entry['aliases']!r} is not a non-empty list")
    for name in names:
        if not isinstance(name, str) or not _LETTER.search(name) or name != name.strip():
            out.append(f"name or alias {name!r} has no letter or is not a trimmed string")
    if not isinstance(entry["kind"], str) or entry["kind"] not in _enum("kind"):
        out.append(f"kind {entry['kind']!r} is not one of {', '.join(sorted(_enum('kind')))}")
    if entry["sector"] is not None and (not isinstance(entry["sector"], str)
                                        or entry["sector"] not in _enum("sector")):
        out.append(f"sector {entry['sector']!r} is not one of the FORMAT.md sectors "
                   f"({', '.join(sorted(_enum('sector')))}) or null")
    if entry["country"] is not None and (not isinstance(entry["country"], str)
                                         or entry["country"] not in _iso3()):
        out.append(f"country {entry['country']!r} is not an ISO 3166-1 alpha-3 code or null")
    qid = entry["wikidata_qid"]
    if qid is not None and (not isinstance(qid, str) or not _QID.fullmatch(qid)):
        out.append(f"wikidata_qid {qid!r} is not Q<digits> or null")
    aff = entry["affiliation"]
    government = isinstance(aff, str) and _GOVERNMENT.fullmatch(aff) is not None and (
        aff[:3].upper() in _iso3())
    if aff is not None and not government and (
            not isinstance(aff, str) or aff not in ids or aff == entry["id"]):
        out.append(f"affiliation {aff!r} is not the id of another entry or <iso3>-government")
    return out


def validate_actors(data: Any) -> list[dict[str, Any]]:
    """The dictionary's entries, or `ActorDictionaryError` naming every malformed entry."""
    if not isinstance(data, dict) or not isinstance(data.get("actors"), list):
        raise ActorDictionaryError("actor dictionary: expected an object with a list 'actors'")
    entries = data["actors"]
    ids = {e["id"] for e in entries if isinstance(e, dict) and isinstance(e.get("id"), str)}
    errors, seen = [], set()
    for i, entry in enumerate(entries):
        label = f"entry {i}" + (f" ({entry.get('id')!r})" if isinstance(entry, dict) else "")
        problems = _problems(entry, ids)
        key = entry.get("id") if isinstance(entry, dict) else None
        if isinstance(key, str):
            if key in seen:
                problems.append("id repeats an earlier entry")
            seen.add(key)
        errors += [f"actor dictionary {label}: {p}" for p in problems]
    if errors:
        raise ActorDictionaryError("\n".join(errors))
    return entries
