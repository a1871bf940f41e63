"""Actors and mentions on short sentences: spans, ids, countries, titles, aliases."""

from __future__ import annotations

import re

import pytest

pytest.importorskip("spacy")

from _extract_helpers import pipeline, run  # noqa: E402

from newsfacts.build.annotate import RULER_NAME  # noqa: E402
from newsfacts.vocab import vocab_hash  # noqa: E402


def spans(ex) -> dict[str, str]:
    """Mention text -> actor id."""
    return {m["text"]: m["actor_id"] for m in ex.mentions}


def test_ruler_sits_before_ner() -> None:
    names = pipeline().pipe_names
    assert names.index(RULER_NAME) < names.index("ner")


def test_factory_is_registered_through_entry_point() -> None:
    from importlib.metadata import entry_points

    from spacy.language import Language

    names = {ep.name: ep.value for ep in entry_points(group="spacy_factories")}
    assert names.get(RULER_NAME) == "newsfacts.build.annotate:make_actor_ruler"
    assert Language.has_factory(RULER_NAME)


def test_ruler_fixes_known_ner_errors() -> None:
    ents = [(e.text, e.label_) for e in pipeline()(
        "The US Secretary of State spoke on Twitter with the Afghan government.").ents]
    assert ("US Secretary of State", "TITLE") in ents
    assert ("Twitter", "PRODUCT") in ents
    assert ("Afghan government", "ORG") in ents


def test_government_by_demonym_and_taliban() -> None:
    ex = run("Afghan government officials will meet with Taliban members on Friday.")
    assert spans(ex) == {"Afghan government": "afg-government", "Taliban": "taliban"}
    gov = ex.actors["afg-government"]
    assert (gov["kind"], gov["sector"], gov["country"]) == ("organization", "GOV", "AFG")
    assert ex.actors["taliban"]["wikidata_qid"] == "Q42418"


def test_platforms_and_places_are_not_actors() -> None:
    ex = run("The NSC said on Twitter that officials met in Kabul.")
    texts = set(spans(ex))
    assert "Twitter" not in texts and "Kabul" not in texts


def test_short_form_and_title_from_apposition() -> None:
    ex = run("Suhail Shaheen, a Taliban spokesman, said on Twitter that the talks failed. "
             "Shaheen added that prisoners would be freed.")
    ids = [m["actor_id"] for m in ex.mentions if "Shaheen" in m["text"]]
    assert len(ids) == 2 and len(set(ids)) == 1
    person = ex.actors[ids[0]]
    assert person["title"] == "spokesman"
    assert person["affiliation_id"] == "taliban"
    assert person["country"] == "AFG"


def test_acronym_links_to_full_name() -> None:
    ex = run("The Afghan National Security Council (NSC) said the NSC would meet.")
    ids = {m["actor_id"] for m in ex.mentions if m["text"] in ("NSC",
                                                              "Afghan National Security Council")}
    assert len(ids) == 1


def test_country_acting_as_state_and_qatari_officials() -> None:
    ex = run("Germany banned the group. US and Qatari officials attended the meeting.")
    assert spans(ex)["Germany"] == "deu"
    assert ex.actors["deu"]["kind"] == "country" and ex.actors["deu"]["sector"] is None
    assert spans(ex).get("Qatari") == "qat-government"


def test_country_inside_title_is_not_a_mention() -> None:
    ex = run("Afghan President Ashraf Ghani said the government would release 1,500 prisoners.")
    assert "Afghan" not in spans(ex)
    ghani = ex.actors["ashraf-ghani"]
    assert ghani["title"] == "President" and ghani["country"] == "AFG"


def test_ids_match_schema_pattern_and_output_is_deterministic() -> None:
    text = "Prime Minister Igor Matovič of Slovakia met Emmanuel Macron. Matovič resigned."
    first, second = run(text).to_json(), run(text).to_json()
    assert first == second
    for actor_id, actor in first["actors"].items():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", actor_id)
        assert actor["country"] is None or re.fullmatch(r"[A-Z]{3}", actor["country"])
    for m in first["mentions"]:
        assert m["actor_id"] in first["actors"]


def test_vocab_hash_is_stable_hex() -> None:
    assert re.fullmatch(r"[0-9a-f]{64}", vocab_hash())
    assert vocab_hash() == vocab_hash()


def test_vocab_hash_covers_every_vocabulary_file() -> None:
    from importlib import resources

    from newsfacts.vocab import VOCAB_FILES

    shipped = {p.name for p in resources.files("newsfacts.vocab").iterdir()
               if p.name.endswith((".json", ".jsonl"))}
    assert set(VOCAB_FILES) == shipped


