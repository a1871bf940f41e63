"""Cut a versioned release: build, validate, diff, changelog, artifacts, commit and tag.

`cut_release(root, version=... | bump=...)` does, in this order, and stops at the first problem:

1. refusals that need no build (`preflight`): a dirty tree, running code that is not the
   project's, no `uv` on PATH, a version that exists (tag, CHANGELOG or
   manifest) or is not above the last release, a source whose licence is NOASSERTION (or
   missing) that `--allow-unlicensed` (or the config's `allow_unlicensed`) does not name;
2. a full build of the configured sources with both validators (any failure refuses);
3. the data diff against the previous release's manifest, and the recorded held-out quality
   figures (`dataset/quality.json`; refused when missing or stale);
4. artifacts under `dist/` (`newsfacts.release.artifacts`), built from a staging copy of the
   committed files, so nothing in the checkout changes unless every artifact was made: sdist
   and wheel (tables + schemas inside the package), `newsfacts-X.Y.Z-csv.zip` and `hf/` (card,
   split Parquet files, croissant.json);
5. only then the repository: version in `pyproject.toml`, the CHANGELOG entry, the manifest in
   `releases/X.Y.Z/`, one commit and the annotated tag `vX.Y.Z`.

Configuration: `release.toml` at the repository root (see that file).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsfacts.errors import NewsfactsError
from newsfacts.release.diff import DataDiff, Manifest, diff, render

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


@dataclass
class ReleaseResult:
    """What a release made."""

    version: str
    previous: str | None
    commit: str
    tag: str
    artifacts: list[Path]
    hf_dir: Path
    diff: DataDiff
    quality: dict[str, Any] | None
    changelog_entry: str
    rows: dict[str, int] = field(default_factory=dict)


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
    refused = ReleaseRefused("pyproject", "pyproject.toml: no `version = \"...\"` line in "
                                          "[project]; the version must be written there")
    start = re.search(r"^\[project\][ \t]*$", text, re.MULTILINE)
    if start is None:
        raise refused
    end = re.search(r"^\[", text[start.end():], re.MULTILINE)
    stop = start.end() + end.start() if end else len(text)
    line = re.compile(r'^(version\s*=\s*)"[^"]*"', re.MULTILINE)
    table, n = line.subn(rf'\g<1>"{version}"', text[start.end():stop], count=1)
    if n != 1:
        raise refused
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


# --------------------------------------------------------------------------- the release


def release_date() -> dt.date:
    """`SOURCE_DATE_EPOCH` when set (reproducible artifacts), else today in UTC."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.datetime.now(tz=dt.UTC).date()


def cut_release(
    root: Path, version: str | None = None, bump: str | None = None, *,
    allow_unlicensed: Iterable[str] = (), extractor: Callable | None = None,
    log: Callable[[str], None] = lambda _: None,
) -> ReleaseResult:
    """Make a release of the repository at `root` (see the module docstring)."""
    from newsfacts.build.pipeline import BuildError, build
    from newsfacts.release.artifacts import build_packages, write_csv_zip, write_hf_folder

    cfg = ReleaseConfig.load(root)
    plan = preflight(cfg, version, bump, allow_unlicensed)
    version, tag = plan.version, f"v{plan.version}"
    released = release_date()
    work = cfg.dist / f".release-{version}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    try:
        log(f"building {version} from {', '.join(s.name for s in plan.sources)}")
        data = work / "data"
        try:
            engine: dict[str, Any] = {"extractor": extractor} if extractor else {}
            summary = build(list(cfg.sources), data, model=cfg.model, version=version, **engine)
        except BuildError as exc:
            raise ReleaseRefused("invalid", f"build or validation failed: {exc}",
                                 [str(f) for f in exc.failures]) from None
        included = [s for s in plan.sources if summary.accepted[s.name]]

        log("diffing against " + (plan.previous or "nothing (first release)"))
        manifest = Manifest.from_build(data, version)
        old = Manifest.read(cfg.history / plan.previous) if plan.previous and (
            cfg.history / plan.previous / "rows.tsv").is_file() else None
        data_diff = diff(old, manifest)
        changes = render(data_diff)
        quality = release_quality()

        entry = changelog_entry(version, released, included, summary, plan.unlicensed,
                                changes, quality)
        changelog = add_changelog_entry(_read(cfg.root / "CHANGELOG.md"), entry)
        pyproject = set_pyproject_version(_read(cfg.root / "pyproject.toml"), version)

        log("making artifacts")
        out = work / "out"
        out.mkdir()
        packages = build_packages(cfg.root, data, out, pyproject=pyproject, changelog=changelog)
        csv_zip = write_csv_zip(data, out / f"newsfacts-{version}-csv.zip", version)
        source_meta = [{"name": s.name, "title": s.title, "license": s.license,
                        "attribution": s.attribution, "homepage": s.homepage,
                        "articles": summary.accepted[s.name]} for s in included]
        hf_dir = write_hf_folder(data, out / "hf", version=version, repo_id=cfg.hf_repo_id,
                                 sources=source_meta, quality=quality, changes=changes,
                                 released=released)

        log("publishing artifacts to dist/ and committing")
        artifacts = _move_artifacts(out, cfg.dist, [*packages, csv_zip])
        hf_final = cfg.dist / "hf"
        shutil.rmtree(hf_final, ignore_errors=True)
        shutil.move(hf_dir, hf_final)
        commit = _commit_and_tag(cfg, version, pyproject, changelog, manifest, data, data_diff,
                                 changes)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return ReleaseResult(version=version, previous=plan.previous, commit=commit, tag=tag,
                         artifacts=artifacts, hf_dir=hf_final, diff=data_diff, quality=quality,
                         changelog_entry=entry, rows=dict(summary.rows))


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def release_quality() -> dict[str, Any]:
    """The recorded quality figures (cross-validated, held-out): a release publishes no figure
    measured on articles a rule or model was tuned on, and none measured for other code."""
    from newsfacts.evaluation.quality import recorded, recorded_path

    quality = recorded()
    if quality is None:
        raise ReleaseRefused("quality", f"{recorded_path()} is missing or was measured with "
                             "another extractor version or event model; run `newsfacts quality "
                             "--record` and commit it before releasing")
    return quality


