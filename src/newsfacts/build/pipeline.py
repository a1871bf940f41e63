"""The build: sources -> normalised articles -> spaCy -> extraction -> tables -> validation.

Outputs are written into a temporary folder beside the target and swapped in only after both
validators pass, so a failed or killed build leaves the previous outputs untouched.
"""

from __future__ import annotations

import ctypes
import dataclasses
import datetime as dt
import errno
import fcntl
import os
import re
import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsfacts.build import DEFAULT_MODEL
from newsfacts.build.assemble import ActorRegistry, article_rows
from newsfacts.build.engine import Extractor, LocalEngine
from newsfacts.build.extract import EXTRACTOR_VERSION
from newsfacts.build.sources import Article, ReadOptions, Reject, Source, read_source
from newsfacts.build.validate import Failure
from newsfacts.build.write import TableWriter, datapackage, write_json
from newsfacts.errors import NewsfactsError
from newsfacts.schema import TABLES

if TYPE_CHECKING:
    from newsfacts.build.cache import ExtractionCache
    from newsfacts.build.validate import ValidationWorkers

REJECT_COLUMNS = tuple(f.name for f in dataclasses.fields(Reject))  # rejects.csv header


class BuildError(NewsfactsError, RuntimeError):
    """The build produced invalid tables or could not run; previous outputs are untouched."""

    def __init__(self, message: str, failures: list[Failure] | None = None,
                 summary: BuildSummary | None = None) -> None:
        super().__init__(message)
        self.failures = failures or []
        self.summary = summary


class StrictError(BuildError):
    """`strict=True` and some input records were refused: nothing was written."""


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
    options: ReadOptions | None = None


def default_out() -> Path:
    """`dataset/data/` of the project the command runs in (`newsfacts.project`)."""
    from newsfacts.project import require_project

    return require_project("give the output folder with --out") / "dataset" / "data"


def default_sources() -> list[Path]:
    """Every source folder under the project's `dataset/raw/`, sorted."""
    from newsfacts.project import require_project

    raw = require_project("give the source folders with --source") / "dataset" / "raw"
    return sorted(p for p in raw.iterdir() if (p / "source.json").is_file())


def collect_articles(sources: list[Source], summary: BuildSummary,
                     options: ReadOptions | None = None) -> list[Article]:
    """Read every record; refuse duplicates; return accepted articles sorted by article_id.

    Same id with different text: all of them refused (we cannot know which is right). Same id
    and text: the first is kept, the others refused as `duplicate`. Same text under two ids:
    the first (in source, file, record order) is kept, the second refused as `duplicate-text`.
    "First" never depends on the order of the `sources` list or of files on disk.
    Raises `BuildError` when any record is not in exactly one of accepted and rejected.
    """
    options = options or ReadOptions()
    by_id: dict[str, list[Article]] = {}
    read_keys: Counter = Counter()
    for src in sources:
        for rec in read_source(src, options):
            summary.read[src.name] += 1
            read_keys[(rec.source, rec.file, rec.record)] += 1
            if isinstance(rec, Reject):
                summary.rejects.append(rec)
            else:
                by_id.setdefault(rec.article_id, []).append(rec)
    kept: list[Article] = []
    seen_text: dict[str, Article] = {}

    def where(a: Article) -> str:
        return f"{a.source}/{a.file}:{a.record}"

    for group in by_id.values():
        group.sort(key=lambda a: (a.source, a.file, a.record))
    for aid in sorted(by_id, key=lambda a: (by_id[a][0].source, by_id[a][0].file,
                                            by_id[a][0].record)):
        group = by_id[aid]
        if len({a.text for a in group}) > 1:
            summary.rejects.extend(
                Reject(a.source, a.file, a.record, "conflicting-id",
                       f"expected one text per article_id {aid}, found a different text at "
                       + ", ".join(where(b) for b in group if b.text != a.text)
                       + "; all of them refused")
                for a in group)
            continue
        first, *dups = group
        summary.rejects.extend(
            Reject(a.source, a.file, a.record, "duplicate",
                   f"expected each article once, found article_id {aid} with the same text "
                   f"already at {where(first)} (kept there)")
            for a in dups)
        if first.text in seen_text:
            other = seen_text[first.text]
            summary.rejects.append(Reject(first.source, first.file, first.record, "duplicate-text",
                                          f"expected each text once, found the text of article "
                                          f"{other.article_id} ({where(other)}, kept there) "
                                          f"under article_id {aid}"))
            continue
        seen_text[first.text] = first
        kept.append(first)
    for a in kept:
        summary.accepted[a.source] += 1
    for r in summary.rejects:
        summary.rejected[r.source] += 1
    _check_accounting(summary, read_keys, kept)
    return sorted(kept, key=lambda a: a.article_id)


