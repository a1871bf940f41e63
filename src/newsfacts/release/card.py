"""The Hugging Face dataset card (`README.md`) of a release, and the charts it shows.

The YAML header is made with the `datasets` library's own writers (`MetadataConfigs`,
`DatasetInfosDict`) from `schema.hf_features`, so the features the Hub reads are the schema's and
are written in exactly one place. A feature the Parquet files do not have would load as nulls
without any error: `tests/test_release.py` compares both.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from newsfacts.release.hf import UNSPLIT, SplitFile, data_path
from newsfacts.schema import TABLES, fields, has_split, is_required, primary_key, table_schema

TITLE = "newsfacts"
CHARTS = {
    "events_per_month": "Events per type per month (by the reporting article's publication month)",
    "top_actors": "Most-mentioned actors",
    "precision_recall": "Event rows kept above a confidence threshold (held-out articles)",
}
_TOP_TYPES = 10
_TOP_ACTORS = 15
# Frictionless licence ids the Hub knows (its ids are the lowercase SPDX ones).
_HUB_LICENSES = {"CC-BY-2.5", "CC-BY-4.0", "CC-BY-SA-4.0", "CC0-1.0", "MIT", "Apache-2.0",
                 "ODC-By-1.0", "ODbL-1.0", "PDDL-1.0"}


def hub_license(licenses: list[str]) -> dict[str, Any]:
    """Card licence keys: the one Hub licence id, or `other` with the list when mixed/unknown."""
    unique = sorted(set(licenses))
    if len(unique) == 1 and unique[0] in _HUB_LICENSES:
        return {"license": unique[0].lower()}
    return {"license": "other", "license_name": "mixed-per-article",
            "license_details": "Each article keeps its source's licence in `articles.license`: "
                               + ", ".join(unique) + ". See Sources below."}


def card_data(files: Mapping[str, Mapping[str, SplitFile]], licenses: list[str]):
    """`huggingface_hub.DatasetCardData` with `configs` (one per table) and `dataset_info`.

    files: {table: {split: SplitFile}} as written by `newsfacts.release.hf.write_hf_data`.
    """
    from datasets import DatasetInfo, SplitDict, SplitInfo
    from datasets.info import DatasetInfosDict
    from datasets.utils.metadata import MetadataConfigs
    from huggingface_hub import DatasetCardData

    from newsfacts.schema import hf_features

    n_articles = sum(f.rows for f in files["articles"].values())
    data = DatasetCardData(
        language=["en"], pretty_name=TITLE, **hub_license(licenses),
        task_categories=["token-classification", "text-classification"],
        tags=["news", "events", "PLOVER", "information-extraction", "parquet"],
        size_categories=[_size_category(n_articles)],
    )
    configs = {
        t: {"data_files": [{"split": s, "path": data_path(t, s)} for s in files[t]],
            **({"default": True} if t == "articles" else {})}
        for t in TABLES
    }
    MetadataConfigs(configs).to_dataset_card_data(data)
    infos = {}
    for t in TABLES:
        splits = SplitDict()
        for s, f in files[t].items():
            splits.add(SplitInfo(name=s, num_bytes=f.num_bytes, num_examples=f.rows))
        infos[t] = DatasetInfo(features=hf_features(t), splits=splits,
                               download_size=sum(f.file_bytes for f in files[t].values()),
                               dataset_size=sum(f.num_bytes for f in files[t].values()))
    DatasetInfosDict(infos).to_dataset_card_data(data)
    return data


def card_mismatches(folder: Path) -> list[str]:
    """Every disagreement between a folder's `README.md` YAML and its Parquet files.

    For each config: the declared `dataset_info` features must equal `schema.hf_features`, and
    each data file's Arrow schema must have exactly the declared columns and types; the split
    names of `configs` and `dataset_info` must agree. (A declared column that a file lacks, or
    types that differ, load silently as nulls or fail late on the Hub.)
    """
    import pyarrow.parquet as pq
    from datasets.info import DatasetInfosDict
    from datasets.utils.metadata import MetadataConfigs
    from huggingface_hub import DatasetCard

    from newsfacts.schema import hf_features

    data = DatasetCard.load(Path(folder) / "README.md").data
    configs = MetadataConfigs.from_dataset_card_data(data)
    infos = DatasetInfosDict.from_dataset_card_data(data)
    problems = []
    if set(configs) != set(TABLES) or set(infos) != set(TABLES):
        problems.append(f"configs {sorted(configs)} / dataset_info {sorted(infos)} are not "
                        f"the tables {sorted(TABLES)}")
    for t in sorted(set(configs) & set(infos) & set(TABLES)):
        features = infos[t].features
        if features != hf_features(t):
            problems.append(f"{t}: dataset_info features differ from schema/{t}.json")
        declared = {f["split"]: f["path"] for f in configs[t]["data_files"]}
        if list(declared) != list(infos[t].splits):
            problems.append(f"{t}: configs splits {list(declared)} != dataset_info splits "
                            f"{list(infos[t].splits)}")
        want = features.arrow_schema
        for split, rel in declared.items():
            path = Path(folder) / rel
            if not path.is_file():
                problems.append(f"{t}/{split}: {rel} does not exist")
                continue
            got = pq.read_schema(path)
            if got.names != want.names:
                problems.append(f"{t}/{split}: columns {got.names} != declared {want.names}")
            problems.extend(
                f"{t}/{split}: column {name} is {got.field(name).type} in {rel}, declared "
                f"{want.field(name).type}"
                for name in want.names
                if name in got.names and not got.field(name).type.equals(want.field(name).type))
            n = pq.read_metadata(path).num_rows
            if infos[t].splits and n != infos[t].splits[split].num_examples:
                problems.append(f"{t}/{split}: {n} rows, card says "
                                f"{infos[t].splits[split].num_examples}")
    return problems


def _size_category(n: int) -> str:
    for limit, name in ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"),
                        (1_000_000, "100K<n<1M")):
        if n < limit:
            return name
    return "1M<n<10M"


def write_charts(directory: Path, out: Path) -> dict[str, str]:
    """PNG charts from a built folder into `out/`; returns {name: path relative to out.parent}.

    Written without timestamps or software metadata, so the same tables give the same bytes.
    """
    from matplotlib.figure import Figure

    from newsfacts.load import read_table

    out.mkdir(parents=True, exist_ok=True)
    articles = read_table("articles", directory)[["article_id", "published_date"]]
    events = read_table("events", directory).merge(articles, on="article_id")
    mentions = read_table("mentions", directory)
    actors = read_table("actors", directory).set_index("actor_id")["name"]

    fig = Figure(figsize=(9, 4.5), layout="constrained")
    ax = fig.subplots()
    if len(events):
        month = pd.to_datetime(events["published_date"]).dt.to_period("M")
        top = events["event_type"].value_counts().index[:_TOP_TYPES]
        kind = events["event_type"].where(events["event_type"].isin(top), "other")
        table = pd.crosstab(month, kind)
        published = pd.to_datetime(articles["published_date"]).dt.to_period("M")
        table = table.reindex(pd.period_range(published.min(), published.max(), freq="M"),
                              fill_value=0)
        table.index = table.index.strftime("%Y-%m")  # type: ignore[attr-defined]  # a PeriodIndex
        table = table[list(table.sum().sort_values(ascending=False, kind="stable").index)]
        bottom = None
        for col in table.columns:
            ax.bar(table.index, table[col], bottom=bottom, label=col)
            bottom = table[col] if bottom is None else bottom + table[col]
        ax.legend(fontsize="small", ncols=2)
        ax.tick_params(axis="x", labelrotation=90, labelsize="small")
    else:
        ax.text(0.5, 0.5, "no events", ha="center", va="center", transform=ax.transAxes)
    ax.set_title(CHARTS["events_per_month"])
    ax.set_ylabel("events")
    # The default locator is a MaxNLocator, which takes `integer` (the stubs type Locator).
    ax.yaxis.get_major_locator().set_params(integer=True)  # type: ignore[call-arg]
    paths = {"events_per_month": out / "events_per_month.png"}
    fig.savefig(paths["events_per_month"], dpi=100, metadata={"Software": None})

    fig = Figure(figsize=(9, 5), layout="constrained")
    ax = fig.subplots()
    counts = mentions["actor_id"].dropna().value_counts().head(_TOP_ACTORS)[::-1]
    labels = [f"{actors.get(a, a)}" for a in counts.index]
    ax.barh(labels, counts.to_numpy())
    ax.set_title(CHARTS["top_actors"])
    ax.set_xlabel("mentions")
    ax.xaxis.get_major_locator().set_params(integer=True)  # type: ignore[call-arg]  # MaxNLocator
    paths["top_actors"] = out / "top_actors.png"
    fig.savefig(paths["top_actors"], dpi=100, metadata={"Software": None})
    return {k: p.relative_to(out.parent).as_posix() for k, p in paths.items()}


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _fmt(x: Any) -> str:
    if x is None:
        return "–"
    return f"{x:.3f}" if isinstance(x, float) else str(x)


def field_docs() -> str:
    """Markdown: per table, its description, key and one line per field (from schema/)."""
    parts = []
    for t in TABLES:
        s = table_schema(t)
        rows = ["| field | type | required | description |", "|---|---|---|---|"]
        rows += [f"| `{f['name']}` | {f['type']} | {'yes' if is_required(f) else ''} | "
                 f"{_cell(f.get('description', ''))} |" for f in fields(t)]
        parts.append(f"### `{t}`\n\n{s['description']}\nPrimary key: "
                     f"`{', '.join(primary_key(t))}`.\n\n" + "\n".join(rows))
    return "\n\n".join(parts)


def quality_section(quality: Mapping[str, Any] | None, chart: str | None = None) -> str:
    """The recorded quality figures (`newsfacts quality`): held-out and cross-validated only,
    with the confidence's precision at thresholds so a user can pick one."""
    if not quality:
        return "No quality figures were recorded for this extractor and event model."
    from newsfacts.evaluation.quality import AGREEMENT, HELD_OUT, markdown

    held = quality.get(HELD_OUT, {})
    parts = [
        f"Measured by `newsfacts quality` on {held.get('n_articles', '–')} annotated articles "
        "that no rule was written on, each extracted by an event model trained without it "
        f"({held.get('folds', '–')}-fold cross-validation over "
        f"{held.get('annotated_articles', '–')} annotated articles), and on MEANTIME and GUM, "
        f"gold written by others (names and figures only: read recall). `{AGREEMENT}` scores "
        "two independent annotations of the same articles against each other: the ceiling to "
        "aim at. Every event row has a `confidence`; keep rows above a threshold to trade "
        "recall for precision:", "", markdown(dict(quality)), ""]
    pr = quality.get("confidence", {}).get("precision_recall") or []
    if pr:
        parts += ["| confidence ≥ | rows kept | precision | share of right rows kept |",
                  "|---:|---:|---:|---:|"]
        parts += [f"| {r['threshold']:.1f} | {r['rows']} | {_fmt(r['precision'])} | "
                  f"{_fmt(r['recall_of_right_rows'])} |" for r in pr]
    if chart:
        parts += ["", f"![{CHARTS['precision_recall']}]({chart})"]
    return "\n".join(parts)


