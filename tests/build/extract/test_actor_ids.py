"""Actor ids from names (anyascii slugs, script suffixes), English-only mentions, bad names,
and the actor dictionary's checks at load time."""

from __future__ import annotations

import copy
import re

import pytest

pytest.importorskip("spacy")

from _extract_helpers import run  # noqa: E402

from newsfacts.build.extract.actor_names import is_name, name_id, slugify  # noqa: E402
from newsfacts.build.extract.dictionary import ActorDictionaryError, validate_actors  # noqa: E402
from newsfacts.build.extract.language import FOREIGN_SCRIPT  # noqa: E402
from newsfacts.vocab import load_json  # noqa: E402

_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def test_slugs_transliterate_instead_of_dropping_letters():
    assert slugify("Paweł Adamowicz") == "pawel-adamowicz"
    assert slugify("Sławoj Leszek Głódź") == "slawoj-leszek-glodz"
    assert slugify("Łukasz Szumowski") == "lukasz-szumowski"
    assert slugify("Matovič") == "matovic"
    assert slugify("Дмитрий Кошелев") == "dmitriy-koshelev"
    assert slugify("中国") == "zhongguo"
    assert slugify("...") == "" and slugify("") == ""


def test_latin_names_keep_their_slug():
    assert name_id("Paweł Adamowicz") == "pawel-adamowicz"
    assert name_id("Matovič") == name_id("Matovic") == "matovic"
    assert name_id("U.S. Geological Survey") == "united-states-geological-survey"
    assert name_id("Hawaiʻi") == "hawai-i"


def test_other_scripts_never_share_an_id_with_their_transliteration():
    cyrillic, latin = name_id("Дмитрий Кошелев"), name_id("Dmitriy Koshelev")
    assert latin == "dmitriy-koshelev"
    assert cyrillic.startswith("dmitriy-koshelev-") and cyrillic != latin
    assert re.fullmatch(r"dmitriy-koshelev-[0-9a-f]{6}", cyrillic)
    assert name_id("中国").startswith("zhongguo-") and name_id("中国") != name_id("Zhongguo")
    # two different names of one script that transliterate alike: different ids
    assert slugify("Дмитрий") == slugify("Дмитрiй")
    assert name_id("Дмитрий") != name_id("Дмитрiй")
    # deterministic: the same name always gives the same id, whatever else was read
    assert name_id("Дмитрий Кошелев") == cyrillic == name_id("  Дмитрий   Кошелев ".strip())
    for name in ("Дмитрий Кошелев", "中国", "हैं", "محمد", "Σωκράτης"):
        assert _ID.fullmatch(name_id(name)), name
        assert name_id(name) != "actor"


def test_names_without_letters_are_no_actors():
    for name in ("...", "2020", "12-3", "—", "", "%$#"):
        assert name_id(name) == "" and not is_name(name)
    assert is_name("Paweł Adamowicz") and not is_name("Дмитрий Кошелев")


def test_no_mentions_in_other_languages_or_scripts():
    text = ("Mayor Paweł Adamowicz of Gdańsk died on Monday. Archbishop Sławoj Leszek Głódź "
            "led the funeral.\n\n"
            "Contestants came from Russia. Image: Дмитрий Кошелев.\n\n"
            "((WN)) Can you tell me about yourself? ((hi))Hindi language: तो मुझे आपके बारे में "
            "ज़रा बताएँगे? हैं हैं हैं\n\n"
            "Le bilan est lourd, plusieurs policiers ont perdu la vie après cette attaque "
            "survenue à la préfecture, a déclaré Anne Hidalgo.")
    ex = run(text)
    ids = {m["actor_id"] for m in ex.mentions}
    assert "pawel-adamowicz" in ids and "slawoj-leszek-glodz" in ids
    assert "actor" not in ids
    assert all(not FOREIGN_SCRIPT.search(m["text"]) for m in ex.mentions)
    assert not any(m["text"] == "Anne Hidalgo" for m in ex.mentions)  # a French passage
    assert all(_ID.fullmatch(a) for a in ex.actors)
    assert 0 < ex.english_share < 1


