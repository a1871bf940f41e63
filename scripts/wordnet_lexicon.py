"""Derive `src/newsfacts/vocab/plover_wordnet.json` from WordNet 3.0 and the hand-written PLOVER
lexicon: words the lexicon does not list but WordNet relates to one it does (synonyms in its two
most frequent senses, their derived verbs and nouns, the troponyms of its first sense), each with
the PLOVER type of the listed word it came from; plus the WordNet supersense (lexicographer file,
e.g. `verb.contact`) of the first sense of every verb and of every event-like noun.

Why: 43% of annotated events have a trigger word that neither the lexicon nor the annotations
contain; these words give the event model a typed candidate and a feature for them. The seeds
are the hand-written lexicon only, never the annotations, so no held-out article shapes it.

Maintainer tool, run once when the lexicon changes; the build reads only the JSON it writes.
WordNet comes from Debian's `wordnet-base` (`apt-get install wordnet-base`, files in
/usr/share/wordnet). It is read here directly from its documented database format (wndb(5WN)):
nltk's reader refuses that installation (it wants a `lexnames` file Debian omits and a mapping
to its own downloaded WordNet), and `wn` downloads its data at run time.

    python scripts/wordnet_lexicon.py [--wordnet /usr/share/wordnet]
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LEXICON = REPO / "src" / "newsfacts" / "vocab" / "plover_lexicon.json"
OUT = REPO / "src" / "newsfacts" / "vocab" / "plover_wordnet.json"
POS = {"verb": "v", "noun": "n"}
LEXNAMES = (
    "adj.all", "adj.pert", "adv.all", "noun.Tops", "noun.act", "noun.animal", "noun.artifact",
    "noun.attribute", "noun.body", "noun.cognition", "noun.communication", "noun.event",
    "noun.feeling", "noun.food", "noun.group", "noun.location", "noun.motive", "noun.object",
    "noun.person", "noun.phenomenon", "noun.plant", "noun.possession", "noun.process",
    "noun.quantity", "noun.relation", "noun.shape", "noun.state", "noun.substance", "noun.time",
    "verb.body", "verb.change", "verb.cognition", "verb.communication", "verb.competition",
    "verb.consumption", "verb.contact", "verb.creation", "verb.emotion", "verb.motion",
    "verb.perception", "verb.possession", "verb.social", "verb.stative", "verb.weather", "adj.ppl",
)
"""Lexicographer file numbers 00-44 (wninput(5WN)); Debian's package omits the `lexnames` file."""
EVENT_NOUNS = frozenset({"noun.act", "noun.event", "noun.communication", "noun.phenomenon"})
SENSES = 2  # senses of a seed word whose synonyms are taken (WordNet orders by frequency)
RANK = {"synonym": 0, "derived": 1, "troponym": 2}


class WordNet:
    """Synsets of WordNet's database files: words, supersense and pointers by offset."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.index: dict[str, dict[str, list[int]]] = {}
        self.data: dict[str, bytes] = {}
        for pos in POS:
            offsets: dict[str, list[int]] = {}
            for line in (root / f"index.{pos}").read_text(encoding="latin-1").splitlines():
                if line.startswith(" "):
                    continue  # licence header
                f = line.split()
                n_synsets, n_ptrs = int(f[2]), int(f[3])
                offsets[f[0]] = [int(x) for x in f[6 + n_ptrs:6 + n_ptrs + n_synsets]]
            self.index[pos] = offsets
            self.data[pos] = (root / f"data.{pos}").read_bytes()

    def synset(self, pos: str, offset: int) -> dict:
        """One synset: its words (lowercase, spaces for underscores), supersense, pointers."""
        data = self.data[pos]
        line = data[offset:data.index(b"\n", offset)].decode("latin-1").split(" | ")[0].split()
        n_words = int(line[3], 16)
        words = [line[4 + 2 * i].replace("_", " ").lower() for i in range(n_words)]
        k = 4 + 2 * n_words
        n_ptrs = int(line[k])
        ptrs = []
        for j in range(n_ptrs):
            sym, off, p, st = line[k + 1 + 4 * j:k + 5 + 4 * j]
            ptrs.append((sym, int(off), {"v": "verb", "n": "noun"}.get(p), int(st[:2], 16),
                         int(st[2:], 16)))
        return {"words": words, "lexname": LEXNAMES[int(line[1])], "pointers": ptrs}

    def senses(self, pos: str, lemma: str) -> list[int]:
        return self.index[pos].get(lemma.replace(" ", "_"), [])

    def single_words(self, pos: str) -> list[str]:
        """Index lemmas that are one plain word (no compound, hyphen, digit or dot), sorted."""
        return [lemma for lemma in sorted(self.index[pos]) if lemma.isalpha()]

    @classmethod
    def from_command_line(cls, description: str) -> WordNet:
        """The WordNet a maintainer script's `--wordnet` option names."""
        parser = argparse.ArgumentParser(description=description)
        parser.add_argument("--wordnet", type=Path, default=Path("/usr/share/wordnet"))
        return cls(parser.parse_args().wordnet)


