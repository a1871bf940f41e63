"""Sentence boundaries read from spaCy's token arrays, for the stages that ask per token or per
figure: `doc.sents` builds a Span per sentence on every call."""

from __future__ import annotations

from spacy.attrs import SENT_START
from spacy.tokens import Doc


def sentence_starts(doc: Doc) -> list[int]:
    """Token index where each sentence begins (the first token always does), as `doc.sents`
    splits them."""
    if not len(doc):
        return []
    flags = doc.to_array(SENT_START).tolist()
    return [0] + [i for i in range(1, len(doc)) if flags[i] == 1]


def sentence_numbers(starts: list[int], n_tokens: int) -> list[int]:
    """Sentence number of each of `n_tokens` tokens, from `sentence_starts`."""
    index = [0] * n_tokens
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else n_tokens
        index[start:end] = [k] * (end - start)
    return index
