"""Cut a versioned release: build, validate, diff, changelog, artifacts, commit and tag.

`cut_release(root, version=... | bump=...)` does, in this order, and stops at the first problem:

1. refusals that need no build: a dirty tree, a version that exists (tag, CHANGELOG or
   manifest) or is not above the last release, a source whose licence is NOASSERTION (or
   missing) that `--allow-unlicensed` (or the config's `allow_unlicensed`) does not name;
2. a full build of the configured sources with both validators (any failure refuses);
3. the data diff against the previous release's manifest, and `evaluate` on the gold files of
   articles the release contains;
4. artifacts under `dist/`, built from a staging copy of the committed files, so nothing in the
   checkout changes unless every artifact was made: sdist and wheel (tables + schemas inside the
   package), `newsfacts-X.Y.Z-csv.zip` and `hf/` (card, split Parquet files, croissant.json);
5. only then the repository: version in `pyproject.toml`, the CHANGELOG entry, the manifest in
   `releases/X.Y.Z/`, one commit and the annotated tag `vX.Y.Z`.

Configuration: `release.toml` at the repository root (see that file).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsfacts.release.artifacts import (
    build_packages,
    write_csv_zip,
    write_hf_folder,
)
from newsfacts.release.diff import DataDiff, Manifest, diff, render
from newsfacts.release.plan import (
    CHANGELOG_HEAD,
    ReleaseConfig,
    ReleaseRefused,
    git,
    preflight,
    set_pyproject_version,
)


@dataclass
class ReleaseResult:
    """What a release made."""

    version: str
    previous: str | None
    commit: str | None
    tag: str
    artifacts: list[Path]
    hf_dir: Path
    diff: DataDiff
    quality: dict[str, Any] | None
    changelog_entry: str
    rows: dict[str, int] = field(default_factory=dict)



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
            summary = build(list(cfg.sources), data, model=cfg.model, version=version,
                            **({"extractor": extractor} if extractor else {}))
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
