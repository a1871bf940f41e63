"""`newsfacts release` end to end in throwaway git repositories: what a release writes, what the
next release's diff says, and every refusal (each leaves the repository exactly as it was)."""

from __future__ import annotations

import json
import tomllib
import zipfile
from pathlib import Path

import pytest
import release_repo as rr
from release_repo import no_network  # noqa: F401  (autouse)

from newsfacts.release.cut import (
    ReleaseRefused,
    add_changelog_entry,
    bump_version,
    changelog_versions,
    cut_release,
    set_pyproject_version,
)
from newsfacts.release.diff import Manifest, diff, render
from newsfacts.schema import TABLES

REAL_STATE = {}


def _real_repo_state() -> tuple[str, str, str]:
    """HEAD, tags and status of the real checkout: the tests must never change them."""
    return (rr.git(rr.REPO, "rev-parse", "HEAD"), rr.git(rr.REPO, "tag", "--list"),
            rr.git(rr.REPO, "status", "--porcelain"))


@pytest.fixture(scope="module", autouse=True)
def _record_real_repo():
    REAL_STATE["before"] = _real_repo_state()
    yield


@pytest.fixture(scope="module")
def first(tmp_path_factory):
    return rr.first_release(tmp_path_factory)


def _clone(repo: Path, tmp_path: Path) -> Path:
    """A clone of a release repo (with its tags) to change without touching the shared one."""
    dest = tmp_path / "clone"
    rr.run("git", "clone", "-q", repo, dest)
    rr.run("git", "-C", dest, "fetch", "-q", "--tags")
    for key, value in (("user.name", "Release Test"), ("user.email", "release@test.invalid"),
                       ("commit.gpgsign", "false"), ("tag.gpgsign", "false"),
                       ("core.hooksPath", "/dev/null")):
        rr.git(dest, "config", key, value)
    return dest


def _state(repo: Path) -> tuple[str, str, str]:
    return (rr.git(repo, "rev-parse", "HEAD"), rr.git(repo, "tag", "--list"),
            rr.git(repo, "status", "--porcelain"))


# --------------------------------------------------------------------------- a release


def test_release_writes_one_version_everywhere(first):
    repo, result = first
    assert result.version == "1.0.0" and result.tag == "v1.0.0" and result.previous is None
    assert rr.git(repo, "rev-parse", "v1.0.0^{commit}") == result.commit
    assert rr.git(repo, "rev-parse", "HEAD") == result.commit
    assert rr.git(repo, "status", "--porcelain") == ""
    assert rr.git(repo, "cat-file", "-t", "v1.0.0") == "tag"  # annotated
    assert tomllib.loads((repo / "pyproject.toml").read_text())["project"]["version"] == "1.0.0"
    assert changelog_versions(repo / "CHANGELOG.md") == {"1.0.0"}
    committed = json.loads((repo / "releases" / "1.0.0" / "datapackage.json").read_text())
    assert committed["version"] == "1.0.0"
    card = (repo / "dist" / "hf" / "README.md").read_text()
    assert "# newsfacts 1.0.0" in card and 'revision="v1.0.0"' in card
    assert json.loads((repo / "dist" / "hf" / "croissant.json").read_text())["version"] == "1.0.0"
    dist = repo / "dist"
    with zipfile.ZipFile(dist / "newsfacts-1.0.0-py3-none-any.whl") as z:
        meta = z.read("newsfacts-1.0.0.dist-info/METADATA").decode()
        assert "\nVersion: 1.0.0\n" in meta
        assert json.loads(z.read("newsfacts/data/datapackage.json"))["version"] == "1.0.0"
    with zipfile.ZipFile(dist / "newsfacts-1.0.0-csv.zip") as z:
        pkg = json.loads(z.read("newsfacts-1.0.0-csv/datapackage.json"))
        assert pkg["version"] == "1.0.0"
    # The release commit changes only the version, the changelog and the manifest.
    changed = rr.git(repo, "show", "--name-only", "--format=", "HEAD").splitlines()
    assert sorted(changed) == ["CHANGELOG.md", "pyproject.toml", "releases/1.0.0/datapackage.json",
                               "releases/1.0.0/rows.tsv", "releases/1.0.0/summary.json"]


