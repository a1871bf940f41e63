"""Whole builds on tiny nasty corpora (spaCy runs): accounting, validity, atomic outputs.

A build either swaps in a valid folder plus `rejects.csv`, or fails and leaves the previous
folder byte-identical: validation failures, `--strict`, a concurrent build, `SIGKILL`.
"""

from __future__ import annotations

import csv
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from robust_helpers import REF, csv_bytes, jsonl_bytes, make_source
from typer.testing import CliRunner

from newsfacts.build.engine import LocalEngine
from newsfacts.build.pipeline import (
    BuildError,
    StrictError,
    build,
    clean_stale,
    output_lock,
)
from newsfacts.build.validate import validate_dir
from newsfacts.load import read_table
from newsfacts.schema import TABLES, foreign_keys

NASTY = [  # (record, expected outcome)
    ({"url": "n/crlf", "date": "2020-01-02", "title": "Talks\u200b in  Doha",
      "text": "Friday, January 4, 2019\u00a0\r\n\r\n\r\nAfghan officials will meet Taliban "
              "members in Doha.\r\n\r\nThe United Nations said 5,000 prisoners may be freed."},
     "accepted"),
    ({"url": "n/rtl", "date": "2020-01-03", "title": "RTL",
      "text": "\u202b\u05e9\u05dc\u05d5\u05dd \u05e2\u05d5\u05dc\u05dd\u202c. Israel and Egypt "
              "met in Cairo. \u0645\u0631\u062d\u0628\u0627 \u0628\u0627\u0644\u0639\u0627\u0644"
              "\u0645 3 \u0661\u0662"},
     "accepted"),
    ({"url": "n/emoji", "date": "2020-01-04", "title": "\U0001F600",
      "text": "\U0001F600\U0001F1FA\U0001F1F8 Joe Biden met Angela Merkel in Berlin "
              "\U0001F44D\U0001F3FD. \u4e2d\u6587 \u0440\u0443\u0441\u0441\u043a\u0438\u0439 "
              "e\u200b\u0301 \U0001F468\u200d\U0001F469\u200d\U0001F467 Ελληνικά 12 people."},
     "accepted"),
    ({"url": "n/one", "date": "2020-01-05", "text": "A"}, "accepted"),
    ({"url": "n/dot", "date": "2020-01-06", "text": "\u00a0.\u200b"}, "accepted"),
    ({"url": "n/zw", "date": "2020-01-07", "text": "\u200bZero\u200cwidth\u200d joiners\ufeff."},
     "accepted"),
    ({"url": "n/bad-day", "date": "2020-02-30", "text": "Impossible date."}, "impossible-date"),
    ({"url": "n/future", "date": "2031-01-01", "text": "From the future."}, "future-date"),
    ({"url": "n/html", "date": "2020-01-08", "text": "<div>Markup</div>"}, "markup"),
    ({"url": "n/blank", "date": "2020-01-08", "text": " \u3000\t\n\n "}, "empty-text"),
    ({"url": "n/dup", "date": "2020-01-08", "text": "A"}, "duplicate-text"),
]
SEED_OK = " date 2020-03-25 Afghan government officials will meet Taliban members in Kabul."


