"""Learned mention decisions: a state name or a description becomes an actor mention when the
model says so; without a model the rules decide exactly as before; the decisions are recorded
for training and travel in the model file."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("spacy")

from _extract_helpers import pipeline  # noqa: E402

from newsfacts.build.extract.actors import extract_actors  # noqa: E402
from newsfacts.build.extract.learned import EventModel, LinearModel  # noqa: E402

TEXT = "Ankara is threatening retaliation. The griots sang while militants attacked the town."


def _texts(doc, result) -> dict[str, str]:
    return {doc[m.start:m.end].text: m.actor_id for m in result.mentions}


def test_rules_never_make_a_capital_an_actor_but_a_model_can() -> None:
    doc = pipeline()(TEXT)
    rules = extract_actors(doc)
    assert "Ankara" not in _texts(doc, rules)
    capital = [f for _, _, f in rules.decisions if "kind=capital" in f]
    assert capital, "the capital must be recorded as a decision for training"
    says_yes = LinearModel(("no", "yes"), (-2.0,), {"kind=capital": (4.0,)})
    learned = extract_actors(doc, mention_model=says_yes)
    assert _texts(doc, learned)["Ankara"] == "tur"
    assert learned.actors["tur"].kind == "country"


def test_a_learned_head_is_a_candidate_with_its_learned_sector() -> None:
    doc = pipeline()(TEXT)
    assert "griots" not in _texts(doc, extract_actors(doc))
    keep_all = LinearModel(("no", "yes"), (2.0,), {})
    found = extract_actors(doc, mention_model=keep_all,
                           mention_heads={"griot": ("CVL", "group")})
    actor = found.actors[_texts(doc, found)["griots"]]
    assert (actor.sector, actor.kind) == ("CVL", "group")
    refuse_unlisted = LinearModel(("no", "yes"), (2.0,), {"rule=unlisted": (-5.0,)})
    found = extract_actors(doc, mention_model=refuse_unlisted,
                           mention_heads={"griot": ("CVL", "group")})
    assert "griots" not in _texts(doc, found) and "militants" in _texts(doc, found)


def test_mention_part_and_heads_round_trip_through_the_model_file() -> None:
    from _extract_helpers import rule_model

    base = rule_model()
    assert "mention" not in base.to_json()  # a model without it leaves mentions to the rules
    model = EventModel(**{p: getattr(base, p) for p in EventModel.PARTS}, lemmas=base.lemmas,
                       thresholds=base.thresholds, meta={},
                       mention=LinearModel(("no", "yes"), (0.5,), {"kind=capital": (1.0,)}),
                       mention_heads={"griot": (None, "group")})
    back = EventModel.from_json(json.loads(json.dumps(model.to_json())))
    assert back == model
    assert back.parts()[-1] == "mention"


def test_sector_model_decides_non_curated_actors_only() -> None:
    doc = pipeline()("The Acme Widgets Corporation said the United Nations would review the plan.")
    rules = extract_actors(doc)
    acme = next(a for a, actor in rules.actors.items() if actor.name == "Acme Widgets Corporation")
    un = next(a for a, actor in rules.actors.items() if actor.name == "United Nations")
    assert "w=widgets" in rules.sector_features[acme]
    assert un not in rules.sector_features  # curated: its sector is the dictionary's
    model = LinearModel(("BUS", "IGO", "NONE"), (0.0, 0.0, 1.0),
                        {"w=widgets": (5.0, 0.0, 0.0), "kind=organization": (0.0, 9.0, 0.0)})
    learned = extract_actors(doc, sector_model=model)
    assert learned.actors[acme].sector == "IGO"  # kind outweighs the name word here
    assert learned.actors[un].sector == rules.actors[un].sector
    no_org = LinearModel(("BUS", "NONE"), (0.0, 1.0), {"w=widgets": (5.0, 0.0)})
    assert extract_actors(doc, sector_model=no_org).actors[acme].sector == "BUS"
    none = LinearModel(("BUS", "NONE"), (0.0, 1.0), {})
    assert extract_actors(doc, sector_model=none).actors[acme].sector is None