def test_first_changelog_entry_has_diff_sources_and_quality(first):
    repo, result = first
    text = (repo / "CHANGELOG.md").read_text()
    assert text.startswith("# Changelog\n") and "## [Unreleased]\n" in text
    assert text.index("## [Unreleased]") < text.index("## [1.0.0] - ")
    entry = result.changelog_entry
    assert "First release: every row is new." in entry
    assert "seed (NOASSERTION, included with --allow-unlicensed, 1 article)" in entry
    assert "wikinews (CC-BY-2.5, 10 articles)" in entry
    for t in TABLES:
        assert f"| {t} | {result.rows[t]} | {result.rows[t]} | 0 | 0 | 0 |" in entry
    # The recorded held-out figures (never dev scores) are in the entry and the card, with the
    # confidence's precision at thresholds and its chart.
    from newsfacts.evaluation.quality import HELD_OUT, recorded

    assert result.quality == recorded() and HELD_OUT in result.quality
    card = (repo / "dist" / "hf" / "README.md").read_text()
    for text in (entry, card):
        assert f"| {HELD_OUT} | " in text and "| dev |" not in text
        assert "| confidence ≥ | rows kept | precision |" in text
    assert "images/precision_recall.png" in card
    assert (repo / "dist" / "hf" / "images" / "precision_recall.png").is_file()


def test_second_release_diff_by_primary_key(first, tmp_path):
    repo, _ = first
    clone = _clone(repo, tmp_path)
    rows = rr.pick_rows()
    removed, changed = rows[0], rows[1]
    added = rr.pick_rows(skip=6)[0]
    new_rows = [dict(r) for r in rows[1:]] + [added]
    # A new headline: the article row changes, its mentions (keys and values) do not. (Its text
    # stays: gold articles must keep the text their offsets refer to.)
    new_rows[0]["title"] = "A corrected headline"
    sample = rr.write_source(tmp_path / "sources" / "wikinews-sample-2", new_rows)
    cfg = (clone / "release.toml").read_text()
    old_sample = json.loads(cfg.split("sources = ", 1)[1].splitlines()[0])[1]
    (clone / "release.toml").write_text(cfg.replace(old_sample, str(sample)))
    changelog = (clone / "CHANGELOG.md").read_text().replace(
        "## [Unreleased]\n", "## [Unreleased]\n\n### Fixed\n\n- A note written by hand.\n")
    (clone / "CHANGELOG.md").write_text(changelog)
    rr.git(clone, "commit", "-qam", "next sample")

    with rr.offline_build():
        result = cut_release(clone, bump="minor", allow_unlicensed=["seed"])

    assert (result.version, result.previous) == ("1.1.0", "1.0.0")
    art = result.diff.tables["articles"]
    assert (art.added, art.removed, art.changed, art.unchanged) == (1, 1, 1, 9)
    old = Manifest.read(clone / "releases" / "1.0.0")
    new = Manifest.read(clone / "releases" / "1.1.0")
    for table in ("mentions", "figures"):
        gone = sum(k.startswith(removed["article_id"]) for k in old.rows[table])
        came = sum(k.startswith(added["article_id"]) for k in new.rows[table])
        assert result.diff.tables[table].removed >= gone
        assert result.diff.tables[table].added >= came
    assert result.diff == diff(old, new)
    aid = changed["article_id"]
    assert {k: h for k, h in old.rows["mentions"].items() if k.startswith(aid)} == {
        k: h for k, h in new.rows["mentions"].items() if k.startswith(aid)}
    entry = result.changelog_entry
    assert "Compared with 1.0.0:" in entry and "| articles | 11 | 1 | 1 | 1 | 9 |" in entry
    text = (clone / "CHANGELOG.md").read_text()
    assert text.index("## [Unreleased]") < text.index("## [1.1.0]") < text.index("## [1.0.0]")
    # The hand-written note moved from Unreleased into 1.1.0; Unreleased is empty again.
    section = text.split("## [1.1.0]", 1)[1].split("## [1.0.0]", 1)[0]
    assert "- A note written by hand." in section
    assert text.split("## [Unreleased]", 1)[1].split("## [", 1)[0].strip() == ""
    assert rr.git(clone, "describe", "--tags", "--exact-match") == "v1.1.0"


# --------------------------------------------------------------------------- refusals


def _refused(repo: Path, reason: str, *args, **kwargs) -> ReleaseRefused:
    before = _state(repo)
    with pytest.raises(ReleaseRefused) as info, rr.offline_build():
        cut_release(repo, *args, **kwargs)
    assert info.value.reason == reason, str(info.value)
    assert _state(repo) == before, "a refused release changed the repository"
    return info.value


def test_refuses_dirty_tree(first, tmp_path):
    clone = _clone(first[0], tmp_path)
    (clone / "README.md").write_text("edited\n")
    exc = _refused(clone, "dirty", "1.1.0", allow_unlicensed=["seed"])
    assert " M README.md" in exc.details
    rr.git(clone, "checkout", "--", "README.md")
    (clone / "stray.py").write_text("")
    assert "?? stray.py" in _refused(clone, "dirty", "1.1.0", allow_unlicensed=["seed"]).details


