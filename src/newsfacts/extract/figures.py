"""Figures: every number in an article that states a quantity, as plain records.

Pipeline per article (all regexes are compiled once per process from `vocab/figures.json`):

1. `_find_cores` scans the text for number cores: digits (`5,000`, `1.5`, `2.5 billion`), number
   words (`twenty-five`, via text2num), `a dozen`, vague quantities (`dozens`, `a few`), fractions
   (`two-thirds`) and multiplicative adverbs (`twice`).
2. `_grow` extends a core into a figure: currency before or after, scale abbreviations, ranges
   (`10-20`, `between 10 and 20`), units (`%`, `years`, `km`, `-year-old`) and the qualifier.
3. `_skip_reason` drops numbers that are not quantities: years, days of month, times of day,
   numbers glued to names (`COVID-19`, `Boeing 737`), list markers.
4. spaCy's parse then gives the kind refinements (ages), `counted` (the nummod head) and the
   event whose trigger governs the number.

Hand-written number-phrase logic is used because no installed library handles the phrase level:
text2num converts number words but not "a dozen", "dozens", "more than", ranges or units, and
quantulum3 fires on plain words (see shared/NLP-NOTES.md).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from spacy.attrs import IDX, SENT_START
from spacy.tokens import Doc, Token
from text_to_num import text2num

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


def _num(text: str) -> float | None:
    """Float value of a digit string with thousands separators, or None."""
    try:
        return float(text.replace(",", "").replace("−", "-"))
    except ValueError:
        return None


def _words_value(text: str) -> float | None:
    """Value of a spelled-out number via text2num ("a hundred" → 100), or None."""
    words = re.sub(r"\s+", " ", text.strip().lower())
    if words.startswith("a "):
        words = "one " + words[2:]
    try:
        return float(text2num(words, "en"))
    except ValueError:
        return None


def _split_words(m: re.Match[str]) -> list[_Core]:
    """Cores from a run of number words; splits runs text2num rejects ("seven and eight")."""
    text, base = m.group(0), m.start()
    value = _words_value(text)
    if value is not None:
        return [_Core(base, m.end(), value, "word")]
    cores = []
    for part in re.finditer(r"[A-Za-z]+(?:-[A-Za-z]+)*", text):
        if part.group(0).lower() == "and":
            continue
        pv = _words_value(part.group(0))
        if pv is not None:
            cores.append(_Core(base + part.start(), base + part.end(), pv, "word"))
    return cores


def _core_from_match(m: re.Match[str]) -> list[_Core]:
    """Turn one match of the core regex into zero or more cores."""
    v = vocab()
    kind = m.lastgroup or ""
    text = m.group(0)
    low = re.sub(r"\s+", " ", text.lower())
    if kind == "digit":
        value = _num(text)
        return [] if value is None else [_Core(m.start(), m.end(), value, "digit")]
    if kind == "word":
        return _split_words(m)
    if kind == "dozen":
        if low.endswith("score"):
            return [_Core(m.start(), m.end(), float(v["score"]), "dozen", True)]
        head = low[: -len("dozen")].strip()
        factor = {"": 1.0, "a": 1.0, "half a": 0.5}.get(head)
        if factor is None:
            factor = _words_value(head) or 1.0
        return [_Core(m.start(), m.end(), factor * v["dozen"], "dozen")]
    if kind == "vague":
        return [_Core(m.start(), m.end(), float(v["vague_quantities"][low]), "vague", True)]
    if kind == "vmult":
        mult, scale = low.rsplit(" ", 1)
        base = 2.0 if "couple" in mult else 3.0
        return [_Core(m.start(), m.end(), base * v["scale_words"][scale], "vmult", True)]
    if kind == "fraction":
        frac = re.sub(r"\s+(?:a|an)$", "", low)
        return [_Core(m.start(), m.end(), float(v["fractions"][frac]), "fraction")]
    if kind == "fracscale":
        factor = 0.5 if low.startswith("half") else 0.25
        return [_Core(m.start(), m.end(), factor * v["scale_words"][low.split()[-1]], "word")]
    if kind == "adverb":
        return [_Core(m.start(), m.end(), float(v["multiplicative_adverbs"][low]), "adverb")]
    if kind == "article":
        return [_Core(m.start(), m.start() + len(text.rstrip()), 1.0, "article")]
    return []


def _find_cores(text: str) -> list[_Core]:
    """All number cores in the text, left to right, non-overlapping."""
    cores: list[_Core] = []
    for m in patterns().core.finditer(text):
        cores.extend(_core_from_match(m))
    return cores


def _currency_prefix(text: str, pos: int) -> tuple[int, str] | None:
    """Currency symbol or ISO code just before `pos`: (its start, ISO code), or None."""
    pats = patterns()
    window = text[max(0, pos - 8) : pos]
    m = pats.letters_dollar.search(window)
    if m and m.group(1) in _iso_currencies():
        return pos - len(window) + m.start(), m.group(1)  # "USD$23", "AUD$5"
    m = pats.currency_before.search(window)
    if m:
        sym = m.group(0).strip()
        code = vocab()["currency_symbols"].get(sym)
        if code:
            return pos - len(window) + m.start(), code
    m = pats.iso_before.search(window)
    if m and m.group(1) in _iso_currencies() and m.group(1) not in vocab()["iso_stoplist"]:
        return pos - len(window) + m.start(1), m.group(1)
    return None


def _scale(text: str, fig: _Figure) -> None:
    """Apply a following scale word ("2.5 billion") or, after a currency, "bn"/"m"/"k"."""
    pats = patterns()
    m = pats.scale_after.match(text, fig.end)
    if m and fig.core.source == "digit":
        fig.value *= vocab()["scale_words"][m.group(1).lower()]
        fig.end = m.end()
        return
    m = pats.abbr_after.match(text, fig.end)
    if m and fig.core.source == "digit":
        abbr = m.group(1).lower()
        if fig.has_currency or abbr in ("bn", "mn", "mln", "tn", "trn"):
            fig.value *= vocab()["scale_abbreviations"][abbr]
            fig.end = m.end()


def _currency_word(word: str) -> str | None:
    """ISO code for a currency word after a number ("dollars", "US dollars", "USD")."""
    v = vocab()
    low = re.sub(r"\s+", " ", word.lower()).replace("u.s. ", "us ").replace("american ", "us ")
    if word.isupper() and len(word) == 3:
        return word if word in _iso_currencies() and word not in v["iso_stoplist"] else None
    for cand in (low, low[:-1] if low.endswith("s") else low):
        if cand in v["currency_words"]:
            return v["currency_words"][cand]
    return v["currency_irregular_plurals"].get(low)


def _mass_context(text: str, fig: _Figure, end: int) -> bool:
    """"pounds" is a weight near "weighed", "kg", "tons" ("weighed 82 pounds (37 kg)")."""
    before = re.split(r"[.!?]\s", text[max(0, fig.start - 30) : fig.start])[-1]
    after = re.split(r"[.!?]\s", text[end : end + 20])[0]
    return bool(patterns().mass_context.search(before + " " + after))


def _unit_after(text: str, fig: _Figure) -> None:
    """Attach the unit word after the number: percent, currency, age, time or measure."""
    pats, v = patterns(), vocab()
    pos = fig.end
    m = pats.percent_after.match(text, pos)
    if m:
        fig.kind, fig.unit, fig.end = "percent", "percent", m.end()
        return
    m = pats.currency_after.match(text, pos)
    if m:
        word = m.group(1) or m.group(2)
        code = _currency_word(word)
        if code == "GBP" and word.lower().startswith("pound") and _mass_context(text, fig, m.end()):
            fig.kind, fig.unit, fig.end = "measure", "lb", m.end()
            return
        vague_of = " of" in m.group(0) and fig.core.source in ("vague", "vmult")
        if code and (" of" not in m.group(0) or vague_of):
            fig.kind, fig.unit, fig.end = "money", fig.unit or code, m.end()
            return
    if fig.kind == "money":
        return
    m = pats.subunit_after.match(text, pos)
    if m:
        sub = v["currency_subunits"][m.group(1).lower()]
        fig.value *= sub["factor"]
        if fig.value_high is not None:
            fig.value_high *= sub["factor"]
        fig.kind, fig.unit, fig.end = "money", sub["default"], m.end()
        return
    m = pats.age_after.match(text, pos)
    if m and fig.core.source in ("digit", "word"):
        fig.kind, fig.unit, fig.end = "age", "year", m.end()
        return
    m = pats.time_after.match(text, pos)
    if m and (" of" not in m.group(0) or fig.core.source in ("vague", "vmult")):
        fig.kind, fig.unit, fig.end = "duration", v["time_units"][m.group(1).lower()], m.end()
        return
    _measure_after(text, fig)


def _measure_after(text: str, fig: _Figure) -> None:
    """Attach a measurement unit ("500km", "3.5-inch", "twenty tonnes", "hundreds of points")."""
    v = vocab()
    m = patterns().measure_after.match(text, fig.end)
    if not m:
        return
    raw, gap = m.group(2), m.group(1)
    low = re.sub(r"\s+", " ", raw.lower())
    is_digit = fig.core.source == "digit"
    if " of" in m.group(0) and fig.core.source not in ("vague", "vmult"):
        return
    if low in v["unit_needs_digit"] and not (is_digit and gap == ""):
        return
    if low == "point" and fig.value == 1:
        return  # "at one point"
    if low in v["case_sensitive_units"] and raw != low:
        return  # "3G" is a network generation, not grams
    if raw[0].isalpha() and gap == "" and not is_digit:
        return
    if low == '"' and not re.match(r'"\s+[a-z]', text[m.end() - 1 : m.end() + 3]):
        return
    if low == '"' and text[text.rfind("\n", 0, fig.start) + 1 : fig.start].count('"') % 2:
        return  # closing an open quotation
    fig.kind, fig.unit, fig.end = "measure", v["measure_units"][low], m.end()


def _range(text: str, fig: _Figure, nxt: _Core | None) -> bool:
    """Merge "10-20", "10 to 20", "between 10 and 20" into one figure; True if merged."""
    if nxt is None or fig.core.source not in ("digit", "word"):
        return False
    gap_start = fig.end
    m = patterns().range_sep.match(text, gap_start)
    if not m:
        return False
    cur = _currency_prefix(text, nxt.start)
    second_start = cur[0] if cur and cur[0] >= m.end() else nxt.start
    if second_start != m.end() or nxt.source not in ("digit", "word"):
        return False
    sep = m.group(1).lower()
    opener = patterns().opener_before.search(text, max(0, fig.start - 30), fig.start)
    opener_word = opener.group(1).lower() if opener else ""
    if sep == "and" and opener_word != "between":
        return False
    if sep == "to" and opener_word == "from":
        return False
    if sep in ("-", "–", "—") and (m.group(0) != sep and sep == "-"):
        return False
    if sep == "-" and re.fullmatch(r"\d{3}-\d{4}", text[fig.start : nxt.end]):
        return False  # a phone number, not a range
    second = _Figure(nxt.start, nxt.end, nxt, nxt.value, has_currency=cur is not None)
    _scale(text, second)
    if second.value > fig.value * 1000 and fig.value < 1000 and second.value != nxt.value:
        fig.value *= second.value / nxt.value  # "US$300 and 400 billion": scale is shared
    if second.value <= fig.value:
        return False
    fig.value_high, fig.end, fig.qualifier = second.value, second.end, "range"
    if cur and not fig.has_currency:
        fig.has_currency, fig.unit, fig.kind = True, cur[1], "money"
    return True


def _times(text: str, fig: _Figure) -> None:
    """"four times faster" is a ratio (kind other); "three times" alone counts occasions."""
    m = patterns().times_after.match(text, fig.end)
    if not m or fig.kind != "count":
        return
    if m.group(1):
        fig.kind = "other"
    else:
        fig.counted = "time"


def _qualifier(text: str, fig: _Figure) -> None:
    """Set the qualifier from the words just before or after the figure."""
    v, pats = vocab(), patterns()
    if fig.qualifier == "range":
        return
    m = pats.qual_before.search(text, max(0, fig.start - 40), fig.start)
    if m:
        phrase = re.sub(r"\s+", " ", m.group(1).lower())
        overrides = v["qualifier_overrides_before"]
        for qual, words in v["qualifiers_before"].items():
            if phrase in words:
                fig.qualifier = overrides.get(phrase, qual)
                return
    m = pats.qual_after.match(text[fig.end : fig.end + 20])
    if m:
        phrase = re.sub(r"\s+", " ", m.group(1).lower())
        for qual, words in v["qualifiers_after"].items():
            if phrase in words:
                fig.qualifier = qual
                return
    if fig.core.approx:
        fig.qualifier = "approx"


def _grow(text: str, core: _Core, following: list[_Core]) -> _Figure:
    """Extend a core with currency, scale, "and a half", range, unit and qualifier."""
    fig = _Figure(core.start, core.end, core, core.value)
    cur = _currency_prefix(text, core.start) if core.source in ("digit", "word") else None
    if cur:
        fig.start, fig.has_currency, fig.kind, fig.unit = cur[0], True, "money", cur[1]
    _scale(text, fig)
    half = patterns().and_a_half.match(text, fig.end)
    if half and core.source in ("digit", "word"):
        fig.value, fig.end = fig.value + 0.5, half.end()
    nxt = next((c for c in following if c.start >= fig.end), None)
    _range(text, fig, nxt)
    article = re.compile(r"\s+an?(?=\s)", re.IGNORECASE).match(text, fig.end)
    if core.source == "fraction" and article:
        fig.end = article.end()
        _unit_after(text, fig)
        if fig.kind == "count":
            fig.end = core.end
    _unit_after(text, fig)
    _times(text, fig)
    if fig.kind == "count" and core.source == "digit":
        m = patterns().measure_before.search(text, max(0, fig.start - 12), fig.start)
        if m:
            fig.kind, fig.unit = "measure", vocab()["measure_units_before"][m.group(1).lower()]
    if core.source == "fraction" and fig.kind == "count":
        fig.kind = "other"
    if core.source == "adverb":
        fig.counted = "time"
    if fig.kind == "count" and not float(fig.value).is_integer():
        fig.kind = "measure"  # counts are whole: a bare decimal is a level or score
    _qualifier(text, fig)
    return fig


# --- context checks --------------------------------------------------------------------------


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


# --- ages, counted nouns, events ---------------------------------------------------------------


def _age_from_context(doc: Doc, text: str, fig: _Figure, toks: list[Token]) -> bool:
    """Bare number that is an age: "aged 28", "age of 99", "Zhukovskyy, 23,", "He was 86."."""
    v = vocab()
    if fig.kind != "count" or not (1 <= fig.value <= 125) or not fig.value.is_integer():
        return False
    if fig.core.source not in ("digit", "word") or fig.qualifier == "range":
        return False
    if patterns().age_before.search(text, max(0, fig.start - 20), fig.start):
        return True
    if not toks:
        return False
    tok = toks[-1]
    first = toks[0]
    prev = doc[first.i - 1] if first.i > 0 else None
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    if prev is not None and prev.text == "," and first.i > 1 and nxt is not None:
        name = doc[first.i - 2]
        person = name.ent_type_ == "PERSON" or (
            name.pos_ == "PROPN" and (name.ent_type_ == "" or tok.dep_ == "appos")
        )
        if person and nxt.text in (",", ")"):
            return True
    head = tok.head
    if tok.dep_ in ("attr", "acomp", "npadvmod", "dobj") and head.lemma_ == "be":
        subj = [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subj and (subj[0].lower_ in v["age_copula_subjects"] or subj[0].ent_type_ == "PERSON"):
            return nxt is None or not nxt.is_alpha or nxt.lower_ in v["age_copula_followers"]
    return False


def _noun_lemma(tok: Token) -> str:
    """Singular lowercase lemma of a counted noun, with irregular plurals from the vocab."""
    mapped = vocab()["counted_lemma_map"].get(tok.lower_)
    return mapped if mapped else tok.lemma_.lower()


def _counted_token(doc: Doc, toks: list[Token], fig: _Figure) -> Token | None:
    """The noun a count quantifies: its nummod head, or the object of "of" after it."""
    if not toks:
        return None
    tok = toks[-1]
    for t in toks:
        if t.head.i > toks[-1].i and t.head.pos_ in ("NOUN", "PROPN"):
            tok = t
            break
    head = tok.head
    nxt = doc[toks[-1].i + 1] if toks[-1].i + 1 < len(doc) else None
    if nxt is not None and nxt.pos_ == "NOUN" and nxt.dep_ == "compound" and nxt.head == head:
        return nxt  # "a 149 vote margin" counts votes
    if head.i > tok.i and head.pos_ == "NOUN" and tok.dep_ != "appos":
        between = doc[toks[-1].i + 1 : head.i]
        if all(t.pos_ in ("ADJ", "NOUN", "PUNCT", "ADV", "VERB", "NUM") for t in between):
            return head
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    if nxt is not None and nxt.lower_ == "of":
        objs = [c for c in nxt.children if c.dep_ == "pobj"]
        if objs and objs[0].pos_ == "NOUN":
            return objs[0]
    if nxt is not None and nxt.text == "-" and tok.i + 2 < len(doc):
        word = doc[tok.i + 2]
        if word.pos_ in ("NOUN", "ADJ") and word.is_alpha:
            return word
    if nxt is not None and nxt.pos_ == "NOUN" and nxt.tag_ == "NNS" and nxt.i == tok.i + 1:
        return nxt
    return None


def _governing_verb(toks: list[Token]) -> Token | None:
    """Nearest verb above the number in the parse."""
    if not toks:
        return None
    tok = toks[-1]
    for anc in tok.ancestors:
        if anc.pos_ in ("VERB", "AUX"):
            return anc
    return None


def _counted(doc: Doc, toks: list[Token], fig: _Figure, recent: list[tuple[int, str]],
             sent: int) -> str | None:
    """What a count counts; an elided noun is recovered from the context (`_elided_noun`)."""
    v = vocab()
    if fig.kind != "count" or fig.counted:
        return fig.counted
    tok = _counted_token(doc, toks, fig)
    if tok is not None and tok.lower_ not in v["not_counted_heads"]:
        lemma = _noun_lemma(tok)
        if lemma not in v["reuse_counted_heads"] and re.fullmatch(r"[a-z]+(?:[-'][a-z]+)*", lemma):
            return lemma
    return _elided_noun(doc, toks, recent, sent)


def _elided_noun(doc: Doc, toks: list[Token], recent: list[tuple[int, str]],
                 sent: int) -> str | None:
    """Noun of a bare count: "three more" and "others" repeat the last counted noun, victims of
    casualty verbs are persons, else the last counted noun (this or previous sentence), else a
    noun asked about with a quantifier ("how many prisoners ... demanded 5,000")."""
    v = vocab()
    if not toks:
        return None
    last = toks[-1]
    nxt = doc[last.i + 1] if last.i + 1 < len(doc) else None
    previous = next((lemma for s, lemma in reversed(recent) if sent - s <= 1), None)
    if nxt is not None and nxt.lower_ in v["reuse_counted_heads"] and previous:
        return previous
    verb = _governing_verb(toks)
    if verb is not None and verb.lemma_.lower() in v["casualty_verbs"]:
        return v["casualty_counted"]
    if previous:
        return previous
    return _quantified_noun(doc, last)


def _quantified_noun(doc: Doc, tok: Token) -> str | None:
    """Last plural noun under a quantifier ("many", "number of") before `tok`, this or last
    sentence."""
    quantifiers = set(vocab()["quantifier_words"])
    sent = tok.sent
    start = sent.start
    if start > 0:
        start = doc[start - 1].sent.start
    for cand in reversed(doc[start : tok.i]):
        if cand.tag_ != "NNS":
            continue
        if any(c.lower_ in quantifiers for c in cand.children) or (
            cand.head.lower_ == "of" and cand.head.head.lower_ in quantifiers
        ):
            return _noun_lemma(cand)
    return None


def _event_index(toks: list[Token], fig: _Figure, triggers: dict[int, int]) -> int | None:
    """Index of the event the figure quantifies: a trigger on the way up the parse to the first
    verb, that verb's nominal subject ("the attack left 42 dead"), or the noun after "of" ("three
    days of mourning"). Ages describe people, not events."""
    if not toks or not triggers or fig.kind == "age":
        return None

    def hit(tok: Token) -> int | None:
        for pos in range(tok.idx, tok.idx + len(tok.text)):
            if pos in triggers:
                return triggers[pos]
        return None

    last = toks[-1]
    for child in last.children:
        if child.lower_ == "of":
            for obj in child.children:
                if obj.dep_ == "pobj" and hit(obj) is not None:
                    return hit(obj)
    for tok in [last, *last.ancestors]:
        found = hit(tok)
        if found is not None:
            return found
        if tok.pos_ in ("VERB", "AUX") and tok is not last:
            for child in tok.children:
                if child.dep_ in ("nsubj", "nsubjpass") and hit(child) is not None:
                    return hit(child)
            if tok.dep_ == "relcl":  # "an attack that left six soldiers dead"
                return hit(tok.head)
            return None
    return None


