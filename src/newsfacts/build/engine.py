"""Extraction engines: where spaCy and the extractor run. All give the same records in order.

An engine is a callable `(articles, model) -> Iterator[Extraction]`, the `extractor` argument of
`newsfacts.build.pipeline.build`. It yields one Extraction per article, in the order given, whatever
process computed it, so tables are byte-identical across engines and process counts:

- `LocalEngine`: this process (`jobs=1`), or a pool of `jobs` spawned worker processes.
- `DaskEngine`: Dask distributed workers, on a `LocalCluster` or any running scheduler.

Work is cut into chunks of at most `batch_size` articles and `MAX_BATCH_CHARS` characters
(one `nlp.pipe` batch each). Only a bounded
window of chunks is in flight, so memory does not grow with the corpus. Articles travel as
`(article_id, published_date, text)` tuples and results as `Extraction.to_json()` dicts. Each
worker process loads the pipeline once (`PIPELINE_LOADS` counts it) and keeps it.
"""

from __future__ import annotations

import os
import threading
from collections import Counter, deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from newsfacts.build.extract import ArticleInfo, Extraction
from newsfacts.build.sources import Article

Item = tuple[str, str, str]  # article_id, published_date (ISO), text
Extractor = Callable[[list[Article], str], Iterator[Extraction]]
"""An engine: articles and a model name in, one Extraction per article out, in order."""
DEFAULT_BATCH = 16
MAX_BATCH_CHARS = 64_000
"""A chunk (one `nlp.pipe` batch) stops at this many characters of text: spaCy's memory grows
with the batch's text (~10 MB per average article), so a count alone does not bound it when a
few very long articles meet in one batch."""
ENGINES = ("local", "dask")

PIPELINE_LOADS: Counter = Counter()
"""Pipelines this process has loaded, by model name: proves each worker loads once."""
_PIPELINES: dict[str, Any] = {}
_LOAD_LOCK = threading.Lock()


MALLOC_MMAP_THRESHOLD = 64 << 20
MALLOC_TRIM_THRESHOLD = 256 << 20


def tune_malloc() -> bool:
    """Keep freed memory in this process's heap for reuse (glibc only; False elsewhere).

    A streaming build frees each batch's Docs and arrays as soon as it is written. With
    glibc's defaults, arrays over its (dynamic) mmap threshold are mapped and unmapped every
    time, and the heap top is trimmed: page faults and zeroing cost 5-6% of a build (sys time
    4.1 s vs 2.2 s on 300 articles). Bare `nlp.pipe` into a list never frees, so it never
    pays this. The heap may keep up to MALLOC_TRIM_THRESHOLD of free memory: a constant, not
    growth with the corpus (peak RSS +3% at 300 articles).
    """
    import ctypes

    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    m_trim_threshold, m_mmap_threshold = -1, -3  # <malloc.h>
    return bool(mallopt(m_mmap_threshold, MALLOC_MMAP_THRESHOLD)
                and mallopt(m_trim_threshold, MALLOC_TRIM_THRESHOLD))


def pipeline(model: str):
    """The spaCy pipeline of this process, loaded on first use and kept (the first load also
    tunes this process's allocator: see `tune_malloc`)."""
    with _LOAD_LOCK:
        if model not in _PIPELINES:
            from newsfacts.build.extract import load_pipeline

            if not _PIPELINES:
                tune_malloc()

            _PIPELINES[model] = load_pipeline(model)
            PIPELINE_LOADS[model] += 1
        return _PIPELINES[model]


def release_pipeline(model: str) -> None:
    """Drop this process's pipeline so its memory, about 500 MB once it has run, goes back
    to the OS before the tables are validated."""
    import gc

    with _LOAD_LOCK:
        _PIPELINES.pop(model, None)
    gc.collect()


def pipeline_loads() -> dict[str, int]:
    """`PIPELINE_LOADS` as a plain dict (what `client.run` returns from each Dask worker)."""
    return dict(PIPELINE_LOADS)


_RUN_LOCK = threading.Lock()


