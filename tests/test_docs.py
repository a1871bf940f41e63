"""The shell snippets of README.md and RELEASING.md run as written.

Every command line of a ```bash / ```sh block is classified below by its start: `cheap` runs
here (from the checkout, read-only or writing under /tmp), `slow` runs under the `slow` marker
in a throwaway copy of the checkout (its own git repository, `release.toml` and virtual
environment), `skip` says why it cannot run in a test. A command no entry covers fails
`test_every_snippet_is_classified`, so a new snippet gets a decision. Synopses with
placeholders are ```text blocks, not snippets.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
import release_repo as rr

REPO = rr.REPO
DOCS = ("README.md", "RELEASING.md")

# command start -> (mode, reason)
CLASSES: dict[str, tuple[str, str]] = {
    "pip install uv && uv run --frozen --extra build newsfacts build": (
        "slow", "rebuilds dataset/data/ (in a copy of the checkout)"),
    "pip install uv && uv run --frozen --extra dev pytest": (
        "skip", "the test command itself; .ci/run runs it as written"),
    "uv run --frozen --extra build newsfacts validate": ("cheap", ""),
    "uv run --frozen --extra build newsfacts evaluate": (
        "slow", "scores the committed build against the dev gold"),
    "uv run --frozen --extra build newsfacts build --source dataset/raw/seed": (
        "slow", "builds the whole Wikinews source"),
    "uv run --frozen --extra build newsfacts inspect": ("cheap", ""),
    'pip install "newsfacts[build,scale]==X.Y.Z"': ("skip", "cluster set-up, needs hosts"),
    "dask scheduler": ("skip", "cluster set-up, needs hosts"),
    "DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED=False": ("skip", "cluster set-up, needs hosts"),
    "newsfacts build --engine dask --scheduler": ("skip", "cluster set-up, needs hosts"),
    "uv sync --frozen --extra dev": ("slow", "in the copy: makes its own environment"),
    "uv run --frozen newsfacts release --version 1.2.0": (
        "slow", "a real release of the copy (seed + a Wikinews sample)"),
    "git push origin main v1.2.0": ("slow", "to a bare repository standing in for origin"),
    "uv run --frozen newsfacts publish pypi --dry-run": (
        "skip", "reads the real index; tests/publish runs it against a local pypiserver"),
    "uv run --frozen newsfacts publish hf --repo-id": (
        "skip", "needs the Hub; tests/publish runs it against tests/hub_server.py"),
}


def commands(doc: str) -> list[str]:
    """Command lines of the doc's ```bash/```sh blocks (continuations joined, comments cut)."""
    text = (REPO / doc).read_text(encoding="utf-8")
    out = []
    for block in re.findall(r"^```(?:bash|sh)\n(.*?)^```", text, re.MULTILINE | re.DOTALL):
        joined = re.sub(r"\\\n\s*", "", block)
        for line in joined.splitlines():
            line = re.sub(r"\s+#.*$", "", line).strip()
            if line and not line.startswith("#"):
                out.append(line)
    return out


def classify(command: str) -> tuple[str, str] | None:
    for start, decision in CLASSES.items():
        if command.startswith(start):
            return decision
    return None


def _run(command: str, cwd: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "NEWSFACTS_PROJECT")}
    proc = subprocess.run(command, shell=True, cwd=cwd, capture_output=True, text=True, env=env,
                          executable="/bin/bash")
    assert proc.returncode == 0, (f"{command!r} in {cwd} failed ({proc.returncode}):\n"
                                  f"{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}")


def test_every_snippet_is_classified():
    found = [(doc, c) for doc in DOCS for c in commands(doc)]
    assert len(found) >= 10
    unknown = [f"{doc}: {c}" for doc, c in found if classify(c) is None]
    assert not unknown, "classify these snippets in tests/test_docs.py:\n" + "\n".join(unknown)


@pytest.mark.parametrize("command", [c for d in DOCS for c in commands(d)
                                     if (classify(c) or ("",))[0] == "cheap"])
def test_cheap_snippet_runs(command):
    _run(command, REPO)


@pytest.mark.slow
def test_slow_snippets_run_in_a_copy(tmp_path):
    """README's build and evaluate lines, then RELEASING.md's block from `uv sync` to `git
    push`, in a throwaway git copy of the checkout with a bare `origin`."""
    if not rr.WIKINEWS.is_dir():
        pytest.skip(f"{rr.WIKINEWS} not found")
    sample = rr.write_source(tmp_path / "sources" / "wikinews-sample", rr.pick_rows()[:4])
    copy = rr.make_repo(tmp_path, [REPO / "dataset" / "raw" / "seed", sample])
    origin = tmp_path / "origin.git"
    rr.run("git", "init", "-q", "--bare", origin)
    rr.git(copy, "remote", "add", "origin", str(origin))
    shared = REPO.parent / "shared"
    if not (copy.parent / "shared").exists():
        (copy.parent / "shared").symlink_to(shared)  # ../shared beside the copy, as documented
    slow = [c for d in DOCS for c in commands(d) if (classify(c) or ("",))[0] == "slow"]
    readme = [c for c in slow if c in commands("README.md")]
    releasing = [c for c in slow if c in commands("RELEASING.md")]
    for command in readme:
        _run(command, copy)
    rr.run("git", "-C", copy, "checkout", "--", ".")  # the rebuild rewrote committed outputs
    for command in releasing:
        _run(command, copy)
    assert rr.git(origin, "tag", "--list") == "v1.2.0"
