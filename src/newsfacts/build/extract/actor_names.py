"""Actor names: ids derived from a name alone, which spans can name an actor, and the trimming
and widening of the name spans the NER gives."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from anyascii import anyascii
from spacy.tokens import Span, Token

from newsfacts.build.extract.actor_vocab import vocab

ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
_LETTER = re.compile(r"[^\W\d_]")
_NON_LATIN = re.compile(r"[^\W\d_A-Za-z\u00C0-\u00FF\u0100-\u02FF\u1E00-\u1EFF]")


def slugify(text: str) -> str:
    """Lowercase ASCII slug matching `[a-z0-9]+(-[a-z0-9]+)*`, transliterated by anyascii
    ('Matovič' -> 'matovic', 'Paweł' -> 'pawel', 'Дмитрий' -> 'dmitriy', '中国' -> 'zhongguo');
    '' when the text has no letter or digit."""
    return re.sub(r"[^a-z0-9]+", "-", anyascii(text).lower()).strip("-")


def name_id(name: str) -> str:
    """Actor id derived from a name alone, so the corpus registry stays a pure merge and an id
    never depends on which articles were read first.

    Latin-script names take their slug: names that differ only in case, punctuation or
    diacritics ('Matovič', 'Matovic') are one actor. A name with letters of another script
    ('Дмитрий Кошелев') takes its slug plus six hex digits of the SHA-256 of the name (NFC,
    casefolded, spaces collapsed), so it never shares an id with the Latin name it transliterates
    to ('Dmitriy Koshelev'), nor with a different name of its script that transliterates the
    same. '' when the name has no letter: such a name is not an actor."""
    if not _LETTER.search(name):
        return ""
    slug = slugify(_expand_country_abbreviations(name))
    if not slug or _NON_LATIN.search(name):
        key = " ".join(unicodedata.normalize("NFC", name).casefold().split())
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:6]
        return f"{slug}-{digest}" if slug else f"x-{digest}"
    return slug


def _expand_country_abbreviations(name: str) -> str:
    """'U.S. Geological Survey' -> 'United States Geological Survey': inside a longer name, a
    country's abbreviation is spelt out as the gazetteer names the country, so both spellings
    of one organisation get one id. The name as written is kept; only its id changes."""
    words = name.split()
    if len(words) < 2:
        return name
    abbreviations = vocab()["country_abbreviations"]
    return " ".join(abbreviations.get(w, w) for w in words)


def is_name(text: str) -> bool:
    """True when a span can name an actor: it has a letter, and every letter is Latin script
    (the extractor's English model cannot read other scripts)."""
    return bool(_LETTER.search(text)) and not _NON_LATIN.search(text)


def trim(span: Span) -> Span:
    """Drop leading determiners and trailing possessive markers/punctuation from a name span."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].lower_ in ("the", "a", "an") or doc[start].is_punct):
        start += 1
    while end > start and (doc[end - 1].tag_ == "POS" or doc[end - 1].is_punct
                           or doc[end - 1].lower_ in ("'s", "of", "and") or doc[end - 1].like_num):
        end -= 1
    return doc[start:end]


def extend_name(span: Span) -> Span:
    """Widen a PERSON span over adjacent name words the NER left out ('Valéry Giscard d'Estaing',
    'Carmen Yulín Cruz'): capitalised PROPN tokens attached inside the name, never titles."""
    doc = span.doc
    titles = vocab()["titles"]
    start, end = span.start, span.end
    inside = range(start, end)

    def name_word(tok: Token) -> bool:
        return (tok.pos_ == "PROPN" and tok.ent_type_ in ("", "PERSON")
                and tok.lower_ not in titles and tok.text[:1].isalpha())

    while start > 0 and name_word(doc[start - 1]) and doc[start - 1].is_title and (
            doc[start - 1].head.i in inside and doc[start - 1].dep_ == "compound"):
        start -= 1
    while end < len(doc) and name_word(doc[end]) and not doc[end].is_sent_start and (
            doc[end].head.i in inside or doc[end - 1].head.i == end):
        end += 1
    # "Wong Kwok-hing": the NER often stops at an in-word hyphen
    if end + 1 < len(doc) and doc[end].text == "-" and not doc[end - 1].whitespace_ and (
            not doc[end].whitespace_) and doc[end + 1].is_alpha:
        end += 2
    return doc[start:end]
