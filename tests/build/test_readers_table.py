"""Any column names (source.json `columns`), Parquet, timestamps and licences in source.json."""

from __future__ import annotations

import datetime as dt
import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from robust_helpers import collect, csv_bytes, jsonl_bytes, make_source, outcome

from newsfacts.build.normalize import article_id_from_url
from newsfacts.build.sources import Source, SourceError

BODY = "Officials met in Geneva on Tuesday to discuss the ceasefire."
MAP = {"url": "link", "date": "published", "title": "headline", "text": "body"}


def test_a_csv_with_its_own_column_names(tmp_path):
    rows = [["https://example.org/1", "2020-03-01T14:05:00+01:00", "One", BODY + " 1", "x"],
            ["https://example.org/2", "2020-03-01 23:30:00Z", "Two", BODY + " 2", "y"],
            ["https://example.org/3", "2020-03-01T23:30:00-05:00", "Three", BODY + " 3", ""],
            ["https://example.org/4", "2020-03-01T25:00:00Z", "Four", BODY + " 4", ""],
            ["https://example.org/5", "March 1, 2020", "Five", BODY + " 5", ""],
            ["", "2020-03-01", "Six", BODY + " 6", ""]]
    folder = make_source(tmp_path, "mine", "csv",
                         {"a.csv": csv_bytes(rows, header="link,published,headline,body,extra")},
                         columns=MAP)
    articles, summary = collect([folder])
    assert outcome(articles, summary) == {
        ("mine", "a.csv", 1): "accepted", ("mine", "a.csv", 2): "accepted",
        ("mine", "a.csv", 3): "accepted", ("mine", "a.csv", 4): "impossible-date",
        ("mine", "a.csv", 5): "bad-date", ("mine", "a.csv", 6): "missing-field"}
    first = min(articles, key=lambda a: a.record)
    assert (first.url, first.title, first.text) == ("https://example.org/1", "One", BODY + " 1")
    assert first.article_id == article_id_from_url("https://example.org/1")
    # A timestamp gives the day it is written with, in its own time zone.
    assert {str(a.published_date) for a in articles} == {"2020-03-01"}
    msgs = {r.record: r.message for r in summary.rejects}
    assert "'link' (url)" in msgs[6] and "ISO 8601" in msgs[5]


def test_a_header_without_the_mapped_columns_is_refused_by_name(tmp_path):
    folder = make_source(tmp_path, "mine", "csv",
                         {"a.csv": csv_bytes([["u", "2020-01-01", "t", "x"]])}, columns=MAP)
    _, summary = collect([folder])
    (r,) = summary.rejects
    assert r.reason_code == "bad-header" and "missing link, published, headline, body" in r.message


def test_no_title_column(tmp_path):
    folder = make_source(tmp_path, "mine", "csv",
                         {"a.csv": csv_bytes([["https://example.org/1", "2020-03-01", BODY]],
                                             header="url,date,text")}, columns={"title": None})
    (a,), _ = collect([folder])
    assert a.title is None and a.text == BODY


def test_jsonl_with_its_own_keys(tmp_path):
    objs = [{"link": "https://example.org/1", "published": "2020-03-01T10:00:00Z",
             "headline": "One", "body": BODY},
            {"url": "https://example.org/2", "date": "2020-03-01", "text": BODY + " 2"}]
    folder = make_source(tmp_path, "j", "jsonl", {"a.jsonl": jsonl_bytes(objs)}, columns=MAP)
    articles, summary = collect([folder])
    assert outcome(articles, summary) == {("j", "a.jsonl", 1): "accepted",
                                          ("j", "a.jsonl", 2): "missing-field"}
    assert "expected a non-empty string 'link'" in summary.rejects[0].message


def test_parquet_with_typed_dates_and_its_own_column_names(tmp_path):
    folder = make_source(tmp_path, "p", "parquet", {}, columns=MAP)
    zone = dt.timezone(dt.timedelta(hours=-5))
    table = pa.table({
        "link": ["https://example.org/1", "https://example.org/2", "https://example.org/3",
                 None],
        "published": [dt.datetime(2020, 3, 1, 23, 30, tzinfo=zone),
                      dt.datetime(2020, 3, 2, 8, 0, tzinfo=dt.UTC),
                      dt.datetime(2031, 1, 1, tzinfo=dt.UTC), dt.datetime(2020, 1, 1)],
        "headline": ["One", None, "Three", "Four"],
        "body": [BODY + " 1", BODY + " 2", BODY + " 3", BODY + " 4"],
    })
    pq.write_table(table, folder / "a.parquet", row_group_size=2)
    pq.write_table(pa.table({"link": ["u"]}), folder / "b.parquet")
    (folder / "c.parquet").write_bytes(b"PAR1 not really")
    articles, summary = collect([folder])
    assert outcome(articles, summary) == {
        ("p", "a.parquet", 1): "accepted", ("p", "a.parquet", 2): "accepted",
        ("p", "a.parquet", 3): "future-date", ("p", "a.parquet", 4): "missing-field",
        ("p", "b.parquet", 0): "bad-header", ("p", "c.parquet", 0): "unreadable"}
    dates = {a.url: str(a.published_date) for a in articles}
    # The column's time zone (UTC-5, from its first value) decides the day of each instant.
    assert table.schema.field("published").type.tz == "-05:00"
    assert dates == {"https://example.org/1": "2020-03-01", "https://example.org/2": "2020-03-02"}


def test_parquet_date_column(tmp_path):
    folder = make_source(tmp_path, "p", "parquet", {})
    pq.write_table(pa.table({"url": ["https://example.org/1"], "date": [dt.date(2020, 3, 1)],
                             "title": ["t"], "text": [BODY]}), folder / "a.parquet")
    (a,), _ = collect([folder])
    assert str(a.published_date) == "2020-03-01"


@pytest.mark.parametrize(("license", "stored"), [
    ("CC-BY-4.0", "CC-BY-4.0"), ("cc-by-2.5", "CC-BY-2.5"), ("CC0-1.0", "CC0-1.0"),
    ("LicenseRef-PublicDomain-USGov", "LicenseRef-PublicDomain-USGov"),
    ("NOASSERTION", "NOASSERTION")])
def test_licences_spdx_ids_and_licenseref(tmp_path, license, stored):
    folder = make_source(tmp_path, "l", "jsonl", {}, license=license)
    assert Source.open(folder).license == stored


@pytest.mark.parametrize("license", ["Public domain", "CC-BY", "MIT OR Apache-2.0",
                                     "LicenseRef-", "LicenseRef-has space"])
def test_licences_that_are_not_spdx_ids_are_refused(tmp_path, license):
    folder = make_source(tmp_path, "l", "jsonl", {}, license=license)
    with pytest.raises(SourceError, match="SPDX"):
        Source.open(folder)


@pytest.mark.parametrize("columns", [{"link": "url"}, {"url": ""}, {"text": None}, ["url"]])
def test_bad_columns_are_refused(tmp_path, columns):
    folder = make_source(tmp_path, "c", "csv", {}, columns=columns)
    with pytest.raises(SourceError, match="columns"):
        Source.open(folder)


def test_the_shared_sources_licences(shared_dir):
    licences = {p.name: Source.open(p).license for p in sorted((shared_dir / "corpus").iterdir())
                if (p / "source.json").is_file()}
    assert licences["voa-2025"] == "LicenseRef-PublicDomain-USGov"
    assert licences["seed"] == "NOASSERTION"
    meta = json.loads((shared_dir / "corpus" / "voa-2025" / "source.json").read_text())
    assert meta["attribution"]
