"""Score the extractor on gold files without a full build: extraction only, then the project
scorer (`newsfacts.evaluation.evaluate.score`), so the figures mean what `newsfacts evaluate` means.

Usage: python scripts/dev_score_extraction.py [GOLD_DIR ...] [--by-article]
Default GOLD_DIR: ../shared/gold/dev. For the recorded figures use `newsfacts quality`, which
builds the sources (the corpus-wide actor registry can differ slightly from the first-seen merge
done here).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from newsfacts.build.extract import ArticleInfo, extract, load_pipeline

DEFAULT_GOLD = Path(__file__).resolve().parents[1].parent / "shared" / "gold" / "dev"


def extraction_tables(gold_dir: str, nlp: Any) -> tuple[Any, dict[str, Any]]:
    """Gold articles and the extractor's output as the tables
    `newsfacts.evaluation.evaluate.score` reads
    (actors merged first-seen across articles, as the corpus registry does)."""
    import pandas as pd

    from newsfacts.evaluation.evaluate import REQUIRED_COLUMNS, load_gold

    gold = load_gold(gold_dir)
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in REQUIRED_COLUMNS}
    seen: set[str] = set()
    for g in gold:
        ex = extract(nlp(g.text), ArticleInfo(g.article_id, g.published_date)).to_json()
        rows["articles"].append({"article_id": g.article_id, "text": g.text})
        for actor_id, actor in ex["actors"].items():
            if actor_id not in seen:
                seen.add(actor_id)
                rows["actors"].append({"actor_id": actor_id, **actor})
        rows["mentions"] += [{"article_id": g.article_id, **m} for m in ex["mentions"]]
        rows["events"] += [{"article_id": g.article_id, **e} for e in ex["events"]]
        rows["figures"] += [{"article_id": g.article_id, **f} for f in ex["figures"]]
    tables = {name: pd.DataFrame(r, columns=None if r else list(REQUIRED_COLUMNS[name]))
              for name, r in rows.items()}
    return gold, tables


def main(argv: list[str]) -> None:
    """Print the scorer's summary (and per-article rows with --by-article) per gold folder."""
    from rich.console import Console

    from newsfacts.evaluation.evaluate import score
    from newsfacts.evaluation.report import render

    by_article = "--by-article" in argv
    nlp = load_pipeline()
    for directory in [a for a in argv if not a.startswith("--")] or [str(DEFAULT_GOLD)]:
        gold, tables = extraction_tables(directory, nlp)
        report = score(gold, tables, by_article=by_article)
        print(Path(directory).name, json.dumps(report["summary"]))
        for table in render(report):
            Console().print(table)


if __name__ == "__main__":
    main(sys.argv[1:])
