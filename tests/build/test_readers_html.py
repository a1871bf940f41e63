"""Saved HTML pages and WARC crawls: only the article's text, metadata from the page."""

from __future__ import annotations

import gzip
import io

import pytest
from robust_helpers import collect, make_source, outcome

from newsfacts.build.normalize import article_id_from_url

URL = "https://news.example.org/world/2020/03/ceasefire-talks-resume"
PARAS = [
    "Delegations from both sides met in Geneva on Thursday to resume talks on a ceasefire, "
    "United Nations officials said. The talks had been suspended for two weeks after fighting "
    "broke out near the border.",
    "\u201cWe are cautiously optimistic,\u201d said the UN envoy, adding that 300 prisoners "
    "could be exchanged as early as next week. The government said it would send 12 "
    "negotiators.",
    "Rebel leaders accused the army of shelling three villages on Wednesday, killing at least "
    "14 civilians. The army denied the accusation.",
]
BOILERPLATE = ["cookie", "Accept", "Home", "Business", "Most read", "Celebrity chef",
               "Stock markets", "sleep", "\u00a9", "rights reserved", "Privacy", "newsletter",
               "Subscribe", "Related", "Weather warning", "Share this", "Advertisement",
               "Ceasefire talks resume in Geneva | Example News"]


def page(*, canonical: str | None = URL, date_meta: bool = True, charset: str = "utf-8",
         paras: list[str] = PARAS, head_extra: str = "", before: str = "") -> str:
    """A saved news page with navigation, a cookie banner, a "most read" box and a footer."""
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    date = ('<meta property="article:published_time" content="2020-03-05T23:30:00-05:00">'
            if date_meta else "")
    body = "\n".join(f"<p>{p}</p>" for p in paras)
    return f"""{before}<!DOCTYPE html>
<html lang="en"><head><meta charset="{charset}">
<title>Ceasefire talks resume in Geneva | Example News</title>{link}{date}{head_extra}
<meta property="og:title" content="Ceasefire talks resume in Geneva">
<script>window.dataLayer = [];</script><style>body {{ margin: 0 }}</style>
</head><body>
<div id="cookie-banner"><p>We use cookies to improve your experience. By continuing to browse
you accept our cookie policy.</p><button>Accept all cookies</button></div>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/business">Business</a></li></ul></nav></header>
<div class="container"><main><article>
<h1>Ceasefire talks resume in Geneva</h1>
<div class="share-tools"><a href="#">Share this</a></div>
{body}
<div class="related-links"><h3>Related</h3><ul><li><a href="/x">Weather warning for the
weekend</a></li></ul></div>
</article>
<div class="ad-slot">Advertisement</div>
<div class="most-read"><h2>Most read</h2><ol>
<li><a href="/a">Celebrity chef opens new restaurant in Paris</a></li>
<li><a href="/b">Stock markets fall for third day running</a></li>
<li><a href="/c">Ten tips for a better night's sleep</a></li></ol></div>
</main></div>
<footer><p>\u00a9 2024 Example News Ltd. All rights reserved.</p>
<p><a href="/privacy">Privacy policy</a> | <a href="/terms">Terms</a></p>
<p>Subscribe to our newsletter for the latest headlines every morning.</p></footer>
</body></html>
"""


def test_a_saved_page_gives_only_the_article_text_and_its_metadata(tmp_path):
    folder = make_source(tmp_path, "pages", "html", {"ceasefire.html": page()})
    (article,), summary = collect([folder])
    assert not summary.rejects
    assert article.text == "\n\n".join(PARAS)
    for words in BOILERPLATE:
        assert words not in article.text
    assert article.title == "Ceasefire talks resume in Geneva"
    assert str(article.published_date) == "2020-03-05"  # as printed, in its own time zone
    assert article.url == URL and article.article_id == article_id_from_url(URL)
    assert (article.file, article.record) == ("ceasefire.html", 1)


def test_boxes_without_telling_class_names_stay_out_too(tmp_path):
    html = (page().replace('class="most-read"', "").replace('id="cookie-banner"', "")
            .replace('class="related-links"', ""))
    folder = make_source(tmp_path, "pages", "html", {"p.html": html})
    (article,), _ = collect([folder])
    for words in BOILERPLATE:
        assert words not in article.text, words


