"""MLCommons Croissant 1.1 metadata (`croissant.json`) for the Hugging Face folder.

One FileSet per table (`data/<table>/*.parquet`, relative to the JSON file, so the same file
works in the release folder and on the Hub) and one RecordSet per table whose fields, types,
key and references are derived from `schema/*.json`. `validate(path)` runs `mlcroissant`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from newsfacts.schema import TABLES, fields, foreign_keys, primary_key, table_schema

CONFORMS_TO = "http://mlcommons.org/croissant/1.1"
_DATA_TYPES = {"string": "sc:Text", "integer": "sc:Integer", "number": "sc:Float",
               "boolean": "sc:Boolean", "date": "sc:Date", "array": "sc:Text"}
_LICENSE_URLS = {"CC-BY-2.5": "https://creativecommons.org/licenses/by/2.5/",
                 "CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/"}
CONTEXT: dict[str, Any] = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "arrayShape": "cr:arrayShape",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "containedIn": "cr:containedIn",
    "cr": "http://mlcommons.org/croissant/",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/",
    "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileObject": "cr:fileObject",
    "fileProperty": "cr:fileProperty",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isArray": "cr:isArray",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "parentField": "cr:parentField",
    "path": "cr:path",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "samplingRate": "cr:samplingRate",
    "sc": "https://schema.org/",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
}


def _field(table: str, f: dict[str, Any], refs: dict[str, tuple[str, str]]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "@type": "cr:Field", "@id": f"{table}/{f['name']}", "name": f["name"],
        "description": f.get("description", ""), "dataType": _DATA_TYPES[f["type"]],
        "source": {"fileSet": {"@id": f"{table}-parquet"}, "extract": {"column": f["name"]}},
    }
    if f["type"] == "array":
        out.update(isArray=True, arrayShape="-1")
    if f["name"] in refs:
        ref_table, ref_col = refs[f["name"]]
        out["references"] = {"field": {"@id": f"{ref_table}/{ref_col}"}}
    return out


def metadata(*, version: str, repo_id: str, licenses: list[str], citation: str,
             date_published: str, sources: list[dict[str, Any]]) -> dict[str, Any]:
    """The Croissant JSON-LD document (a dict)."""
    urls = sorted({_LICENSE_URLS.get(lic, lic) for lic in licenses})
    distribution = [
        {"@type": "cr:FileSet", "@id": f"{t}-parquet", "name": f"{t}-parquet",
         "description": f"Parquet files of the {t} table, one per split.",
         "encodingFormat": "application/x-parquet", "includes": f"data/{t}/*.parquet"}
        for t in TABLES
    ]
    record_sets = []
    for t in TABLES:
        refs = {col: (ref, ref_col) for col, ref, ref_col in foreign_keys(t) if ref != t}
        key = [{"@id": f"{t}/{c}"} for c in primary_key(t)]
        record_sets.append({
            "@type": "cr:RecordSet", "@id": t, "name": t,
            "description": table_schema(t)["description"],
            "key": key[0] if len(key) == 1 else key,
            "field": [_field(t, f, refs) for f in fields(t)],
        })
    return {
        "@context": CONTEXT,
        "@type": "sc:Dataset",
        "conformsTo": CONFORMS_TO,
        "name": "newsfacts",
        "description": (
            "News articles turned into five linked tables (articles, actors, mentions, PLOVER "
            "events, figures); every mention, event and figure carries character offsets into "
            "articles.text. Splits (train/validation/test) follow articles.split."),
        "version": version,
        "datePublished": date_published,
        "url": f"https://huggingface.co/datasets/{repo_id}",
        "license": urls[0] if len(urls) == 1 else urls,
        "creator": {"@type": "sc:Organization", "name": "newsfacts maintainers"},
        "citeAs": citation,
        "isBasedOn": [
            {"@type": "sc:CreativeWork", "name": s["title"],
             **({"url": s["homepage"]} if s.get("homepage") else {}),
             **({"license": _LICENSE_URLS.get(s["license"], s["license"])}),
             **({"creditText": s["attribution"]} if s.get("attribution") else {})}
            for s in sources
        ],
        "keywords": ["news", "events", "PLOVER", "information extraction"],
        "inLanguage": "en",
        "distribution": distribution,
        "recordSet": record_sets,
    }


def validate(path: Path) -> None:
    """Load `path` with `mlcroissant` (raises `mlcroissant.ValidationError` on any error)."""
    import mlcroissant as mlc

    mlc.Dataset(jsonld=str(path))