def _trigger_map(events: list[dict[str, Any]]) -> dict[int, int]:
    """Char offset → first event index whose trigger covers it."""
    out: dict[int, int] = {}
    for i, ev in enumerate(events):
        start, end = ev.get("trigger_start"), ev.get("trigger_end")
        if start is None or end is None:
            continue
        for pos in range(start, end):
            out.setdefault(pos, i)
    return out


def _actor_for(counted_tok: Token | None, mentions: list[dict[str, Any]]) -> str | None:
    """Actor whose members are counted: the counted noun is inside an actor mention."""
    if counted_tok is None:
        return None
    for mention in mentions:
        if mention["start"] <= counted_tok.idx < mention["end"]:
            return mention.get("actor_id")
    return None


# --- main ---------------------------------------------------------------------------------------


def _both_figures(doc: Doc, text: str) -> list[_Figure]:
    """Referential "both" before a plural noun ("Both sides" → 2 side)."""
    out = []
    for m in patterns().both.finditer(text):
        span = doc.char_span(m.start(), m.end())
        if span is None or span[0].dep_ == "preconj":
            continue
        tok = span[0]
        nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
        if nxt is None or nxt.tag_ not in ("NNS", "NNPS"):
            continue
        if nxt.i + 1 < len(doc) and doc[nxt.i + 1].lower_ in ("and", "or"):
            continue  # "both consumers and the media" coordinates, it does not count
        core = _Core(tok.idx, tok.idx + len(tok.text), 2.0, "both")
        fig = _Figure(core.start, core.end, core, 2.0, counted=_noun_lemma(nxt))
        out.append(fig)
    return out