def test_english_text_has_share_one():
    assert run("The mayor met the president in Warsaw on Monday.").english_share == 1.0


def _dictionary():
    return copy.deepcopy(load_json("actors.json"))


def test_dictionary_loads():
    entries = validate_actors(load_json("actors.json"))
    assert len({e["id"] for e in entries}) == len(entries)


@pytest.mark.parametrize(("field", "value", "message"), [
    ("id", "Bad Id", "id 'Bad Id' is not a lowercase slug"),
    ("id", "actor-", "is not a lowercase slug"),
    ("country", "XXX", "country 'XXX' is not an ISO 3166-1 alpha-3"),
    ("country", "us", "country 'us' is not an ISO 3166-1 alpha-3"),
    ("sector", "ARMY", "sector 'ARMY' is not one of the FORMAT.md sectors"),
    ("kind", "people", "kind 'people' is not one of"),
    ("wikidata_qid", "1065", "wikidata_qid '1065' is not Q<digits>"),
    ("aliases", ["..."], "has no letter"),
    ("name", "2020", "has no letter"),
    ("affiliation", "nobody", "affiliation 'nobody' is not the id of another entry"),
])
def test_malformed_entry_is_refused_by_name(field, value, message):
    data = _dictionary()
    # an entry no other entry is affiliated with: its bad id is then the only problem
    parents = {a["affiliation"] for a in data["actors"]}
    i = next(k for k, a in enumerate(data["actors"]) if k > 0 and a["id"] not in parents)
    entry = data["actors"][i]
    entry[field] = value
    with pytest.raises(ActorDictionaryError) as err:
        validate_actors(data)
    text = str(err.value)
    assert message in text and f"entry {i} " in text
    assert (repr(entry["id"]) in text) and text.count("\n") == 0


def test_duplicate_and_missing_fields_are_refused():
    data = _dictionary()
    data["actors"].append(copy.deepcopy(data["actors"][0]))
    del data["actors"][2]["sector"]
    with pytest.raises(ActorDictionaryError) as err:
        validate_actors(data)
    assert "id repeats an earlier entry" in str(err.value)
    assert "missing field 'sector'" in str(err.value)
    assert validate_actors({"actors": []}) == []
    with pytest.raises(ActorDictionaryError):
        validate_actors({"actors": [["un"]]})


def test_curated_attributes_are_not_overwritten_from_the_article():
    ex = run("Wikinews spoke to the mayor of Auckland on Monday. Wikinews asked New Zealand "
             "officials about it. UN Secretary-General Antonio Guterres said nothing in "
             "Auckland, New Zealand.")
    assert ex.actors["wikinews"]["country"] is None
    assert ex.actors["wikinews"]["sector"] == "MED"
    if "antonio-guterres" in ex.actors:
        assert ex.actors["antonio-guterres"]["country"] is None


def test_international_descriptions_belong_to_no_state():
    ex = run("Slovak police arrested two men in Bratislava. European leaders condemned the "
             "attack.")
    european = [m["actor_id"] for m in ex.mentions if m["text"] == "European leaders"]
    assert european and ex.actors[european[0]]["country"] is None


def test_a_country_abbreviation_inside_a_name_gets_the_spelt_out_id() -> None:
    """One organisation, two spellings ('U.S. Geological Survey', 'United States Geological
    Survey'): one id. The abbreviation alone stays a country, and other words are untouched."""
    from newsfacts.build.extract.actor_names import name_id

    assert name_id("U.S. Geological Survey") == name_id("United States Geological Survey") == (
        "united-states-geological-survey")
    assert name_id("UK Parliament") == "united-kingdom-parliament"
    assert name_id("USAID") == "usaid" and name_id("Usman Khan") == "usman-khan"
