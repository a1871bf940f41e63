"""Benchmark the build: throughput against bare `nlp.pipe`, parallel speed-ups, incremental
rebuilds, peak memory and validation time. Standard library only (timing + `os.wait4`).

    python scripts/bench.py --articles 300 --json bench.json

Every measurement is a fresh process started the way a user would start it (`newsfacts build
...`, or a script that only loads the pipeline and runs `nlp.pipe`), timed end to end; peak RSS
is the largest resident set of any process of its tree (`ru_maxrss` from `wait4`). Corpora are
SYNTHETIC (`newsfacts.build.synth`: real sentences of ../shared/corpus resampled with a seed)
and are written under `--work`, never into the repository. Targets (2-core machine) are printed
next to the figures; they are checked here, not in the test suite, because timings drift ±15-20%.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from newsfacts.build import DEFAULT_MODEL

ROOT = Path(__file__).resolve().parents[1]
SHARED_CORPUS = ROOT.parent / "shared" / "corpus"
NEWSFACTS = Path(sys.executable).parent / "newsfacts"
TARGETS = {  # key: (comparison, threshold)
    "throughput_ratio_vs_nlp_pipe": (">=", 0.85),
    "speedup_jobs2": (">=", 1.7),
    "speedup_dask2": (">=", 1.5),
    "incremental_ratio": ("<=", 0.10),
    "rss_ratio_3000_300": ("<=", 1.25),
    "validate_1m_s": ("<=", 60.0),
}

PIPE_SCRIPT = """
import sys
from pathlib import Path
from newsfacts.build.sources import Article, Source, read_source
from newsfacts.build.extract import load_pipeline
if __name__ == "__main__":
    texts = [r.text for r in read_source(Source.open(Path(sys.argv[1])))
             if isinstance(r, Article)]
    nlp = load_pipeline(sys.argv[2])
    n = sum(1 for _ in nlp.pipe(texts, batch_size=int(sys.argv[4]), n_process=int(sys.argv[3])))
    assert n == len(texts)
"""

STAGES_SCRIPT = """
import json, sys, time
from pathlib import Path
from newsfacts.build.sources import Article, Source, read_source
from newsfacts.build.extract import ArticleInfo, extract, load_pipeline
if __name__ == "__main__":
    t0 = time.perf_counter()
    arts = [r for r in read_source(Source.open(Path(sys.argv[1]))) if isinstance(r, Article)]
    t1 = time.perf_counter()
    nlp = load_pipeline(sys.argv[2])
    t2 = time.perf_counter()
    docs = list(nlp.pipe([a.text for a in arts], batch_size=int(sys.argv[3])))
    t3 = time.perf_counter()
    for a, doc in zip(arts, docs, strict=True):
        extract(doc, ArticleInfo(a.article_id, a.published_date.isoformat()), text=a.text).to_json()
    t4 = time.perf_counter()
    print(json.dumps({"read_s": round(t1 - t0, 2), "load_s": round(t2 - t1, 2),
                      "pipe_s": round(t3 - t2, 2), "extract_s": round(t4 - t3, 2)}))
"""

VALIDATE_SCRIPT = """
import json, sys, time
from pathlib import Path
if __name__ == "__main__":
    t0 = time.perf_counter()
    import importlib
    from newsfacts.load import read_table
    from newsfacts.schema import TABLES
    validate = importlib.import_module("newsfacts.build.validate")
    directory = Path(sys.argv[1])
    frames = {t: read_table(t, directory) for t in TABLES}
    t1 = time.perf_counter()
    failures = validate.pandera_failures(frames)
    del frames
    t2 = time.perf_counter()
    failures += validate.frictionless_failures(directory / "datapackage.json")
    t3 = time.perf_counter()
    print(json.dumps({"read_s": t1 - t0, "pandera_s": t2 - t1, "frictionless_s": t3 - t2,
                      "failures": len(failures)}))