def test_the_people_of_the_country_are_a_civilian_group() -> None:
    ex = run("In Bratislava, Slovakia, Prime Minister Igor Matovič apologised to the people of "
             "his country. Infections rose amongst the nation's 5.5 million people.")
    people = {m["text"]: m["actor_id"] for m in ex.mentions if m["text"].startswith("people")}
    assert set(people) == {"people of his country", "people"}
    (actor_id,) = set(people.values())
    assert (ex.actors[actor_id]["kind"], ex.actors[actor_id]["sector"]) == ("group", "CVL")


def test_people_in_general_are_no_actor() -> None:
    ex = run("Many people attended the rally in Bratislava.")
    assert not any(m["text"] == "people" for m in ex.mentions)


def test_forces_are_a_military_group_and_foreign_ones_have_no_country() -> None:
    ex = run("The agreement in Kabul, Afghanistan included the withdrawal of foreign forces "
             "from Afghanistan.")
    (m,) = [m for m in ex.mentions if m["text"] == "foreign forces"]
    actor = ex.actors[m["actor_id"]]
    assert (actor["kind"], actor["sector"], actor["country"]) == ("group", "MIL", None)
    (wd,) = [e for e in ex.events if e["trigger"] == "withdrawal"]
    assert wd["event_type"] == "RETREAT" and wd["source_actor_id"] == m["actor_id"]


def test_token_indexes_agree_with_spacy() -> None:
    """The per-article indexes the event layer reads instead of asking spaCy per token say what
    `doc.sents`, `Token.subtree` and `Span.root` say."""
    from newsfacts.build.extract.actors import extract_actors

    doc = pipeline()("The Afghan government and the Taliban met in Doha on Monday. "
                     "President Ashraf Ghani, who leads the talks, said they would continue. "
                     "Qatar hosted them.")
    actors = extract_actors(doc)
    assert actors.sentence_of == [si for si, s in enumerate(doc.sents) for _ in s]
    assert actors.sentence_starts == [s.start for s in doc.sents]
    assert actors.covers == [any(t.i in actors.token_mention for t in tok.subtree)
                             for tok in doc]
    assert any(actors.covers) and not all(actors.covers)
    for m in actors.mentions:
        assert actors.root(doc, m).i == doc[m.start:m.end].root.i


def test_extract_refuses_a_text_that_is_not_the_docs() -> None:
    from newsfacts.build.extract import ArticleInfo, extract

    text = "Iran met Iraq in Baghdad."
    doc = pipeline()(text)
    info = ArticleInfo("0" * 16, "2025-03-01")
    assert extract(doc, info, text=text).to_json() == extract(doc, info).to_json()
    with pytest.raises(ValueError, match="not the text"):
        extract(doc, info, text=text + " More.")


def test_wordnet_sector_hints_reach_words_the_annotations_never_showed() -> None:
    """`vocab/sector_wordnet.json` (scripts/wordnet_sectors.py) gives the sector model a hint
    from WordNet for title, apposition and organisation-name words; a person's name words are
    never looked up ('Judge' is a surname too)."""
    from newsfacts.build.extract.actor_attributes import sector_features

    reporter = sector_features("person", None, ["anita", "powell"], "White House correspondent",
                               None, ["ap=correspondent", "dep=nsubj"])
    assert {"wns_near=MED", "wns_title=MED", "kind_wns=person|MED"} <= set(reporter)
    brokerage = sector_features("organization", None, ["ssi", "institutional", "brokerage"],
                                None, None, [])
    assert "wns_name=BUS" in brokerage
    named_judge = sector_features("person", None, ["carol", "judge"], None, None, [])
    assert not any(f.startswith("wns") for f in named_judge)


def test_curated_bodies_keep_their_country_in_a_story_about_another() -> None:
    """A US department, an IGO and an armed group named in a story about Somalia keep the
    country (or none) the dictionary gives them, not the article's main country."""
    ex = run("Somalia's government said the State Department and UNICEF will help al-Shabab "
             "victims in Somalia, Somali officials said.")
    found = spans(ex)
    assert found["State Department"] == "us-state-department"
    assert found["UNICEF"] == "unicef"
    assert found["al-Shabab"] == "al-shabab"
    state, unicef, shabab = (ex.actors[a] for a in ("us-state-department", "unicef",
                                                     "al-shabab"))
    assert (state["sector"], state["country"]) == ("GOV", "USA")
    assert (unicef["sector"], unicef["country"]) == ("IGO", None)
    assert (shabab["sector"], shabab["country"]) == ("REB", "SOM")
