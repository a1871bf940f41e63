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
from collections.abc import Sequence

from spacy.tokens import Doc, Token
from text_to_num import text2num

from newsfacts.build.extract.figure_checks import (
    _counts_plural_noun,
    _skip_reason,
    _tokens,
)
from newsfacts.build.extract.figure_patterns import (
    _Core,
    _Figure,
    _iso_currencies,
    patterns,
    vocab,
)
from newsfacts.build.extract.records import EventRecord, FigureRecord, MentionRecord
from newsfacts.build.extract.sentences import sentence_starts


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


def _trigger_map(events: Sequence[EventRecord]) -> dict[int, int]:
    """Char offset → first event index whose trigger covers it."""
    out: dict[int, int] = {}
    for i, ev in enumerate(events):
        start, end = ev.get("trigger_start"), ev.get("trigger_end")
        if start is None or end is None:
            continue
        for pos in range(start, end):
            out.setdefault(pos, i)
    return out


def _actor_for(counted_tok: Token | None, mentions: Sequence[MentionRecord]) -> str | None:
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
            actor: str | None) -> FigureRecord:
    """The plain output record of one figure."""
    return {
        "start": fig.start, "end": fig.end, "text": text[fig.start : fig.end],
        "value": float(fig.value), "value_high": fig.value_high, "qualifier": fig.qualifier,
        "kind": fig.kind, "unit": fig.unit, "counted": fig.counted, "event_index": event,
        "actor_id": actor, "sentence_index": sent,
    }


def extract_figures(
    doc: Doc, mentions: Sequence[MentionRecord], events: Sequence[EventRecord],
    text: str | None = None,
) -> list[FigureRecord]:
    """Quantity figures of one parsed article, sorted by start offset; `text`: `doc.text` when
    the caller has it (spaCy rebuilds it from every token on each read)."""
    text = doc.text if text is None else text
    sent_starts = [doc[i].idx for i in sentence_starts(doc)]  # character offsets
    triggers = _trigger_map(events)
    kept = _kept_figures(doc, text)
    out: list[FigureRecord] = []
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
