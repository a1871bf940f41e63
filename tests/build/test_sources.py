"""Source readers: each format, and a reject for every unreadable record."""

import json

import pytest

from newsfacts.build.normalize import article_id_from_url
from newsfacts.build.sources import Article, Reject, Source, SourceError, read_source


def make_source(tmp_path, fmt, files, name="test", license="CC-BY-4.0"):
    (tmp_path / "source.json").write_text(json.dumps(
        {"name": name, "title": "Test", "format": fmt, "license": license}))
    for fname, content in files.items():
        (tmp_path / fname).write_bytes(content if isinstance(content, bytes) else content.encode())
    return Source.open(tmp_path)


def test_seed_format(tmp_path):
    src = make_source(tmp_path, "seed-txt", {
        "000_0123456789abcdef.txt": " date 2020-03-25 Body  text.\r\n\r\n\r\nMore.",
        "001_bad.txt": " date 2020-03-25 x",
        "002_fedcba9876543210.txt": "no header here",
    })
    recs = list(read_source(src))
    ok = [r for r in recs if isinstance(r, Article)]
    assert [(a.article_id, str(a.published_date), a.text) for a in ok] == [
        ("0123456789abcdef", "2020-03-25", "Body text.\n\nMore.")]
    assert sorted((r.file, r.reason_code) for r in recs if isinstance(r, Reject)) == [
        ("001_bad.txt", "bad-file-name"), ("002_fedcba9876543210.txt", "missing-date")]


def test_wikinews_csv_format(tmp_path):
    csv_text = ('url,date,title,text\n'
                '"https://x.org/a",2019-01-04,"A",'
                '"Friday, January 4, 2019 \u00a0\n\n\nBody, with comma."\n'
                '"https://x.org/b",2020-02-30,"B","Impossible date"\n'
                '"https://x.org/c",2020-01-01,"C","   "\n')
    recs = list(read_source(make_source(tmp_path, "wikinews-csv", {"w.csv": csv_text})))
    assert isinstance(recs[0], Article)
    assert recs[0].article_id == article_id_from_url("https://x.org/a")
    assert recs[0].text == "Body, with comma." and recs[0].title == "A" and recs[0].record == 1
    assert [(r.record, r.reason_code) for r in recs[1:]] == [(2, "impossible-date"),
                                                             (3, "empty-text")]
    assert "2020-02-30" in recs[1].message


def test_jsonl_format(tmp_path):
    lines = [json.dumps({"url": "u1", "title": "T", "date": "2008-03-01", "text": "Hello."}),
             "{not json", json.dumps({"title": "no url", "date": "2008-03-01", "text": "x"})]
    recs = list(read_source(make_source(tmp_path, "jsonl", {"a.jsonl": "\n".join(lines)})))
    assert isinstance(recs[0], Article) and recs[0].article_id == article_id_from_url("u1")
    assert [(r.record, r.reason_code) for r in recs[1:]] == [(2, "bad-json"), (3, "missing-field")]


def test_non_utf8_file_is_refused_not_guessed(tmp_path):
    content = {"000_0123456789abcdef.txt": b" date 2020-01-01 caf\xe9"}
    src = make_source(tmp_path, "seed-txt", content)
    (rec,) = read_source(src)
    assert isinstance(rec, Reject) and rec.reason_code == "not-utf8"


@pytest.mark.parametrize("meta", [{}, {"name": "x", "format": "xml", "license": "MIT"},
                                  {"name": "Bad Name", "format": "jsonl", "license": "MIT"}])
def test_bad_source_json_names_the_file_and_field(tmp_path, meta):
    (tmp_path / "source.json").write_text(json.dumps(meta))
    with pytest.raises(SourceError, match="source.json"):
        Source.open(tmp_path)


def test_shared_corpora_are_read_in_full(shared_dir):
    counts = {}
    for name in ("seed", "wikinews-2019-2020", "meantime", "gum"):
        recs = list(read_source(Source.open(shared_dir / "corpus" / name)))
        counts[name] = (sum(isinstance(r, Article) for r in recs),
                        sum(isinstance(r, Reject) for r in recs))
    # Wikinews: two "TEST PAGE" rows (one with an empty text) are refused, not dropped.
    assert counts == {"seed": (1, 0), "wikinews-2019-2020": (293, 2), "meantime": (120, 0),
                      "gum": (24, 0)}