def changelog_entry(version: str, released: dt.date, sources: list, summary: Any,
                    unlicensed: tuple[str, ...], changes: str,
                    quality: dict[str, Any] | None) -> str:
    """The generated part of a version's CHANGELOG section (Markdown)."""
    from newsfacts.release.card import quality_section

    allowed = ", included with --allow-unlicensed"
    src = "; ".join(
        f"{s.name} ({s.license}{allowed if s.name in unlicensed else ''}"
        f", {_plural(summary.accepted[s.name], 'article')})" for s in sources)
    rejected = summary.rejected.total()
    return "\n".join([
        f"## [{version}] - {released.isoformat()}",
        "",
        "### Data",
        "",
        f"Sources: {src}." + (f" {_plural(rejected, 'input record')} refused "
                              "(listed in the build's rejects.csv)." if rejected else ""),
        "",
        changes,
        "",
        "### Quality",
        "",
        quality_section(quality),
        "",
    ])


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def add_changelog_entry(text: str, entry: str) -> str:
    """Insert `entry` below `## [Unreleased]`, moving any notes written there into it."""
    if not text.strip():
        text = CHANGELOG_HEAD
    m = re.search(r"^## \[Unreleased\][^\n]*\n", text, re.MULTILINE)
    if not m:
        first = re.search(r"^## ", text, re.MULTILINE)
        at = first.start() if first else len(text)
        text = text[:at].rstrip("\n") + "\n\n## [Unreleased]\n" + (
            "\n" + text[at:] if first else "")
        m = re.search(r"^## \[Unreleased\][^\n]*\n", text, re.MULTILINE)
    if m is None:  # cannot happen: the heading was just inserted
        raise ReleaseRefused("changelog", "CHANGELOG.md: cannot place the [Unreleased] heading")
    nxt = re.search(r"^## ", text[m.end():], re.MULTILINE)
    end = m.end() + nxt.start() if nxt else len(text)
    notes = text[m.end():end].strip()
    head, _, rest = entry.partition("\n")
    section = head + "\n" + (f"\n{notes}\n" if notes else "") + rest.rstrip("\n") + "\n"
    tail = text[end:].strip("\n")
    return text[:m.end()] + "\n" + section + ("\n" + tail + "\n" if tail else "")


def _move_artifacts(out: Path, dist: Path, files: list[Path]) -> list[Path]:
    dist.mkdir(parents=True, exist_ok=True)
    moved = []
    for f in files:
        target = dist / f.name
        if target.exists():
            target.unlink()
        shutil.move(f, target)
        moved.append(target)
    return moved


def _commit_and_tag(cfg: ReleaseConfig, version: str, pyproject: str, changelog: str,
                    manifest: Manifest, data: Path, data_diff: DataDiff, changes: str) -> str:
    """Write the version, changelog and manifest, commit them, tag the commit."""
    root = cfg.root
    folder = cfg.history / version
    written = [root / "pyproject.toml", root / "CHANGELOG.md", folder]
    before = {p: p.read_bytes() for p in written[:2] if p.is_file()}
    try:
        (root / "pyproject.toml").write_text(pyproject, encoding="utf-8")
        (root / "CHANGELOG.md").write_text(changelog, encoding="utf-8")
        manifest.write(folder)
        shutil.copy2(data / "datapackage.json", folder / "datapackage.json")
        git(root, "add", "--", *[str(p.relative_to(root)) for p in written])
        rows = ", ".join(f"{t} {td.rows}" for t, td in data_diff.tables.items())
        git(root, "commit", "-q", "-m", f"Release {version}\n\nRows: {rows}.\n\n{changes}\n")
    except Exception:
        git(root, "reset", "-q", "--", *[str(p.relative_to(root)) for p in written], check=False)
        for p, content in before.items():
            p.write_bytes(content)
        if not before.get(root / "CHANGELOG.md"):
            (root / "CHANGELOG.md").unlink(missing_ok=True)
        shutil.rmtree(folder, ignore_errors=True)
        raise
    git(root, "tag", "-a", f"v{version}", "-m", f"newsfacts {version}\n\n{changes}\n")
    return git(root, "rev-parse", "HEAD")
