"""`publish hf --repo-id` rewrites the repository a release folder names (release.hf.retarget)."""

from __future__ import annotations

import json

import pytest

from newsfacts.errors import NewsfactsError
from newsfacts.release.hf import made_for, release_folder_problems, retarget


def _folder(tmp_path, repo_id="newsfacts/newsfacts", extra=""):
    folder = tmp_path / "hf"
    (folder / "data" / "events").mkdir(parents=True)
    (folder / "data" / "events" / "train.parquet").write_bytes(b"PAR1 newsfacts/newsfacts")
    url = f"https://huggingface.co/datasets/{repo_id}"
    (folder / "README.md").write_text(
        f'ds = load_dataset("{repo_id}", "events", revision="v1.0.0")\n'
        f"  howpublished = {{\\\\url{{{url}}}}}\n{extra}", encoding="utf-8")
    cite = f"@misc{{x, howpublished = {{\\\\url{{{url}}}}}}}"
    (folder / "croissant.json").write_text(json.dumps(
        {"version": "1.0.0", "url": url, "citeAs": cite}), encoding="utf-8")
    return folder


def test_retarget_rewrites_card_and_croissant_only(tmp_path):
    folder = _folder(tmp_path)
    out = retarget(folder, "me/newsfacts", tmp_path / "out")
    assert made_for(out) == "me/newsfacts"
    for name in ("README.md", "croissant.json"):
        text = (out / name).read_text("utf-8")
        assert "newsfacts/newsfacts" not in text and text.count("me/newsfacts") == 2
    parquet = "data/events/train.parquet"
    assert (out / parquet).read_bytes() == (folder / parquet).read_bytes()
    assert made_for(folder) == "newsfacts/newsfacts"  # the release folder is untouched
    assert release_folder_problems(out, "1.0.0") == []
    assert release_folder_problems(out, "2.0.0") == [f"{out} holds release 1.0.0, not 2.0.0"]


def test_retarget_refuses_a_reference_it_cannot_rewrite(tmp_path):
    folder = _folder(tmp_path, extra="see github.com/newsfacts/newsfacts\n")
    with pytest.raises(NewsfactsError, match="does not know how"):
        retarget(folder, "me/newsfacts", tmp_path / "out")
