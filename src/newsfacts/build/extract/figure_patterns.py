"""Figures, part 1: the vocabulary's compiled patterns and the records under construction.

Every regex `newsfacts.build.extract.figures` uses is compiled once per process from
`vocab/figures.json` (`patterns()`); `_Core` is a bare number phrase, `_Figure` a figure being
grown from it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from newsfacts.vocab import load_json


def vocab() -> dict[str, Any]:
    """The figures vocabulary (versioned data file), loaded once per process."""
    return load_json("figures.json")


def _alt(words: list[str] | set[str], *, flexible_space: bool = True) -> str:
    """Regex alternation of literal words, longest first so the longest one wins."""
    parts = []
    for word in sorted(set(words), key=lambda w: (-len(w), w)):
        part = re.escape(word)
        if flexible_space:
            part = part.replace(r"\ ", r"\s+")
        parts.append(part)
    return "(?:" + "|".join(parts) + ")"


def _plurals(words: list[str]) -> list[str]:
    """Singular words with their regular plural (currency names: dollar → dollars)."""
    out = set(words)
    for word in words:
        if not word.endswith("s"):
            out.add(word + "s")
    return sorted(out)


@lru_cache(maxsize=1)
def _iso_currencies() -> frozenset[str]:
    """ISO 4217 alphabetic codes, from pycountry (a build dependency)."""
    import pycountry

    return frozenset(c.alpha_3 for c in pycountry.currencies)


@dataclass(frozen=True)
class _Patterns:
    """Every compiled regex the extractor uses, built once from the vocabulary."""

    core: re.Pattern[str]
    scale_after: re.Pattern[str]
    abbr_after: re.Pattern[str]
    currency_before: re.Pattern[str]
    iso_before: re.Pattern[str]
    letters_dollar: re.Pattern[str]
    range_sep: re.Pattern[str]
    percent_after: re.Pattern[str]
    currency_after: re.Pattern[str]
    subunit_after: re.Pattern[str]
    age_after: re.Pattern[str]
    time_after: re.Pattern[str]
    measure_after: re.Pattern[str]
    measure_before: re.Pattern[str]
    qual_before: re.Pattern[str]
    qual_after: re.Pattern[str]
    opener_before: re.Pattern[str]
    month_before: re.Pattern[str]
    month_after: re.Pattern[str]
    month_day_range_before: re.Pattern[str]
    time_of_day_after: re.Pattern[str]
    name_before: re.Pattern[str]
    age_before: re.Pattern[str]
    ratio_after: re.Pattern[str]
    both: re.Pattern[str]
    street_after: re.Pattern[str]
    mass_context: re.Pattern[str]
    ordinal_after: re.Pattern[str]
    phone: re.Pattern[str]
    article_follow: re.Pattern[str]
    article_precede: re.Pattern[str]
    and_a_half: re.Pattern[str]
    times_after: re.Pattern[str]
    quarter_time: re.Pattern[str]


@lru_cache(maxsize=1)
def patterns() -> _Patterns:
    """Compile the extractor's regexes from the vocabulary (once per process)."""
    v = vocab()
    cardinal = _alt(list(v["cardinal_words"]))
    scales = _alt(list(v["scale_words"]))
    numword_seq = rf"{cardinal}(?:(?:\s+|-|\s+and\s+){cardinal})*"
    digit = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+"
    fractions = _alt(list(v["fractions"]))
    vague = _alt(list(v["vague_quantities"]))
    multipliers = _alt(v["vague_multipliers"])
    adverbs = _alt(list(v["multiplicative_adverbs"]))
    time_units = _alt(list(v["time_units"]))
    singular_time = _alt([u for u in v["time_units"] if u == v["time_units"][u]])
    core = re.compile(
        r"(?:(?<![A-Za-z])|(?=\d))"  # never start inside a word: skips most positions fast
        rf"(?:(?P<digit>(?<![\d.,_])(?:(?<=[\s(])[-−](?=\d))?(?:{digit})(?![\d]))"
        rf"|(?P<vmult>\b{multipliers}\s+{scales}\b(?!s))"
        rf"|(?P<dozen>\b(?:(?:a|one|two|three|four|five|half\s+a)\s+)?dozen\b(?!s)"
        r"|\ba\s+score(?=\s+of\b))"
        rf"|(?P<vague>\b{vague}\b)"
        rf"|(?P<fracscale>\b(?:half|a\s+quarter)\s+(?:a\s+)?{scales}\b(?!s))"
        rf"|(?P<fraction>\b{fractions}\b(?:\s+(?:a|an)(?=\s+(?:percent|per\s+cent)\b))?)"
        rf"|(?P<word>\b(?:a\s+(?={scales}\b))?{numword_seq}\b)"
        rf"|(?P<adverb>\b{adverbs}\b)"
        rf"|(?P<article>\b(?:a|an)\s+(?={singular_time}\b)))",
        re.IGNORECASE,
    )
    cur_syms = v["currency_symbols"]
    ambiguous = set(v["ambiguous_currency_symbols"])
    sym_alts = []
    for sym in sorted(cur_syms, key=lambda s: (-len(s), s)):
        esc = re.escape(sym)
        if sym[0].isalpha():
            esc = r"\b" + esc
        sym_alts.append(esc + ("" if sym in ambiguous else r"\s?"))
    currency_before = re.compile(r"(?:" + "|".join(sym_alts) + r")$")
    cur_words = _plurals(list(v["currency_words"])) + list(v["currency_irregular_plurals"])
    qual_b = [q for qs in v["qualifiers_before"].values() for q in qs]
    qual_a = [q for qs in v["qualifiers_after"].values() for q in qs]
    measures = list(v["measure_units"])
    months = _alt(v["months"])
    return _Patterns(
        core=core,
        scale_after=re.compile(rf"[\s-]+({scales})\b(?!s)", re.IGNORECASE),
        abbr_after=re.compile(
            r"\s?(" + _alt(list(v["scale_abbreviations"])) + r")\b(?![.,]\d)", re.IGNORECASE
        ),
        currency_before=currency_before,
        iso_before=re.compile(r"(?<![A-Za-z])([A-Z]{3})\s?$"),
        letters_dollar=re.compile(r"\b([A-Z]{3})\$\s?$"),
        range_sep=re.compile(r"\s*(" + "|".join(map(re.escape, v["range_separators"]))
                             + r")\s*", re.IGNORECASE),
        percent_after=re.compile(r"\s?(" + _alt(v["percent_words"]) + r")(?!\w)", re.IGNORECASE),
        currency_after=re.compile(
            r"(?:\s+of)?\s+((?:(?:US|U\.S\.|American)\s+)?" + _alt(cur_words) + r")\b"
            r"|\s?([A-Z]{3})\b",
            re.IGNORECASE,
        ),
        subunit_after=re.compile(r"\s+(" + _alt(list(v["currency_subunits"])) + r")\b",
                                 re.IGNORECASE),
        age_after=re.compile(r"\s?(" + _alt(v["age_after"]) + r")\b", re.IGNORECASE),
        time_after=re.compile(rf"(?:\s+of)?(?:\s+|-)({time_units})\b", re.IGNORECASE),
        measure_after=re.compile(
            r"(?:\s+of)?(\s*|-)(" + _alt(measures) + r")(?![\w²])", re.IGNORECASE
        ),
        measure_before=re.compile(
            r"\b(" + _alt(list(v["measure_units_before"])) + r")[\s-]?$", re.IGNORECASE
        ),
        qual_before=re.compile(r"(?:^|(?<=[\s(\"']))(" + _alt(qual_b) + r")\s+$", re.IGNORECASE),
        qual_after=re.compile(r"^\s+(" + _alt(qual_a) + r")\b", re.IGNORECASE),
        opener_before=re.compile(
            r"\b(" + _alt(v["range_openers"]) + r")\s+(?:\S+\s+)?$", re.IGNORECASE
        ),
        month_before=re.compile(rf"\b{months}\.?\s+$", re.IGNORECASE),
        month_day_range_before=re.compile(
            rf"\b{months}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\s*(?:to|-|–|and|through|until)\s*$",
            re.IGNORECASE,
        ),
        month_after=re.compile(rf"^(?:st|nd|rd|th)?\s+(?:of\s+)?{months}\b", re.IGNORECASE),
        time_of_day_after=re.compile(
            r"^(?::\d|\s?" + _alt(v["time_of_day_after"]) + r"(?![\w]))", re.IGNORECASE
        ),
        name_before=re.compile(r"\b" + _alt(v["name_number_before"]) + r"\s?$", re.IGNORECASE),
        age_before=re.compile(r"\b(" + _alt(v["age_before"]) + r")\s+$", re.IGNORECASE),
        ordinal_after=re.compile(r"\s?(?:st|nd|rd|th)\b"),
        phone=re.compile(
            r"\+\d{1,3}[\s.-]?(?:\d{1,4}[\s.-]){1,4}\d{2,4}"
            r"|\(\d{2,4}\)\s?\d{3}[\s.-]\d{4}|(?<![\d,.])\d{3}[.-]\d{4}(?![\d,])"
        ),
        street_after=re.compile(
            r"(?:\s+[A-Z][\w'-]*){0,3}\s+" + _alt(v["street_words"]) + r"\b"
        ),
        mass_context=re.compile(r"\b" + _alt(v["mass_context_words"]) + r"\b", re.IGNORECASE),
        both=re.compile(r"\b" + _alt(v["both_words"]) + r"\b", re.IGNORECASE),
        ratio_after=re.compile(r"^\s+(?:as|the|that|a|an|per|more|less)\b", re.IGNORECASE),
        article_follow=re.compile(
            rf"^\s+{time_units}\s+(?:" + _alt(v["article_durations_followers"]) + r")\b",
            re.IGNORECASE,
        ),
        article_precede=re.compile(
            r"\b(?:" + _alt(v["article_durations_preceders"]) + r")\s+$", re.IGNORECASE
        ),
        and_a_half=re.compile(r"\s+and\s+a\s+half\b", re.IGNORECASE),
        times_after=re.compile(
            r"\s+times\b(\s+(?:as|the|more|less|\w+er)\b)?", re.IGNORECASE
        ),
        quarter_time=re.compile(rf"^\s+(?:to|before|past|after)\s+(?:\d|{cardinal})",
                                re.IGNORECASE),
    )


@dataclass
class _Core:
    """A bare number phrase found in the text, before units and context are added."""

    start: int
    end: int
    value: float
    source: str  # digit, word, dozen, vague, vmult, fraction, fracscale, adverb, article
    approx: bool = False


@dataclass
class _Figure:
    """A figure under construction (becomes a record once context checks pass)."""

    start: int
    end: int
    core: _Core
    value: float
    value_high: float | None = None
    qualifier: str = "exact"
    kind: str = "count"
    unit: str | None = None
    counted: str | None = None
    has_currency: bool = False
