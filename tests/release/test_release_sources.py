"""Every open source of ../shared/corpus is released, and the card says each one's licence."""

from __future__ import annotations

import datetime as dt
import json

from conftest import REPO

from newsfacts.build.sources import Source
from newsfacts.release.artifacts import write_hf_folder
from newsfacts.release.cut import ReleaseConfig


def test_release_toml_lists_every_open_source(shared_dir):
    cfg = ReleaseConfig.load(REPO)
    listed = {Source.open(p).name: Source.open(p) for p in cfg.sources}
    corpus = [Source.open(p) for p in sorted((shared_dir / "corpus").iterdir())
              if (p / "source.json").is_file()]
    for src in corpus:
        if src.license != "NOASSERTION":
            assert src.name in listed, f"{src.path} ({src.license}) is not in release.toml"
            assert listed[src.name].path.resolve() == src.path.resolve()
    assert {"wikinews", "meantime", "gum", "voa-2025"} <= set(listed)
    # The seed is listed, and its NOASSERTION licence needs --allow-unlicensed on each release.
    assert listed["seed"].license == "NOASSERTION" and cfg.allow_unlicensed == ()


def test_card_and_croissant_state_each_sources_licence_and_count(seed_build, tmp_path):
    voa = json.loads((REPO.parent / "shared" / "corpus" / "voa-2025" / "source.json")
                     .read_text("utf-8"))
    sources = [
        {"name": "seed", "title": "Seed", "license": "NOASSERTION", "attribution": None,
         "homepage": None, "articles": 1},
        {"name": voa["name"], "title": voa["title"], "license": voa["license"],
         "attribution": voa["attribution"], "homepage": voa["homepage"], "articles": 89},
    ]
    out = write_hf_folder(seed_build, tmp_path / "hf", version="1.2.0", repo_id="org/newsfacts",
                          sources=sources, quality=None, changes="(test)",
                          released=dt.date(2026, 12, 3))
    card = (out / "README.md").read_text("utf-8")
    assert ("| Voice of America international and conflict stories, 2019-2025 (`voa-2025`) | 89 "
            "| LicenseRef-PublicDomain-USGov | voanews.com / Voice of America / VOA "
            "(https://www.voanews.com) |") in card
    assert "| Seed (`seed`) | 1 | NOASSERTION | none stated |" in card
    assert "license: other" in card
    croissant = json.loads((out / "croissant.json").read_text("utf-8"))
    assert "LicenseRef-PublicDomain-USGov" in json.dumps(croissant)