@pytest.mark.parametrize("old,new", [
    ("<main><article>", "<div>"),  # no article or main element at all
    ('id="cookie-banner"', 'class="cc-window cc-banner"'),
    ('<div class="related-links">', '<div class="signup"><p>Sign up to our morning newsletter '
     'and get the headlines in your inbox.</p></div><div class="related-links">'),
    ('<div class="related-links">', '<p><strong>Read more:</strong> <a href="/q">Weather '
     'warning for the weekend</a></p><div class="related-links">'),
    ('<div class="share-tools">', '<figure><img src="a.jpg"><figcaption>Delegates arrive. '
     'Photo: Reuters</figcaption></figure><div class="share-tools">'),
])
def test_boilerplate_inside_and_around_the_article(tmp_path, old, new):
    html = page().replace(old, new)
    if old == "<main><article>":
        html = html.replace("</article>", "</div>").replace("</main>", "")
    folder = make_source(tmp_path, "pages", "html", {"p.html": html})
    (article,), _ = collect([folder])
    assert article.text == "\n\n".join(PARAS)


def test_pages_that_cannot_be_articles_are_refused_each_with_its_reason(tmp_path):
    saved_from = "<!-- saved from url=(0030)https://news.example.org/saved -->\n"
    files = {
        "a_ok.html": page(),
        "b_no_article.html": page(paras=["Page not found."]),
        "c_no_date.html": page(canonical="https://news.example.org/c", date_meta=False),
        "d_no_url.html": page(canonical=None),
        "e_saved_from.html": page(canonical=None, before=saved_from,
                                  paras=[*PARAS, "Saved by a browser."]),
        "f_cp1252.html": page(canonical="https://news.example.org/f", charset="windows-1252",
                              paras=[*PARAS, "Caf\u00e9 owners met."]).encode("cp1252"),
        "g_latin1_undeclared.html": page(canonical="https://news.example.org/g",
                                         paras=[*PARAS, "Caf\u00e9."]).replace(
            '<meta charset="utf-8">', "").encode("latin-1", errors="replace"),
        "sub/h_nested.html": page(canonical="https://news.example.org/h",
                                  paras=[*PARAS, "Nested."]),
        "a_ok_files/frame.html": "<html><body><p>An advertisement frame.</p></body></html>",
        "notes.txt": "not a page",
    }
    (tmp_path / "pages" / "sub").mkdir(parents=True)
    (tmp_path / "pages" / "a_ok_files").mkdir()
    folder = make_source(tmp_path, "pages", "html", files)
    articles, summary = collect([folder])
    assert outcome(articles, summary) == {
        ("pages", "a_ok.html", 1): "accepted",
        ("pages", "b_no_article.html", 1): "no-article",
        ("pages", "c_no_date.html", 1): "missing-date",
        ("pages", "d_no_url.html", 1): "missing-field",
        ("pages", "e_saved_from.html", 1): "accepted",
        ("pages", "f_cp1252.html", 1): "accepted",
        ("pages", "g_latin1_undeclared.html", 1): "not-utf8",
        ("pages", "sub/h_nested.html", 1): "accepted",
    }
    by_file = {a.file: a for a in articles}
    assert by_file["e_saved_from.html"].url == "https://news.example.org/saved"
    assert by_file["f_cp1252.html"].text.endswith("Caf\u00e9 owners met.")
    msgs = {r.file: r.message for r in summary.rejects}
    assert "found only 15 characters of text ('Page not found.')" in msgs["b_no_article.html"]
    assert "publication date" in msgs["c_no_date.html"]
    assert "canonical URL" in msgs["d_no_url.html"]


