"""The project a command acts on comes from the working directory (or --project), never from
where the code is installed; errors are one line; a release acts on its own project only."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import release_repo as rr

from newsfacts.errors import NewsfactsError, ProjectNotFound
from newsfacts.project import ENV, code_mismatch, find_project, project_root, set_project

CLI = [sys.executable, "-c", "from newsfacts.cli import main; main()"]


def _cli(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k != ENV}
    return subprocess.run([*CLI, *args], cwd=cwd, capture_output=True, text=True,
                          env={**environ, **(env or {})})


def test_project_is_found_upwards_from_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.delenv(ENV, raising=False)
    (tmp_path / "proj" / "a" / "b").mkdir(parents=True)
    (tmp_path / "proj" / "release.toml").write_text("[release]\n")
    assert find_project(tmp_path / "proj" / "a" / "b") == (tmp_path / "proj").resolve()
    assert find_project(tmp_path) is None
    monkeypatch.chdir(tmp_path / "proj" / "a")
    assert project_root() == (tmp_path / "proj").resolve()
    monkeypatch.chdir(tmp_path)
    assert project_root() is None
    with pytest.raises(ProjectNotFound, match="--project DIR"):
        project_root(required=True)
    with pytest.raises(ProjectNotFound, match="not a newsfacts project"):
        set_project(tmp_path)
    set_project(tmp_path / "proj")
    assert project_root() == (tmp_path / "proj").resolve()
    set_project(None)
    assert project_root() is None


def test_every_deliberate_error_shares_one_base():
    from newsfacts.build.pipeline import BuildError, StrictError
    from newsfacts.build.sources import SourceError
    from newsfacts.evaluation.annotations import AnnotationError
    from newsfacts.evaluation.evaluate import EvaluationError, GoldFormatError
    from newsfacts.evaluation.view import UnknownArticle
    from newsfacts.publish.hf import DuplicateVersionError, PublishError
    from newsfacts.release.cut import ReleaseRefused

    for cls in (AnnotationError, BuildError, StrictError, EvaluationError, GoldFormatError,
                DuplicateVersionError, PublishError, ReleaseRefused, SourceError,
                UnknownArticle):
        assert issubclass(cls, NewsfactsError), cls


def test_validate_missing_folder_is_one_line(tmp_path):
    proc = _cli("validate", str(tmp_path / "missing"), cwd=tmp_path)
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "missing: no such folder" in lines[0] and "Traceback" not in proc.stderr
    debug = _cli("--debug", "validate", str(tmp_path / "missing"), cwd=tmp_path)
    assert debug.returncode != 0 and "Traceback" in debug.stderr


def test_commands_needing_a_project_say_so_outside_one(tmp_path):
    for args in (["release", "--version", "9.9.0"], ["publish", "pypi", "--dry-run"],
                 ["validate"]):
        proc = _cli(*args, cwd=tmp_path)
        assert proc.returncode == 1, args
        assert proc.stderr.strip().count("\n") == 0, proc.stderr
        assert "no newsfacts project" in proc.stderr


def test_release_refuses_when_running_code_is_not_the_projects(tmp_path):
    repo = rr.make_repo(tmp_path, [rr.REPO / "dataset" / "raw" / "seed"])
    assert code_mismatch(repo) is None  # a copy of this checkout: the same code
    target = repo / "src" / "newsfacts" / "errors.py"
    target.write_text(target.read_text() + "\n# changed in project B\n")
    rr.git(repo, "commit", "-qam", "change the code")
    proc = _cli("release", "--version", "9.9.0", "--allow-unlicensed", "seed", cwd=repo)
    assert proc.returncode == 1
    assert "errors.py" in proc.stderr and "release refused (code)" in proc.stderr
    assert rr.git(repo, "tag", "--list") == ""


@pytest.mark.slow
def test_release_in_another_clone_leaves_the_installed_checkout_untouched(tmp_path):
    """The tool is imported from this checkout (A); `newsfacts release` run inside project B
    commits, tags and writes dist/ in B, and nothing in A."""
    if not rr.WIKINEWS.is_dir():
        pytest.skip(f"{rr.WIKINEWS} not found")
    before = (rr.git(rr.REPO, "rev-parse", "HEAD"), rr.git(rr.REPO, "tag", "--list"),
              rr.git(rr.REPO, "status", "--porcelain"),
              sorted(p.name for p in (rr.REPO / "dist").glob("*")))
    sample = rr.write_source(tmp_path / "sources" / "wikinews-sample", rr.pick_rows()[:4])
    repo = rr.make_repo(tmp_path, [rr.REPO / "dataset" / "raw" / "seed", sample])
    proc = _cli("release", "--version", "9.9.0", "--allow-unlicensed", "seed", cwd=repo,
                env={"UV_OFFLINE": "1"})
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert rr.git(repo, "tag", "--list") == "v9.9.0"
    assert rr.git(repo, "log", "-1", "--format=%s") == "Release 9.9.0"
    assert (repo / "dist" / "newsfacts-9.9.0-py3-none-any.whl").is_file()
    after = (rr.git(rr.REPO, "rev-parse", "HEAD"), rr.git(rr.REPO, "tag", "--list"),
             rr.git(rr.REPO, "status", "--porcelain"),
             sorted(p.name for p in (rr.REPO / "dist").glob("*")))
    assert after == before


@pytest.mark.slow
def test_plain_install_builds_from_any_folder(tmp_path):
    """A wheel installed into a fresh venv (no checkout, no editable install) builds the seed
    from a folder outside any project, with the schemas shipped inside the package; the
    tables equal the committed build of the seed."""
    env = {**{k: v for k, v in os.environ.items() if k not in (ENV, "VIRTUAL_ENV")},
           "UV_OFFLINE": "1"}
    rr.run("uv", "build", "--wheel", "--out-dir", tmp_path / "whl", rr.REPO, env=env)
    wheel = next((tmp_path / "whl").glob("newsfacts-*.whl"))
    reqs = tmp_path / "requirements.txt"
    reqs.write_text(rr.run("uv", "export", "--frozen", "--extra", "build", "--no-emit-project",
                           "--no-hashes", cwd=rr.REPO, env=env))
    venv = tmp_path / "venv"
    rr.run("uv", "venv", "-q", "--python", sys.executable, venv, env=env)
    python = venv / "bin" / "python"
    online = {k: v for k, v in env.items() if k != "UV_OFFLINE"}  # the locked versions, from
    rr.run("uv", "pip", "install", "-q", "--python", python, "-r", reqs, env=online)  # uv's cache
    rr.run("uv", "pip", "install", "-q", "--python", python, "--no-deps", wheel, env=env)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    assert find_project(elsewhere) is None
    out = elsewhere / "out"
    proc = subprocess.run([venv / "bin" / "newsfacts", "build", "--source",
                           rr.REPO / "dataset" / "raw" / "seed", "--out", out],
                          cwd=elsewhere, capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    for name in ("articles", "actors", "mentions", "events", "figures"):
        for ext in ("csv", "parquet"):
            built = (out / f"{name}.{ext}").read_bytes()
            assert built == (rr.REPO / "dataset" / "data" / f"{name}.{ext}").read_bytes(), name
    missing = _cli_in(venv, "validate", cwd=elsewhere)
    assert missing.returncode == 1 and "no newsfacts project" in missing.stderr


def _cli_in(venv: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k not in (ENV, "VIRTUAL_ENV")}
    return subprocess.run([venv / "bin" / "newsfacts", *args], cwd=cwd, capture_output=True,
                          text=True, env=environ)


def test_release_without_uv_on_path_is_one_line(tmp_path):
    repo = rr.make_repo(tmp_path, [rr.REPO / "dataset" / "raw" / "seed"])
    proc = _cli("release", "--version", "9.9.0", "--allow-unlicensed", "seed", cwd=repo,
                env={"PATH": "/usr/bin:/bin"})
    assert proc.returncode == 1
    assert proc.stderr.strip().count("\n") == 0, proc.stderr
    assert "uv is not on PATH" in proc.stderr and "Traceback" not in proc.stderr
