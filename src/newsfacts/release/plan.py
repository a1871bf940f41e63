"""Release plan: `release.toml`, versions and git, and every refusal that needs no build.

`ReleaseConfig.load(root)` reads the project's `release.toml`; `preflight` checks, in the
order a maintainer would fix them, that the tree is clean and is the running code, that the
version is new and above the last one, and that every source has a licence (or is named with
`--allow-unlicensed`). `newsfacts.release.cut` does the release itself.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsfacts.errors import NewsfactsError

CONFIG_FILE = "release.toml"
VERSION_RE = re.compile(r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)")
BUMPS = ("major", "minor", "patch")
UNLICENSED = "NOASSERTION"
CHANGELOG_HEAD = """# Changelog

All notable changes to the newsfacts dataset and package. The format follows
[Keep a Changelog](https://keepachangelog.com/en/1.1.0/) and versions follow
[Semantic Versioning](https://semver.org/spec/v2.0.0.html): a major version changes the schema,
a minor one the data, a patch fixes rows.

## [Unreleased]
"""


class ReleaseRefused(NewsfactsError, RuntimeError):
    """The release cannot be made; `reason` is a short code, the message says why and how."""

    def __init__(self, reason: str, message: str, details: list[str] | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.details = details or []


@dataclass(frozen=True)
class ReleaseConfig:
    """`release.toml`: paths are resolved against the repository root."""

    root: Path
    sources: tuple[Path, ...]
    allow_unlicensed: tuple[str, ...]
    history: Path
    dist: Path
    hf_repo_id: str
    model: str

    @classmethod
    def load(cls, root: Path) -> ReleaseConfig:
        """Read `<root>/release.toml` (table `[release]`)."""
        from newsfacts.build import DEFAULT_MODEL

        root = Path(root).resolve()
        path = root / CONFIG_FILE
        if not path.is_file():
            raise ReleaseRefused("no-config", f"{path}: missing; a release needs its sources "
                                              "listed in release.toml")
        cfg = tomllib.loads(path.read_text(encoding="utf-8")).get("release", {})
        if not cfg.get("sources"):
            raise ReleaseRefused("no-config", f"{path}: [release] sources must list at least "
                                              "one source folder")
        return cls(
            root=root,
            sources=tuple((root / p).resolve() for p in cfg["sources"]),
            allow_unlicensed=tuple(cfg.get("allow_unlicensed", ())),
            history=(root / cfg.get("history", "releases")).resolve(),
            dist=(root / cfg.get("dist", "dist")).resolve(),
            hf_repo_id=cfg.get("hf_repo_id", "newsfacts/newsfacts"),
            model=cfg.get("model", DEFAULT_MODEL),
        )


# --------------------------------------------------------------------------- versions and git


def parse_version(text: str) -> tuple[int, int, int]:
    """`X.Y.Z` as a tuple of ints; anything else is refused."""
    m = VERSION_RE.fullmatch(text or "")
    if not m:
        raise ReleaseRefused("bad-version", f"version {text!r} is not MAJOR.MINOR.PATCH "
                                            "(e.g. 1.2.0)")
    return int(m[1]), int(m[2]), int(m[3])


def bump_version(latest: str | None, part: str) -> str:
    """Next version after `latest` (None: nothing released yet, counted from 0.0.0)."""
    major, minor, patch = parse_version(latest or "0.0.0")
    if part == "major":
        return f"{major + 1}.0.0"
    if part == "minor":
        return f"{major}.{minor + 1}.0"
    if part == "patch":
        return f"{major}.{minor}.{patch + 1}"
    raise ReleaseRefused("bad-version", f"--bump must be one of {', '.join(BUMPS)}, not {part!r}")


def git(root: Path, *args: str, check: bool = True) -> str:
    """Run git in `root`; return stdout without surrounding newlines."""
    if shutil.which("git") is None:
        raise ReleaseRefused("git", "git is not on PATH; a release commits and tags with git")
    proc = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise ReleaseRefused("git", f"git {' '.join(args)} failed: {proc.stderr.strip()}")
    return proc.stdout.strip("\n")


def released_versions(cfg: ReleaseConfig) -> list[str]:
    """Versions released so far (tags `vX.Y.Z` and manifests), oldest first."""
    tags = git(cfg.root, "tag", "--list", "v*").splitlines()
    found = {t[1:] for t in tags if VERSION_RE.fullmatch(t[1:])}
    if cfg.history.is_dir():
        found |= {p.name for p in cfg.history.iterdir()
                  if VERSION_RE.fullmatch(p.name) and (p / "rows.tsv").is_file()}
    return sorted(found, key=parse_version)


def changelog_versions(path: Path) -> set[str]:
    """Versions that have a `## [X.Y.Z]` heading in the changelog."""
    if not path.is_file():
        return set()
    return set(re.findall(r"^## \[?v?([0-9]+\.[0-9]+\.[0-9]+)\]?", path.read_text("utf-8"),
                          re.MULTILINE))


def pyproject_version(root: Path) -> str:
    """`[project] version` of `root/pyproject.toml`: the one place the version is written."""
    return tomllib.loads((root / "pyproject.toml").read_text("utf-8"))["project"]["version"]


def set_pyproject_version(text: str, version: str) -> str:
    """`pyproject.toml` text with `[project] version` replaced (only that line changes)."""
    start = re.search(r"^\[project\][ \t]*$", text, re.MULTILINE)
    end = re.search(r"^\[", text[start.end():], re.MULTILINE) if start else None
    stop = start.end() + end.start() if end else len(text)
    line = re.compile(r'^(version\s*=\s*)"[^"]*"', re.MULTILINE)
    table, n = line.subn(rf'\g<1>"{version}"', text[start.end():stop] if start else "", count=1)
    if n != 1:
        raise ReleaseRefused("pyproject", "pyproject.toml: no `version = \"...\"` line in "
                                          "[project]; the version must be written there")
    return text[:start.end()] + table + text[stop:]


# --------------------------------------------------------------------------- refusals


@dataclass(frozen=True)
class Plan:
    """A release that passed every check which needs no build."""

    version: str
    previous: str | None
    sources: tuple[Any, ...]  # newsfacts.build.sources.Source
    unlicensed: tuple[str, ...]  # names of included NOASSERTION sources, explicitly allowed


def preflight(cfg: ReleaseConfig, version: str | None = None, bump: str | None = None,
              allow_unlicensed: Iterable[str] = ()) -> Plan:
    """Every refusal that needs no build, in the order a maintainer would fix them."""
    from newsfacts.build.sources import Source, SourceError
    from newsfacts.project import code_mismatch

    if (version is None) == (bump is None):
        raise ReleaseRefused("bad-version", "give exactly one of --version X.Y.Z or "
                                            "--bump major|minor|patch")
    if git(cfg.root, "rev-parse", "--is-inside-work-tree", check=False) != "true":
        raise ReleaseRefused("git", f"{cfg.root} is not a git work tree")
    mismatch = code_mismatch(cfg.root)
    if mismatch:
        raise ReleaseRefused("code", mismatch)
    if shutil.which("uv") is None:  # checked again where it is used; here before any build
        raise ReleaseRefused("package", "uv is not on PATH; the sdist and wheel are made with "
                                        "`uv build`: pip install uv, then release again")
    dirty = git(cfg.root, "status", "--porcelain", "--untracked-files=normal").splitlines()
    if dirty:
        raise ReleaseRefused("dirty", f"the work tree has {len(dirty)} uncommitted changes; "
                                      "commit or stash them so the tag names what was released",
                             dirty)
    released = released_versions(cfg)
    previous = released[-1] if released else None
    version = version if version is not None else bump_version(previous, bump or "")
    parse_version(version)
    tag = f"v{version}"
    if git(cfg.root, "rev-parse", "-q", "--verify", f"refs/tags/{tag}", check=False):
        raise ReleaseRefused("exists", f"tag {tag} exists already; a version is released once")
    if version in changelog_versions(cfg.root / "CHANGELOG.md"):
        hint = ""
        if git(cfg.root, "log", "-1", "--format=%s") == f"Release {version}":
            hint = (f"; HEAD is its release commit but the tag is missing (a run stopped "
                    f"before tagging): git tag -a {tag} -m 'newsfacts {version}'")
        raise ReleaseRefused("exists", f"CHANGELOG.md already has an entry for {version}{hint}")
    if (cfg.history / version).exists():
        raise ReleaseRefused("exists", f"{cfg.history / version} exists already")
    if previous and parse_version(version) <= parse_version(previous):
        raise ReleaseRefused("exists", f"version {version} is not above the last release "
                                       f"{previous}")
    try:
        sources = tuple(Source.open(p) for p in cfg.sources)
    except SourceError as exc:
        raise ReleaseRefused("source", str(exc)) from None
    allowed = set(cfg.allow_unlicensed) | set(allow_unlicensed)
    names = {s.name for s in sources}
    unknown = sorted(allowed - names)
    if unknown:
        raise ReleaseRefused("unlicensed", f"--allow-unlicensed names {', '.join(unknown)}, "
                                           "which is not an included source "
                                           f"({', '.join(sorted(names))})")
    bad = [s for s in sources if s.license.strip().upper() in ("", UNLICENSED)]
    refused = [s for s in bad if s.name not in allowed]
    if refused:
        raise ReleaseRefused(
            "unlicensed",
            "sources without a licence cannot be published: "
            + ", ".join(f"{s.name} ({s.path})" for s in refused)
            + "; remove them from release.toml or name each with --allow-unlicensed SOURCE",
        )
    return Plan(version, previous, sources, tuple(s.name for s in bad))