def _warc(records: list[tuple[str, str, bytes, str | None]], gz: bool = True) -> bytes:
    """A WARC file: (record type, target URI, payload, HTTP status line or None)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gz)
    writer.write_record(writer.create_warcinfo_record("crawl.warc.gz", {"software": "test"}))
    for kind, uri, payload, status in records:
        http = StatusAndHeaders("GET / HTTP/1.1", [], is_http_request=True)
        if status is not None:
            ctype = "image/png" if payload.startswith(b"\x89PNG") else "text/html; charset=utf-8"
            http = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(uri, kind, payload=io.BytesIO(payload),
                                                      http_headers=http))
    return out.getvalue()


def test_a_warc_crawl_gives_one_record_per_html_page(tmp_path):
    no_canonical = page(canonical=None, paras=[*PARAS, "Fetched without a canonical link."])
    data = _warc([
        ("request", URL, b"", None),
        ("response", URL, page().encode(), "200 OK"),
        ("response", "https://news.example.org/old", b"", "301 Moved Permanently"),
        ("response", "https://news.example.org/logo.png", b"\x89PNG\r\n\x1a\n", "200 OK"),
        ("response", "https://news.example.org/fetched", no_canonical.encode(), "200 OK"),
        ("response", "https://news.example.org/index", page(paras=["Index."]).encode(),
         "200 OK"),
    ])
    folder = make_source(tmp_path, "crawl", "warc", {"crawl.warc.gz": data})
    articles, summary = collect([folder])
    # WARC records: 1 warcinfo, 2 request, 3 page, 4 redirect, 5 image, 6 page, 7 index page.
    assert outcome(articles, summary) == {
        ("crawl", "crawl.warc.gz", 3): "accepted", ("crawl", "crawl.warc.gz", 6): "accepted",
        ("crawl", "crawl.warc.gz", 7): "no-article"}
    urls = sorted(a.url for a in articles)
    assert urls == ["https://news.example.org/fetched", URL]  # the target URI stands in
    first = next(a for a in articles if a.url == URL)
    assert first.text == "\n\n".join(PARAS) and str(first.published_date) == "2020-03-05"
    (bad,) = summary.rejects
    assert bad.message.startswith("byte ") and "https://news.example.org/index" in bad.message


def test_a_truncated_warc_keeps_what_came_before(tmp_path):
    data = _warc([("response", URL, page().encode(), "200 OK"),
                  ("response", "https://news.example.org/2",
                   page(canonical=None, paras=[*PARAS, "Two."]).encode(), "200 OK")], gz=False)
    files = {"a_header_cut.warc": data[: data.rindex(b"WARC/1.0") + 200],
             "b_payload_cut.warc": data[:-300],
             "c_garbage.warc.gz": gzip.compress(b"garbage")}
    folder = make_source(tmp_path, "crawl", "warc", files)
    articles, summary = collect([folder])
    assert outcome(articles, summary) == {
        ("crawl", "a_header_cut.warc", 2): "accepted",
        ("crawl", "a_header_cut.warc", 3): "unreadable",
        ("crawl", "b_payload_cut.warc", 2): "duplicate",  # the same page as in a_header_cut
        ("crawl", "b_payload_cut.warc", 3): "unreadable",
        ("crawl", "c_garbage.warc.gz", 1): "unreadable"}
    msgs = {(r.file, r.record): r.message for r in summary.rejects}
    assert "cut short" in msgs[("b_payload_cut.warc", 3)]
    assert "rest of the file is unreadable" in msgs[("a_header_cut.warc", 3)]


@pytest.mark.parametrize("fmt", ["html", "warc"])
def test_columns_do_not_apply_to_pages(tmp_path, fmt):
    from newsfacts.build.sources import Source, SourceError

    folder = make_source(tmp_path, "p", fmt, {}, columns={"url": "link"})
    with pytest.raises(SourceError, match="columns"):
        Source.open(folder)


def test_a_title_with_the_site_name_is_the_headline(tmp_path):
    html = page().replace('content="Ceasefire talks resume in Geneva"',
                          'content="Ceasefire talks resume in Geneva - Example News"')
    folder = make_source(tmp_path, "pages", "html", {"p.html": html})
    (article,), _ = collect([folder])
    assert article.title == "Ceasefire talks resume in Geneva"
    assert article.text == "\n\n".join(PARAS)


def test_pages_over_the_size_limit_are_refused_unread(tmp_path):
    folder = make_source(tmp_path, "big", "html", {"p.html": page()})
    warc = make_source(tmp_path, "crawl", "warc",
                       {"c.warc.gz": _warc([("response", URL, page().encode(), "200 OK")])})
    articles, summary = collect([folder, warc], max_chars=20)  # pages of at most 800 bytes
    assert not articles
    assert sorted((r.source, r.record, r.reason_code) for r in summary.rejects) == [
        ("big", 1, "too-large"), ("crawl", 2, "too-large")]
