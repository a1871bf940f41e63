"""Throwaway release repositories for the release tests (never the real checkout).

`make_repo` copies this checkout's files (tracked and untracked-but-not-ignored) into a fresh
git repository under a temporary folder, with a `release.toml` naming the seed and a small
Wikinews sample chosen to fill all three splits. Building it costs a few seconds, so
`first_release` is made once per test session and shared by the test modules.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
WIKINEWS = SHARED / "corpus" / "wikinews-2019-2020"
GOLD = SHARED / "gold" / "dev"
PER_SPLIT = {"train": 6, "validation": 2, "test": 2}
_CACHE: dict[str, object] = {}


def run(*cmd: str | Path, cwd: Path | None = None, env: dict | None = None) -> str:
    proc = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True,
                          text=True)
    if proc.returncode != 0:
        raise AssertionError(f"{cmd} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc.stdout


def wikinews_rows() -> list[dict[str, str]]:
    """Wikinews CSV rows with their article id and split, in file order."""
    from newsfacts.build.normalize import article_id_from_url, split_for

    rows = []
    for path in sorted(WIKINEWS.glob("*.csv")):
        with open(path, encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                aid = article_id_from_url(row["url"])
                rows.append({**row, "article_id": aid, "split": split_for(aid)})
    return rows


def gold_ids() -> set[str]:
    """Article ids of the dev gold files (empty without ../shared/gold)."""
    if not GOLD.is_dir():
        return set()
    return {json.loads(p.read_text("utf-8"))["article_id"] for p in GOLD.glob("*.json")}


def pick_rows(skip: int = 0) -> list[dict[str, str]]:
    """PER_SPLIT rows of each split, gold-annotated articles first, after skipping `skip` of
    each split; returned in file order."""
    gold = gold_ids()
    rows = wikinews_rows()
    ranked = sorted(range(len(rows)), key=lambda i: (rows[i]["article_id"] not in gold, i))
    seen = {s: 0 for s in PER_SPLIT}
    keep = []
    for i in ranked:
        s = rows[i]["split"]
        seen[s] += 1
        if skip < seen[s] <= skip + PER_SPLIT[s]:
            keep.append(i)
    return [rows[i] for i in sorted(keep)]


def write_source(folder: Path, rows: list[dict[str, str]]) -> Path:
    """A `wikinews-csv` source folder with these rows and the real source.json licence."""
    folder.mkdir(parents=True, exist_ok=True)
    meta = json.loads((WIKINEWS / "source.json").read_text("utf-8"))
    meta["files"] = ["sample.csv"]
    (folder / "source.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
    with open(folder / "sample.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["url", "date", "title", "text"],
                           extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    return folder


def git(repo: Path, *args: str) -> str:
    return run("git", "-C", repo, *args).strip()


def make_repo(root: Path, sources: list[Path], *, allow_unlicensed: list[str] = ()) -> Path:
    """A git repo at `root/repo` with this checkout's files and a release.toml for `sources`."""
    repo = root / "repo"
    files = run("git", "-C", REPO, "ls-files", "-z", "--cached", "--others",
                "--exclude-standard").split("\0")
    for rel in files:
        if rel and (REPO / rel).is_file():
            (repo / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / rel, repo / rel)
    shutil.rmtree(repo / "releases", ignore_errors=True)  # start with no release history
    (repo / "CHANGELOG.md").unlink(missing_ok=True)
    cfg = [
        "[release]",
        f"sources = {json.dumps([str(s) for s in sources])}",
        f"allow_unlicensed = {json.dumps(list(allow_unlicensed))}",
        'hf_repo_id = "test-org/newsfacts"',
    ]
    (repo / "release.toml").write_text("\n".join(cfg) + "\n", encoding="utf-8")
    run("git", "init", "-q", "-b", "main", repo)
    for key, value in (("user.name", "Release Test"), ("user.email", "release@test.invalid"),
                       ("commit.gpgsign", "false"), ("tag.gpgsign", "false"),
                       ("core.hooksPath", "/dev/null")):
        git(repo, "config", key, value)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "test repository")
    return repo


@contextmanager
def loopback_only():
    """Refuse, inside this process, any connection that is not to 127.0.0.1/::1/localhost."""
    import socket

    real = socket.socket.connect

    def connect(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6) and address[0] not in (
                "127.0.0.1", "::1", "localhost"):
            raise OSError(f"test tried to reach {address!r}: only 127.0.0.1 is allowed")
        return real(self, address)

    socket.socket.connect = connect
    try:
        yield
    finally:
        socket.socket.connect = real


@contextmanager
def offline_build():
    """`uv build` from uv's cache only (hatchling is cached by `uv sync`): no network."""
    old = os.environ.get("UV_OFFLINE")
    os.environ["UV_OFFLINE"] = "1"
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("UV_OFFLINE", None)
        else:
            os.environ["UV_OFFLINE"] = old


def first_release(tmp_path_factory):
    """Release 1.0.0 of seed + sample, made once per session: (repo, ReleaseResult).
    Skips the calling test when the shared Wikinews source is absent."""
    if not WIKINEWS.is_dir():
        pytest.skip(f"{WIKINEWS} not found")
    if "first" not in _CACHE:
        from newsfacts.release.cut import cut_release

        root = tmp_path_factory.mktemp("release")
        sample = write_source(root / "sources" / "wikinews-sample", pick_rows())
        repo = make_repo(root, [REPO / "dataset" / "raw" / "seed", sample])
        with offline_build():
            result = cut_release(repo, "1.0.0", allow_unlicensed=["seed"])
        _CACHE["first"] = (repo, result)
    return _CACHE["first"]


@pytest.fixture(autouse=True)
def no_network():
    """Autouse in the release test modules that import it: no connection leaves loopback."""
    with loopback_only():
        yield
