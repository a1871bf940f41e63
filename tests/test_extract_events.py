"""Events on short sentences: type, arguments, modality, reporter, location, date."""

from __future__ import annotations

import pytest

pytest.importorskip("spacy")

from _extract_helpers import run  # noqa: E402


def only(ex, trigger: str) -> list[dict]:
    """Events with a given trigger text."""
    return [e for e in ex.events if e["trigger"] == trigger]


def test_future_consult_with_source_and_target() -> None:
    ex = run("Afghan government officials will meet with Taliban members to discuss prisoners.")
    (meet,) = only(ex, "meet")
    assert meet["event_type"] == "CONSULT" and meet["modality"] == "future"
    assert (meet["source_actor_id"], meet["target_actor_id"]) == ("afg-government", "taliban")
    assert meet["event_date"] is None and meet["date_precision"] == "unknown"
    assert meet["date_basis"] == "publication" and meet["rule"] == "verb:meet"


def test_asserted_event_without_date_gets_publication_date() -> None:
    ex = run("The Taliban demanded the release of prisoners.", published="2020-03-25")
    (req,) = only(ex, "demanded")
    assert req["event_type"] == "REQUEST" and req["source_actor_id"] == "taliban"
    assert (req["event_date"], req["date_precision"], req["date_basis"]) == (
        "2020-03-25", "day", "publication")


def test_passive_agent_is_source_and_subject_is_target() -> None:
    ex = run("Brenton Tarrant was arrested by New Zealand Police on Friday.",
             published="2019-03-17")
    (arr,) = only(ex, "arrested")
    assert arr["event_type"] == "COERCE" and arr["mode"] == "arrest"
    assert arr["target_actor_id"] == "brenton-tarrant"
    assert arr["source_actor_id"] is not None
    assert (arr["event_date"], arr["date_basis"]) == ("2019-03-15", "explicit")


def test_negation_and_hypothetical() -> None:
    ex = run("Russia did not attack Ukraine. Iran could attack Israel.")
    modalities = sorted(e["modality"] for e in ex.events if e["event_type"] == "ASSAULT")
    assert modalities == ["hypothetical", "negated"]


def test_reported_by_and_one_row_per_pair() -> None:
    ex = run("China, Iran and Russia have pledged funds to Syria, the United Nations said.")
    pledges = only(ex, "pledged")
    assert sorted(e["source_actor_id"] for e in pledges) == ["chn", "irn", "rus"]
    assert {e["reported_by_actor_id"] for e in pledges} == {"un"}


def test_location_with_country() -> None:
    ex = run("The Taliban signed an agreement with the United States in Doha.")
    (sign,) = only(ex, "signed")
    assert sign["event_type"] == "AGREE"
    assert (sign["location"], sign["location_country"]) == ("Doha", "QAT")
    assert sign["target_actor_id"] == "usa"


def test_released_a_statement_is_not_an_event() -> None:
    ex = run("The ministry released a statement on Monday.")
    assert not only(ex, "released")


def test_offsets_point_at_text() -> None:
    text = "Police arrested two men in Paris yesterday after protesters rallied."
    ex = run(text)
    assert ex.events
    for e in ex.events:
        assert text[e["trigger_start"]:e["trigger_end"]] == e["trigger"]
        assert text[e["sentence_start"]:e["sentence_end"]].find(e["trigger"]) >= 0
        if e["date_text"]:
            assert text[e["date_start"]:e["date_end"]] == e["date_text"]
