"""Bad input never costs data: a corpus of nasty inputs, read without spaCy.

Every test states, for every input record, where it must end up: accepted, or refused with a
specific reason. `outcome()` also fails if any record lands in two places.
"""

from __future__ import annotations

import os
import random
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from robust_helpers import REF, collect, csv_bytes, jsonl_bytes, make_source, outcome

from newsfacts.build.normalize import article_id_from_url
from newsfacts.build.sources import REASONS, ReadOptions, Reject, Source, find_markup, read_source

BODY = "Officials met in Geneva on Tuesday to discuss the ceasefire."


def _ok(i: int) -> list[str]:
    return [f"https://example.org/wiki/a{i}", "2020-03-01", f"Title {i}", f"{BODY} Story {i}."]


# --- CSV --------------------------------------------------------------------------------------

CSV_ROWS: list[tuple[list[str], str]] = [
    (_ok(1), "accepted"),
    (["https://example.org/wiki/d1", "2020-02-30", "t", BODY + " d1"], "impossible-date"),
    (["https://example.org/wiki/d2", "2031-05-01", "t", BODY + " d2"], "future-date"),
    (["https://example.org/wiki/d3", "15/03/2020", "t", BODY + " d3"], "bad-date"),
    (["https://example.org/wiki/d4", "", "t", BODY + " d4"], "missing-date"),
    (["https://example.org/wiki/d5", "2024-01-01", "t", BODY + " d5 (on ref date)"], "accepted"),
    (["https://example.org/wiki/e1", "2020-03-01", "t", " \u00a0\t\u200b\r\n\r\n  "], "empty-text"),
    (["https://example.org/wiki/e2", "2020-03-01", "t", "Friday, January 4, 2019\u00a0\n\n\n"],
     "empty-text"),
    (["https://example.org/wiki/e3", "2020-03-01", "t", ""], "empty-text"),
    (["", "2020-03-01", "t", BODY + " no url"], "missing-field"),
    (["https://example.org/wiki/m1", "2020-03-01", "t", "<p>Officials met.</p>"], "markup"),
    (["https://example.org/wiki/m2", "2020-03-01", "t", "The [[United Nations]] met."], "markup"),
    (["https://example.org/wiki/m3", "2020-03-01", "t", "A {{w|Geneva}} meeting."], "markup"),
    (["https://example.org/wiki/m4", "2020-03-01", "t", "Smith &amp; Jones met."], "markup"),
    (["https://example.org/wiki/m5", "2020-03-01", "t", "Intro\n\n== Sources ==\n\nx"], "markup"),
    # Not markup: editorial brackets, interview speaker marks, a stray brace, math, R&D.
    (["https://example.org/wiki/k1", "2020-03-01", "t",
      '((WN)) He said "[the] army [...] left" {w|x}} and 3 < 5 > 2; R&D; AT&T.'], "accepted"),
    (["https://en.wikinews.org//wiki/TEST_PAGE:Self-publish_today", "2021-03-05",
      "TEST PAGE:Self-publish today", "This is a test page!"], "test-page"),
    (["https://example.org/wiki/b1", "2020-03-01", "t", "Officials\x01met\x02."], "binary"),
    (["https://example.org/wiki/big", "2020-03-01", "t", "word " * 400], "too-large"),
    (_ok(2), "accepted"),
]


def test_every_csv_record_lands_in_exactly_the_expected_place(tmp_path):
    folder = make_source(tmp_path, "csvsrc", "wikinews-csv",
                         {"a.csv": csv_bytes([r for r, _ in CSV_ROWS])})
    articles, summary = collect([folder], max_chars=1000)
    got = outcome(articles, summary)
    assert got == {("csvsrc", "a.csv", i): want for i, (_, want) in enumerate(CSV_ROWS, 1)}
    assert summary.read["csvsrc"] == len(CSV_ROWS)
    assert summary.read["csvsrc"] == summary.accepted["csvsrc"] + summary.rejected["csvsrc"]
    assert {r.reason_code for r in summary.rejects} <= set(REASONS)