def extract_items(model: str, items: list[Item], batch_size: int = DEFAULT_BATCH
                  ) -> list[dict[str, Any]]:
    """spaCy + extractor over one chunk, in this process; JSON-able results in item order.

    Serialised by a lock: a worker with several threads shares one pipeline safely.
    """
    from newsfacts.build.extract import extract

    nlp = pipeline(model)
    with _RUN_LOCK:
        docs = nlp.pipe((text for _, _, text in items), batch_size=batch_size)
        return [extract(doc, ArticleInfo(aid, date), text=text).to_json()
                for (aid, date, text), doc in zip(items, docs, strict=True)]


def _item(a: Article) -> Item:
    return (a.article_id, a.published_date.isoformat(), a.text)


def _chunks(articles: list[Article], size: int, max_chars: int = MAX_BATCH_CHARS,
            lanes: int = 1) -> Iterator[list[Item]]:
    """Consecutive articles, at most `size` and `max_chars` of text a chunk (an article longer
    than that is a chunk of its own).

    With `lanes` parallel workers, chunks shrink towards the end (each at most 1/(2 x lanes) of
    the text not yet handed out), so that no worker idles while another finishes a long last
    chunk. Chunking never changes the results, only how work is spread.
    """
    remaining = sum(len(a.text) for a in articles) if lanes > 1 else 0
    chunk: list[Item] = []
    chars = 0
    cap = max_chars
    for a in articles:
        if chunk and (len(chunk) >= size or chars + len(a.text) > cap):
            yield chunk
            remaining -= chars
            chunk, chars = [], 0
        if not chunk and lanes > 1:
            cap = min(max_chars, remaining // (2 * lanes))
        chunk.append(_item(a))
        chars += len(a.text)
    if chunk:
        yield chunk


def _in_order(submit: Callable[[list[Item]], Any], result: Callable[[Any], list[dict]],
              chunks: Iterator[list[Item]], window: int) -> Iterator[Extraction]:
    """Submit chunks keeping at most `window` in flight; yield results in submission order."""
    pending: deque = deque()
    for chunk in chunks:
        pending.append(submit(chunk))
        if len(pending) >= window:
            yield from map(Extraction.from_json, result(pending.popleft()))
    while pending:
        yield from map(Extraction.from_json, result(pending.popleft()))


@contextmanager
def _one_math_thread() -> Iterator[None]:
    """Environment for spawning workers: one BLAS/OpenMP thread each, unless the user chose."""
    names = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
    before = {n: os.environ.get(n) for n in names}
    os.environ.update({n: "1" for n, v in before.items() if v is None})
    try:
        yield
    finally:
        for n, v in before.items():
            if v is None:
                os.environ.pop(n, None)


@dataclass
class LocalEngine:
    """Extraction on this machine: in-process for `jobs=1` or small inputs, else a pool of
    `jobs` spawned processes (spawn: workers never inherit the parent's threads or state; a
    script that builds with jobs > 1 needs the usual `if __name__ == "__main__":` guard)."""

    jobs: int = 1
    batch_size: int = DEFAULT_BATCH
    release: bool = False  # drop the in-process pipeline when done (the CLI's builds)

    def __call__(self, articles: list[Article], model: str) -> Iterator[Extraction]:
        if self.jobs <= 1 or len(articles) <= self.batch_size:
            for chunk in _chunks(articles, self.batch_size):
                yield from map(Extraction.from_json, extract_items(model, chunk, self.batch_size))
            if self.release:
                release_pipeline(model)
            return
        import multiprocessing

        with _one_math_thread():  # as Dask's nanny does: N workers, not N x BLAS threads
            # Each worker loads the pipeline as it starts (in parallel).
            pool = multiprocessing.get_context("spawn").Pool(self.jobs, pipeline, (model,))
        with pool:
            yield from _in_order(
                lambda chunk: pool.apply_async(extract_items, (model, chunk, self.batch_size)),
                lambda res: res.get(), _chunks(articles, self.batch_size, lanes=self.jobs),
                3 * self.jobs)


LOCAL_CLUSTER_CONFIG: dict[str, Any] = {
    # Dask's nannies start workers with MALLOC_TRIM_THRESHOLD_=65536 (to return memory to the
    # OS sooner); spaCy allocates and frees arrays all the time, and with it extraction ran
    # ~12% slower (30.3 s vs 27.0 s for 300 articles on 2 workers). None unsets it (and
    # `tune_malloc` raises it on any worker that loads the pipeline).
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
    # The worker's sampling profiler wakes every 10 ms and takes the GIL from spaCy.
    "distributed.worker.profile.enabled": False,
}
"""Dask settings of the `LocalCluster` the engine starts (and advised for workers of an existing
cluster, in their Dask configuration: see docs/scale.md)."""


@dataclass
class DaskEngine:
    """Extraction on Dask distributed: a `LocalCluster` of `n_workers` single-threaded worker
    processes on 127.0.0.1, or the cluster whose scheduler is at `scheduler` (`tcp://...`).

    Every worker needs newsfacts[build] and the spaCy model installed (same versions as here).
    """

    scheduler: str | None = None
    n_workers: int = 2
    batch_size: int = DEFAULT_BATCH

    def __call__(self, articles: list[Article], model: str) -> Iterator[Extraction]:
        from distributed import Client

        cluster = None
        if self.scheduler:
            client = Client(self.scheduler)
        else:
            import logging

            import dask
            from distributed import LocalCluster

            with dask.config.set(LOCAL_CLUSTER_CONFIG):
                cluster = LocalCluster(n_workers=self.n_workers, threads_per_worker=1,
                                       processes=True, host="127.0.0.1",
                                       dashboard_address=None, silence_logs=logging.ERROR)
            client = Client(cluster)
        try:
            # Load the pipeline on every worker now, in parallel (workers that join later load
            # it with their first chunk; either way once per worker process), and refuse
            # workers whose versions would give other tables than this machine.
            n = max(1, len(check_workers(client.run(worker_fingerprint, model), model)))
            yield from _in_order(
                lambda chunk: client.submit(extract_items, model, chunk, self.batch_size,
                                            pure=False),
                lambda fut: fut.result(), _chunks(articles, self.batch_size, lanes=n), 3 * n)
        finally:
            client.close()
            if cluster is not None:
                cluster.close()


def worker_fingerprint(model: str) -> dict[str, str]:
    """Load the pipeline in this (worker) process; return what its extraction depends on."""
    from newsfacts.build.cache import fingerprint

    pipeline(model)
    return fingerprint(model)


def check_workers(prints: dict[str, dict[str, str]], model: str) -> dict[str, dict[str, str]]:
    """Raise if any worker's extraction fingerprint differs from this process's."""
    from newsfacts.build.cache import fingerprint

    local = fingerprint(model)
    wrong = {w: {k: (fp.get(k), v) for k, v in local.items() if fp.get(k) != v}
             for w, fp in prints.items()}
    wrong = {w: d for w, d in wrong.items() if d}
    if wrong:
        lines = [f"{w}: " + ", ".join(f"{k} {a!r} (here {b!r})" for k, (a, b) in d.items())
                 for w, d in sorted(wrong.items())]
        raise RuntimeError("Dask workers would extract differently from this machine; install "
                           "the same newsfacts, spaCy and model versions on them:\n  "
                           + "\n  ".join(lines))
    return prints


def make_engine(engine: str = "local", *, jobs: int | None = None, scheduler: str | None = None,
                batch_size: int = DEFAULT_BATCH) -> Extractor:
    """The extractor for `newsfacts build --engine/--jobs/--scheduler`.

    `jobs`: worker processes (local engine, default 1; Dask LocalCluster, default the number of
    CPUs). Ignored with `scheduler`, where the cluster decides.
    """
    if engine == "local":
        if scheduler:
            raise ValueError("--scheduler needs --engine dask")
        return LocalEngine(jobs or 1, batch_size, release=True)
    if engine == "dask":
        return DaskEngine(scheduler, jobs or os.cpu_count() or 1, batch_size)
    raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