def test_refuses_existing_version_by_tag_changelog_or_order(first, tmp_path):
    clone = _clone(first[0], tmp_path)
    assert "tag v1.0.0 exists" in str(_refused(clone, "exists", "1.0.0",
                                               allow_unlicensed=["seed"]))
    rr.git(clone, "tag", "-d", "v1.0.0")  # as if a run stopped between commit and tag
    exc = _refused(clone, "exists", "1.0.0", allow_unlicensed=["seed"])
    assert "CHANGELOG.md already has" in str(exc) and "git tag -a v1.0.0" in str(exc)
    assert "not above the last release" in str(_refused(clone, "exists", "0.9.0",
                                                        allow_unlicensed=["seed"]))


def test_refuses_unlicensed_source_unless_named(first, tmp_path):
    clone = _clone(first[0], tmp_path)
    exc = _refused(clone, "unlicensed", "1.1.0")
    assert "seed" in str(exc) and "--allow-unlicensed" in str(exc)
    exc = _refused(clone, "unlicensed", "1.1.0", allow_unlicensed=["sed"])
    assert "not an included source" in str(exc)


def test_refuses_bad_version_arguments(first, tmp_path):
    clone = _clone(first[0], tmp_path)
    _refused(clone, "bad-version", "1.1", allow_unlicensed=["seed"])
    _refused(clone, "bad-version", "1.1.0", "patch", allow_unlicensed=["seed"])
    _refused(clone, "bad-version", None, None, allow_unlicensed=["seed"])


def test_refuses_when_validation_fails(first, tmp_path):
    """A real validator failure (a mention whose text is not its span) stops the release."""
    from newsfacts.build.engine import LocalEngine

    def corrupt(articles, model):
        for i, ex in enumerate(LocalEngine()(articles, model)):
            if i == 0 and ex.mentions:
                ex.mentions[0]["text"] = "not the span"
            yield ex

    clone = _clone(first[0], tmp_path)
    exc = _refused(clone, "invalid", "1.1.0", allow_unlicensed=["seed"], extractor=corrupt)
    assert exc.details and any("mentions" in d for d in exc.details)
    assert not list((clone / "dist").glob("newsfacts-1.1.0*"))


def test_cli_release_refusal_exit_code(first, tmp_path):
    """The CLI wraps cut_release: a refusal prints the reason and exits 1."""
    from typer.testing import CliRunner

    from newsfacts.cli import app

    clone = _clone(first[0], tmp_path)
    result = CliRunner().invoke(app, ["release", "--version", "1.1.0", "--repo", str(clone)])
    assert result.exit_code == 1
    assert "release refused (unlicensed)" in result.stderr


# --------------------------------------------------------------------------- units


def test_bump_and_pyproject_version():
    assert bump_version(None, "minor") == "0.1.0"
    assert bump_version("1.2.3", "patch") == "1.2.4"
    assert bump_version("1.2.3", "minor") == "1.3.0"
    assert bump_version("1.2.3", "major") == "2.0.0"
    text = ('[build-system]\nrequires = ["x"]\nversion = "7"\n\n[project]\nname = "n"\n'
            'authors = [{ name = "a" }]\nversion = "0.1.0"\n\n[tool.x]\nversion = "9"\n')
    out = set_pyproject_version(text, "1.0.0")
    assert tomllib.loads(out)["project"]["version"] == "1.0.0"
    assert tomllib.loads(out)["tool"]["x"]["version"] == "9"
    assert tomllib.loads(out)["build-system"]["version"] == "7"
    assert out.replace('"1.0.0"', '"0.1.0"') == text
    with pytest.raises(ReleaseRefused):
        set_pyproject_version('[project]\nname = "n"\n[tool.x]\nversion = "9"\n', "1.0.0")


def test_changelog_entry_goes_below_unreleased_of_any_changelog():
    entry = "## [2.0.0] - 2026-01-01\n\n### Data\n\nrows\n"
    fresh = add_changelog_entry("", entry)
    assert fresh.index("## [Unreleased]") < fresh.index("## [2.0.0]")
    old = "# Changelog\n\n## [1.0.0] - 2025-01-01\n\nfirst\n"
    out = add_changelog_entry(old, entry)
    assert out.index("## [Unreleased]") < out.index("## [2.0.0]") < out.index("## [1.0.0]")
    assert out.endswith("first\n")


def test_diff_render_of_identical_releases(first):
    repo, _ = first
    m = Manifest.read(repo / "releases" / "1.0.0")
    d = diff(m, m)
    assert d.is_empty and "no row added, removed or changed" in render(d)


def test_real_checkout_untouched():
    """Runs last in this module: the real repository's HEAD, tags and status are unchanged."""
    assert _real_repo_state() == REAL_STATE["before"]

