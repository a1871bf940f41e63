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


def args_of(ex, trigger: str) -> list[tuple[str | None, str | None]]:
    """(source, target) pairs of the events with a given trigger text."""
    return [(e["source_actor_id"], e["target_actor_id"]) for e in only(ex, trigger)]


def test_participial_clause_reads_passively() -> None:
    ex = run("Brenton Tarrant appeared in court on Saturday, charged with murder.")
    assert args_of(ex, "charged") == [(None, "brenton-tarrant")]


def test_reduced_relative_agent_is_source() -> None:
    ex = run("The talks are part of a peace process negotiated by the United States.")
    assert args_of(ex, "negotiated") == [("usa", None)]


def test_of_complement_of_intransitive_noun_is_source() -> None:
    ex = run("Voters go to the polls following the resignation of MP John McVeigh.")
    assert args_of(ex, "resignation") == [("john-mcveigh", None)]


def test_possessor_of_trial_is_target() -> None:
    ex = run("John Smith was arrested on Monday. His trial was scheduled for May.")
    assert args_of(ex, "trial") == [(None, "john-smith")]


def test_subject_of_survive_is_target_of_attack() -> None:
    ex = run("Nabil Hasan al-Quaety survived a drone attack in 2019.")
    assert args_of(ex, "drone attack") == [(None, "nabil-hasan-al-quaety")]


def test_title_refers_to_earlier_holder() -> None:
    ex = run("Prime Minister Igor Matovič met Emmanuel Macron. "
             "The Prime Minister apologised to the people.")
    assert args_of(ex, "apologised") == [("igor-matovic", None)]


def test_identified_as_names_the_object() -> None:
    ex = run("Thames Valley Police detained the man, later identified as Khairi Saadallah.")
    assert args_of(ex, "detained") == [("thames-valley-police", "khairi-saadallah")]


def test_apposition_names_the_argument() -> None:
    ex = run("Reporters spoke to one of the candidates, Sandra Jephcott.")
    assert [t for _, t in args_of(ex, "spoke")] == ["sandra-jephcott"]


def test_first_person_in_quote_is_the_speaker() -> None:
    ex = run('Jacinda Ardern said, "I have instructed ODESC to report to Cabinet."')
    assert args_of(ex, "instructed") == [("jacinda-ardern", "odesc")]


def test_conjoined_subjects_of_a_reciprocal_trigger_meet_each_other() -> None:
    ex = run("The Taliban and the Afghan government met in Doha.")
    assert args_of(ex, "met") == [("taliban", "afg-government")]


def test_conjoined_subjects_of_a_one_way_trigger_stay_sources() -> None:
    ex = run("China and Russia have pledged funds to the United Nations.")
    assert sorted(args_of(ex, "pledged")) == [("chn", "un"), ("rus", "un")]


def test_elect_needs_an_actor_as_elector() -> None:
    ex = run("Conservative Party members voted on Tuesday to elect Boris Johnson. "
             "Park Won-soon was elected mayor in 2011.")
    assert [e["trigger"] for e in ex.events if e["event_type"] == "SUPPORT"] == ["elect"]


def test_between_x_and_y_are_the_parties_of_a_nominal_trigger() -> None:
    ex = run("The deal led to negotiations between the Taliban and the Afghan government "
             "for a peace deal.")
    assert args_of(ex, "negotiations") == [("taliban", "afg-government")]


def test_counted_casualties_of_an_attack_are_a_victims_group() -> None:
    ex = run("Volodoymyr Zhukovskyy struck a group of motorcycles, killing seven riders.")
    (kill,) = only(ex, "killing")
    assert kill["target_actor_id"] == "victims" or kill["target_actor_id"].endswith("-victims")
    victims = ex.actors[kill["target_actor_id"]]
    assert (victims["kind"], victims["sector"]) == ("group", "CVL")
    assert [m["text"] for m in ex.mentions if m["actor_id"] == kill["target_actor_id"]] == [
        "riders"]


def test_group_of_people_attacked_is_the_victims_mention() -> None:
    ex = run("A man attacked a group of middle-aged men in the park.")
    (att,) = only(ex, "attacked")
    assert [m["text"] for m in ex.mentions if m["actor_id"] == att["target_actor_id"]] == [
        "group of middle-aged men"]


def test_uncounted_or_bare_people_are_not_casualty_groups() -> None:
    ex = run("The attack killed three people. Riders attended the rally.")
    assert not any(a["name"] == "victims" for a in ex.actors.values())


def test_pleaded_not_guilty_is_a_rejection() -> None:
    ex = run("Volodoymyr Zhukovskyy pleaded not guilty on Tuesday to seven counts of homicide.")
    (rej,) = [e for e in ex.events if e["event_type"] == "REJECT"]
    assert rej["trigger"] == "pleaded not" and rej["source_actor_id"] == "volodoymyr-zhukovskyy"


def test_leaving_an_organisation_is_a_sanction_with_the_planner_as_source() -> None:
    ex = run("Boris Johnson reiterated that he plans on leaving the European Union.")
    (leave,) = only(ex, "leaving")
    assert leave["event_type"] == "SANCTION" and leave["modality"] == "future"
    assert leave["source_actor_id"] == "boris-johnson"
    assert ex.actors[leave["target_actor_id"]]["name"] == "European Union"


def test_leaving_a_place_or_a_thing_is_no_event() -> None:
    ex = run("Boris Johnson left France on Monday. The storm left the Labor Party's office "
             "damaged.")
    assert not only(ex, "left")


def test_bare_count_object_stands_for_people() -> None:
    ex = run("Ashraf Ghani said the Afghan government would release 1,500 initially.")
    (rel,) = only(ex, "release")
    assert rel["event_type"] == "CONCEDE" and rel["modality"] == "future"


def test_accidents_and_situations_as_subject_are_no_events() -> None:
    ex = run("The accident in Salaheddin district killed eleven. The stalemate threatened to "
             "derail the peace process.")
    assert not only(ex, "killed") and not only(ex, "threatened")


def test_an_organisation_meeting_alone_convenes() -> None:
    ex = run("The Senate announced it would meet on Monday. The Senate was set to meet on "
             "Wednesday.")
    assert not only(ex, "meet")


def test_an_organisation_meeting_a_partner_is_a_consultation() -> None:
    ex = run("The Taliban will meet with the Afghan government on Monday.")
    (meet,) = only(ex, "meet")
    assert meet["event_type"] == "CONSULT" and meet["source_actor_id"] == "taliban"


def test_passive_parsed_as_copula_and_participle_keeps_its_roles() -> None:
    ex = run("John Paul Stevens studied law. He was nominated to the Supreme Court in 1975 by "
             "President Gerald Ford.")
    (nom,) = only(ex, "nominated")
    assert nom["event_type"] == "SUPPORT"
    assert (nom["source_actor_id"], nom["target_actor_id"]) == ("gerald-ford", "john-paul-stevens")


def test_generic_trigger_without_any_actor_is_dropped() -> None:
    ex = run("The minister gave a press conference. There was broad support for the plan.")
    assert not only(ex, "conference") and not only(ex, "support")


def test_generic_trigger_with_an_actor_stays() -> None:
    ex = run("Germany expressed support for Ukraine.")
    (sup,) = only(ex, "support")
    assert sup["event_type"] == "SUPPORT" and sup["source_actor_id"] == "deu"