def _candidates(text: str) -> list[_Figure]:
    """Figures grown from every core, ranges merged."""
    cores = _find_cores(text)
    figs: list[_Figure] = []
    end = -1
    for i, core in enumerate(cores):
        if core.start < end:
            continue
        fig = _grow(text, core, cores[i + 1 :])
        figs.append(fig)
        end = fig.end
    return figs


def _record(fig: _Figure, text: str, sent: int, event: int | None,
            actor: str | None) -> dict[str, Any]:
    """The plain output record of one figure."""
    return {
        "start": fig.start, "end": fig.end, "text": text[fig.start : fig.end],
        "value": float(fig.value), "value_high": fig.value_high, "qualifier": fig.qualifier,
        "kind": fig.kind, "unit": fig.unit, "counted": fig.counted, "event_index": event,
        "actor_id": actor, "sentence_index": sent,
    }


def _sentence_starts(doc: Doc) -> list[int]:
    """Start offset of every sentence, read from the token arrays (faster than doc.sents)."""
    flags = doc.to_array([SENT_START, IDX])
    starts = [int(idx) for flag, idx in flags if flag == 1]
    return starts if starts and starts[0] == 0 else [0, *starts]


def extract_figures(
    doc: Doc, mentions: list[dict[str, Any]], events: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Quantity figures of one parsed article, sorted by start offset."""
    text = doc.text
    sent_starts = _sentence_starts(doc)
    triggers = _trigger_map(events)
    kept = _kept_figures(doc, text)
    out: list[dict[str, Any]] = []
    recent: list[tuple[int, str]] = []
    for fig, toks in kept:
        if _age_from_context(doc, text, fig, toks):
            fig.kind, fig.unit = "age", "year"
        sent = max(0, bisect.bisect_right(sent_starts, fig.start) - 1)
        fig.counted = _counted(doc, toks, fig, recent, sent)
        counted_tok = _counted_token(doc, toks, fig) if fig.kind == "count" else None
        if fig.counted:
            recent.append((sent, fig.counted))
        event = _event_index(toks, fig, triggers)
        out.append(_record(fig, text, sent, event, _actor_for(counted_tok, mentions)))
    return out


def _kept_figures(doc: Doc, text: str) -> list[tuple[_Figure, list[Token]]]:
    """Candidates that pass the context checks, with their tokens.

    A number seen once as part of a name ("Boeing 787") is a name everywhere else in the
    article too ("the 787 Dreamliner"), unless it then counts a plural noun.
    """
    figs = _candidates(text) + _both_figures(doc, text)
    figs.sort(key=lambda f: (f.start, -f.end))
    kept: list[tuple[_Figure, list[Token]]] = []
    names: set[str] = set()
    last_end = -1
    for fig in figs:
        if fig.start < last_end:
            continue
        toks = _tokens(doc, fig)
        reason = _skip_reason(doc, text, fig, toks)
        if reason == "name":
            names.add(text[fig.core.start : fig.core.end])
        if reason is None:
            kept.append((fig, toks))
            last_end = fig.end
    return [
        (fig, toks) for fig, toks in kept
        if fig.kind != "count" or text[fig.core.start : fig.core.end] not in names
        or _counts_plural_noun(toks)
    ]
