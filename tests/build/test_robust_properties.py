"""Property-based tests (hypothesis): normalisation is idempotent and keeps the gold texts;
readers never crash and never let through what the tables cannot hold; every offset the
pipeline produces slices `articles.text` to the stored text and every foreign key resolves.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from robust_helpers import REF, make_source

from newsfacts.build.assemble import ActorRegistry, article_rows
from newsfacts.build.normalize import normalize_text
from newsfacts.build.sources import REASONS, Article, ReadOptions, Reject, Source, read_source
from newsfacts.schema import TABLES, foreign_keys

# Pieces that exercise every normalisation step and the readers' edge cases.
_PIECES = [
    "e", "a", "A", "\u0301", "\u0308", "\u0958", "\u212b", "\u1100", "\u1161",  # NFC
    "\u200b", "\u200c", "\u200d", "\ufeff",  # zero-width
    " ", "  ", "\u00a0", "\u2003", "\u3000", "\t", "\u202f",  # space separators
    "\n", "\r", "\r\n", "\n\n\n", "\x85", "\u2028", "\x0c",  # line breaks
    "Friday, January 4, 2019", "Monday, March 15, 2021.", "\n\n",  # datelines
    "\u05e9\u05dc\u05d5\u05dd", "\u0645\u0631\u062d\u0628\u0627", "\u202b", "\u202c",  # RTL
    "\U0001F600", "\U0001F44D\U0001F3FD", "\U0001F468\u200d\U0001F469",  # emoji
    "\u4e2d\u6587", "\u0440\u0443\u0441", "Ελλάδα",  # scripts
    "Joe Biden", "Angela Merkel", "the Taliban", "Germany", "met", "will meet", "5,000", ".",
    ",", '"', "[...]", "((WN))", "12", "said", "the United Nations", "in Doha",
]
raw_texts = st.lists(st.sampled_from(_PIECES), max_size=60).map("".join) | st.text(max_size=80)


@settings(max_examples=400, deadline=None)
@given(raw_texts)
def test_normalisation_is_idempotent(raw):
    once = normalize_text(raw)
    assert normalize_text(once) == once
    assert once == once.strip() and "\r" not in once and "\n\n\n" not in once
    assert not any(c in once for c in "\u200b\u200c\u200d\ufeff\u00a0\t")


def test_normalisation_keeps_every_gold_text(shared_dir):
    """The contract: the build's text of every gold article equals the gold file's text."""
    corpora = {"dev": ["seed", "wikinews-2019-2020"], "meantime": ["meantime"], "gum": ["gum"]}
    for gold, corpus_names in corpora.items():
        texts = {}
        for name in corpus_names:
            src = Source.open(shared_dir / "corpus" / name)
            texts.update({r.article_id: r.text for r in read_source(src, ReadOptions(REF))
                          if isinstance(r, Article)})
        files = sorted((shared_dir / "gold" / gold).glob("*.json"))
        assert files, gold
        for path in files:
            doc = json.loads(path.read_text(encoding="utf-8"))
            assert texts[doc["article_id"]] == doc["text"], path.name


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.binary(max_size=300) | raw_texts.map(lambda t: t.encode("utf-8", "surrogatepass")),
       as_seed=st.booleans())
def test_readers_never_crash_and_accept_only_writable_text(tmp_path_factory, data, as_seed):
    """Any bytes: exactly one record per seed file / non-blank JSONL line, and an accepted
    text is non-empty, normalised, encodable as UTF-8 and free of control characters."""
    root = tmp_path_factory.mktemp("any")
    if as_seed:
        folder = make_source(root, "s", "seed-txt",
                             {"001_0000000000000001.txt": b" date 2020-01-01 " + data})
        expected = 1
    else:
        lines = data.split(b"\n")
        body = b"\n".join(json.dumps({"url": f"u{i}", "date": "2020-01-01",
                                      "text": line.decode("utf-8", "replace")}).encode()
                          if i % 2 else line for i, line in enumerate(lines))
        folder = make_source(root, "j", "jsonl", {"a.jsonl": body})
        if b"\x00" in body[:8192] or body.startswith((b"\xff\xfe", b"\xfe\xff")):
            expected = 1  # the whole file is refused as binary / UTF-16
        else:
            content = body.decode("utf-8", "surrogateescape").removeprefix("\ufeff")
            expected = sum(1 for line in content.split("\n") if line.strip())
    records = list(read_source(Source.open(folder), ReadOptions(REF)))
    assert len(records) == expected
    for r in records:
        if isinstance(r, Reject):
            assert r.reason_code in REASONS and r.message
        else:
            assert r.text and normalize_text(r.text) == r.text
            r.text.encode("utf-8")
            assert not any(ord(c) < 32 and c not in "\t\n\r\x0b\x0c" for c in r.text)


@pytest.fixture(scope="module")
def nlp():
    from _extract_helpers import pipeline  # loaded once per test process

    return pipeline()


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(raws=st.lists(raw_texts, min_size=1, max_size=3))
@example(raws=["Friday, January 4, 2019\n\nJoe\u00a0Biden will meet Angela Merkel in Berlin.\r\n"
               "\U0001F600 The United Nations\u200b said 5,000 people met in Doha.",
               "\u05e9\u05dc\u05d5\u05dd Germany and the Taliban met."])
def test_every_offset_slices_and_every_foreign_key_resolves(nlp, raws):
    """The real pipeline (spaCy + extractor + assemble) on nasty texts, in memory."""
    from newsfacts.build.extract import ArticleInfo, extract

    articles = []
    for i, raw in enumerate(raws):
        text = normalize_text(raw)
        if text:
            articles.append(Article(f"{i:016x}", "prop", None, None, dt.date(2020, 1, 1),
                                    "CC-BY-4.0", text, "a.jsonl", i + 1))
    assume(articles)
    tables: dict[str, list[dict]] = {t: [] for t in TABLES}
    registry = ActorRegistry()
    for a in articles:
        ex = extract(nlp(a.text), ArticleInfo(a.article_id, a.published_date.isoformat()))
        rows = article_rows(a, ex)
        registry.add(a, ex)
        for t in ("articles", "mentions", "events", "figures"):
            tables[t].extend(getattr(rows, t))
    tables["actors"] = registry.rows()
    texts = {r["article_id"]: r["text"] for r in tables["articles"]}
    for table, start, end, field in [("mentions", "start", "end", "text"),
                                     ("figures", "start", "end", "text"),
                                     ("events", "trigger_start", "trigger_end", "trigger"),
                                     ("events", "date_start", "date_end", "date_text")]:
        for row in tables[table]:
            if row[start] is None:
                continue
            text = texts[row["article_id"]]
            assert 0 <= row[start] < row[end] <= len(text)
            assert text[row[start]:row[end]] == row[field], (table, row)
    for table in TABLES:
        for column, ref_table, ref_column in foreign_keys(table):
            known = {r[ref_column] for r in tables[ref_table]}
            for row in tables[table]:
                assert row[column] is None or row[column] in known, (table, column, row)


def test_reference_date_default(monkeypatch):
    from newsfacts.build.sources import default_reference_date

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1577836800")  # 2020-01-01T00:00:00Z
    assert default_reference_date() == dt.date(2020, 1, 1)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1577872800")  # 10:00Z: already Jan 2 in UTC+14
    assert default_reference_date() == dt.date(2020, 1, 2)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert default_reference_date() >= dt.datetime.now(dt.UTC).date()
    assert ReadOptions().reference_date == default_reference_date()


def test_source_folder_errors_are_clear(tmp_path):
    from newsfacts.build.sources import SourceError

    with pytest.raises(SourceError, match="missing; a source folder needs a source.json"):
        Source.open(tmp_path)
    (tmp_path / "source.json").write_bytes(b"\xff")
    with pytest.raises(SourceError, match="not valid UTF-8 JSON"):
        Source.open(tmp_path)
    (tmp_path / "source.json").write_text('["a"]', encoding="utf-8")
    with pytest.raises(SourceError, match="expected a JSON object, found list"):
        Source.open(tmp_path)
    with pytest.raises(SourceError, match="not a folder"):
        Source.open(tmp_path / "nope")
