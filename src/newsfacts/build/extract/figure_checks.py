"""Figures, part 2: context checks that drop numbers which are not quantities (years, days,
times of day, numbers glued to names, list markers, model numbers, "one" as a pronoun).

`_skip_reason` is what `newsfacts.build.extract.figures` asks; the rest are its tests.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from newsfacts.build.extract.figure_patterns import (
    _Figure,
    patterns,
    vocab,
)


def _is_year(fig: _Figure, text: str) -> bool:
    """A plain four-digit number in the year range, with no unit or currency."""
    low, high = vocab()["year_range"]
    raw = text[fig.core.start : fig.core.end]
    if not re.fullmatch(r"\d{4}", raw) or fig.kind != "count" or fig.has_currency:
        return False
    return low <= fig.value <= high


def _glued(text: str, fig: _Figure) -> str | None:
    """Why a digit number is glued to its neighbours, or None.

    "name": glued to letters as in names and codes ("COVID-19", "A320s", "777-200LR", "G7");
    "code": part of a date, version, ordinal or offset ("7/8/07", "1.1.1", "5th", "+8").
    """
    if fig.core.source != "digit":
        return None
    before = text[fig.start - 1] if fig.start else " "
    before2 = text[fig.start - 2] if fig.start > 1 else " "
    after = text[fig.end] if fig.end < len(text) else " "
    after2 = text[fig.end + 1 : fig.end + 2]
    if before.isalpha() or (before in "-/" and before2.isalpha()):
        return "name"
    if before in "-–" and re.search(r"[A-Za-z]\w*[-–]$", text[max(0, fig.start - 12) : fig.start]):
        return "name"  # "A330-200"
    if after.isalpha() and not patterns().ordinal_after.match(text, fig.end):
        return "name"
    if re.match(r"-\d+[A-Za-z]", text[fig.end : fig.end + 12]):
        return "name"
    if before.isdigit() or before == "+" or (before in "/:" and before2.isdigit()):
        return "code"  # "7/8/07", "3:30", "1:1", "+8"
    if before in "-–" and re.search(r"(?<!\d)\d{4}[-–]$", text[max(0, fig.start - 6) : fig.start]):
        return "code"  # "2019-03"
    if after.isdigit() or (after in "/." and after2.isdigit()):
        return "code"
    if re.fullmatch(r"0\d{2,}", text[fig.core.start : fig.core.end]):
        return "code"  # "0040 UTC", "007"
    window_start = max(0, fig.start - 16)
    for m in patterns().phone.finditer(text, window_start, fig.end + 16):
        if m.start() <= fig.start and fig.end <= m.end():
            return "code"
    return "code" if patterns().ordinal_after.match(text, fig.end) else None


def _date_or_time(text: str, fig: _Figure) -> bool:
    """Day of month next to a month name, or a time of day ("14:58", "1800 UTC", "6 p.m.")."""
    pats = patterns()
    if fig.kind != "count" or fig.core.source not in ("digit", "word"):
        return False
    after = text[fig.end : fig.end + 25]
    if pats.time_of_day_after.match(after):
        return True
    if fig.core.source == "digit" and 1 <= fig.value <= 31 and fig.value.is_integer():
        if pats.month_before.search(text, max(0, fig.start - 12), fig.start):
            return True
        if pats.month_day_range_before.search(text, max(0, fig.start - 30), fig.start):
            return True  # "March 15 to 17"
        if pats.month_after.match(after):
            return True
    return False


def _list_marker(text: str, fig: _Figure) -> bool:
    """Enumeration: "1. " at the start of a line, "1) " or "(2)" anywhere."""
    line_start = text.rfind("\n", 0, fig.start) + 1
    prefix = text[line_start : fig.start]
    if prefix.strip() in ("", "(") and re.match(r"[.)]\s", text[fig.end : fig.end + 2]):
        return True
    if not re.fullmatch(r"\d{1,2}", text[fig.start : fig.end]):
        return False
    return text[fig.end : fig.end + 1] == ")"  # "1) ...", "(2) ..." inside a line


def _tokens(doc: Doc, fig: _Figure) -> list[Token]:
    """Tokens from the figure's number to its end (scale word, range, unit)."""
    span = doc.char_span(fig.core.start, fig.end, alignment_mode="expand")
    return list(span) if span is not None else []


def _in_name(doc: Doc, text: str, fig: _Figure, toks: list[Token]) -> bool:
    """Number that is part of a name ("Boeing 737", "Nikkei 225", "Flight 200")."""
    if fig.unit is not None or not toks or fig.core.source not in ("digit", "word"):
        return False
    if patterns().name_before.search(text, max(0, fig.start - 12), fig.start):
        return fig.core.source == "digit" or not _counts_plural_noun(toks)
    first, last = toks[0], toks[-1]
    if fig.core.source == "digit" and patterns().street_after.match(text, fig.end):
        return True  # "10 Downing Street"
    if first.i == 0 or text[fig.start - 1 : fig.start] != " ":
        return False
    if fig.core.source == "word" and first.text[:1].isupper() and not first.is_sent_start:
        return True  # "Ford Five Hundred"
    prev = doc[first.i - 1]
    if prev.tag_ == "POS" and prev.i > 0 and doc[prev.i - 1].pos_ == "PROPN":
        return not _counts_plural_noun(toks)  # "Boeing's 787", "Standard & Poor's 500"
    if _model_number(text, fig, last):
        return True
    if prev.pos_ not in ("PROPN", "NOUN") or prev.is_sent_start or prev.is_lower:
        return False
    if prev.pos_ == "NOUN" and not any(c.isupper() for c in prev.text[1:]):
        return False
    if last.head == prev or (last.head.i < last.i and last.head.pos_ == "PROPN"):
        return True
    if first.ent_type_ in ("PRODUCT", "ORG", "FAC", "EVENT", "WORK_OF_ART", "LAW"):
        return prev.pos_ == "PROPN"  # "Boeing 737 orders": the number is tagged as a product
    if fig.core.source == "digit" and prev.pos_ == "PROPN" and not _counts_plural_noun(toks):
        nxt = doc[last.i + 1] if last.i + 1 < len(doc) else None
        return nxt is None or nxt.pos_ != "NUM"  # "FTSE 100 index", "Nikkei 225 fell"
    labels = vocab()["name_entity_labels"]
    return any(
        prev.ent_iob_ != "O" and prev.ent_type_ in labels and t.ent_iob_ == "I" for t in toks
    )


