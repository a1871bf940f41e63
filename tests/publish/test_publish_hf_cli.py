"""`newsfacts publish hf` with a real release folder, against the local Hub of tests/hub_server.py.

publish_hf itself is tested in test_hub_publish.py; this checks the wiring: the CLI publishes
the release's `dist/hf` (card, split Parquet files, images, croissant.json) under the release's
version, a dry run contacts nothing, a rerun adds nothing, and a folder made for another
version is refused before any request.
"""

from __future__ import annotations

import pytest
import release_repo as rr

pytest.importorskip("huggingface_hub")

from hub_server import HubServer  # noqa: E402
from huggingface_hub import HfApi, RepoFile  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from newsfacts.cli import app  # noqa: E402
from newsfacts.publish.hf import local_files  # noqa: E402

REPO_ID = "test-org/newsfacts"
pytestmark = pytest.mark.filterwarnings(
    # huggingface_hub's own LFS upload passes a file object as `data=` to httpx2
    "ignore:Use 'content=<...>' to upload raw bytes/text content.:DeprecationWarning"
)


@pytest.fixture
def hub(tmp_path, monkeypatch):
    from huggingface_hub import constants

    for name, value in [("HF_HUB_DISABLE_XET", True), ("HF_HUB_DISABLE_TELEMETRY", True),
                        ("HF_HUB_OFFLINE", False)]:
        monkeypatch.setattr(constants, name, value)
    monkeypatch.delenv("HF_TOKEN", raising=False)
    with rr.loopback_only(), HubServer(tmp_path / "hub") as server:
        yield server


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    repo, _ = rr.first_release(tmp_path_factory)
    return repo / "dist" / "hf"


def _invoke(*args):
    return CliRunner().invoke(app, ["publish", "hf", *args])


def test_publish_hf_cli_publishes_the_release_folder_once(hub, folder):
    api = HfApi(endpoint=hub.url, token=False)
    base = ["--repo-id", REPO_ID, "--folder", str(folder), "--version", "1.0.0",
            "--endpoint", hub.url]

    start = len(hub.requests)
    dry = _invoke(*base, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "dry-run: datasets/test-org/newsfacts tag v1.0.0" in dry.stdout
    assert "data/articles/train.parquet" in dry.stdout and "croissant.json" in dry.stdout
    assert len(hub.requests) == start  # a dry run contacts nothing

    first = _invoke(*base)
    assert first.exit_code == 0, first.output
    assert first.stdout.startswith("published: datasets/test-org/newsfacts tag v1.0.0")
    tree = {f.path for f in api.list_repo_tree(REPO_ID, recursive=True, revision="v1.0.0",
                                               repo_type="dataset") if isinstance(f, RepoFile)}
    assert tree == {".gitattributes", *(f.path for f in local_files(folder))}

    again = _invoke(*base)
    assert again.exit_code == 0 and again.stdout.startswith("already-published:")
    commits = api.list_repo_commits(REPO_ID, repo_type="dataset")
    assert [c.title for c in commits] == ["Release v1.0.0", "initial commit"]


def test_publish_hf_cli_refuses_a_folder_of_another_version(hub, folder):
    start = len(hub.requests)
    result = _invoke("--repo-id", REPO_ID, "--folder", str(folder), "--version", "2.0.0",
                     "--endpoint", hub.url)
    assert result.exit_code == 1
    assert "holds release 1.0.0, not 2.0.0" in " ".join(result.stderr.split())
    assert len(hub.requests) == start


def test_publish_hf_cli_publishes_to_any_repo_with_the_card_rewritten(hub, folder, tmp_path):
    """A release made for test-org/newsfacts goes to me/newsfacts without a new version; the
    card and croissant.json there name me/newsfacts, the release folder is unchanged."""
    before = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    result = _invoke("--repo-id", "me/newsfacts", "--folder", str(folder), "--version", "1.0.0",
                     "--endpoint", hub.url)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("published: datasets/me/newsfacts tag v1.0.0")
    api = HfApi(endpoint=hub.url, token=False)
    for name in ("README.md", "croissant.json"):
        path = api.hf_hub_download("me/newsfacts", name, repo_type="dataset", revision="v1.0.0",
                                   cache_dir=str(tmp_path / "hf-cache"))
        with open(path, encoding="utf-8") as f:
            text = f.read()
        assert "me/newsfacts" in text and "test-org/newsfacts" not in text, name
    assert {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()} == before