def test_reject_messages_read_like_a_compiler(tmp_path):
    folder = make_source(tmp_path, "csvsrc", "wikinews-csv",
                         {"a.csv": csv_bytes([r for r, _ in CSV_ROWS])})
    _, summary = collect([folder], max_chars=1000)
    by = {}
    for r in summary.rejects:
        by.setdefault(r.reason_code, r)
    imp = by["impossible-date"]
    assert str(imp).startswith("csvsrc/a.csv:2: impossible-date: line 3: expected")
    assert "2020-02-30" in imp.message
    assert "expected a date on or before the reference date 2024-01-01, found 2031-05-01" in \
        by["future-date"].message
    assert "found '15/03/2020'" in by["bad-date"].message
    assert "field 'text': expected text, found control character U+0001 at column 10" in \
        by["binary"].message
    assert "an HTML tag '<p>' at column 1" in by["markup"].message
    assert "expected at most 1,000 characters of text, found 2,000" in by["too-large"].message
    for r in summary.rejects:
        assert "expected" in r.message and "found" in r.message, r


def test_broken_quoting_costs_one_row_and_reading_goes_on(tmp_path):
    good = csv_bytes([_ok(1)])
    data = (good + b'https://example.org/wiki/q1,2020-03-01,t,"bro"ken",x\n'
            + b"https://example.org/wiki/q2,2020-03-01,t\n"
            + b"https://example.org/wiki/q3,2020-03-01,t,too,many\n"
            + csv_bytes([_ok(2)]).split(b"\n", 1)[1]
            + b'https://example.org/wiki/q4,2020-03-01,t,"never closed\nmore\n')
    folder = make_source(tmp_path, "q", "wikinews-csv", {"q.csv": data})
    articles, summary = collect([folder])
    assert outcome(articles, summary) == {
        ("q", "q.csv", 1): "accepted", ("q", "q.csv", 2): "bad-csv", ("q", "q.csv", 3): "bad-csv",
        ("q", "q.csv", 4): "bad-csv", ("q", "q.csv", 5): "accepted", ("q", "q.csv", 6): "bad-csv"}
    msgs = {r.record: r.message for r in summary.rejects}
    assert msgs[2].startswith("line 3: expected a row of 4 fields") and "broken quot" in msgs[2]
    assert "expected 4 fields (url,date,title,text), found 3" in msgs[3]
    assert "found 5" in msgs[4]
    assert "never closed" in msgs[6] and "lines 7-" in msgs[6]


def test_csv_file_level_problems(tmp_path):
    files = {
        "bad_header.csv": b"link,when,text\nx,2020-01-01,y\n",
        "empty.csv": b"",
        "utf16.csv": "url,date,title,text\n".encode("utf-16"),
        "crlf_bom.csv": b"\xef\xbb\xbf" + csv_bytes([_ok(1), _ok(2)], newline="\r\n"),
        "latin1.csv": csv_bytes([_ok(3)]) + "https://example.org/x,2020-03-01,t,Caf\xe9 owners met."
        .encode("latin-1") + b"\n" + csv_bytes([_ok(4)]).split(b"\n", 1)[1],
        "reordered.csv": csv_bytes([["x", BODY + " reordered", "", "2020-03-01",
                                     "https://example.org/r"]],
                                   header="extra,text,title,date,url"),
    }
    folder = make_source(tmp_path, "f", "wikinews-csv", files)
    articles, summary = collect([folder])
    got = outcome(articles, summary)
    assert got == {
        ("f", "bad_header.csv", 0): "bad-header", ("f", "empty.csv", 0): "bad-header",
        ("f", "utf16.csv", 0): "not-utf8",
        ("f", "crlf_bom.csv", 1): "accepted", ("f", "crlf_bom.csv", 2): "accepted",
        ("f", "latin1.csv", 1): "accepted", ("f", "latin1.csv", 2): "not-utf8",
        ("f", "latin1.csv", 3): "accepted", ("f", "reordered.csv", 1): "accepted"}
    by = {(r.file, r.reason_code): r.message for r in summary.rejects}
    assert by[("latin1.csv", "not-utf8")] == (
        "line 3: field 'text': expected UTF-8 text, found byte 0xE9 at column 4")
    assert "missing url, date, title" in by[("bad_header.csv", "bad-header")]
    crlf = sorted((a for a in articles if a.file == "crlf_bom.csv"), key=lambda a: a.record)
    assert all("\r" not in a.text and "\ufeff" not in a.text for a in crlf)
    assert crlf[0].url == "https://example.org/wiki/a1"  # BOM not glued to the first column


# --- JSONL ------------------------------------------------------------------------------------