def expand(wn: WordNet, lexicon: dict) -> dict[str, dict[str, str]]:
    """Unlisted single words related to a listed one -> the listed word's type (closest
    relation first, then most votes, then alphabetical)."""
    listed = {"verb": set(lexicon["verbs"]), "noun": set(lexicon["nouns"])}
    votes: dict[tuple[str, str], dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for pos, table in (("verb", lexicon["verbs"]), ("noun", lexicon["nouns"])):
        for seed, entry in sorted(table.items()):
            kind = entry["type"]
            for rank_sense, offset in enumerate(wn.senses(pos, seed)[:SENSES]):
                syn = wn.synset(pos, offset)
                for w in syn["words"]:
                    votes[(pos, w)][kind].append(RANK["synonym"])
                for sym, off, p, src, tgt in syn["pointers"]:
                    if p is None:
                        continue
                    if sym == "+" and src and syn["words"][src - 1] == seed:
                        word = wn.synset(p, off)["words"][tgt - 1]
                        votes[(p, word)][kind].append(RANK["derived"])
                    elif sym == "~" and rank_sense == 0 and p == pos:
                        for w in wn.synset(p, off)["words"]:
                            votes[(p, w)][kind].append(RANK["troponym"])
    out: dict[str, dict[str, str]] = {"verb": {}, "noun": {}}
    for (pos, word), by_type in sorted(votes.items()):
        if word in listed[pos] or " " in word or "-" in word or not word.isalpha():
            continue
        best = min(by_type.items(), key=lambda kv: (min(kv[1]), -len(kv[1]), kv[0]))
        out[pos][word] = best[0]
    return out


def supersenses(wn: WordNet) -> dict[str, dict[str, str]]:
    """Supersense of the first sense of every single-word verb, and of nouns whose first sense
    is an act, event, communication or phenomenon."""
    out: dict[str, dict[str, str]] = {"verb": {}, "noun": {}}
    for pos in POS:
        for lemma in wn.single_words(pos):
            lex = wn.synset(pos, wn.index[pos][lemma][0])["lexname"]
            if pos == "verb" or lex in EVENT_NOUNS:
                out[pos][lemma] = lex
    return out


def main() -> None:
    wn = WordNet.from_command_line(__doc__.split("\n")[0])
    lexicon = json.loads(LEXICON.read_text(encoding="utf-8"))
    typed = expand(wn, lexicon)
    data = {
        "version": 2,
        "description": (
            "Generated by scripts/wordnet_lexicon.py from WordNet 3.0 (Princeton University, "
            "WordNet 3.0 licence: free use with this notice; Debian package wordnet-base) and "
            f"plover_lexicon.json version {lexicon['version']}. `types`: words the lexicon does "
            "not list, related in WordNet to a listed word (synonym in its two most frequent "
            "senses, derived form, troponym of its first sense), with that word's PLOVER type. "
            "`supersenses`: lexicographer file of the first sense of each verb and event-like "
            "noun. Features of the event model, not decisions."),
        "types": typed,
        "supersenses": supersenses(wn),
    }
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=0, sort_keys=True) + "\n",
                   encoding="utf-8")
    print(f"{OUT}: {len(typed['verb'])} verbs and {len(typed['noun'])} nouns typed, "
          f"{sum(len(v) for v in data['supersenses'].values())} supersenses")


if __name__ == "__main__":
    main()
