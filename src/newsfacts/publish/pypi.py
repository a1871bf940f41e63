"""Publish a release's sdist and wheel to a Python package index, safely re-runnable.

Before uploading, the index's simple page for `newsfacts` is read: files already there with the
same SHA-256 are skipped, a file there with different content is an error (an index never
replaces a file), the rest are uploaded with `twine upload`; afterwards the index must list every
file with its SHA-256. So re-running a publish that stopped half-way uploads only what is
missing. (twine's own `--skip-existing` is refused by twine 7 for indexes other than PyPI.)

Credentials come only from the environment (`TWINE_USERNAME`/`TWINE_PASSWORD`, or
`UV_PUBLISH_TOKEN` passed to twine as an API token); they are never printed, logged or written.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from newsfacts.errors import NewsfactsError

PROJECT = "newsfacts"
PYPI_UPLOAD = "https://upload.pypi.org/legacy/"
PYPI_SIMPLE = "https://pypi.org/simple/"


class PublishError(NewsfactsError, RuntimeError):
    """A release cannot be published as asked (to PyPI or the Hugging Face Hub)."""


@dataclass(frozen=True)
class DistFile:
    path: Path
    size: int
    sha256: str


@dataclass
class PypiResult:
    repository_url: str
    index_url: str
    uploaded: list[DistFile] = field(default_factory=list)
    skipped: list[DistFile] = field(default_factory=list)
    dry_run: bool = False
    index_checked: bool = True

    def summary(self) -> str:
        """One line per file: what was (or, in a dry run, would be) done."""
        verb = "would upload" if self.dry_run else "uploaded"
        head = f"{'dry run: ' if self.dry_run else ''}{self.repository_url}"
        if not self.index_checked:
            head += f" (index {self.index_url} not reachable: every file is listed as an upload)"
        lines = [head]
        lines += [f"  {verb:<13} {f.size:>10}  sha256:{f.sha256}  {f.path.name}"
                  for f in self.uploaded]
        lines += [f"  {'skip (exists)':<13} {f.size:>10}  sha256:{f.sha256}  {f.path.name}"
                  for f in self.skipped]
        return "\n".join(lines)


def dist_files(dist: Path, version: str) -> list[DistFile]:
    """The sdist and wheel of `version` in `dist`."""
    want = [dist / f"{PROJECT}-{version}.tar.gz", dist / f"{PROJECT}-{version}-py3-none-any.whl"]
    missing = [p.name for p in want if not p.is_file()]
    if missing:
        raise PublishError(f"{dist}: missing {', '.join(missing)}; run `newsfacts release` first")
    return [DistFile(p, p.stat().st_size, hashlib.sha256(p.read_bytes()).hexdigest())
            for p in want]


def default_index_url(repository_url: str) -> str:
    """Simple index that matches an upload URL: PyPI's and TestPyPI's known pair, else
    `<url without legacy/>/simple/` (pypiserver, devpi and most private indexes)."""
    host = urlsplit(repository_url).netloc
    if host == "upload.pypi.org":
        return PYPI_SIMPLE
    if host == "test.pypi.org":
        return "https://test.pypi.org/simple/"
    base = repository_url.rstrip("/")
    base = base.removesuffix("/legacy")
    return base + "/simple/"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        if tag == "a":
            self.hrefs.extend(v for k, v in attrs if k == "href" and v)


def index_files(index_url: str, project: str = PROJECT, timeout: float = 20) -> dict[str, str]:
    """{file name: sha256 or ""} listed on the project's simple page ({} if the project is new)."""
    url = urljoin(index_url if index_url.endswith("/") else index_url + "/", f"{project}/")
    req = urllib.request.Request(url, headers={"Accept": "text/html"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            page = resp.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            return {}
        raise
    parser = _Links()
    parser.feed(page)
    out = {}
    for href in parser.hrefs:
        path, _, fragment = href.partition("#")
        name = path.rstrip("/").rsplit("/", 1)[-1]
        out[name] = fragment.removeprefix("sha256=") if fragment.startswith("sha256=") else ""
    return out


def _twine_env() -> dict[str, str]:
    """The environment for twine: UV_PUBLISH_* mapped onto TWINE_* when those are unset."""
    env = dict(os.environ)
    token = env.get("UV_PUBLISH_TOKEN")
    if token and not env.get("TWINE_PASSWORD"):
        env["TWINE_USERNAME"], env["TWINE_PASSWORD"] = "__token__", token
    for uv, tw in (("UV_PUBLISH_USERNAME", "TWINE_USERNAME"),
                   ("UV_PUBLISH_PASSWORD", "TWINE_PASSWORD")):
        if env.get(uv) and not env.get(tw):
            env[tw] = env[uv]
    env.setdefault("TWINE_NON_INTERACTIVE", "1")
    return env


def publish_pypi(dist: Path, version: str, *, repository_url: str | None = None,
                 index_url: str | None = None, dry_run: bool = False) -> PypiResult:
    """Upload what of the release's sdist and wheel is not on the index yet."""
    repository_url = repository_url or PYPI_UPLOAD
    index_url = index_url or default_index_url(repository_url)
    files = dist_files(Path(dist), version)
    result = PypiResult(repository_url, index_url, dry_run=dry_run)
    try:
        existing = index_files(index_url)
    except (urllib.error.URLError, OSError) as exc:
        if not dry_run:
            raise PublishError(f"cannot read the index {index_url}: {exc}; pass --index-url "
                               "with the index that serves this repository") from None
        existing, result.index_checked = {}, False
    for f in files:
        remote = existing.get(f.path.name)
        if remote is None:
            result.uploaded.append(f)
        elif remote and remote != f.sha256:
            raise PublishError(f"{f.path.name} is on {index_url} with sha256 {remote}, not "
                               f"{f.sha256}: a published file cannot be replaced; release a "
                               "new version")
        else:
            result.skipped.append(f)
    if dry_run or not result.uploaded:
        return result
    # No --skip-existing: twine 7 allows it only for PyPI; the index check above does its job
    # for every index, and the check below accepts a file another run uploaded meanwhile.
    cmd = [sys.executable, "-m", "twine", "upload", "--non-interactive",
           "--disable-progress-bar", "--repository-url", repository_url,
           *[str(f.path) for f in result.uploaded]]
    proc = subprocess.run(cmd, env=_twine_env(), capture_output=True, text=True)
    after = index_files(index_url)
    absent = [f.path.name for f in files if after.get(f.path.name) not in (f.sha256, "")]
    if proc.returncode != 0 and absent:
        raise PublishError(f"twine upload failed (exit {proc.returncode}); not on the index: "
                           f"{', '.join(absent)}; re-running uploads only those:\n"
                           f"{(proc.stdout + proc.stderr)[-3000:]}")
    if absent:
        raise PublishError(f"uploaded, but {index_url} does not list {', '.join(absent)} yet; "
                           "re-run the same command to check and complete")
    return result
