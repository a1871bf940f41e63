"""publish_hf against the local Hub of tests/hub_server.py, read back with `datasets`.

Publishing runs in this process, with the endpoint passed explicitly. huggingface_hub reads its
settings (xet, telemetry, offline) from the environment once, at import, so the fixture patches
its constants instead. `datasets.load_dataset` runs in a subprocess whose environment points
HF_ENDPOINT at the local Hub and HF_HOME / HF_DATASETS_CACHE into tmp_path.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

pytest.importorskip("huggingface_hub")
pytest.importorskip("datasets")

from hub_server import HubServer  # noqa: E402
from huggingface_hub import CommitOperationAdd, HfApi, RepoFile, get_session  # noqa: E402
from huggingface_hub.errors import HfHubHTTPError  # noqa: E402

from newsfacts.publish.hf import DuplicateVersionError, publish_hf  # noqa: E402

pytestmark = pytest.mark.filterwarnings(
    # huggingface_hub's own LFS upload passes a file object as `data=` to httpx2
    "ignore:Use 'content=<...>' to upload raw bytes/text content.:DeprecationWarning"
)
REPO = "newsfacts/tiny"
CONFIGS = ("articles", "events")
SPLITS = ("train", "test")
WRITES = ("/preupload/", "/commit/", "/tag/", "/info/lfs/", "/_lfs/", "/api/repos/create")


@pytest.fixture
def hub(tmp_path, monkeypatch):
    from huggingface_hub import constants

    # Read at import time by huggingface_hub: patch the constants, not only the environment.
    # Telemetry off also stops the client fetching {ENDPOINT}/api/agent-harnesses.
    for name, value in [
        ("HF_HUB_DISABLE_XET", True),
        ("HF_HUB_DISABLE_TELEMETRY", True),
        ("HF_HUB_OFFLINE", False),
    ]:
        monkeypatch.setattr(constants, name, value)
    monkeypatch.delenv("HF_TOKEN", raising=False)
    with HubServer(tmp_path / "hub") as server:
        yield server
    # Every request the clients made must be one this server implements, without crashing.
    assert [r for r in server.requests if r.error in ("NoRoute", "TestHubCrash")] == []


@pytest.fixture
def api(hub):
    return HfApi(endpoint=hub.url, token=False)


def write_dataset(folder: Path, label: str, extra: dict[str, str] | None = None) -> dict:
    """A two-config, two-split parquet dataset; returns {config: {split: ids}}."""
    rows = {c: {s: [f"{label}-{c}-{s}-{i}" for i in range(3)] for s in SPLITS} for c in CONFIGS}
    for config, splits in rows.items():
        for split, ids in splits.items():
            path = folder / "data" / config / f"{split}.parquet"
            path.parent.mkdir(parents=True, exist_ok=True)
            pq.write_table(pa.table({"id": ids, "n": list(range(len(ids)))}), path)
    card = ["---", "configs:"]
    for config in CONFIGS:
        card += [f"- config_name: {config}", "  data_files:"]
        for split in SPLITS:
            card += [f"  - split: {split}", f"    path: data/{config}/{split}.parquet"]
    card += ["---", f"# Tiny newsfacts ({label})", ""]
    (folder / "README.md").write_text("\n".join(card))
    for name, text in (extra or {}).items():
        (folder / name).write_text(text)
    return rows


def load_rows(hub: HubServer, tmp_path: Path, revisions: list[str]) -> dict:
    """{revision: {config: {split: ids}}} read by datasets.load_dataset in a fresh process."""
    code = textwrap.dedent(
        f"""
        import json, datasets
        out = {{}}
        for rev in {revisions!r}:
            for config in {list(CONFIGS)!r}:
                ds = datasets.load_dataset({REPO!r}, config, revision=rev)
                out.setdefault(rev, {{}})[config] = {{s: list(ds[s]["id"]) for s in ds}}
        print(json.dumps(out))
        """
    )
    keep = ("PATH", "HOME", "LANG", "TMPDIR", "SYSTEMROOT")
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update(
        HF_ENDPOINT=hub.url,
        HF_HOME=str(tmp_path / "reader-hf-home"),
        HF_DATASETS_CACHE=str(tmp_path / "reader-datasets-cache"),
        HF_HUB_DISABLE_XET="1",
        HF_HUB_DISABLE_TELEMETRY="1",
        HF_HUB_DISABLE_PROGRESS_BARS="1",
        HF_DATASETS_DISABLE_PROGRESS_BARS="1",
        HF_HUB_OFFLINE="0",
        NO_PROXY="127.0.0.1,localhost",
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=180
    )
    assert done.returncode == 0, done.stderr[-4000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def commit_ids(api: HfApi) -> list[str]:
    return [c.commit_id for c in api.list_repo_commits(REPO, repo_type="dataset")]


def tags(api: HfApi) -> dict[str, str]:
    refs = api.list_repo_refs(REPO, repo_type="dataset")
    return {t.name: t.target_commit for t in refs.tags}


def writes_since(hub: HubServer, start: int) -> list[str]:
    return [
        f"{r.method} {r.path}" for r in hub.requests[start:] if any(w in r.path for w in WRITES)
    ]


def test_two_releases_each_load_their_own_rows(hub, api, tmp_path):
    folder = tmp_path / "release"
    rows_1 = write_dataset(folder, "one", extra={"NOTES.txt": "only in 1.0.0\n"})
    first = publish_hf(folder, REPO, "1.0.0", endpoint=hub.url)
    assert (first.status, first.tag) == ("published", "v1.0.0")

    (folder / "NOTES.txt").unlink()
    rows_2 = write_dataset(folder, "two")
    second = publish_hf(folder, REPO, "1.1.0", endpoint=hub.url)
    assert second.status == "published" and second.commit != first.commit

    assert tags(api) == {"v1.0.0": first.commit, "v1.1.0": second.commit}
    history = api.list_repo_commits(REPO, repo_type="dataset")
    assert [c.commit_id for c in history[:2]] == [second.commit, first.commit]
    assert [c.title for c in history] == ["Release v1.1.0", "Release v1.0.0", "initial commit"]

    def tree(rev):
        return {
            f.path: f
            for f in api.list_repo_tree(REPO, recursive=True, revision=rev, repo_type="dataset")
            if isinstance(f, RepoFile)
        }

    old, new = tree("v1.0.0"), tree("v1.1.0")
    assert "NOTES.txt" in old and "NOTES.txt" not in new  # deleted by the 1.1.0 commit
    assert ".gitattributes" in new  # the Hub's own file is kept
    assert set(new) == {".gitattributes", *(f.path for f in second.files)}
    # The client chose LFS for parquet (per .gitattributes) and inline base64 for the card.
    assert all(new[p].lfs is not None for p in new if p.endswith(".parquet"))
    assert new["README.md"].lfs is None

    loaded = load_rows(hub, tmp_path, ["v1.0.0", "v1.1.0", first.commit])
    assert loaded["v1.0.0"] == rows_1
    assert loaded["v1.1.0"] == rows_2
    assert loaded[first.commit] == rows_1


def test_same_version_same_content_is_already_published(hub, api, tmp_path):
    folder = tmp_path / "release"
    write_dataset(folder, "one")
    first = publish_hf(folder, REPO, "1.0.0", endpoint=hub.url)
    before, start = commit_ids(api), len(hub.requests)

    again = publish_hf(folder, REPO, "1.0.0", endpoint=hub.url)

    assert (again.status, again.commit) == ("already-published", first.commit)
    assert commit_ids(api) == before
    assert writes_since(hub, start) == ["POST /api/repos/create"]  # answered 409, exist_ok


def test_same_version_other_content_is_refused(hub, api, tmp_path):
    folder = tmp_path / "release"
    write_dataset(folder, "one")
    first = publish_hf(folder, REPO, "1.0.0", endpoint=hub.url)
    before = commit_ids(api)

    write_dataset(folder, "changed")
    with pytest.raises(DuplicateVersionError, match=r"v1\.0\.0 is already published.*data/"):
        publish_hf(folder, REPO, "1.0.0", endpoint=hub.url)

    assert commit_ids(api) == before
    assert tags(api) == {"v1.0.0": first.commit}


@pytest.mark.parametrize("failure", ["tag-request-fails", "commit-response-lost"])
def test_half_failed_publish_is_completed_without_a_second_commit(hub, api, tmp_path, failure):
    folder = tmp_path / "release"
    write_dataset(folder, "one")
    if failure == "tag-request-fails":
        hub.fail_next("POST", r"/tag/")
    else:  # the Hub applies the commit but the client sees an error
        hub.fail_next("POST", r"/commit/main$", after=True)

    with pytest.raises(HfHubHTTPError):
        publish_hf(folder, REPO, "1.0.0", endpoint=hub.url)
    commits = commit_ids(api)
    assert len(commits) == 2 and tags(api) == {}  # initial commit + the release, untagged

    retry = publish_hf(folder, REPO, "1.0.0", endpoint=hub.url)

    assert retry.status == "tagged-existing-commit"
    assert commit_ids(api) == commits
    assert tags(api) == {"v1.0.0": commits[0]} and retry.commit == commits[0]


def test_commit_made_outside_publish_is_tagged_not_duplicated(hub, api, tmp_path):
    folder = tmp_path / "release"
    write_dataset(folder, "one")
    api.create_repo(REPO, repo_type="dataset")
    ops = [
        CommitOperationAdd(p.relative_to(folder).as_posix(), str(p))
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    ]
    made = api.create_commit(REPO, ops, commit_message="Release v1.0.0", repo_type="dataset")

    result = publish_hf(folder, REPO, "1.0.0", endpoint=hub.url)

    assert (result.status, result.commit) == ("tagged-existing-commit", made.oid)
    assert len(commit_ids(api)) == 2


def test_dry_run_sends_no_request(hub, tmp_path, capsys):
    folder = tmp_path / "release"
    write_dataset(folder, "one")

    result = publish_hf(folder, REPO, "1.0.0", endpoint=hub.url, token="hf_x", dry_run=True)

    assert hub.requests == [] and hub.repos == {}
    assert (result.status, result.commit, result.tag) == ("dry-run", None, "v1.0.0")
    expected = sorted(
        (
            p.relative_to(folder).as_posix(),
            p.stat().st_size,
            hashlib.sha256(p.read_bytes()).hexdigest(),
        )
        for p in folder.rglob("*")
        if p.is_file()
    )
    assert [(f.path, f.size, f.sha256) for f in result.files] == expected
    out = capsys.readouterr().out
    assert f"datasets/{REPO} tag v1.0.0" in out
    assert all(f"{size:>12}  {sha}  {path}" in out for path, size, sha in expected)


@pytest.mark.parametrize("source", ["argument", "HF_TOKEN"])
def test_token_is_sent_and_never_logged(hub, tmp_path, monkeypatch, caplog, capsys, source):
    secret = "hf_SECRETsecretSECRET123"
    if source == "HF_TOKEN":
        monkeypatch.setenv("HF_TOKEN", secret)
    folder = tmp_path / "release"
    write_dataset(folder, "one")
    caplog.set_level(logging.DEBUG)

    publish_hf(
        folder, REPO, "1.0.0", endpoint=hub.url, token=secret if source == "argument" else None
    )

    api_requests = [r for r in hub.requests if not r.path.startswith("/_lfs/")]
    assert api_requests and all(r.authorized for r in api_requests)
    captured = capsys.readouterr()
    assert secret not in caplog.text + captured.out + captured.err


def test_hub_server_git_semantics(hub, api, tmp_path):
    http = get_session()
    api.create_repo(REPO, repo_type="dataset")
    one = api.create_commit(
        REPO,
        [CommitOperationAdd("a/b.txt", b"0123456789")],
        commit_message="one",
        repo_type="dataset",
    )
    api.create_tag(REPO, tag="t1", revision=one.oid, repo_type="dataset")
    with pytest.raises(HfHubHTTPError) as err:  # tags are immutable
        api.create_tag(REPO, tag="t1", repo_type="dataset")
    assert err.value.response.status_code == 409
    api.create_commit(
        REPO, [CommitOperationAdd("a/b.txt", b"changed")], commit_message="two", repo_type="dataset"
    )
    with pytest.raises(HfHubHTTPError) as err:  # optimistic concurrency on the branch head
        api.create_commit(
            REPO,
            [CommitOperationAdd("c.txt", b"x")],
            commit_message="stale",
            repo_type="dataset",
            parent_commit=one.oid,
        )
    assert err.value.response.status_code == 412

    url = f"{hub.url}/datasets/{REPO}/resolve/{{rev}}/a/b.txt"
    for rev in ("t1", one.oid, one.oid[:7]):
        got = http.get(url.format(rev=rev), headers={"Range": "bytes=2-4"})
        assert (got.status_code, got.content) == (206, b"234")
        assert got.headers["X-Repo-Commit"] == one.oid
    assert http.get(url.format(rev="main")).content == b"changed"
    assert http.head(url.format(rev="nope")).headers["X-Error-Code"] == "RevisionNotFound"
    [folder] = api.get_paths_info(REPO, ["a", "missing"], repo_type="dataset", revision="t1")
    blob = hashlib.sha1(b"blob 10\x000123456789").digest()
    assert folder.tree_id == hashlib.sha1(b"tree 33\x00100644 b.txt\x00" + blob).hexdigest()


def test_base_import_does_not_load_huggingface_hub():
    code = "import sys, newsfacts.publish.hf; sys.exit('huggingface_hub' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], timeout=60).returncode == 0


@pytest.mark.parametrize("version", ["v1.0.0", "", "1.0 beta", "latest"])
def test_version_must_be_a_bare_version_number(tmp_path, version):
    write_dataset(tmp_path, "one")
    with pytest.raises(ValueError, match="Version must look like"):
        publish_hf(tmp_path, REPO, version, dry_run=True)