def write_pr_chart(quality: Mapping[str, Any] | None, out: Path) -> str | None:
    """Precision against recall of event rows kept above each confidence threshold (held-out
    rows), as a PNG without metadata; None when no figures were recorded."""
    pr = (quality or {}).get("confidence", {}).get("precision_recall") or []
    points = [r for r in pr if r["precision"] is not None]
    if not points:
        return None
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6, 4.5), layout="constrained")
    ax = fig.subplots()
    ax.plot([r["recall_of_right_rows"] for r in points], [r["precision"] for r in points],
            marker="o")
    for r in points:
        ax.annotate(f"{r['threshold']:.1f}", (r["recall_of_right_rows"], r["precision"]),
                    fontsize="small", xytext=(4, 4), textcoords="offset points")
    ax.set_xlabel("share of right rows kept")
    ax.set_ylabel("precision (rows fully right)")
    ax.set_xlim(0, 1.05)
    ax.set_ylim(0, 1.05)
    ax.set_title(CHARTS["precision_recall"])
    out.mkdir(parents=True, exist_ok=True)
    path = out / "precision_recall.png"
    fig.savefig(path, dpi=100, metadata={"Software": None})
    return path.relative_to(out.parent).as_posix()


def bibtex(version: str, repo_id: str, year: int) -> str:
    """BibTeX entry of one release."""
    return "\n".join([
        f"@misc{{newsfacts_{version.replace('.', '_')},",
        "  title = {newsfacts: actors, events and figures from news, traceable to the text},",
        "  author = {{newsfacts maintainers}},",
        f"  year = {{{year}}},",
        f"  version = {{{version}}},",
        f"  howpublished = {{\\url{{https://huggingface.co/datasets/{repo_id}}}}}",
        "}",
    ])


