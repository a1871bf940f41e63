"""Validate a built dataset twice: pandera (schemas derived from schema/*.json, plus the
cross-table checks Frictionless cannot express) and Frictionless on the CSV data package.

Both report `Failure`s naming table, row (1-based data row), field and check, so a maintainer
can go straight to the cell.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import astuple, dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from newsfacts.build.normalize import split_for, text_sha256
from newsfacts.build.write import file_hash
from newsfacts.load import read_table
from newsfacts.schema import TABLES, foreign_keys, pandera_schema, primary_key


@dataclass(frozen=True)
class Failure:
    """One failed check on one cell or row."""

    validator: str  # "pandera" or "frictionless"
    table: str
    row: int | None  # 1-based data row (header excluded); None for table-level failures
    field: str | None
    check: str
    message: str

    def __str__(self) -> str:
        where = f"{self.table}" + (f" row {self.row}" if self.row is not None else "")
        where += f" field {self.field}" if self.field else ""
        return f"[{self.validator}] {where}: {self.check}: {self.message}"


def _pandera_failures(table: str, df: pd.DataFrame) -> Iterator[Failure]:
    """Column-level checks from the derived pandera schema."""
    import pandera.errors

    try:
        pandera_schema(table).validate(df, lazy=True)
    except pandera.errors.SchemaErrors as exc:
        for case in exc.failure_cases.itertuples(index=False):
            index = case.index
            row = None if index is None or pd.isna(index) else int(index) + 1
            check = str(case.check)
            yield Failure("pandera", table, row,
                          case.column if isinstance(case.column, str) else None,
                          check.split("(", 1)[0], f"{check}: failing value {case.failure_case!r}")


def _rows(mask) -> list[int]:
    """0-based positions where a boolean Series/array is True."""
    import numpy as np

    return np.flatnonzero(np.asarray(mask, dtype=bool)).tolist()


@dataclass(frozen=True)
class _Texts:
    """articles.text by position, with an index to find an article's position fast."""

    index: pd.Index
    texts: list[str]
    lengths: Any  # numpy int array

    @classmethod
    def of(cls, articles: pd.DataFrame) -> _Texts:
        import numpy as np

        texts = articles["text"].tolist()
        index = pd.Index(articles["article_id"])
        if not index.is_unique:  # duplicate ids are reported by the key checks
            keep = ~index.duplicated()
            index, texts = index[keep], [t for t, k in zip(texts, keep, strict=True) if k]
        return cls(index, texts, np.array([len(t) for t in texts], dtype="int64"))


def _slice_failures(table: str, df: pd.DataFrame, texts: _Texts, start: str, end: str,
                    field: str) -> Iterator[Failure]:
    """`field == articles.text[start:end]` and 0 <= start < end <= n_chars, for every row.

    Vectorised: masks over whole columns; Python only slices the texts and words the failures.
    """
    import numpy as np

    codes = texts.index.get_indexer(df["article_id"])  # type: ignore[arg-type]  # any array-like
    known = codes >= 0  # unknown articles are reported by the foreign-key check
    s_na, e_na = df[start].isna().to_numpy(), df[end].isna().to_numpy()
    v_na = df[field].isna().to_numpy()
    s = df[start].to_numpy(dtype="int64", na_value=0)
    e = df[end].to_numpy(dtype="int64", na_value=0)
    n = np.where(known, texts.lengths[np.where(known, codes, 0)], 0)
    todo = known & ~(s_na & e_na & v_na)
    in_range = ~s_na & ~e_na & (s >= 0) & (s < e) & (e <= n)
    rows = np.flatnonzero(todo & in_range)
    values = df[field].to_numpy(dtype=object)
    tl = texts.texts
    bad_slice = {i for i, c, a, b, want, na in zip(
        rows.tolist(), codes[rows].tolist(), s[rows].tolist(), e[rows].tolist(), values[rows],
        v_na[rows].tolist(), strict=True) if na or tl[c][a:b] != want}
    for i in sorted(set(np.flatnonzero(todo & ~in_range).tolist()) | bad_slice):
        si, ei = df[start].iat[i], df[end].iat[i]
        text = tl[codes[i]]
        if i not in bad_slice:
            yield Failure("pandera", table, i + 1, start, "offset_range",
                          f"[{si}, {ei}) is not a range inside the article (n_chars {len(text)})")
        else:
            yield Failure("pandera", table, i + 1, field, "offset_slice", f"articles.text[{si}:"
                          f"{ei}] is {text[int(si):int(ei)]!r}, "  # type: ignore[arg-type]  # numbers
                          f"not {values[i]!r}")


