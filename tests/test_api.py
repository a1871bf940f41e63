"""`newsfacts.api.extract`: in-memory articles in, the five tables and the rejects out."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from newsfacts.api import extract
from newsfacts.build.normalize import article_id_from_url
from newsfacts.load import read_table
from newsfacts.schema import TABLES


@pytest.fixture(scope="module")
def voa(shared_dir) -> list[dict]:
    """Three Voice of America stories (public domain) from ../shared/corpus."""
    path = shared_dir / "corpus" / "voa-2025" / "articles.jsonl"
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()[:3]]


def test_a_list_of_dicts_gives_five_tables_and_the_rejects(voa):
    records = [*voa[:2],
               {"url": "https://example.org/bad-date", "date": "1 March 2020", "title": "x",
                "text": "Officials met."},
               {"url": "https://example.org/no-text", "date": "2020-03-01", "title": "y"},
               {**voa[2], "date": voa[2]["date"] + "T10:00:00Z"}]
    tables = extract(records)
    assert set(tables) == {*TABLES, "rejects"}
    articles = tables["articles"]
    assert sorted(articles["article_id"]) == sorted(
        article_id_from_url(r["url"]) for r in (voa[0], voa[1], voa[2]))
    assert len(tables["mentions"]) and len(tables["actors"]) and len(tables["events"])
    rejects = tables["rejects"]
    assert list(rejects.columns) == ["source", "file", "record", "reason_code", "message"]
    assert list(zip(rejects["record"], rejects["reason_code"], strict=True)) == [
        (3, "bad-date"), (4, "missing-field")]
    assert set(articles["license"]) == {"NOASSERTION"} and set(articles["source"]) == {"records"}


def test_same_ids_texts_and_tables_as_a_build(voa, tmp_path):
    from newsfacts.build.pipeline import build

    folder = tmp_path / "voa"
    folder.mkdir()
    (folder / "source.json").write_text(json.dumps(
        {"name": "voa", "format": "jsonl", "license": "LicenseRef-PublicDomain-USGov"}))
    (folder / "a.jsonl").write_text("".join(json.dumps(r) + "\n" for r in voa[:2]))
    build([folder], tmp_path / "out")
    frame = pd.DataFrame(voa[:2]).assign(date=lambda d: pd.to_datetime(d["date"]))
    tables = extract(frame, source="voa", license="LicenseRef-PublicDomain-USGov", jobs=2)
    for t in TABLES:
        pd.testing.assert_frame_equal(tables[t], read_table(t, tmp_path / "out"))
    assert tables["rejects"].empty


def test_every_record_refused_gives_empty_typed_tables():
    tables = extract([{"url": "https://example.org/a", "date": "2020-02-30", "text": "x"},
                      ["not", "a", "dict"]])
    assert all(tables[t].empty for t in TABLES)
    assert list(tables["articles"].columns) == list(read_table("articles").columns)
    assert list(tables["rejects"]["reason_code"]) == ["impossible-date", "bad-json"]


def test_a_dataframe_needs_url_date_and_text():
    with pytest.raises(ValueError, match="missing date"):
        extract(pd.DataFrame({"url": ["u"], "text": ["t"]}))


def test_newsfacts_extract_is_the_in_memory_api_even_after_the_extractor_is_imported() -> None:
    import newsfacts
    import newsfacts.build.extract.events  # noqa: F401  (a subpackage must not shadow the name)

    assert callable(newsfacts.extract) and newsfacts.extract.__module__ == "newsfacts"