def render_card(*, version: str, repo_id: str, files: Mapping[str, Mapping[str, SplitFile]],
                sources: list[dict[str, Any]],
                charts: Mapping[str, str], quality: Mapping[str, Any] | None,
                changes: str, released: dt.date) -> str:
    """The whole `README.md`: YAML header, then prose, tables and charts.

    sources: [{name, title, license, attribution, homepage, articles}] of included sources.
    """
    data = card_data(files, [s["license"] for s in sources])
    counts = {t: {s: f.rows for s, f in splits.items()} for t, splits in files.items()}
    splits = list(counts["articles"])
    split_rows = ["| table | " + " | ".join(splits) + " |", "|---|" + "---|" * len(splits)]
    for t in TABLES:
        if not has_split(t):
            split_rows.append(f"| {t} | {counts[t][UNSPLIT]} (corpus-wide) |"
                              + " |" * (len(splits) - 1))
        else:
            split_rows.append(f"| {t} | " + " | ".join(
                str(counts[t].get(s, "0 (not declared)")) for s in splits) + " |")
    src_rows = ["| source | articles | licence | attribution |", "|---|---|---|---|"]
    src_rows += [f"| {_cell(s['title'])} (`{s['name']}`) | {s['articles']} | {s['license']} | "
                 f"{_cell(s.get('attribution') or 'none stated')}"
                 + (f" ({s['homepage']})" if s.get("homepage") else "") + " |" for s in sources]
    chart_md = "\n\n".join(f"![{CHARTS[k]}]({p})" for k, p in charts.items()
                             if k != "precision_recall")  # shown with the quality figures
    cite = bibtex(version, repo_id, released.year)
    body = f"""
# newsfacts {version}

News articles turned into five linked tables — **articles, actors, mentions, events (PLOVER)
and figures** — where every mention, event and figure carries the character offsets of the text
that supports it, so each row can be checked against its article.

Version **{version}**, released {released.isoformat()}. The Python package `newsfacts=={version}`
on PyPI bundles exactly the same tables; the Git tag `v{version}` marks this release here and in
the code repository.

## Loading

```python
from datasets import load_dataset

events = load_dataset("{repo_id}", "events", revision="v{version}")  # train / validation / test
actors = load_dataset("{repo_id}", "actors", revision="v{version}")["{UNSPLIT}"]
```

or, without `datasets`: `pip install newsfacts=={version}` then
`newsfacts.load("events", split="train")`.

One config per table. Splits come from `articles.split`, which is derived from `article_id`
alone, so an article keeps its split across releases; mentions, events and figures follow
their article. `actors` is corpus-wide (an actor can be named in several splits) and is
published as a single `{UNSPLIT}` split, the Hub's name for unsplit data. A table with no row
in a split does not declare that split (`datasets` cannot load an empty split).

{chr(10).join(split_rows)}

## Sources and licence

{chr(10).join(src_rows)}

Each article keeps its source's licence in `articles.license`; derived rows (mentions, events,
figures) follow the licence of their article. Reuse an article under that licence, credit it as
its source's attribution says and link the article (`articles.url`): Wikinews-derived text
requires attributing Wikinews contributors; `LicenseRef-PublicDomain-USGov` marks US-government
works in the public domain (Voice of America asks for credit to voanews.com / VOA).

## Quality

{quality_section(quality, charts.get("precision_recall"))}

## Charts

{chart_md}

## Changes in this release

{changes}

## Fields

{field_docs()}

## Citation

```bibtex
{cite}
```
"""
    return f"---\n{data.to_yaml()}\n---\n{body}"