def test_every_jsonl_line_lands_in_exactly_the_expected_place(tmp_path):
    lines = [
        (b'{"url": "u1", "date": "2020-01-01", "title": "t", "text": "Fine text."}', "accepted"),
        (b'{"url": "u2", "date": "2020-01-01", "text": "Broken', "bad-json"),
        (b'["url", "u3"]', "bad-json"),
        (b'{"date": "2020-01-01", "text": "No url."}', "missing-field"),
        (b'{"url": "u5", "date": "2020-01-01", "text": null}', "missing-field"),
        (b'{"url": "u6", "date": "2020-01-01", "text": 42}', "bad-field"),
        (b'{"url": "u7", "date": "2020-01-01", "title": 7, "text": "Title is a number."}',
         "bad-field"),
        (b'{"url": "u8", "date": "2020-01-01", "text": "Lone \\ud800 surrogate."}', "not-utf8"),
        (b'{"url": "u9", "date": "2020-01-01", "text": "Caf\xe9."}', "not-utf8"),
        (b'{"url": "u10", "text": "No date."}', "missing-date"),
        (b'{"url": "u11", "date": 20200101, "text": "Date is a number."}', "bad-date"),
        (b'{"url": "u12", "date": "2020-01-01", "text": "NUL \\u0000 inside."}', "binary"),
        (b'{"url": "u13", "date": "2020-01-01", "text": "Last, after CRLF lines."}', "accepted"),
    ]
    data = b"\xef\xbb\xbf" + b"\r\n".join(line for line, _ in lines) + b"\r\n\r\n"
    folder = make_source(tmp_path, "j", "jsonl", {"a.jsonl": data})
    articles, summary = collect([folder])
    assert outcome(articles, summary) == {
        ("j", "a.jsonl", i): want for i, (_, want) in enumerate(lines, 1)}
    assert {a.article_id for a in articles} == {article_id_from_url("u1"),
                                                article_id_from_url("u13")}
    msgs = {r.record: r.message for r in summary.rejects}
    assert msgs[9] == "line: expected UTF-8 text, found byte 0xE9 at column 49"
    assert "a lone surrogate U+D800" in msgs[8]


# --- seed files, symlinks, binary, size -------------------------------------------------------

def _seed(i: int, text: str, date: str = "2020-03-25") -> tuple[str, str]:
    return f"{i:03d}_{i:016x}.txt", f" date {date} {text}"


