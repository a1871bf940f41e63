"""The text-normalisation contract (gold/FORMAT.md section 1) and article ids."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsfacts.build.normalize import article_id_from_url, normalize_text, split_for


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a\r\nb\rc", "a\nb\nc"),
        ("x\u00a0\u00a0y\tz", "x y z"),
        ("zero\u200bwidth\ufeff", "zerowidth"),
        ("  lead and trail  \n  second  ", "lead and trail\nsecond"),
        ("p1\n\n\n\n\np2", "p1\n\np2"),
        ("Cafe\u0301", "Caf\u00e9"),
        ("Friday, January 4, 2019 \u00a0\n\n\nBody text.", "Body text."),
        ("Friday, January 4, 2019\nBody on the next line.",
         "Friday, January 4, 2019\nBody on the next line."),
        ("Not a dateline, January 4\n\nBody.", "Not a dateline, January 4\n\nBody."),
    ],
)
def test_normalisation_steps(raw, expected):
    assert normalize_text(raw) == expected


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_normalisation_is_idempotent(raw):
    once = normalize_text(raw)
    assert normalize_text(once) == once


def test_article_id_matches_every_gold_file(shared_dir):
    """Ids written independently in the gold files come out of the URL exactly as given."""
    checked = 0
    for path in sorted((shared_dir / "gold").glob("*/*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        if gold.get("url"):
            assert article_id_from_url(gold["url"]) == gold["article_id"], path.name
            checked += 1
    assert checked >= 150  # 16 dev Wikinews + 120 MEANTIME + 24 GUM
    url = "https://en.wikinews.org//wiki/X"
    assert article_id_from_url(url) != article_id_from_url(url.replace("//wiki", "/wiki"))


def test_split_is_deterministic_and_about_80_10_10():
    ids = [article_id_from_url(f"https://example.org/{i}") for i in range(5000)]
    splits = [split_for(i) for i in ids]
    assert splits == [split_for(i) for i in ids]
    share = {s: splits.count(s) / len(splits) for s in ("train", "validation", "test")}
    assert 0.77 < share["train"] < 0.83
    assert 0.08 < share["validation"] < 0.12 and 0.08 < share["test"] < 0.12


def test_built_text_equals_every_dev_gold_text(wikinews_build, shared_dir):
    """The contract that makes gold offsets meaningful: built text == gold text, per article."""
    from newsfacts.load import read_table

    articles = read_table("articles", wikinews_build).set_index("article_id")
    gold_files = sorted((shared_dir / "gold" / "dev").glob("*.json"))
    assert len(gold_files) == 17
    for path in gold_files:
        gold = json.loads(path.read_text(encoding="utf-8"))
        assert gold["article_id"] in articles.index, f"{path.name}: article not built"
        assert articles.loc[gold["article_id"], "text"] == gold["text"], path.name
        assert str(articles.loc[gold["article_id"], "published_date"]) == gold["published_date"]


@pytest.mark.parametrize("corpus", ["meantime", "gum"])
def test_external_gold_texts_match_reader_output(shared_dir, corpus):
    """The JSONL reader + normalisation reproduce the external gold texts too."""
    from newsfacts.build.sources import Article, Source, read_source

    built = {r.article_id: r.text for r in read_source(Source.open(shared_dir / "corpus" / corpus))
             if isinstance(r, Article)}
    for path in sorted((shared_dir / "gold" / corpus).glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        assert built[gold["article_id"]] == gold["text"], path.name