def _check_accounting(summary: BuildSummary, read_keys: Counter, kept: list[Article]) -> None:
    """Every record read is in exactly one place: accepted or rejected (per source, and by
    (source, file, record) key)."""
    placed = Counter((a.source, a.file, a.record) for a in kept)
    placed.update((r.source, r.file, r.record) for r in summary.rejects)
    bad = sorted(src for src in set(summary.read) | set(summary.accepted) | set(summary.rejected)
                 if summary.read[src] != summary.accepted[src] + summary.rejected[src])
    if bad or placed != read_keys:
        lost = sorted((read_keys - placed).keys())[:5]
        extra = sorted((placed - read_keys).keys())[:5]
        raise BuildError(
            "accounting error: records read != accepted + rejected for "
            + ", ".join(f"{s} ({summary.read[s]} != {summary.accepted[s]} + "
                        f"{summary.rejected[s]})" for s in bad)
            + (f"; unplaced {lost}" if lost else "") + (f"; placed twice {extra}" if extra else ""),
            summary=summary)


@contextmanager
def output_lock(out: Path) -> Iterator[None]:
    """Exclusive lock on the output folder: concurrent builds into it cannot interleave.

    The lock is an `flock` on `.<out>.lock` beside the folder, released by the kernel when the
    holder dies (even by SIGKILL), so a killed build never leaves a stale lock. The holder's
    pid is written into the file so the refusal can name it.
    """
    lock_path = out.parent / f".{out.name}.lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "unknown"
            raise BuildError(f"{out}: another build (pid {holder}) is writing this folder; "
                             f"wait for it to finish (lock file {lock_path})") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_stale(out: Path) -> list[Path]:
    """Remove what killed builds left beside `out`; call with the output lock held.

    `.<name>.tmp-<pid>` (a half-written build) and `.<name>.old-<pid>` (the previous output,
    mid-swap) of dead pids are removed, except that an `.old-` folder is first renamed back to
    `out` when `out` is missing (the build died between the two renames of a fallback swap).
    Returns the paths removed or restored.
    """
    pattern = re.compile(rf"\.{re.escape(out.name)}\.(tmp|old)-([0-9]+)")
    done = []
    for entry in sorted(out.parent.iterdir()):
        m = pattern.fullmatch(entry.name)
        if not m or _pid_alive(int(m.group(2))):
            continue
        if m.group(1) == "old" and not out.exists():
            os.rename(entry, out)
        else:
            shutil.rmtree(entry, ignore_errors=True)
        done.append(entry)
    return done


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux `renameat2(RENAME_EXCHANGE)`); False if unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                          ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(a))


def _swap_in(tmp: Path, out: Path) -> None:
    """Replace `out` by `tmp`: one atomic exchange where the OS has it, else two renames (a
    build killed between them is repaired by `clean_stale`); the old folder is removed after.
    """
    if out.exists() and _exchange(tmp, out):
        shutil.rmtree(tmp)
        return
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    if out.exists():
        os.rename(out, old)
    os.rename(tmp, out)
    if old.exists():
        shutil.rmtree(old)


def recorded_quality() -> dict[str, Any] | None:
    """Quality figures measured for this extractor version (dataset/quality.json), or None."""
    from newsfacts.evaluation.quality import recorded

    return recorded()


def build_info(model: str) -> dict[str, Any]:
    """Versions that determine the output bytes, recorded in datapackage.json."""
    import pyarrow

    # Both read package metadata: no spaCy import, no pipeline load in this process.
    from newsfacts.build.cache import model_version, spacy_version
    from newsfacts.models import event_model_hash
    from newsfacts.vocab import vocab_hash

    return {"extractor_version": EXTRACTOR_VERSION, "model": model,
            "model_version": model_version(model),
            "spacy_version": spacy_version(),
            "pyarrow_version": pyarrow.__version__, "vocab_sha256": vocab_hash(),
            "event_model_sha256": event_model_hash()}


