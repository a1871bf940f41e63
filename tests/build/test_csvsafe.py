"""A quoted CSV field that is never closed costs its own record, never the records after it."""

from __future__ import annotations

import csv
import io
import re

from robust_helpers import collect, make_source, outcome

from newsfacts.build.csvsafe import CsvRow, split_rows

BODY = "Officials met in Geneva on Tuesday to discuss the ceasefire, aid and prisoners."


def _nine(quoting: int) -> list[str]:
    """Lines of a 9-record CSV as the csv module writes it (multi-line quoted texts)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n", quoting=quoting)
    w.writerow(["url", "date", "title", "text"])
    for i in range(1, 10):
        w.writerow([f"https://example.org/news/{i}", f"2020-03-0{i}", f"Title {i}",
                    f'{BODY}\n\nSecond paragraph {i}, with "quotes".'])
    return buf.getvalue().splitlines(keepends=True)


def _unclose(lines: list[str], record: int) -> str:
    """The CSV text with the closing quote of `record`'s text (its last line) removed."""
    last = [i for i, line in enumerate(lines) if line.startswith("Second paragraph")][record - 1]
    assert lines[last].endswith('"\n')
    lines = [*lines]
    lines[last] = lines[last][:-2] + "\n"
    return "".join(lines)


def _check_nine(tmp_path, text: str, bad_line: int,
                tail: str = 'Second paragraph {i}, with "quotes".') -> None:
    folder = make_source(tmp_path, "q", "csv", {"q.csv": text})
    articles, summary = collect([folder])
    got = outcome(articles, summary)
    assert got == {("q", "q.csv", i): ("bad-csv" if i == 6 else "accepted") for i in range(1, 10)}
    assert summary.read["q"] == 9 and summary.accepted["q"] == 8 and summary.rejected["q"] == 1
    (bad,) = summary.rejects
    assert re.match(rf"lines? {bad_line}\b", bad.message), bad.message
    assert "never closed" in bad.message and "resumes" in bad.message
    kept = {a.url: a for a in articles}
    for i in (7, 8, 9):  # the records after the bad one come back whole
        a = kept[f"https://example.org/news/{i}"]
        assert a.title == f"Title {i}" and a.text.endswith(tail.format(i=i))


def test_nine_records_with_an_unterminated_quote_read_as_8_plus_1(tmp_path):
    # Record 6 starts on line 2 + 5 * 3 = 17 (each record is 3 lines: its text has 2 newlines).
    _check_nine(tmp_path, _unclose(_nine(csv.QUOTE_MINIMAL), 6), 17)


def test_every_field_quoted(tmp_path):
    _check_nine(tmp_path, _unclose(_nine(csv.QUOTE_ALL), 6), 17)


def test_one_line_records_with_a_stray_opening_quote(tmp_path):
    rows = [f'https://example.org/news/{i},2020-03-0{i},Title {i},"{BODY} {i}"\n'
            for i in range(1, 10)]
    rows[5] = f'https://example.org/news/6,2020-03-06,"Title 6,{BODY} 6\n'  # never closed
    _check_nine(tmp_path, "url,date,title,text\n" + "".join(rows), 7, tail="prisoners. {i}")


def test_a_quote_never_closed_at_the_end_of_the_file_costs_the_last_record(tmp_path):
    text = "".join(_nine(csv.QUOTE_MINIMAL)[:-1])  # record 9 loses its last line and quote
    folder = make_source(tmp_path, "q", "csv", {"q.csv": text})
    articles, summary = collect([folder])
    assert len(articles) == 8 and [(r.record, r.reason_code) for r in summary.rejects] == [
        (9, "bad-csv")]


def test_multi_line_texts_that_look_a_little_like_records_are_kept_whole(tmp_path):
    text = ('url,date,title,text\n'
            '"https://example.org/a",2020-03-01,A,"Scores,1,2,3\nx,2020-03-01,y,z\n'
            'https://example.org/b,yesterday,b,c\nEnd."\n'
            'https://example.org/c,2020-03-02,C,"' + BODY + '"\n')
    folder = make_source(tmp_path, "q", "csv", {"q.csv": text})
    articles, summary = collect([folder])
    assert not summary.rejects and len(articles) == 2
    assert articles[0].text.count("\n") == 3 or articles[1].text.count("\n") == 3


def test_split_rows_reports_lines():
    lines = ['a,b\n', '"x\n', 'y",z\n', '\n', 'p,"q\n']
    got = list(split_rows(lines, 2, lambda row: False))
    assert [(r.first_line, r.last_line, r.fields, r.error is None)
            for r in got if isinstance(r, CsvRow)] == [
        (1, 1, ["a", "b"], True), (2, 3, ["x\ny", "z"], True), (5, 5, None, False)]


def test_links_without_a_scheme_still_mark_the_next_record(tmp_path):
    rows = [f'www.example.org/news/{i},2020-03-0{i},Title {i},"{BODY} {i}"\n' for i in range(1, 10)]
    rows[5] = f'www.example.org/news/6,2020-03-06,"Title 6,{BODY} 6\n'
    folder = make_source(tmp_path, "q", "csv", {"q.csv": "url,date,title,text\n" + "".join(rows)})
    articles, summary = collect([folder])
    assert len(articles) == 8 and [(r.record, r.reason_code) for r in summary.rejects] == [
        (6, "bad-csv")]