def _foreign_key_failures(table: str, frames: dict[str, pd.DataFrame]) -> Iterator[Failure]:
    """Every non-null foreign key resolves to a row of the referenced table."""
    import pyarrow as pa
    import pyarrow.compute as pc

    for column, ref_table, ref_column in foreign_keys(table):
        values = frames[table][column]
        known = pa.array(frames[ref_table][ref_column], from_pandas=True).drop_null()
        found = pc.is_in(pa.array(values, from_pandas=True), value_set=known)
        bad = values.notna().to_numpy() & ~found.to_numpy(zero_copy_only=False)
        for i in _rows(bad):
            yield Failure("pandera", table, i + 1, column, "foreign_key",
                          f"{values.iat[i]!r} is not a {ref_table}.{ref_column}")


def _article_failures(df: pd.DataFrame) -> Iterator[Failure]:
    """Derived article columns agree with the text and id they are derived from."""
    texts, ids = df["text"].tolist(), df["article_id"].tolist()
    bad_hash = [h != text_sha256(t) for h, t in zip(df["text_sha256"].tolist(), texts,
                                                     strict=True)]
    bad_len = (df["n_chars"] != df["text"].str.len()).to_numpy(dtype=bool)
    splits = df["split"].tolist()
    bad_split = [sp != split_for(a) for sp, a in zip(splits, ids, strict=True)]
    for i in sorted(set(_rows(bad_hash)) | set(_rows(bad_len)) | set(_rows(bad_split))):
        if bad_hash[i]:
            yield Failure("pandera", "articles", i + 1, "text_sha256", "text_hash",
                          "not sha256(text)")
        if bad_len[i]:
            yield Failure("pandera", "articles", i + 1, "n_chars", "text_length", "not len(text)")
        if bad_split[i]:
            yield Failure("pandera", "articles", i + 1, "split", "split_rule",
                          f"{splits[i]!r} is not the split derived from the article id")


def _row_failures(frames: dict[str, pd.DataFrame]) -> Iterator[Failure]:
    """Row rules across columns: ids carry their article, ranges, dates, registry counts."""
    for table, letter in (("mentions", "m"), ("events", "e"), ("figures", "f")):
        df = frames[table]
        key = primary_key(table)[0]
        ids, aids = df[key].tolist(), df["article_id"].tolist()
        for i, (rid, aid) in enumerate(zip(ids, aids, strict=True)):
            if not str(rid).startswith(f"{aid}-{letter}"):
                yield Failure("pandera", table, i + 1, key, "id_article",
                              f"{rid!r} not of {aid}")
    ev = frames["events"]
    inside = ((ev["sentence_start"] <= ev["trigger_start"])
              & (ev["trigger_start"] < ev["trigger_end"])
              & (ev["trigger_end"] <= ev["sentence_end"]))
    bad_trigger = ~inside.fillna(False).to_numpy(dtype=bool)
    bad_date = ((ev["date_precision"] == "unknown").to_numpy(dtype=bool)
                != ev["event_date"].isna().to_numpy(dtype=bool))
    for i in sorted(set(_rows(bad_trigger)) | set(_rows(bad_date))):
        if bad_trigger[i]:
            yield Failure("pandera", "events", i + 1, "trigger_start", "trigger_in_sentence",
                          "trigger is not inside its sentence")
        if bad_date[i]:
            yield Failure("pandera", "events", i + 1, "event_date", "date_precision",
                          "event_date must be null exactly when date_precision is unknown")
    fig = frames["figures"]
    bad = fig["value_high"].notna() & (fig["value_high"] < fig["value"])
    for i in _rows(bad):
        yield Failure("pandera", "figures", i + 1, "value_high", "range", "value_high < value")
    counts = frames["mentions"].groupby("actor_id").agg(
        n_mentions=("mention_id", "size"), n_articles=("article_id", "nunique"))
    actors = frames["actors"]
    expected = {col: actors["actor_id"].map(counts[col]).fillna(0).astype("int64")
                for col in ("n_mentions", "n_articles")}
    wrong = {col: (actors[col] != expected[col]).to_numpy(dtype=bool) for col in expected}
    for i in sorted(set(_rows(wrong["n_mentions"])) | set(_rows(wrong["n_articles"]))):
        for col in ("n_mentions", "n_articles"):
            if wrong[col][i]:
                yield Failure("pandera", "actors", i + 1, col, "registry_count",
                              f"{actors[col].iat[i]} but mentions has {expected[col].iat[i]}")


