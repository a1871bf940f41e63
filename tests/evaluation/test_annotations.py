"""Our annotations: stored without text, joined from the corpus by id and checked by hash;
drafts resolved to offsets; bad records refused naming file and record; agreement scored
gold against gold."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsfacts.evaluation.annotations import AnnotationError, join_text, locate, resolve_draft
from newsfacts.evaluation.evaluate import GoldFormatError, evaluate, load_gold

REPO = Path(__file__).resolve().parents[2]
VOA = REPO / "dataset" / "annotations" / "voa-2025"

TEXT = "Iraq’s army said the strike killed him. The army said it was a joint operation."
ARTICLE = {"text": TEXT, "published_date": "2025-03-14", "source": "voa-2025", "url": "u"}


def test_snippets_locate_spans_and_typographic_quotes_match() -> None:
    assert locate(TEXT, "army", "Iraq's army", "t") == (7, 11)  # ' matches ’
    with pytest.raises(AnnotationError, match="occurs 2 times"):
        locate(TEXT, "army", None, "t")
    with pytest.raises(AnnotationError, match="ctx"):
        locate(TEXT, "army", "said", "t")


def _draft(**over):
    draft = {
        "article_id": "0123456789abcdef",
        "actors": {"irq-mil": {"name": "Iraqi army", "kind": "organization", "sector": "MIL",
                               "country": "IRQ", "title": None, "affiliation": None}},
        "mentions": [{"text": "army", "ctx": "Iraq’s army", "actor": "irq-mil"}],
        "events": [{"id": "e1", "type": "ASSAULT", "mode": None, "modality": "asserted",
                    "trigger": "killed", "source": "irq-mil", "target": None,
                    "date": "2025-03-14", "date_precision": "day", "date_basis": "publication"}],
        "figures": [],
    }
    draft.update(over)
    return draft


def test_resolved_annotation_has_offsets_and_hash_but_no_text() -> None:
    doc = resolve_draft(_draft(), ARTICLE, "t1")
    assert "text" not in doc and len(doc["text_sha256"]) == 64
    (m,) = doc["mentions"]
    assert TEXT[m["start"]:m["end"]] == "army" == m["text"]
    (e,) = doc["events"]
    assert TEXT[e["trigger_start"]:e["trigger_end"]] == "killed"


@pytest.mark.parametrize("over, why", [
    ({"mentions": [{"text": "army", "start": 0, "end": 4, "actor": "irq-mil"}]}, "is 'Iraq'"),
    ({"mentions": [{"text": "army", "ctx": "Iraq’s army", "actor": "nobody"}]}, "not an actor"),
    ({"actors": {"Bad Key": {"name": "x", "kind": "person"}}, "mentions": [], "events": []},
     "lowercase slug"),
    ({"actors": {"a": {"name": "x", "kind": "person", "country": "Iraq"}}, "mentions": [],
      "events": []}, "alpha-3"),
])
def test_a_bad_record_is_refused_naming_it(over, why) -> None:
    with pytest.raises(AnnotationError, match=why) as err:
        resolve_draft(_draft(**over), ARTICLE)
    assert "0123456789abcdef" in str(err.value)


def test_an_event_type_outside_plover_is_refused() -> None:
    bad = _draft()
    bad["events"][0]["type"] = "MURDER"
    with pytest.raises(AnnotationError, match="event 0 .*MURDER"):
        resolve_draft(bad, ARTICLE)


def test_stored_annotations_join_their_text_and_a_changed_text_is_refused(shared_dir,
                                                                           tmp_path) -> None:
    golds = load_gold(VOA / "gold", corpus_root=shared_dir / "corpus")
    assert len(golds) >= 80 and all(g.text for g in golds)
    path = sorted((VOA / "gold").glob("*.json"))[0]
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert "text" not in doc
    doc["text_sha256"] = "0" * 64
    bad = tmp_path / path.name
    bad.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(AnnotationError, match="text_sha256 differs"):
        join_text(doc, shared_dir / "corpus", bad)
    with pytest.raises(GoldFormatError, match=path.name):
        load_gold(tmp_path, corpus_root=shared_dir / "corpus")


def test_agreement_is_scored_gold_against_gold(shared_dir) -> None:
    report = evaluate(VOA / "double" / "a", VOA / "double" / "b")
    assert report["n_articles"] >= 20
    assert 0.5 < report["events"]["type_trigger"]["f1"] < 1.0
    same = evaluate(VOA / "double" / "a", VOA / "double" / "a")
    assert same["events"]["arguments"]["f1"] == 1.0
    assert same["mentions"]["exact"]["f1"] == 1.0