def _corpus(root: Path, reverse: bool = False) -> list[Path]:
    """The nasty corpus: one JSONL source and one seed source (files written in `reverse`)."""
    records = [r for r, _ in NASTY]
    seed = {"001_00000000000000a1.txt": SEED_OK,
            "002_00000000000000a2.txt": " date 2020-02-31 Bad day."}
    if reverse:
        seed = dict(reversed(seed.items()))
    return [make_source(root, "nasty", "jsonl", {"a.jsonl": jsonl_bytes(records, "\r\n")}),
            make_source(root, "seedling", "seed-txt", seed)]


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir()
                  if p.name.startswith(f".{out.name}.") and not p.name.endswith(".lock"))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One real build of the nasty corpus: (out folder, summary, source folders)."""
    root = tmp_path_factory.mktemp("nasty")
    sources = _corpus(root / "raw")
    summary = build(sources, root / "data", reference_date=REF)
    return root / "data", summary, sources


def _copy(out: Path, tmp_path: Path) -> Path:
    dest = tmp_path / "data"
    shutil.copytree(out, dest)
    return dest


def test_nasty_build_accounts_for_every_record_and_is_valid(built):
    out, summary, _ = built
    assert validate_dir(out) == []
    assert dict(summary.read) == {"nasty": len(NASTY), "seedling": 2}
    for src in summary.read:
        assert summary.read[src] == summary.accepted[src] + summary.rejected[src]
    with open(out / "rejects.csv", encoding="utf-8", newline="") as f:
        rejects = list(csv.DictReader(f))
    assert list(rejects[0]) == ["source", "file", "record", "reason_code", "message"]
    got = {(r["source"], r["file"], int(r["record"])): r["reason_code"] for r in rejects}
    want = {("nasty", "a.jsonl", i): reason for i, (_, reason) in enumerate(NASTY, 1)
            if reason != "accepted"}
    want[("seedling", "002_00000000000000a2.txt", 1)] = "impossible-date"
    assert got == want
    articles = read_table("articles", out)
    assert len(articles) == sum(1 for _, r in NASTY if r == "accepted") + 1
    texts = dict(zip(articles["article_id"], articles["text"], strict=True))
    assert sorted(t for t in texts.values() if len(t) == 1) == [".", "A"]
    assert all("\r" not in t and "\u200b" not in t and "\u00a0" not in t for t in texts.values())


def test_every_offset_slices_and_every_foreign_key_resolves(built):
    """Checked here directly, not through the validators, so a validator bug cannot hide it."""
    out = built[0]
    frames = {t: read_table(t, out) for t in TABLES}
    texts = dict(zip(frames["articles"]["article_id"], frames["articles"]["text"], strict=True))
    spans = [("mentions", "start", "end", "text"), ("figures", "start", "end", "text"),
             ("events", "trigger_start", "trigger_end", "trigger"),
             ("events", "date_start", "date_end", "date_text")]
    n = 0
    for table, start, end, field in spans:
        for row in frames[table].itertuples(index=False):
            s, e, value = getattr(row, start), getattr(row, end), getattr(row, field)
            if pd.isna(s):
                continue
            assert texts[row.article_id][int(s):int(e)] == value
            n += 1
    assert n > 0
    for table in TABLES:
        for column, ref_table, ref_column in foreign_keys(table):
            known = set(frames[ref_table][ref_column])
            values = frames[table][column].dropna()
            assert set(values) <= known, (table, column)


def test_output_does_not_depend_on_file_or_source_order(built, tmp_path):
    out, _, _ = built
    sources = _corpus(tmp_path / "raw", reverse=True)
    build(list(reversed(sources)), tmp_path / "data", reference_date=REF)
    again = _snapshot(tmp_path / "data")
    first = _snapshot(out)
    assert again.keys() == first.keys()
    for name in first:  # datapackage.json included: sources are listed by name
        assert again[name] == first[name], name


def test_failed_validation_leaves_previous_output_byte_identical(built, tmp_path):
    out = _copy(built[0], tmp_path)
    before = _snapshot(out)

    def off_by_one(articles, model):
        for ex in LocalEngine()(articles, model):
            for m in ex.mentions:
                m["end"] += 1  # the stored text no longer equals text[start:end]
            yield ex

    with pytest.raises(BuildError, match="validation failed") as info:
        build(built[2], out, reference_date=REF, extractor=off_by_one)
    assert any(f.check == "offset_slice" for f in info.value.failures)
    assert _snapshot(out) == before
    assert _leftovers(out) == []


def test_strict_fails_before_extraction_and_touches_nothing(built, tmp_path):
    out = _copy(built[0], tmp_path)
    before = _snapshot(out)

    def must_not_run(articles, model):
        raise AssertionError("strict must fail before extraction")

    with pytest.raises(StrictError, match="input records refused") as info:
        build(built[2], out, reference_date=REF, strict=True, extractor=must_not_run)
    assert len(info.value.summary.rejects) == 6
    assert _snapshot(out) == before and _leftovers(out) == []


def test_cli_reports_accounting_and_strict_exit(built, tmp_path):
    out = _copy(built[0], tmp_path)
    before = _snapshot(out)
    args = ["build", "--out", str(out), "--reference-date", "2024-01-01"]
    for src in built[2]:
        args += ["--source", str(src)]
    from newsfacts.cli import app

    result = CliRunner().invoke(app, [*args, "--strict"])
    assert result.exit_code == 1, result.output
    text = " ".join(result.output.split())
    assert "11 = 6 + 5" in text and "2 = 1 + 1" in text
    assert ("nasty/a.jsonl:7: impossible-date: expected a real calendar date, found "
            "'2020-02-30'") in text
    assert "seedling/002_00000000000000a2.txt:1: impossible-date" in text
    assert "--strict: 6 input records refused" in text
    assert _snapshot(out) == before
    bad = CliRunner().invoke(app, ["build", "--out", str(out), "--source", str(tmp_path)])
    assert bad.exit_code == 1 and "source.json" in bad.output
    bad = CliRunner().invoke(app, [*args, "--reference-date", "2024-02-30"])
    assert bad.exit_code == 2 and "expected a date YYYY-MM-DD" in bad.output


def _hold_lock(out: Path, locked, release) -> None:
    with output_lock(out):
        locked.set()
        release.wait(60)


def test_concurrent_build_is_refused_with_a_clear_message(built, tmp_path):
    out = _copy(built[0], tmp_path)
    before = _snapshot(out)
    ctx = multiprocessing.get_context("fork")  # another process, without re-importing spaCy
    locked, release = ctx.Event(), ctx.Event()
    holder = ctx.Process(target=_hold_lock, args=(out, locked, release))
    holder.start()
    try:
        assert locked.wait(30)
        with pytest.raises(BuildError, match=rf"another build \(pid {holder.pid}\) is writing"):
            build(built[2], out, reference_date=REF)
    finally:
        release.set()
        holder.join(30)
    assert _snapshot(out) == before
    with output_lock(out):  # released when the holder left
        pass


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_clean_stale_removes_dead_leftovers_and_restores_an_interrupted_swap(tmp_path):
    out = tmp_path / "data"
    dead, live = _dead_pid(), os.getppid()
    (tmp_path / f".data.tmp-{dead}").mkdir()
    (tmp_path / f".data.tmp-{live}").mkdir()
    old = tmp_path / f".data.old-{dead}"
    old.mkdir()
    (old / "articles.csv").write_text("previous", encoding="utf-8")
    with output_lock(out):
        done = clean_stale(out)
    assert sorted(p.name for p in done) == sorted([f".data.tmp-{dead}", f".data.old-{dead}"])
    assert (out / "articles.csv").read_text(encoding="utf-8") == "previous"  # restored
    assert (tmp_path / f".data.tmp-{live}").is_dir()  # may belong to a running build


def test_sigkill_mid_extraction_leaves_previous_output_untouched(built, tmp_path):
    out = _copy(built[0], tmp_path)
    before = _snapshot(out)
    paragraph = ("Officials from Germany and France will meet in Brussels on Monday to discuss "
                 "the agreement, the European Commission said. ") * 6
    big = make_source(tmp_path / "raw", "big", "wikinews-csv", {"big.csv": csv_bytes(
        [f"https://example.org/{i}", "2020-01-01", f"Story {i}", f"Story {i}. {paragraph}"]
        for i in range(1500))})
    exe = Path(sys.executable).with_name("newsfacts")
    proc = subprocess.Popen([str(exe), "build", "--source", str(big), "--out", str(out),
                             "--reference-date", "2024-01-01"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    tmp = None
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            tmp = next(out.parent.glob(".data.tmp-*"), None)
            if tmp is not None and (tmp / "articles.csv").is_file() and \
                    (tmp / "articles.csv").stat().st_size > 0:  # rows flushed: mid-extraction
                break
            time.sleep(0.02)
        assert proc.poll() is None, f"build ended before it could be killed: {proc.stderr.read()}"
        assert tmp is not None and tmp.name == f".data.tmp-{proc.pid}"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert _snapshot(out) == before
    assert validate_dir(out) == []
    assert _leftovers(out) == [tmp.name]  # the killed build's half-written folder
    summary = build(built[2], out, reference_date=REF)  # the next build is not disturbed
    assert summary.rows["articles"] == 7
    assert _leftovers(out) == []
    assert validate_dir(out) == []


def test_swap_without_atomic_exchange(tmp_path, monkeypatch):
    """Where renameat2 is missing, two renames; the old folder is gone afterwards."""
    from newsfacts.build import pipeline as build_module

    monkeypatch.setattr(build_module, "_exchange", lambda a, b: False)
    out, tmp = tmp_path / "data", tmp_path / f".data.tmp-{os.getpid()}"
    for folder, content in ((out, "old"), (tmp, "new")):
        folder.mkdir()
        (folder / "articles.csv").write_text(content, encoding="utf-8")
    build_module._swap_in(tmp, out)
    assert (out / "articles.csv").read_text(encoding="utf-8") == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]
