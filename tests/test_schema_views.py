"""One schema, three views: Arrow, pandera and HF Features all come from schema/*.json."""

import json

import pyarrow as pa
import pytest

from newsfacts import schema
from newsfacts.schema import TABLES

ARROW_OF = {"string": pa.string(), "integer": pa.int64(), "number": pa.float64(),
            "date": pa.date32(), "array": pa.list_(pa.string())}
HF_OF = {"string": "string", "integer": "int64", "number": "float64", "date": "date32"}


def test_every_table_has_exactly_one_schema_file():
    names = sorted(p.stem for p in schema.schema_dir().glob("*.json"))
    assert names == sorted(TABLES)


@pytest.mark.parametrize("table", TABLES)
def test_schema_is_a_valid_frictionless_table_schema(table):
    from frictionless import Schema

    s = Schema.from_descriptor(str(schema.schema_dir() / f"{table}.json"))
    assert s.primary_key == schema.primary_key(table)
    assert [f.name for f in s.fields] == schema.columns(table)
    for f in schema.fields(table):
        assert f.get("description"), f"{table}.{f['name']} has no description"


@pytest.mark.parametrize("table", TABLES)
def test_arrow_view_matches_schema(table):
    arrow = schema.arrow_schema(table)
    assert arrow.names == schema.columns(table)
    for f in schema.fields(table):
        assert arrow.field(f["name"]).type == ARROW_OF[f["type"]]
        assert arrow.field(f["name"]).nullable == (not schema.is_required(f))


@pytest.mark.parametrize("table", TABLES)
def test_hf_features_match_schema(table):
    from datasets import List, Value

    feats = schema.hf_features(table)
    assert list(feats) == schema.columns(table)
    for f in schema.fields(table):
        feat = feats[f["name"]]
        if f["type"] == "array":
            assert isinstance(feat, List) and feat.feature == Value("string")
        else:
            assert feat == Value(HF_OF[f["type"]])


@pytest.mark.parametrize("table", TABLES)
def test_pandera_view_matches_schema(table):
    ps = schema.pandera_schema(table)
    assert list(ps.columns) == schema.columns(table)
    for f in schema.fields(table):
        col = ps.columns[f["name"]]
        key = f["name"] in schema.primary_key(table)
        assert col.nullable == (not schema.is_required(f) and not key), f["name"]
        cons = f.get("constraints", {})
        check_names = {c.name for c in col.checks}
        if "enum" in cons:
            assert "isin" in check_names
        if "pattern" in cons:
            assert "str_matches" in check_names
        if "minimum" in cons:
            assert check_names & {"greater_than_or_equal_to", "in_range"}
    assert ps.strict is True


def test_foreign_keys_point_to_primary_keys_of_earlier_tables():
    for i, table in enumerate(TABLES):
        for column, ref_table, ref_column in schema.foreign_keys(table):
            assert column in schema.columns(table)
            assert ref_column in schema.primary_key(ref_table)
            assert ref_table in TABLES[: i + 1], f"{table}.{column} -> later table {ref_table}"


def test_datapackage_resources_embed_the_schema_files_unchanged():
    from newsfacts.project import require_project

    dp = json.loads((require_project() / "datapackage.json").read_text(encoding="utf-8"))
    assert [r["name"] for r in dp["resources"]] == list(TABLES)
    for res in dp["resources"]:
        s = schema.table_schema(res["name"])
        assert res["schema"]["fields"] == s["fields"]
        assert res["path"] == f"dataset/data/{res['name']}.csv"
        assert res["parquet"]["path"] == f"dataset/data/{res['name']}.parquet"
