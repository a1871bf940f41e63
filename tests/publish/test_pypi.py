"""Publishing to a real package index: a local `pypiserver` on 127.0.0.1, twine uploads, and
`pip install newsfacts` from it into a fresh virtual environment.

The fresh venv must get pandas and pyarrow without reaching PyPI (reachable here, but a test
must not depend on it) and without this machine's global pip config (extra index, find-links,
constraints). So pip runs with `PIP_CONFIG_FILE=/dev/null`, every other `PIP_*` variable
removed, and `--index-url` = the local server only; the venv sees pandas, pyarrow and their
dependencies (resolved from their metadata, nothing else: no spaCy, no newsfacts) through a
`.pth` file pointing at a folder of symlinks into this environment. pip then resolves
newsfacts's declared dependencies against those installed distributions and installs only
newsfacts, from the index.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from importlib import metadata
from pathlib import Path

import pandas as pd
import pytest
import release_repo as rr
from packaging.requirements import Requirement
from release_repo import no_network  # noqa: F401  (autouse)

from newsfacts.load import read_table
from newsfacts.publish.pypi import PublishError, index_files, publish_pypi
from newsfacts.schema import TABLES

VERSION = "1.0.0"
TOKEN = "pypi-SECRET-token-never-shown-1234"


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    repo, _ = rr.first_release(tmp_path_factory)
    return repo / "dist"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(autouse=True)
def _credentials(monkeypatch):
    """The test index needs none, but twine (non-interactive) wants some: from the env only."""
    for key in [k for k in os.environ if k.startswith(("TWINE_", "UV_PUBLISH_"))]:
        monkeypatch.delenv(key)
    monkeypatch.setenv("TWINE_USERNAME", "test")
    monkeypatch.setenv("TWINE_PASSWORD", "test")


@pytest.fixture
def index(tmp_path):
    """A pypiserver on 127.0.0.1 (no fallback to PyPI, uploads without auth); its URL."""
    packages = tmp_path / "packages"
    packages.mkdir()
    port = _free_port()
    exe = Path(sys.executable).with_name("pypi-server")
    proc = subprocess.Popen([str(exe), "run", "-i", "127.0.0.1", "-p", str(port), "-a", ".",
                             "-P", ".", "--disable-fallback", "--hash-algo", "sha256",
                             str(packages)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(url + "simple/", timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None:
                    raise AssertionError(proc.stderr.read().decode()) from None
                time.sleep(0.1)
        yield url, packages
    finally:
        proc.terminate()
        proc.wait(10)


def _names(result) -> tuple[list[str], list[str]]:
    return [f.path.name for f in result.uploaded], [f.path.name for f in result.skipped]


WHEEL = f"newsfacts-{VERSION}-py3-none-any.whl"
SDIST = f"newsfacts-{VERSION}.tar.gz"


def test_dry_run_uploads_nothing(dist, index):
    url, packages = index
    result = publish_pypi(dist, VERSION, repository_url=url, dry_run=True)
    assert _names(result) == ([SDIST, WHEEL], [])
    assert "would upload" in result.summary() and list(packages.iterdir()) == []


def test_rerun_after_half_failed_publish_completes_without_duplicates(dist, index):
    url, packages = index
    # A first run that died after the wheel: the index has the wheel only.
    rr.run(sys.executable, "-m", "twine", "upload", "--non-interactive", "--repository-url", url,
           dist / WHEEL)
    assert set(index_files(url + "simple/")) == {WHEEL}
    result = publish_pypi(dist, VERSION, repository_url=url)
    assert _names(result) == ([SDIST], [WHEEL])
    again = publish_pypi(dist, VERSION, repository_url=url)
    assert _names(again) == ([], [SDIST, WHEEL])
    listed = index_files(url + "simple/")
    assert set(listed) == {SDIST, WHEEL} and sorted(p.name for p in packages.iterdir()) == sorted(
        [SDIST, WHEEL])
    assert {f.path.name: f.sha256 for f in [*result.uploaded, *result.skipped]} == listed


def test_refuses_a_different_file_under_the_same_name(dist, monkeypatch):
    monkeypatch.setattr("newsfacts.publish.pypi.index_files", lambda url: {WHEEL: "0" * 64})
    with pytest.raises(PublishError, match="cannot be replaced"):
        publish_pypi(dist, VERSION, repository_url="http://127.0.0.1:9/", dry_run=True)


def test_cli_publish_never_prints_the_token(dist, index, monkeypatch):
    from typer.testing import CliRunner

    from newsfacts.cli import app

    url, _ = index
    for key in ("TWINE_USERNAME", "TWINE_PASSWORD"):
        monkeypatch.delenv(key)
    monkeypatch.setenv("UV_PUBLISH_TOKEN", TOKEN)  # mapped to twine's __token__ login
    args = ["publish", "pypi", "--repository-url", url, "--dist", str(dist),
            "--version", VERSION]
    runner = CliRunner()
    dry = runner.invoke(app, [*args, "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "would upload" in dry.stdout and WHEEL in dry.stdout and SDIST in dry.stdout
    assert index_files(url + "simple/") == {}
    real = runner.invoke(app, args)
    assert real.exit_code == 0, real.output
    assert re.search(rf"uploaded\s+\d+\s+sha256:[0-9a-f]{{64}}\s+{re.escape(WHEEL)}", real.stdout)
    for out in (dry.stdout, dry.stderr, real.stdout, real.stderr):
        assert TOKEN not in out
    for path in dist.rglob("*"):
        if path.is_file() and path.stat().st_size < 5_000_000:
            assert TOKEN.encode() not in path.read_bytes()


def _deps_site(target: Path) -> Path:
    """Symlinks to pandas, pyarrow and their runtime dependencies (nothing else)."""
    target.mkdir()
    todo, seen = ["pandas", "pyarrow"], set()
    while todo:
        name = todo.pop().lower().replace("_", "-")
        if name in seen:
            continue
        seen.add(name)
        dist = metadata.distribution(name)
        for req in dist.requires or []:
            r = Requirement(req)
            if r.marker is None or r.marker.evaluate({"extra": ""}):
                todo.append(r.name)
        site = Path(dist.locate_file(""))
        for top in {Path(str(f)).parts[0] for f in dist.files or []}:
            src = site / top
            if src.exists() and not top.endswith(".pth") and top != "..":
                dst = target / top
                if not dst.exists():
                    dst.symlink_to(src)
    return target


def test_pip_install_from_the_index_loads_the_built_tables(dist, index, tmp_path):
    url, _ = index
    publish_pypi(dist, VERSION, repository_url=url)
    venv = tmp_path / "venv"
    rr.run(sys.executable, "-m", "venv", venv)  # pip from ensurepip's bundled wheel: offline
    py = venv / "bin" / "python"
    site = Path(rr.run(py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])")
                .strip())
    (site / "zz_newsfacts_test_deps.pth").write_text(str(_deps_site(tmp_path / "deps")) + "\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env.update(PIP_CONFIG_FILE=os.devnull, PIP_DISABLE_PIP_VERSION_CHECK="1",
               PIP_NO_CACHE_DIR="1", PIP_NO_INPUT="1")
    out = rr.run(py, "-m", "pip", "install", "--index-url", url + "simple/",
                 f"newsfacts=={VERSION}", env=env)
    assert "Successfully installed newsfacts-1.0.0" in out, out
    dump = tmp_path / "dump"
    script = f"""