def _model_number(text: str, fig: _Figure, last: Token) -> bool:
    """Three-digit designation before a capitalised singular name ("the 787 Dreamliner")."""
    raw = text[fig.core.start : fig.core.end]
    doc = last.doc
    nxt = doc[last.i + 1] if last.i + 1 < len(doc) else None
    if not re.fullmatch(r"\d{3}", raw) or nxt is None:
        return False
    if last.head.i > last.i and last.head.tag_ in ("NNS", "NNPS"):
        return False  # "500 Apple engineers" counts engineers
    if nxt.text in ('"', "'", "“") and nxt.i + 1 < len(nxt.doc):
        nxt = nxt.doc[nxt.i + 1]
    return nxt.tag_ == "NNP" and nxt.text[:1].isupper()


def _pronoun_one(doc: Doc, text: str, fig: _Figure, toks: list[Token]) -> bool:
    """"one" used as a pronoun or idiom ("one of them", "no one", "one another")."""
    if text[fig.core.start : fig.core.end].lower() != "one" or fig.kind != "count" or not toks:
        return False
    tok = toks[0]
    nxt = doc[tok.i + 1].lower_ if tok.i + 1 < len(doc) else ""
    prv = doc[tok.i - 1].lower_ if tok.i > 0 else ""
    if nxt in vocab()["pronoun_one_skip_after"] or prv in ("no", "any", "every", "the", "this"):
        return True
    return not (tok.dep_ == "nummod" and tok.head.i > tok.i)


def _skip_reason(doc: Doc, text: str, fig: _Figure, toks: list[Token]) -> str | None:
    """Why this number is not a quantity figure, or None to keep it."""
    glued = _glued(text, fig)
    if glued:
        return "name" if glued == "name" else "glued"
    if _is_year(fig, text) and not _counts_plural_noun(toks):
        return "year"
    if _date_or_time(text, fig):
        return "date-or-time"
    if _list_marker(text, fig):
        return "list-marker"
    if _in_name(doc, text, fig, toks):
        return "name"
    if _pronoun_one(doc, text, fig, toks):
        return "pronoun-one"
    if fig.core.source == "adverb" and patterns().ratio_after.match(text[fig.end : fig.end + 8]):
        return "ratio"
    if fig.core.source == "article" and not _article_duration(text, fig):
        return "article"
    if fig.core.source == "fraction" and patterns().quarter_time.match(text[fig.end :]):
        return "time-of-day"
    if fig.core.source == "fraction" and _loose_fraction(text, fig):
        return "fraction-word"
    if fig.core.source in ("vague",) and _vague_not_quantity(text, fig, toks):
        return "vague-word"
    return None


def _loose_fraction(text: str, fig: _Figure) -> bool:
    """"half" or "a quarter" not stating a share ("half the price", "the first half")."""
    word = re.sub(r"\s+", " ", text[fig.core.start : fig.core.end].lower())
    if "-" in word or word.endswith(("thirds", "quarters", "fifths")) or fig.kind != "other":
        return False
    if re.match(r"\s+(?:of|a|an)\b", text[fig.end : fig.end + 5], re.IGNORECASE):
        return False
    return fig.qualifier == "exact"


def _article_duration(text: str, fig: _Figure) -> bool:
    """"a week" counts as a duration only in time phrases ("a week after", "for a day")."""
    pats = patterns()
    if fig.kind != "duration":
        return False
    if pats.article_follow.match(text[fig.core.end : fig.core.end + 30]):
        return True
    if fig.unit == "second":
        return False  # "a second consecutive day" is an ordinal
    return bool(pats.article_precede.search(text, max(0, fig.start - 20), fig.start))


def _vague_not_quantity(text: str, fig: _Figure, toks: list[Token]) -> bool:
    """Vague words used otherwise ("few believe", "multiple" as an adjective of non-counts)."""
    word = text[fig.core.start : fig.core.end].lower()
    if word == "few":
        return fig.kind != "duration"
    if word == "scores":
        return not text[fig.end : fig.end + 4].lower().startswith(" of")
    if word in ("several", "multiple", "a couple", "couple", "a handful") and toks:
        tok = toks[-1]
        nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
        return nxt is None or not (nxt.tag_ in ("NNS", "NNPS") or nxt.lower_ in ("of", "more"))
    return False


def _counts_plural_noun(toks: list[Token]) -> bool:
    """The number modifies a following plural noun ("2000 people")."""
    if not toks:
        return False
    tok = toks[-1]
    nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
    return nxt is not None and nxt.tag_ == "NNS" and tok.head == nxt