def test_seed_files_and_the_filesystem(tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text(" date 2020-01-01 Secret text outside the source.", encoding="utf-8")
    files: dict[str, bytes | str] = dict([
        _seed(1, "Plain article."),
        _seed(2, "An English sentence keeps the rest. "
                 "\u202bRTL \u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627\u202c; "
                 "mixed \u4e2d\u6587 \u0440\u0443\u0441\u0441\u043a\u0438\u0439 \U0001F600"),
        _seed(3, "x"),
        _seed(4, "Impossible.", date="2019-13-01"),
        ("bad-name.txt", " date 2020-01-01 Wrong file name."),
        _seed(14, "\u0414\u043c\u0438\u0442\u0440\u0438\u0439 \u0441\u043a\u0430\u0437"
                  "\u0430\u043b.\n\n\u0939\u0948\u0902 \u092f\u0939"),  # Russian, Hindi
    ])
    files["005_0000000000000005.txt"] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
    files["006_0000000000000006.txt"] = " date 2020-01-01 Caf\xe9".encode("cp1252")
    files["007_0000000000000007.txt"] = "No header at all."
    files["008_0000000000000008.txt"] = b"\xef\xbb\xbf date 2020-01-01 BOM\r\nand CRLF\r\n"
    folder = make_source(tmp_path, "s", "seed-txt", files)
    (folder / "009_0000000000000009.txt").symlink_to(outside)
    (folder / "010_000000000000000a.txt").symlink_to(folder / "001_0000000000000001.txt")
    (folder / "011_000000000000000b.txt").symlink_to(folder / "missing.txt")
    (folder / "012_000000000000000c.txt").mkdir()
    (folder / "013_000000000000000d.txt").symlink_to("013_000000000000000d.txt")  # a loop
    articles, summary = collect([folder])
    got = {k[1]: v for k, v in outcome(articles, summary).items()}
    assert got == {
        "001_0000000000000001.txt": "accepted", "002_0000000000000002.txt": "accepted",
        "003_0000000000000003.txt": "accepted", "004_0000000000000004.txt": "impossible-date",
        "bad-name.txt": "bad-file-name", "005_0000000000000005.txt": "binary",
        "006_0000000000000006.txt": "not-utf8", "007_0000000000000007.txt": "missing-date",
        "008_0000000000000008.txt": "accepted",
        "009_0000000000000009.txt": "symlink-outside",
        "010_000000000000000a.txt": "duplicate-text",  # inside: followed, same text as 001
        "011_000000000000000b.txt": "unreadable", "012_000000000000000c.txt": "unreadable",
        "013_000000000000000d.txt": "unreadable", "014_000000000000000e.txt": "not-english"}
    texts = {a.file: a.text for a in articles}
    assert texts["003_0000000000000003.txt"] == "x"
    assert texts["008_0000000000000008.txt"] == "BOM\nand CRLF"
    assert "Secret" not in " ".join(r.message for r in summary.rejects)
    assert all(r.record == 1 for r in summary.rejects)


def test_unreadable_file(tmp_path, monkeypatch):
    folder = make_source(tmp_path, "s", "seed-txt", dict([_seed(1, "Locked."), _seed(2, "Open.")]))
    locked, real = _seed(1, "")[0], Path.read_bytes

    def read_bytes(self):  # chmod 000 does not stop root, so the refusal is simulated
        if self.name == locked:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    articles, summary = collect([folder])
    assert [a.file for a in articles] == [_seed(2, "")[0]]
    assert [str(r) for r in summary.rejects] == [
        f"s/{locked}:1: unreadable: expected a readable file, found Permission denied"]


def test_files_listed_in_source_json(tmp_path):
    folder = make_source(tmp_path, "l", "wikinews-csv",
                         {"a.csv": csv_bytes([_ok(1)]), "ignored.csv": csv_bytes([_ok(2)])},
                         files=["a.csv", "gone.csv", "../outside.csv"])
    (tmp_path / "outside.csv").write_bytes(csv_bytes([_ok(3)]))
    articles, summary = collect([folder])
    assert outcome(articles, summary) == {
        ("l", "a.csv", 1): "accepted", ("l", "gone.csv", 0): "unreadable",
        ("l", "../outside.csv", 0): "symlink-outside"}


def test_fifo_is_refused_not_read(tmp_path):
    folder = make_source(tmp_path, "s", "seed-txt", {})
    os.mkfifo(folder / "001_0000000000000001.txt")  # reading it would block forever
    _, summary = collect([folder])
    assert [r.reason_code for r in summary.rejects] == ["unreadable"]
    assert "special file" in summary.rejects[0].message


def test_50_mb_files_are_refused_quickly(tmp_path):
    big = "A long interview answer goes on and on. " * (50_000_000 // 40)
    seed = make_source(tmp_path, "s", "seed-txt", {"001_0000000000000001.txt": " date 2020-01-01 "
                                                   + big})
    csvsrc = make_source(tmp_path, "c", "wikinews-csv",
                         {"big.csv": csv_bytes([_ok(1), ["https://x/big", "2020-01-01", "t", big],
                                                _ok(2)])})
    assert (seed / "001_0000000000000001.txt").stat().st_size >= 50_000_000
    started = time.perf_counter()
    articles, summary = collect([seed, csvsrc])
    assert time.perf_counter() - started < 15
    assert outcome(articles, summary) == {
        ("s", "001_0000000000000001.txt", 1): "too-large", ("c", "big.csv", 1): "accepted",
        ("c", "big.csv", 2): "too-large", ("c", "big.csv", 3): "accepted"}


def test_default_size_limit_keeps_the_longest_wikinews_interview(tmp_path):
    interview = ("((WN)) What did you find? ((Dr X)) We found that "
                 + "the data " * 12_000)[:104_313]
    folder = make_source(tmp_path, "c", "wikinews-csv",
                         {"a.csv": csv_bytes([["https://x/i", "2020-06-01", "Interview",
                                               interview]])})
    articles, _ = collect([folder])
    assert len(articles) == 1 and len(articles[0].text) > 100_000
    with pytest.raises(ValueError, match="between 1 and 1,000,000"):
        ReadOptions(max_chars=2_000_000)


def test_ten_thousand_tiny_files(tmp_path):
    files = {f"{i:05d}_{i:016x}.txt": f" date 2020-01-01 Tiny article number {i}."
             for i in range(10_000)}
    files["10000_ffffffffffffffff.txt"] = " date 2020-01-01 Tiny article number 7."  # dup text
    folder = make_source(tmp_path, "tiny", "seed-txt", files)
    started = time.perf_counter()
    articles, summary = collect([folder])
    assert time.perf_counter() - started < 20
    assert summary.read["tiny"] == 10_001
    assert summary.accepted["tiny"] == 10_000 and summary.rejected["tiny"] == 1
    assert summary.rejects[0].reason_code == "duplicate-text"
    assert "00007_0000000000000007.txt:1" in summary.rejects[0].message


# --- duplicates ---------------------------------------------------------------------------------

def test_duplicates_and_conflicts(tmp_path):
    a = make_source(tmp_path, "a", "jsonl", {"x.jsonl": jsonl_bytes([
        {"url": "same-id", "date": "2020-01-01", "text": "Version one."},
        {"url": "dup-id", "date": "2020-01-01", "text": "Exact copy."},
        {"url": "text-1", "date": "2020-01-01", "text": "Shared   text."},
    ])})
    b = make_source(tmp_path, "b", "jsonl", {"y.jsonl": jsonl_bytes([
        {"url": "same-id", "date": "2020-01-01", "text": "Version two."},
        {"url": "dup-id", "date": "2020-01-01", "text": "Exact copy."},
        {"url": "text-2", "date": "2020-01-01", "text": "Shared text.\u200b"},
    ])})
    for order in ([a, b], [b, a]):
        articles, summary = collect(order)
        assert outcome(articles, summary) == {
            ("a", "x.jsonl", 1): "conflicting-id", ("b", "y.jsonl", 1): "conflicting-id",
            ("a", "x.jsonl", 2): "accepted", ("b", "y.jsonl", 2): "duplicate",
            ("a", "x.jsonl", 3): "accepted", ("b", "y.jsonl", 3): "duplicate-text"}
        conflict = next(r for r in summary.rejects if r.reason_code == "conflicting-id")
        assert "b/y.jsonl:1" in conflict.message or "a/x.jsonl:1" in conflict.message


def test_markup_detector_is_quiet_on_real_wikinews(shared_dir):
    src = Source.open(shared_dir / "corpus" / "wikinews-2019-2020")
    reasons = [r.reason_code for r in read_source(src, ReadOptions(reference_date=REF))
               if isinstance(r, Reject)]
    assert reasons == ["test-page", "test-page"]
    assert find_markup("<br/>") and find_markup("&#160;") and find_markup("'''Bold'''")
    assert find_markup("{|\n| cell\n|}") and find_markup("<!-- hidden -->")


# --- order independence -------------------------------------------------------------------------

_TEXTS = ["Alpha met Beta.", "Gamma accused Delta.", "Alpha met Beta.", "Epsilon left.", " ",
          "Zeta", "Eta\u200b met Theta."]


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records=st.lists(st.tuples(st.integers(0, 5), st.sampled_from(_TEXTS),
                                  st.sampled_from(["2020-01-01", "2020-02-30", "2030-01-01"])),
                        min_size=1, max_size=12),
       seed=st.integers(0, 2**32 - 1))
def test_output_does_not_depend_on_file_order_on_disk(tmp_path_factory, monkeypatch, records,
                                                      seed):
    """Same files, listed by the OS in another order and given in another source order:
    same articles, same refusals (which duplicate is kept never depends on listing order)."""
    root = tmp_path_factory.mktemp("order")
    files = {f"{n:03d}_{ident:016x}.txt": f" date {date} {text}"
             for n, (ident, text, date) in enumerate(records)}
    one = make_source(root, "one", "seed-txt", files)
    two = make_source(root, "two", "jsonl", {"z.jsonl": jsonl_bytes(
        {"url": str(ident), "date": date, "text": text} for ident, text, date in records)})
    baseline = collect([one, two])
    real_scandir = os.scandir
    rng = random.Random(seed)

    class Shuffled:
        def __init__(self, path):
            with real_scandir(path) as it:
                self.entries = list(it)
            rng.shuffle(self.entries)

        def __enter__(self):
            return iter(self.entries)

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr("newsfacts.build.sources.os.scandir", Shuffled)
    shuffled = collect([two, one])
    monkeypatch.undo()
    assert shuffled[0] == baseline[0]
    assert sorted(map(str, shuffled[1].rejects)) == sorted(map(str, baseline[1].rejects))
    assert outcome(*shuffled).keys() == outcome(*baseline).keys()
    assert shuffled[1].read == baseline[1].read == {"one": len(records), "two": len(records)}
