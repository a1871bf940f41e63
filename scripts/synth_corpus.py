"""Write a SYNTHETIC benchmark corpus (real sentences resampled; never publish).

    python scripts/synth_corpus.py --articles 3000 --seed 0 --out /tmp/synthetic-3000

Reads every source folder under `../shared/corpus` (or `--corpus DIR`, repeatable) and writes a
`jsonl` source folder named `synthetic` (licence NOASSERTION, title saying SYNTHETIC). The same
corpora, `--articles` and `--seed` always give the same bytes. See `newsfacts.build.synth`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from newsfacts.build.synth import write_synthetic

SHARED_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, required=True, help="number of articles")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, required=True, help="source folder to write")
    parser.add_argument("--corpus", type=Path, action="append",
                        help=f"real source folder to resample (default: all in {SHARED_CORPUS})")
    args = parser.parse_args()
    corpus = args.corpus or sorted(p for p in SHARED_CORPUS.iterdir()
                                   if (p / "source.json").is_file())
    out = write_synthetic(args.out, corpus, args.articles, args.seed)
    print(f"wrote {args.articles} SYNTHETIC articles to {out}")


if __name__ == "__main__":
    main()
