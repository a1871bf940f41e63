"""Shared fixtures: the read-only gold annotations live next to the repository, not in it."""

import os
from pathlib import Path

import pytest

REAL_CPU_COUNT = os.cpu_count
"""`os.cpu_count` as the machine answers it (see `pytest_configure`)."""


def pytest_configure(config):
    """In an xdist worker, `os.cpu_count()` answers the worker's share of the CPUs.

    A build validates in one process per CPU (`os.cpu_count()`), each importing Frictionless
    and pandera (~1 s of CPU; ~5 s under load): with two xdist workers on two CPUs, every tiny
    test build started two more processes, 90 s of the fast run for builds of 1 to 11
    articles, whose validation takes 0.3 s in-process. Processes the tests start (CLI runs)
    still see every CPU; `seed_build` builds with every CPU, as `newsfacts build` does; and
    tests/build/test_validate_scale.py (`-m slow`) checks that validation worker processes
    report exactly what one process reports."""
    _register_group_files(config)
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "0"))
    if workers > 1:
        share = max(1, (REAL_CPU_COUNT() or 1) // workers)
        os.cpu_count = lambda: share


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
    """The bundled seed sample, built once per session into a temporary folder, with every CPU
    (validation in worker processes), exactly as `newsfacts build` runs on this machine."""
    from newsfacts.build.pipeline import build

    out = tmp_path_factory.mktemp("seed") / "data"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(os, "cpu_count", REAL_CPU_COUNT)
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
# Fixtures that make a whole release or several builds, per test module: a test using one is
# `slow`. The module's other tests stay in the fast run.
EXPENSIVE_FIXTURES: dict[str, set[str]] = {
    "test_release.py": {"first"},                      # rr.first_release: a full release
    "test_release_artifacts.py": {"release", "tables"},
    "test_publish_hf_cli.py": {"folder"},
    "test_pypi.py": {"dist"},
    "test_scale.py": {"corpus", "reference", "small"},  # several builds, Dask, --jobs 2
    "test_validate_scale.py": {"package"},  # worker-process validation, 3,000 events: ~30 s
}
SLOW_TESTS = {  # a second build of the same input (determinism is also checked by the slow
    "test_sigkill_mid_extraction_leaves_previous_output_untouched",  # test_scale builds)
    "test_two_builds_give_identical_bytes",
    "test_output_does_not_depend_on_file_or_source_order",
}
# Modules whose module-scoped fixture builds a corpus: one worker runs them, so it builds once.
MODULE_BUILDS = {"test_robust_build.py", "test_robust_corruption.py"}
RELEASE_MODULES = {"test_release.py", "test_release_artifacts.py", "test_publish_hf_cli.py",
                   "test_pypi.py"}  # the modules that share rr.first_release


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Tests that need a full-corpus build, a whole release or several builds are `slow`:
    deselected by the README's test command, run by `pytest -m slow` (.ci/run runs both).
    Tests sharing the session's first release run in one xdist worker, which makes it once."""
    for item in items:
        module = item.path.name
        used = set(getattr(item, "fixturenames", ()))
        params = getattr(getattr(item, "callspec", None), "params", {})
        used |= {v for v in params.values() if isinstance(v, str)}  # getfixturevalue(param)
        corpus = FULL_CORPUS_FIXTURES & used
        if corpus:
            item.add_marker(pytest.mark.xdist_group("corpus"))  # each corpus built once
        if (corpus or EXPENSIVE_FIXTURES.get(module, set()) & used
                or item.originalname in SLOW_TESTS):
            item.add_marker(pytest.mark.slow)
        if module in RELEASE_MODULES:
            item.add_marker(pytest.mark.xdist_group("release"))
        elif module in MODULE_BUILDS:
            item.add_marker(pytest.mark.xdist_group(module))
        elif not corpus and "seed_build" in used:
            item.add_marker(pytest.mark.xdist_group("seed"))  # seed_build made once


# --- xdist groups ----------------------------------------------------------------------
# pytest-xdist 3.8 tells its controller a test's `xdist_group` by appending "@group" to
# `item._nodeid` in the worker, which pytest >= 9.2 no longer reads (node ids are structured:
# pytest-dev/pytest-xdist#1386): `--dist loadgroup` silently spread every group over both
# workers, so each built the seed, the module fixtures and the release (and, under -m slow,
# Wikinews) itself. Here each worker writes its tests' groups to a file the controller's
# scheduler reads; no node id is changed.


def _group_of(item) -> str | None:
    names = sorted({str(m.args[0] if m.args else m.kwargs.get("name", "default"))
                    for m in item.iter_markers("xdist_group")})
    return "_".join(names) or None


class _GroupFiles:
    """Controller side: a folder for the workers' group files and the scheduler reading them."""

    def __init__(self) -> None:
        import tempfile

        self.folder = Path(tempfile.mkdtemp(prefix="newsfacts-xdist-groups-"))

    def pytest_configure_node(self, node) -> None:
        node.workerinput["newsfacts_groups"] = str(self.folder)

    @pytest.hookimpl(tryfirst=True)
    def pytest_xdist_make_scheduler(self, config, log):
        from xdist.scheduler import LoadGroupScheduling

        folder = self.folder

        class FileGroupScheduling(LoadGroupScheduling):
            groups: dict[str, str] | None = None

            def _split_scope(self, nodeid: str) -> str:
                if self.groups is None:  # called once every worker has sent its collection
                    import json

                    self.groups = {}
                    for path in sorted(folder.glob("*.json")):
                        self.groups.update(json.loads(path.read_text(encoding="utf-8")))
                return self.groups.get(nodeid) or super()._split_scope(nodeid)

        return FileGroupScheduling(config, log)

    def pytest_unconfigure(self) -> None:
        import shutil

        shutil.rmtree(self.folder, ignore_errors=True)


def _register_group_files(config) -> None:
    if (config.pluginmanager.hasplugin("xdist") and not hasattr(config, "workerinput")
            and config.getoption("numprocesses", None)
            and config.getoption("dist", None) == "loadgroup"):
        config.pluginmanager.register(_GroupFiles(), "newsfacts-xdist-groups")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_finish(session):
    """Worker side: write {node id: group} before xdist sends the collection."""
    folder = getattr(session.config, "workerinput", {}).get("newsfacts_groups")
    if folder:
        import json

        groups = {item.nodeid: g for item in session.items if (g := _group_of(item))}
        name = session.config.workerinput["workerid"]
        tmp = Path(folder) / f".{name}.tmp"
        tmp.write_text(json.dumps(groups), encoding="utf-8")
        tmp.replace(Path(folder) / f"{name}.json")
