"""A user's own corpus end to end: saved pages and a column-mapped CSV with a broken quote,
built into the five validated tables."""

from __future__ import annotations

import csv
import io

from robust_helpers import REF, make_source
from test_readers_html import PARAS, page

from newsfacts.build.normalize import article_id_from_url
from newsfacts.build.pipeline import build
from newsfacts.load import read_table
from newsfacts.schema import TABLES


def test_saved_pages_and_a_mapped_csv_build_five_tables(tmp_path):
    pages = make_source(tmp_path, "pages", "html", {
        "talks.html": page(),
        "other.html": page(canonical="https://news.example.org/other",
                           paras=[*PARAS[1:], PARAS[0].replace("Geneva", "Vienna")]),
        "index.html": page(canonical="https://news.example.org/", paras=["Latest news."]),
    })
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["link", "published", "headline", "body"])
    for i in range(1, 10):
        w.writerow([f"https://example.org/news/{i}", f"2020-03-0{i}T10:00:00Z", f"Story {i}",
                    f"Police arrested {i + 2} protesters in Paris on Monday, officials said.\n\n"
                    f"The interior minister condemned the violence in story {i}."])
    lines = buf.getvalue().splitlines(keepends=True)
    lines[18] = lines[18].rstrip('"\n') + "\n"  # record 6's text loses its closing quote
    table = make_source(tmp_path, "mine", "csv", {"news.csv": "".join(lines)},
                        columns={"url": "link", "date": "published", "title": "headline",
                                 "text": "body"})
    summary = build([pages, table], tmp_path / "out", reference_date=REF)
    assert (summary.read["pages"], summary.accepted["pages"]) == (3, 2)
    assert (summary.read["mine"], summary.accepted["mine"]) == (9, 8)
    assert sorted((r.source, r.record, r.reason_code) for r in summary.rejects) == [
        ("mine", 6, "bad-csv"), ("pages", 1, "no-article")]
    tables = {t: read_table(t, tmp_path / "out") for t in TABLES}
    articles = tables["articles"].set_index("article_id")
    talks = articles.loc[article_id_from_url(
        "https://news.example.org/world/2020/03/ceasefire-talks-resume")]
    assert talks["text"] == "\n\n".join(PARAS) and str(talks["published_date"]) == "2020-03-05"
    assert len(articles) == 10 and len(tables["mentions"]) and len(tables["events"])
    assert (tmp_path / "out" / "rejects.csv").read_text().count("\n") == 3