"""


def run(cmd: list[str], env: dict[str, str] | None = None) -> dict:
    """Run a command to completion: wall seconds, CPU seconds and peak RSS of its tree
    (`wait4` reports the child with its reaped descendants, such as worker processes)."""
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env={**os.environ, **(env or {})})
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{stderr[-3000:]}")
    return {"wall_s": round(wall, 2), "cpu_s": round(usage.ru_utime + usage.ru_stime, 1),
            "peak_rss_mb": round(usage.ru_maxrss / 1024, 1), "load_before": round(load_before, 2),
            "load_after": round(os.getloadavg()[0], 2), "stdout": stdout[-2000:],
            "stderr": stderr[-4000:]}


def compile_bytecode() -> dict:
    """Compile the environment's and the project's modules to bytecode, as `pip install`
    does at install time (`uv sync` only with --compile-bytecode). Without it, and with
    PYTHONDONTWRITEBYTECODE=1 (set on this project's machine), every fresh process compiles
    spaCy, pandas, pandera... from source again: ~0.9 s per build and per worker."""
    import sysconfig

    dirs = sorted({sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"],
                   str(ROOT / "src")})
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "compileall", "-q", "-j", "0", *dirs], check=False,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return {"compiled": dirs, "seconds": round(time.perf_counter() - started, 1),
            "PYTHONDONTWRITEBYTECODE": os.environ.get("PYTHONDONTWRITEBYTECODE")}


def build(source: Path, out: Path, *args: str) -> dict:
    """`newsfacts build` as a user runs it."""
    r = run([str(NEWSFACTS), "build", "--source", str(source), "--out", str(out), *args])
    shutil.rmtree(out, ignore_errors=True)
    return r


def corpus_stats(source: Path) -> tuple[int, int]:
    """Articles and whitespace-separated words of a source, as the build reads it."""
    from newsfacts.build.sources import Article, Source, read_source

    texts = [r.text for r in read_source(Source.open(source)) if isinstance(r, Article)]
    return len(texts), sum(len(t.split()) for t in texts)


def throughput(r: dict, n: int, words: int) -> dict:
    return {**{k: v for k, v in r.items() if k not in ("stdout", "stderr")},
            "articles_per_s": round(n / r["wall_s"], 2), "words_per_s": round(words / r["wall_s"])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=300, help="corpus size for throughput")
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--work", type=Path, help="scratch folder (default: a temporary one)")
    parser.add_argument("--model", default=DEFAULT_MODEL)
    parser.add_argument("--rss-sizes", default="300,3000", help="two corpus sizes for peak RSS")
    parser.add_argument("--validate-rows", type=int, default=1_000_000)
    parser.add_argument("--skip", default="", help="comma list of: throughput,dask,pipe,stages,"
                        "incremental,rss,validate")
    parser.add_argument("--pairs", type=int, default=3,
                        help="interleaved build / bare nlp.pipe pairs for the throughput ratio")
    parser.add_argument("--no-compile", action="store_true",
                        help="do not compile bytecode first (measure a cold environment)")
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    bytecode = None if args.no_compile else compile_bytecode()

    from newsfacts.build.engine import (
        DEFAULT_BATCH,  # the batch the builds use, so the reference matches
    )
    from newsfacts.build.synth import append_records, sentence_pool, typical_record, write_synthetic

    work = args.work or Path(tempfile.mkdtemp(prefix="newsfacts-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    real = sorted(p for p in SHARED_CORPUS.iterdir() if (p / "source.json").is_file())
    pool = sentence_pool(real)
    n = args.articles
    corpus = write_synthetic(work / f"synthetic-{n}", real, n, args.seed, pool)
    n_articles, words = corpus_stats(corpus)
    fig: dict = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                             "platform": platform.platform()},
                 "corpus": {"articles": n_articles, "words": words, "seed": args.seed,
                            "synthetic": True},
                 "batch_size": DEFAULT_BATCH, "bytecode": bytecode}

    def say(key: str, value) -> None:
        print(f"{key}: {json.dumps(value)}", flush=True)

    # --- throughput: build at 1 and 2 processes, Dask with 2 workers, bare nlp.pipe ---------
    if "throughput" not in skip:
        for jobs in (1, 2):
            r = build(corpus, work / "out", "--no-cache", "--jobs", str(jobs))
            fig[f"build_jobs{jobs}"] = throughput(r, n_articles, words)
            say(f"build_jobs{jobs}", fig[f"build_jobs{jobs}"])
        fig["speedup_jobs2"] = round(fig["build_jobs1"]["wall_s"]
                                     / fig["build_jobs2"]["wall_s"], 3)
        if "dask" not in skip:
            r = build(corpus, work / "out", "--no-cache", "--engine", "dask", "--jobs", "2")
            fig["build_dask2"] = throughput(r, n_articles, words)
            say("build_dask2", fig["build_dask2"])
            fig["speedup_dask2"] = round(fig["build_jobs1"]["wall_s"]
                                         / fig["build_dask2"]["wall_s"], 3)
        if "pipe" not in skip:
            # On a shared machine one unpaired run drifts with the load: interleave a build and a
            # bare-pipe run in pairs, take each pair's ratio, report the median of the pairs.
            for procs in (1, 2):
                ratios, walls = [], []
                for _ in range(args.pairs):
                    b = build(corpus, work / "out", "--no-cache", "--jobs", str(procs))
                    r = run([sys.executable, "-c", PIPE_SCRIPT, str(corpus), args.model,
                             str(procs), str(DEFAULT_BATCH)])
                    ratios.append(round(r["wall_s"] / b["wall_s"], 3))
                    walls.append([b["wall_s"], r["wall_s"]])
                fig[f"nlp_pipe_{procs}"] = throughput(r, n_articles, words)
                say(f"nlp_pipe_{procs}", fig[f"nlp_pipe_{procs}"])
                # each pair's (build, bare pipe) seconds: the spread the median is taken over
                fig[f"throughput_walls_jobs{procs}_pairs"] = walls
                say(f"throughput_walls_jobs{procs}_pairs", walls)
                fig[f"throughput_ratio_jobs{procs}_pairs"] = ratios
                fig[f"throughput_ratio_jobs{procs}"] = statistics.median(ratios)
                say(f"throughput_ratio_jobs{procs}_pairs", ratios)
            fig["throughput_ratio_vs_nlp_pipe"] = min(fig["throughput_ratio_jobs1"],
                                                      fig["throughput_ratio_jobs2"])
            # What 2 processes can give on this machine right now (other load included).
            fig["speedup_nlp_pipe2"] = round(fig["nlp_pipe_1"]["wall_s"]
                                             / fig["nlp_pipe_2"]["wall_s"], 3)

    # --- stages: one process, read / load / nlp.pipe / extract timed apart ------------------
    # What a build adds to a bare nlp.pipe, without a second run to pair it with: on a shared
    # machine whose speed drifts, the share of extraction is steadier than a ratio of two runs.
    if "stages" not in skip:
        r = run([sys.executable, "-c", STAGES_SCRIPT, str(corpus), args.model, str(DEFAULT_BATCH)])
        st = json.loads(r["stdout"].strip().splitlines()[-1])
        st["ratio_if_only_extraction_added"] = round(
            (st["read_s"] + st["load_s"] + st["pipe_s"])
            / (st["read_s"] + st["load_s"] + st["pipe_s"] + st["extract_s"]), 3)
        fig["stages_jobs1"] = st
        say("stages_jobs1", st)

    # --- incremental: full build into an empty cache, then one more article -----------------
    if "incremental" not in skip:
        inc = work / f"incremental-{n}"
        shutil.rmtree(inc, ignore_errors=True)
        write_synthetic(inc, real, n, args.seed, pool)
        cache = ["--cache-dir", str(work / "cache")]
        shutil.rmtree(work / "cache", ignore_errors=True)
        full = build(inc, work / "out", *cache)
        words_before = corpus_stats(inc)[1]
        append_records(inc, [typical_record(pool, n, args.seed)])  # a median-length article
        plus = build(inc, work / "out", *cache)
        if f"extracted 1 articles, {n} from cache" not in plus["stderr"]:
            raise RuntimeError(f"incremental build did not re-extract exactly one article:\n"
                               f"{plus['stderr']}")
        same = build(inc, work / "out", *cache)  # nothing new: the fixed cost of a rebuild
        fig["incremental_full_s"], fig["incremental_plus1_s"] = full["wall_s"], plus["wall_s"]
        fig["incremental_plus1_words"] = corpus_stats(inc)[1] - words_before
        fig["rebuild_unchanged_s"] = same["wall_s"]
        fig["incremental_ratio"] = round(plus["wall_s"] / full["wall_s"], 3)
        say("incremental", {"full_s": full["wall_s"], "plus1_s": plus["wall_s"],
                            "plus1_words": fig["incremental_plus1_words"],
                            "unchanged_s": same["wall_s"]})

    # --- peak RSS at two corpus sizes (one process: pipeline, batches and tables together) ----
    if "rss" not in skip:
        small, large = (int(x) for x in args.rss_sizes.split(","))
        for size in (small, large):
            if size == n and "build_jobs1" in fig:
                fig[f"rss_{size}"] = fig["build_jobs1"]
            else:
                src = write_synthetic(work / f"synthetic-{size}", real, size, args.seed, pool)
                k, w = corpus_stats(src)
                fig[f"rss_{size}"] = throughput(build(src, work / "out", "--no-cache"), k, w)
            say(f"rss_{size}", fig[f"rss_{size}"])
        fig[f"rss_ratio_{large}_{small}"] = round(fig[f"rss_{large}"]["peak_rss_mb"]
                                                  / fig[f"rss_{small}"]["peak_rss_mb"], 3)

    # --- validation of a 1,000,000-row events table ------------------------------------------
    if "validate" not in skip:
        from newsfacts.build.synth import write_synthetic_tables

        tables = work / f"tables-{args.validate_rows}"
        if not (tables / "datapackage.json").is_file():
            write_synthetic_tables(tables, args.validate_rows)
        r = run([sys.executable, "-c", VALIDATE_SCRIPT, str(tables)])
        parts = json.loads(r["stdout"].strip().splitlines()[-1])
        if parts["failures"]:
            raise RuntimeError(f"synthetic tables should be valid: {parts}")
        key = "validate_1m_s" if args.validate_rows == 1_000_000 else "validate_s"
        fig[key] = r["wall_s"]
        fig["validate"] = {**{k: round(v, 2) for k, v in parts.items()},
                           **{k: v for k, v in r.items() if k not in ("stdout", "stderr")}}
        say("validate", fig["validate"])

    # --- report -------------------------------------------------------------------------------
    print("\nfigure                          value     target    met")
    for key, (op, limit) in TARGETS.items():
        value = fig.get(key)
        if value is None:
            print(f"{key:30s} {'-':>8s}")
            continue
        met = value >= limit if op == ">=" else value <= limit
        fig.setdefault("targets", {})[key] = {"value": value, "target": f"{op} {limit}",
                                             "met": met}
        print(f"{key:30s} {value:8.3f}   {op} {limit:<6}  {'yes' if met else 'NO'}")
    if args.json:
        args.json.write_text(json.dumps(fig, indent=2) + "\n", encoding="utf-8")
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
