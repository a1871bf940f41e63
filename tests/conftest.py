"""Shared fixtures: the read-only gold annotations live next to the repository, not in it."""

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The ``../shared`` folder beside the repo root; skip when this checkout has none."""
    if not (SHARED / "gold").is_dir():
        pytest.skip(f"gold annotations not found at {SHARED / 'gold'} (expected ../shared/gold)")
    return SHARED


REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "dataset" / "raw" / "seed"


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory) -> Path:
    """The bundled seed sample, built once per session into a temporary folder."""
    from newsfacts.build.pipeline import build

    out = tmp_path_factory.mktemp("seed") / "data"
    build([SEED], out)
    return out


@pytest.fixture(scope="session")
def wikinews_build(tmp_path_factory, shared_dir) -> Path:
    """Seed + the Wikinews 2019-2020 source from ../shared/corpus, built once per session."""
    from newsfacts.build.pipeline import build

    out = tmp_path_factory.mktemp("wikinews") / "data"
    build([SEED, shared_dir / "corpus" / "wikinews-2019-2020"], out)
    return out


@pytest.fixture(scope="session")
def external_builds(tmp_path_factory, shared_dir) -> dict[str, Path]:
    """The MEANTIME and GUM sources, each built once per session (external gold's articles)."""
    from newsfacts.build.pipeline import build

    outs = {}
    for name in ("meantime", "gum"):
        outs[name] = tmp_path_factory.mktemp(name) / "data"
        build([shared_dir / "corpus" / name], outs[name])
    return outs


FULL_CORPUS_FIXTURES = {"wikinews_build", "external_builds"}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Tests that need a full-corpus build (minutes on one core) are `slow`: deselected by the
    README's test command, run by `pytest -m slow` (.ci/run runs both)."""
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        if FULL_CORPUS_FIXTURES & set(getattr(item, "fixturenames", ())) or (
                FULL_CORPUS_FIXTURES & {v for v in params.values() if isinstance(v, str)}):
            item.add_marker(pytest.mark.slow)