def pandera_failures(frames: dict[str, pd.DataFrame]) -> list[Failure]:
    """All pandera-side failures for a set of loaded tables."""
    out: list[Failure] = []
    for table in TABLES:
        out.extend(_pandera_failures(table, frames[table]))
    texts = _Texts.of(frames["articles"])
    out.extend(_slice_failures("mentions", frames["mentions"], texts, "start", "end", "text"))
    out.extend(_slice_failures("figures", frames["figures"], texts, "start", "end", "text"))
    ev = frames["events"]
    out.extend(_slice_failures("events", ev, texts, "trigger_start", "trigger_end", "trigger"))
    out.extend(_slice_failures("events", ev, texts, "date_start", "date_end", "date_text"))
    for table in TABLES:
        out.extend(_foreign_key_failures(table, frames))
    out.extend(_article_failures(frames["articles"]))
    out.extend(_row_failures(frames))
    return out


CHUNK_ROWS = 200_000
"""Frictionless validates tables longer than this in chunks (at least one per process, at
most 500,000 rows each), in parallel processes."""


def frictionless_failures(descriptor: Path, jobs: int | None = None,
                          chunk_rows: int = CHUNK_ROWS) -> list[Failure]:
    """Validate the CSV data package with Frictionless (types, constraints, keys).

    Frictionless checks row by row in Python (~20 µs a row). Tables longer than `chunk_rows`
    are cut at record boundaries into byte-exact chunk files (header + rows) and each chunk is
    validated as that resource, in the package, so foreign keys resolve against the full
    referenced tables; chunks and the other tables run in `jobs` processes (default: CPUs).
    What a chunk cannot see is then checked on the whole file, with Frictionless's own error
    types: hash, byte count, row count, and primary-key duplicates across chunks.
    """
    import os
    import tempfile

    descriptor = Path(descriptor)
    jobs = jobs or os.cpu_count() or 1
    if jobs <= 1:
        return _frictionless_whole(descriptor)
    with tempfile.TemporaryDirectory(prefix="newsfacts-validate-") as tmp:
        return _start(descriptor, Path(tmp), ValidationWorkers(jobs), chunk_rows,
                      pandera=False)()


def validate_all(directory: Path, jobs: int | None = None,
                 workers: ValidationWorkers | None = None) -> list[Failure]:
    """Both validators on a built folder, as `pandera_failures + frictionless_failures`.

    With more than one job, pandera and the Frictionless tables (or chunks of long tables) are
    tasks spread over `jobs` worker processes, or over `workers` started earlier (a build
    starts them while extraction runs, so their imports are done when the tables are).
    """
    import os
    import tempfile

    directory = Path(directory)
    jobs = workers.n if workers is not None else jobs or os.cpu_count() or 1
    if jobs <= 1:
        frames = {t: read_table(t, directory) for t in TABLES}
        out = pandera_failures(frames)
        del frames
        _release_arrow_memory()
        return out + _frictionless_whole(directory / "datapackage.json")
    with tempfile.TemporaryDirectory(prefix="newsfacts-validate-") as tmp:
        return _start(directory / "datapackage.json", Path(tmp),
                      workers or ValidationWorkers(jobs), CHUNK_ROWS, pandera=True)()


