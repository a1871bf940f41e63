"""Which passages of an article are English: extraction reads only those.

An English model cannot read Hindi, Russian or Chinese: on such text it finds "names" in words
("हैं" as a PERSON). So the normalised text is cut into passages, and mentions, events and
figures are taken only from English ones. A passage is a sentence-like piece of a line: lines
are cut after sentence-final punctuation and before Wikinews language marks (`((hi))`), because
interviews put a translation inside the same line ("So can you tell me something about
yourself? ((hi))Hindi language: तो मुझे ...").

Per piece, cheapest test first (all deterministic, no model download):

1. At least a fifth of the words in another script (Cyrillic, Arabic, Devanagari, CJK, ...): not
   English, except runs of `LATIN_RUN_WORDS`+ Latin words inside it, judged on their own (a
   translation that follows a Korean quote without a full stop).
2. Fewer than `MIN_WORDS` lowercase Latin words ("Reuters", "Prime Minister Igor Matovič met
   Emmanuel Macron."): too short to judge, kept as English (capitalised words are mostly names,
   which no language owns, and a refusal here would cost real mentions).
3. English function words make up at least `FUNCTION_SHARE` of the lowercase words: English.
4. Otherwise `lingua-language-detector` (models ship in the wheel) decides among a handful of
   languages written in Latin script. Building the detector with few languages is instant; its
   models load on first use (about 1 s), which most processes never reach because step 3
   settles nearly every English line.

`english_share` is the share of the text's letters that lie in English passages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

MIN_WORDS = 6
FUNCTION_SHARE = 0.1
FOREIGN_SHARE = 0.2
LATIN_RUN_WORDS = 5
LINGUA_MIN_ENGLISH = 0.05
_LINE = re.compile(r"[^\n]+")
_CUT = re.compile(r"(?<=[.!?…।؟。])[\"'”’)\]]*\s+|\s*(?=\(\([a-z]{2,3}\)\))")
_LETTER = re.compile(r"[^\W\d_]")
_LATIN = re.compile(r"[A-Za-z\u00C0-\u00FF\u0100-\u02FF\u1E00-\u1EFF]")
_WORD = re.compile(r"[^\W\d_]+")
_FUNCTION_WORDS = frozenset((
    "the", "of", "and", "to", "is", "was", "that", "for", "with", "on", "by", "he", "she", "it",
    "are", "were", "has", "have", "had", "said", "from", "at", "this", "which", "be", "as", "an",
    "his", "her", "their", "they", "will", "would", "not", "been", "who", "its", "there", "but",
    "or", "after", "we", "you", "i", "our", "what", "can", "also", "than", "more", "about",
    "into", "when"
))
_LINGUA_LANGUAGES = ("ENGLISH", "GERMAN", "FRENCH", "SPANISH", "PORTUGUESE", "ITALIAN",
                     "DUTCH", "POLISH", "INDONESIAN", "TURKISH")

# Scripts an English model cannot read, for checks and reports (not for classification).
FOREIGN_SCRIPT = re.compile(
    "[\u0400-\u052F"  # Cyrillic
    "\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF"  # Arabic
    "\u0900-\u097F"  # Devanagari
    "\u3040-\u30FF\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\uAC00-\uD7AF]"  # CJK, kana, Hangul
)


@dataclass(frozen=True)
class Passages:
    """English and other passages of one text, as `[start, end)` code-point ranges."""

    english: tuple[tuple[int, int], ...]
    other: tuple[tuple[int, int], ...]
    english_share: float

    def is_english(self, start: int, end: int) -> bool:
        """True when `[start, end)` lies inside one English passage."""
        return any(s <= start and end <= e for s, e in self.english)


@cache
def _detector() -> Any:
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(
        *(getattr(Language, name) for name in _LINGUA_LANGUAGES)).build()


def line_is_english(line: str) -> bool:
    """Classify one passage (see the module docstring)."""
    words = _WORD.findall(line)
    if not words:
        return True
    latin = [w for w in words if _LATIN.match(w)]
    if len(words) - len(latin) >= max(1.0, FOREIGN_SHARE * len(words)):
        return False
    # Capitalised words are mostly names, which no language owns ("Prime Minister Igor Matovič
    # met Emmanuel Macron."): judge the lowercase words only.
    lower = [w for w in latin if w[:1].islower()]
    if len(lower) < MIN_WORDS:
        return True
    if sum(w in _FUNCTION_WORDS for w in lower) >= FUNCTION_SHARE * len(lower):
        return True
    from lingua import Language

    confidence = _detector().compute_language_confidence(line, Language.ENGLISH)
    return confidence >= LINGUA_MIN_ENGLISH


def passages(text: str) -> Passages:
    """English and non-English passages of a normalised text."""
    english, other = [], []
    total = in_english = 0
    for start, end in _pieces(text):
        piece = text[start:end]
        n_letters = len(_LETTER.findall(piece))
        total += n_letters
        if line_is_english(piece):
            english.append((start, end))
            in_english += n_letters
            continue
        for (s, e), latin in _script_runs(piece):
            # A long Latin run inside a foreign piece ("... 꺼져 있다 Park's phone was last
            # active in Seoul, The Korea Herald reported.") is judged on its own; short ones are
            # code-mixed words of the foreign sentence ("HIV के साथ").
            run = piece[s:e]
            if latin and len(_WORD.findall(run)) >= LATIN_RUN_WORDS and line_is_english(run):
                english.append((start + s, start + e))
                in_english += len(_LETTER.findall(run))
            else:
                other.append((start + s, start + e))
    share = round(in_english / total, 4) if total else 1.0
    return Passages(tuple(english), tuple(other), share)


def _script_runs(piece: str) -> list[tuple[tuple[int, int], bool]]:
    """`[start, end)` of the runs of Latin and of other-script words of a piece, each with
    `True` for Latin; a run ends where the next run's first word starts (trailing spaces
    dropped)."""
    runs: list[list] = []
    for word in _WORD.finditer(piece):
        latin = _LATIN.match(word.group()) is not None
        if runs and runs[-1][1] == latin:
            continue
        runs.append([word.start(), latin])
    out = []
    for i, (s, latin) in enumerate(runs):
        e = runs[i + 1][0] if i + 1 < len(runs) else len(piece)
        s = 0 if i == 0 else s
        while e > s and piece[e - 1].isspace():
            e -= 1
        out.append(((s, e), latin))
    return out


def _pieces(text: str) -> list[tuple[int, int]]:
    """`[start, end)` of every piece: lines cut at sentence ends and language marks."""
    out = []
    for line in _LINE.finditer(text):
        start = line.start()
        for cut in _CUT.finditer(line.group()):
            if cut.start() > 0:
                out.append((start, line.start() + cut.start()))
            start = line.start() + cut.end()
        if start < line.end():
            out.append((start, line.end()))
    return out


def has_english(text: str) -> bool:
    """True when at least one passage of the text with letters is English (or none has
    letters)."""
    p = passages(text)
    with_letters = [r for r in p.english + p.other if _LETTER.search(text[r[0]:r[1]])]
    return not with_letters or any(_LETTER.search(text[s:e]) for s, e in p.english)