import sys, pickle, newsfacts
assert newsfacts.__file__.startswith({str(venv)!r}), newsfacts.__file__
assert newsfacts.version == {VERSION!r}, newsfacts.version
frames = {{t: newsfacts.load(t) for t in newsfacts.tables()}}
frames["events/train"] = newsfacts.load("events", split="train")
heavy = sorted(m for m in ("spacy", "pandera", "datasets", "frictionless") if m in sys.modules)
pickle.dump((frames, heavy, str(sys.modules["newsfacts.load"].data_dir())),
            open({str(dump)!r}, "wb"))
"""
    rr.run(py, "-I", "-c", script, env={k: v for k, v in env.items() if k != "NEWSFACTS_DATA"})
    import pickle

    frames, heavy, data_dir = pickle.loads(dump.read_bytes())
    assert heavy == [] and data_dir.startswith(str(venv))
    # The reference: the tables bundled in the wheel that was built, read in this process.
    import zipfile

    ref = tmp_path / "ref"
    ref.mkdir()
    with zipfile.ZipFile(dist / WHEEL) as z:
        for t in TABLES:
            (ref / f"{t}.parquet").write_bytes(z.read(f"newsfacts/data/{t}.parquet"))
    for t in TABLES:
        pd.testing.assert_frame_equal(frames[t], read_table(t, ref))
        assert len(frames[t]) > 0
    articles = read_table("articles", ref)
    train = set(articles.loc[articles["split"] == "train", "article_id"])
    assert set(frames["events/train"]["article_id"]) <= train