def build(
    sources: list[Path] | None = None, out: Path | None = None, *, model: str = DEFAULT_MODEL,
    version: str | None = None, root_descriptor: Path | None = None,
    extractor: Extractor | None = None,
    progress: Callable[[int], None] | None = None, cache: ExtractionCache | None = None,
    reference_date: dt.date | None = None, max_chars: int | None = None, strict: bool = False,
) -> BuildSummary:
    """Build the five tables from source folders into `out` (validated, then swapped in).

    `extractor` is an engine (`newsfacts.build.engine`; default: `LocalEngine()`, this process);
    with `cache`, only articles without a valid
    cache entry go through it. Output bytes depend on neither. `reference_date` (default:
    `sources.default_reference_date()`) and `max_chars` decide `future-date` and `too-large`
    refusals. `strict=True` raises `StrictError` before any extraction when a record is
    refused. Any failure leaves `out` as it was.
    """
    import newsfacts

    extractor = extractor or LocalEngine()
    started = time.perf_counter()
    out = Path(out or default_out()).resolve()
    opened = [Source.open(Path(p)) for p in (sources or default_sources())]
    names = [s.name for s in opened]
    if len(set(names)) != len(names):
        raise BuildError(f"two sources have the same name: {sorted(names)}")
    given: dict[str, Any] = {k: v for k, v in (("reference_date", reference_date),
                                                ("max_chars", max_chars)) if v is not None}
    options = ReadOptions(**given)
    summary = BuildSummary(out=out, options=options)
    out.parent.mkdir(parents=True, exist_ok=True)
    with output_lock(out):
        clean_stale(out)
        articles = collect_articles(opened, summary, options)
        if strict and summary.rejects:
            raise StrictError(f"--strict: {len(summary.rejects)} input records refused; "
                              f"{out} left untouched", summary=summary)
        if not articles:
            raise BuildError(f"no article was accepted ({len(summary.rejects)} refused); "
                             f"{out} left untouched", summary=summary)
        tmp = out.parent / f".{out.name}.tmp-{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        validators = _Validators(parallel=len(articles) >= IN_PROCESS_ARTICLES)
        try:
            # The validation processes start with the first article written: by the time the
            # tables are complete their imports are done (~1 s off the end of every build).
            on_article = validators.start_with(progress)
            if cache is None:
                _write_tables(tmp, articles, model, extractor, summary, on_article)
                summary.extracted = len(articles)
            else:
                from newsfacts.build.cache import CacheStats

                stats = CacheStats()
                _write_tables(tmp, articles, model, cache.wrap(extractor, stats), summary,
                              on_article)
                summary.extracted, summary.cache_hits = stats.extracted, stats.hits
                summary.cache_invalid = stats.invalid
            _write_rejects(tmp, summary.rejects)
            info = {**build_info(model), "quality": recorded_quality(),
                    "articles_read": dict(sorted(summary.read.items())),
                    "articles_rejected": dict(sorted(summary.rejected.items()))}
            src_meta = [{"name": s.name, "title": s.title, "license": s.license,
                         "attribution": s.attribution, "homepage": s.homepage}
                        for s in sorted(opened, key=lambda s: s.name) if summary.accepted[s.name]]
            descriptor = datapackage(tmp, rows=summary.rows, sources=src_meta,
                                     version=version or newsfacts.version, build_info=info)
            write_json(tmp / "datapackage.json", descriptor)
            failures = validate_built(tmp, validators.workers,
                                      jobs=None if validators.parallel else 1)
            if failures:
                raise BuildError(f"validation failed with {len(failures)} failures; "
                                 f"{out} left untouched", failures, summary)
            _swap_in(tmp, out)
        finally:
            validators.close()
            shutil.rmtree(tmp, ignore_errors=True)
        if root_descriptor is not None:
            rel = os.path.relpath(out, root_descriptor.parent).replace(os.sep, "/") + "/"
            partial = root_descriptor.with_name(f".{root_descriptor.name}.tmp-{os.getpid()}")
            write_json(partial, datapackage(out, rows=summary.rows, sources=src_meta,
                                            version=version or newsfacts.version,
                                            build_info=info, path_prefix=rel))
            os.replace(partial, root_descriptor)  # never a half-written descriptor
    summary.seconds = time.perf_counter() - started
    return summary


IN_PROCESS_ARTICLES = 50
"""Builds of fewer articles validate in the build's process: starting the validation workers
(about 5 s of imports each, which a short extraction cannot hide) costs more than validating
their few thousand rows (about 0.4 s)."""


def validate_built(directory: Path, workers: ValidationWorkers | None = None,
                   jobs: int | None = None) -> list[Failure]:
    """Both validators on a freshly written folder, in parallel processes (`workers`, when
    started already; else `jobs` processes, default one per CPU, 1: in this process)."""
    from newsfacts.build.validate import validate_all

    return validate_all(directory, jobs=jobs, workers=workers)


class _Validators:
    """Validation worker processes of one build, started on the first article written (one
    per CPU; none on a single CPU or for a small build, where validation runs in the build's
    process)."""

    def __init__(self, parallel: bool = True) -> None:
        self.parallel = parallel and (os.cpu_count() or 1) > 1
        self.workers: ValidationWorkers | None = None

    def start_with(self, progress: Callable[[int], None] | None) -> Callable[[int], None]:
        """A per-article callback that starts the workers once, then calls `progress`."""

        def on_article(n: int) -> None:
            if self.workers is None and self.parallel:
                from newsfacts.build.validate import ValidationWorkers

                self.workers = ValidationWorkers(os.cpu_count() or 1)
            if progress:
                progress(n)

        return on_article

    def close(self) -> None:
        """Stop workers a failed build did not use."""
        if self.workers is not None:
            self.workers.close()


def _write_tables(tmp: Path, articles: list[Article], model: str,
                  extractor: Extractor,
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
            w.writerow(dataclasses.astuple(r))
