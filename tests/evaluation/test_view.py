"""`newsfacts inspect`: every extracted row is visible at its place in the text."""

import pytest
from typer.testing import CliRunner

from newsfacts.evaluation.view import UnknownArticle, article_rows, render_html, spans

SEED_ID = "a4265e6afa74a7c3"


def test_spans_cover_rows_without_overlap(seed_build):
    rows = article_rows(SEED_ID, seed_build)
    found = spans(rows)
    text = rows["article"]["text"]
    assert found == sorted(found, key=lambda s: s["start"])
    for a, b in zip(found, found[1:], strict=False):
        assert a["end"] <= b["start"]
    mention_spans = {(m.start, m.end) for m in rows["mentions"].itertuples()}
    shown = {(s["start"], s["end"]) for s in found if s["kind"] == "ACTOR"}
    assert shown == mention_spans  # mentions are highlighted first, so all of them show
    assert all(text[s["start"]:s["end"]] for s in found)


def test_html_marks_each_span_and_lists_events(seed_build, tmp_path):
    rows = article_rows(SEED_ID, seed_build)
    page = render_html(rows)
    assert page.startswith("<!DOCTYPE html>")
    assert page.count("<mark") == len(spans(rows))
    for e in rows["events"].itertuples():
        assert f"<td>{e.event_id.rsplit('-', 1)[1]}</td>" in page


def test_unknown_article_is_a_clear_error(seed_build):
    with pytest.raises(UnknownArticle, match="not in the build"):
        article_rows("0000000000000000", seed_build)


def test_cli_writes_html(seed_build, tmp_path):
    """In process: the installed `newsfacts inspect` runs as a process in
    tests/test_docs.py (README's snippet)."""
    from newsfacts.cli import app

    out = tmp_path / "a.html"
    run = CliRunner().invoke(app, ["inspect", SEED_ID, "--data", str(seed_build), "--html",
                                   str(out)])
    assert run.exit_code == 0, run.output
    assert "events (" in run.stdout and out.read_text().count("<mark") > 0