def _frictionless_whole(descriptor: Path) -> list[Failure]:
    from frictionless import Package, system

    with system.use_context(trusted=True):
        report = Package(str(descriptor)).validate()
    out = []
    for task in report.tasks:
        for err in task.errors:
            row = getattr(err, "row_number", None)
            out.append(Failure("frictionless", task.name or str(task.place), None if row is None
                               else row - 1, getattr(err, "field_name", None), err.type,
                               err.message))
    if not report.valid and not out:
        out.extend(Failure("frictionless", "package", None, None, e.type, e.message)
                   for e in report.errors)
    return out


def _metadata_failures(descriptor: Path) -> list[Failure]:
    from frictionless import FrictionlessException, Package, system

    try:
        with system.use_context(trusted=True):
            Package(str(descriptor)).to_descriptor(validate=True)
    except FrictionlessException as exc:
        return [Failure("frictionless", "package", None, None, e.type, e.message)
                for e in exc.to_errors()]
    return []


def _cuts(path: Path, resource: dict, chunk_rows: int, jobs: int) -> list[int] | None:
    """Byte offsets where a CSV's data can be cut into chunks, starting with the end of the
    header; None when the table is not worth (or safe) cutting.

    A newline ends a record when the number of quote characters before it is even (CSV
    quoting doubles quotes inside quoted cells, so parity is exact).
    """
    rows = resource.get("rows") or 0
    self_ref = any(not fk["reference"].get("resource") or fk["reference"]["resource"]
                   == resource["name"] for fk in resource.get("schema", {}).get("foreignKeys", []))
    if rows <= chunk_rows or self_ref or resource.get("format", "csv") != "csv":
        return None
    data = path.read_bytes()
    cuts = []
    start = 0
    while True:
        nl = data.find(b"\n", start)
        if nl < 0:
            return None
        if data.count(b'"', 0, nl) % 2 == 0:
            cuts.append(nl + 1)
            break
        start = nl + 1
    n_chunks = max(jobs, -(-rows // 500_000))
    step = (len(data) - cuts[0]) // n_chunks
    for k in range(1, n_chunks):
        pos = max(cuts[-1], cuts[0] + k * step)
        quotes = data.count(b'"', 0, pos)
        while True:
            nl = data.find(b"\n", pos)
            if nl < 0 or nl + 1 >= len(data):
                break
            quotes += data.count(b'"', pos, nl)
            if quotes % 2 == 0:
                cuts.append(nl + 1)
                break
            pos = nl + 1
    return sorted(set(cuts))


def _validate_part(descriptor: str, name: str, chunk: str | None) -> tuple[int, list[dict]]:
    """Frictionless on one resource of the package, or on one chunk file standing in for it:
    (rows read, error descriptors)."""
    from frictionless import Package, system

    with system.use_context(trusted=True):
        package = Package(descriptor)
        resource = package.get_resource(name)
        if chunk is not None:
            resource.path = chunk
            resource.hash = resource.bytes = resource.rows = None  # checked on the whole file
        report = package.validate(name=name)
    if not report.tasks:  # invalid package metadata: reported by the "meta" task
        return 0, []
    task = report.tasks[0]
    return task.stats.get("rows") or 0, [e.to_descriptor() for e in task.errors]


def _release_arrow_memory() -> None:
    """Hand the Arrow pool's freed buffers back to the OS (it keeps them for reuse)."""
    import pyarrow as pa

    pa.default_memory_pool().release_unused()


PANDERA_COST = 0.25
"""pandera's time per cell (all tables) relative to Frictionless's: measured 0.1 (1,000,000
events) to 0.35 (300 articles)."""


def _start(descriptor: Path, tmp: Path, workers: ValidationWorkers, chunk_rows: int,
           pandera: bool) -> Callable[[], list[Failure]]:
    """Hand the validation of a package to `workers`; the returned function waits for them
    and returns the failures (pandera's first, when `pandera`).

    Each Frictionless table (or chunk of a long table, written to `tmp`) is a task, and so is
    pandera on all tables. The package metadata is checked first, by the first worker; when it
    is invalid only those failures are reported (as Frictionless does).
    """
    try:
        resources = _resources(descriptor)
        plan = [(r["name"], _cuts(descriptor.parent / r["path"], r, chunk_rows, workers.n))
                for r in resources]
    except (OSError, ValueError, KeyError, TypeError):
        # Let Frictionless report what is wrong with the package.
        workers.send([[("whole", str(descriptor))]])
        return lambda: [Failure(*f) for f in workers.wait()[0][0]]
    tasks: list[tuple[str, int, str | None]] = []  # (resource, chunk index, chunk path or None)
    for name, cuts in plan:
        if not cuts:
            tasks.append((name, 0, None))
            continue
        path = descriptor.parent / next(r for r in resources if r["name"] == name)["path"]
        data = path.read_bytes()
        for k, (a, b) in enumerate(zip(cuts, [*cuts[1:], len(data)], strict=True)):
            chunk = tmp / f"{name}-{k:04d}.csv"
            chunk.write_bytes(data[:cuts[0]] + data[a:b])
            tasks.append((name, k, str(chunk)))
        del data
    # Costliest first onto the least loaded worker. Frictionless's time goes with the cells
    # it checks (~4 µs each), plus one key cell per row of each table a foreign key reads.
    rows = {r["name"]: r.get("rows") or 0 for r in resources}
    cells = {r["name"]: rows[r["name"]] * len(r.get("schema", {}).get("fields", []))
             for r in resources}
    refs = {r["name"]: {fk["reference"].get("resource") or r["name"]
                        for fk in r.get("schema", {}).get("foreignKeys", [])} for r in resources}
    n_parts = {name: sum(t[0] == name for t in tasks) for name in rows}
    cost = [cells.get(name, 0) / n_parts.get(name, 1)
            + sum(rows.get(r, 0) for r in refs.get(name, ())) for name, _, _ in tasks]
    work: list[tuple] = [("part", str(descriptor), name, chunk) for name, _, chunk in tasks]
    if pandera:
        work.append(("pandera", str(descriptor.parent)))
        cost.append(PANDERA_COST * sum(cells.values()))
    lanes: list[list[int]] = [[] for _ in range(max(1, min(workers.n, len(work))))]
    load = [0.0] * len(lanes)
    for i in sorted(range(len(work)), key=lambda i: -cost[i]):
        lane = load.index(min(load))
        lanes[lane].append(i)
        load[lane] += cost[i]
    lanes[0].insert(0, -1)
    workers.send([[("meta", str(descriptor)) if i < 0 else work[i] for i in lane]
                  for lane in lanes])

    def finish() -> list[Failure]:
        by_task: dict[int, Any] = {}
        for lane, lane_results in zip(lanes, workers.wait(), strict=True):
            by_task.update(zip(lane, lane_results, strict=True))
        meta = [Failure(*f) for f in by_task.pop(-1)]
        if meta:
            return meta
        found = [Failure(*f) for f in by_task.pop(len(tasks))] if pandera else []
        return found + _assemble(descriptor, tasks, [by_task[i] for i in range(len(tasks))])

    return finish


class ValidationWorkers:
    """`n` processes that validate. Each imports Frictionless and pandera and derives the
    pandera schemas as it starts (~1 s), then waits for its task list on stdin.

    Plain `python -c` processes, not multiprocessing: a caller's unguarded `__main__` is never
    imported again. Used once (`send`, then `wait`); `close` stops any not used.
    """

    _CODE = "from newsfacts.build.validate import _serve; _serve()"

    def __init__(self, n: int) -> None:
        import subprocess
        import sys

        self.n = max(1, n)
        self.procs = [subprocess.Popen([sys.executable, "-c", self._CODE], stdin=subprocess.PIPE,
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                      for _ in range(self.n)]
        self._sent = 0

    def send(self, lanes: list[list[tuple]]) -> None:
        """Give each worker its list of tasks (workers beyond `len(lanes)` get none)."""
        if self._sent or len(lanes) > self.n:
            raise RuntimeError("validation workers take one set of at most n task lists")
        self._sent = len(lanes)
        for i, proc in enumerate(self.procs):
            stdin: Any = proc.stdin  # a pipe: the workers were started with stdin=PIPE
            stdin.write(json.dumps(lanes[i] if i < len(lanes) else []).encode())
            stdin.close()  # every worker has its tasks now and runs meanwhile
            proc.stdin = None  # so communicate() only reads

    def wait(self) -> list:
        """Results of the task lists sent, in order."""
        results = []
        for i, proc in enumerate(self.procs):
            out, err = proc.communicate()
            if proc.returncode != 0:
                raise RuntimeError(f"validation worker failed:\n{err.decode()[-3000:]}")
            if i < self._sent:
                results.append(json.loads(out))
        return results

    def close(self) -> None:
        """Stop the workers that are still running (a build that failed before validating)."""
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            for f in (proc.stdin, proc.stdout, proc.stderr):
                if f is not None and not f.closed:
                    f.close()

    def __enter__(self) -> ValidationWorkers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _serve() -> None:
    """Worker side of `ValidationWorkers`: warm up, read the task list, run it, print results."""
    import sys

    import frictionless  # noqa: F401  (imported now, while nothing waits for it)

    for table in TABLES:
        pandera_schema(table)
    tasks = json.loads(sys.stdin.read() or "[]")
    json.dump(_run_tasks(tasks), sys.stdout)


def _run_tasks(tasks: list[list]) -> list:
    """Run each task of a worker's list, in order."""
    out: list = []
    for task in tasks:
        if task[0] == "pandera":
            directory = Path(task[1])
            out.append([astuple(f) for f in pandera_failures({t: read_table(t, directory)
                                                              for t in TABLES})])
        elif task[0] in ("whole", "meta"):
            run = _frictionless_whole if task[0] == "whole" else _metadata_failures
            out.append([astuple(f) for f in run(Path(task[1]))])
        else:
            out.append(list(_validate_part(*task[1:])))
    return out


def _assemble(descriptor: Path, tasks: list[tuple], results: list) -> list[Failure]:
    """Failures of all parts, in package order, with chunk row numbers made global."""
    out: list[Failure] = []
    offset = 0
    starts: list[int] = []  # first data row (0-based) of each chunk of the current table
    for j, ((name, k, chunk), (n_rows, errs)) in enumerate(zip(tasks, results, strict=True)):
        if k == 0:
            offset, starts = 0, []
        starts.append(offset)
        for err in errs:
            row = err.get("rowNumber")
            if chunk is not None and row is None and k > 0:
                continue  # header and source errors: reported once, by the first chunk
            if chunk is not None and row is not None and offset:
                err = _shifted(err, offset)
            out.append(Failure("frictionless", name, None if row is None
                               else err["rowNumber"] - 1, err.get("fieldName"), err["type"],
                               err["message"]))
        if chunk is not None:
            offset += n_rows
            nxt = j + 1
            if nxt == len(tasks) or tasks[nxt][0] != name:
                out.extend(_whole_file_failures(descriptor, name, offset, starts))
    return out


def _shifted(err: dict, offset: int) -> dict:
    """A chunk's row error as Frictionless would word it for the whole table: row numbers
    (and the earlier row a primary-key duplicate names) moved down by `offset` rows."""
    import re

    from frictionless import errors

    cls = next(c for c in vars(errors).values()
               if isinstance(c, type) and getattr(c, "type", None) == err["type"])
    kwargs = {re.sub(r"([A-Z])", r"_\1", k).lower(): v for k, v in err.items()
              if k not in ("type", "title", "description", "message", "tags")}
    kwargs["row_number"] += offset
    if err["type"] == "primary-key":
        kwargs["note"] = re.sub(r"(?<=at position )([0-9]+)",
                                lambda m: str(int(m.group(1)) + offset), kwargs["note"])
    return cls(**kwargs).to_descriptor()


def _resources(descriptor: Path) -> list[dict]:
    return json.loads(descriptor.read_text(encoding="utf-8"))["resources"]


def _whole_file_failures(descriptor: Path, name: str, rows: int,
                         starts: list[int]) -> list[Failure]:
    """What chunks cannot check: the file's hash, bytes and rows, and primary-key duplicates
    whose previous occurrence is in an earlier chunk (Frictionless's own error types; it has
    reported the duplicates inside each chunk)."""

    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pacsv
    from frictionless import errors

    res = next(r for r in _resources(descriptor) if r["name"] == name)
    path = descriptor.parent / res["path"]
    found: list[Any] = []  # Frictionless errors
    if res.get("hash"):
        expected = res["hash"].removeprefix("sha256:")
        actual = file_hash(path).removeprefix("sha256:")
        if actual != expected:
            found.append(errors.HashCountError(
                note=f'expected is "{expected}" and actual is "{actual}"'))
    size = path.stat().st_size
    if res.get("bytes") and res["bytes"] != size:
        found.append(errors.ByteCountError(note=f'expected is "{res["bytes"]}" and actual is '
                                                f'"{size}"'))
    if res.get("rows") and res["rows"] != rows:
        found.append(errors.RowCountError(note=f'expected is "{res["rows"]}" and actual is '
                                               f'"{rows}"'))
    out = [Failure("frictionless", name, None, None, e.type, e.message) for e in found]
    key = res.get("schema", {}).get("primaryKey") or []
    if not key:
        return out
    table = pacsv.read_csv(path, convert_options=pacsv.ConvertOptions(
        include_columns=key, column_types={k: pa.string() for k in key},
        strings_can_be_null=True)).to_pandas()
    table = table[table.notna().any(axis=1)]  # all-null keys: reported per chunk
    prev = pd.Series(table.index, index=table.index).groupby(
        [table[k] for k in key], dropna=False).shift(1)
    chunk_of = np.searchsorted(starts, table.index.to_numpy(), side="right")
    prev_chunk = np.searchsorted(starts, prev.fillna(-1).to_numpy(dtype="int64"), side="right")
    across = prev.notna().to_numpy() & (prev_chunk != chunk_of)
    for i, p in zip(table.index[across].tolist(), prev[across].tolist(), strict=True):
        cells = [str(c) for c in table.loc[i, key]]
        e = errors.PrimaryKeyError(note=f"the same as in the row at position {int(p) + 2}",
                                   cells=cells, row_number=i + 2)
        out.append(Failure("frictionless", name, i + 1, None, e.type, e.message))
    return out


def validate_dir(directory: Path | str | None = None) -> list[Failure]:
    """Run both validators on a built folder; an empty list means valid."""
    from newsfacts.errors import NewsfactsError
    from newsfacts.load import data_dir

    folder = Path(directory) if directory else data_dir()
    if not folder.is_dir():
        raise NewsfactsError(f"{folder}: no such folder; give a built dataset folder "
                             "(one holding datapackage.json)")
    if not (folder / "datapackage.json").is_file():
        raise NewsfactsError(f"{folder}: no datapackage.json there; is it a folder written "
                             "by `newsfacts build`?")
    return validate_all(folder)
