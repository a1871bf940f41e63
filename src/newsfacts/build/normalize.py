"""Text normalisation and article ids: the contract of gold/FORMAT.md section 1, exactly.

Every offset in every table indexes the string this module returns, so this code is the
contract and is tested against the gold texts. Hand-written because the contract is ours:
no library implements this sequence of steps.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\ufeff]")
# Category Zs (space separators) and tab become U+0020 (step 4).
_SPACES = re.compile(r"[\t\u0020\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_MULTI_SPACE = re.compile(r" {2,}")
_MULTI_NEWLINE = re.compile(r"\n{3,}")
_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
)
_DATELINE = re.compile(
    rf"(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),? ({_MONTHS}) "
    r"([1-9]|[12][0-9]|3[01]),? [0-9]{4}\.?"
)


def normalize_text(raw: str) -> str:
    """Apply FORMAT.md section 1, steps 2-8, to already-decoded text.

    Two refinements make the function idempotent (`normalize_text(normalize_text(x)) ==
    normalize_text(x)`, a property test), and change no text of the real corpora or the gold:
    zero-width characters are removed *before* NFC (removing one between `e` and a combining
    accent would otherwise leave an uncomposed `é` for a second pass to compose), and step 8
    repeats while the first paragraph is again only a dateline.
    """
    text = unicodedata.normalize("NFC", _ZERO_WIDTH.sub("", raw))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _SPACES.sub(" ", text)
    text = "\n".join(_MULTI_SPACE.sub(" ", line).strip(" ") for line in text.split("\n"))
    text = _MULTI_NEWLINE.sub("\n\n", text).strip()
    # Step 8, repeated while the new first paragraph is again only a dateline, so that
    # normalising normalised text changes nothing.
    while text:
        first, _, rest = text.partition("\n\n")
        if not _DATELINE.fullmatch(first):
            break
        text = rest.strip()
    return text


def article_id_from_url(url: str) -> str:
    """First 16 hex digits of SHA-256 of the URL exactly as the source gives it."""
    return hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]


def text_sha256(text: str) -> str:
    """SHA-256 hex of the normalised text, stored so users can verify the text offsets index."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def split_for(article_id: str) -> str:
    """Deterministic ~80/10/10 split from the article id alone (ids are already hashes)."""
    bucket = int(article_id[:8], 16) % 10
    return "train" if bucket < 8 else ("validation" if bucket == 8 else "test")
