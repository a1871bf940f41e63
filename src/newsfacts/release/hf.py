"""Hugging Face layout of a built dataset: `data/<table>/<split>.parquet`, one config per table.

Rows of mentions, events and figures follow their article's `articles.split`; `actors` is
corpus-wide (an actor can be named in several splits), so it is one split, named `train` as the
Hub names unsplit data. The same split rule feeds `to_datasets()` and the published folder, so
what `datasets.load_dataset` returns from the Hub equals what `newsfacts.to_datasets()` gives.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from newsfacts.schema import TABLES, arrow_schema, has_split
from newsfacts.schema import splits as schema_splits

SPLITS: tuple[str, ...] = schema_splits()  # from the enum of articles.split
UNSPLIT = "train"
"""Split name of the corpus-wide `actors` table (the Hub's name for data without splits)."""


def read_arrow(table: str, directory: Path) -> pa.Table:
    """`<directory>/<table>.parquet` cast to the schema's Arrow types (field order included)."""
    return pq.read_table(Path(directory) / f"{table}.parquet").cast(arrow_schema(table))


def split_tables(directory: Path) -> dict[str, dict[str, pa.Table]]:
    """{table: {split: rows}}, splits in train/validation/test order, empty ones left out.

    A table can have no row in a split (no event in a small validation split). `datasets`
    cannot load an empty split (a zero-row Parquet file fails with "BatchSize must be greater
    than 0", one without row groups with "Instruction ... corresponds to no data"), so such a
    split is not declared for that table.
    """
    articles = read_arrow("articles", directory)
    present = [s for s in SPLITS if pc.any(pc.equal(articles["split"], s)).as_py()]
    ids = {s: articles.filter(pc.equal(articles["split"], s))["article_id"] for s in present}
    out: dict[str, dict[str, pa.Table]] = {}
    for table in TABLES:
        rows = articles if table == "articles" else read_arrow(table, directory)
        if not has_split(table):
            out[table] = {UNSPLIT: rows}
        else:
            parts = {s: rows.filter(pc.is_in(rows["article_id"], value_set=ids[s]))
                     for s in present}
            out[table] = {s: part for s, part in parts.items() if part.num_rows}
    return out


@dataclass(frozen=True)
class SplitFile:
    """One written split file: rows, Arrow bytes (the Hub's `num_bytes`) and Parquet bytes."""

    rows: int
    num_bytes: int
    file_bytes: int


def data_path(table: str, split: str) -> str:
    """Path of one split file inside the Hugging Face folder (posix, relative)."""
    return f"data/{table}/{split}.parquet"


def write_hf_data(directory: Path, out: Path) -> dict[str, dict[str, SplitFile]]:
    """Write `out/data/<table>/<split>.parquet` from a built folder; say what was written.

    Files are zstd Parquet with the schema's Arrow types and no pandas metadata, so the bytes
    depend only on the rows.
    """
    written: dict[str, dict[str, SplitFile]] = {}
    for table, splits in split_tables(directory).items():
        written[table] = {}
        for split, rows in splits.items():
            path = Path(out) / data_path(table, split)
            path.parent.mkdir(parents=True, exist_ok=True)
            pq.write_table(rows, path, compression="zstd", write_statistics=True)
            written[table][split] = SplitFile(rows.num_rows, rows.nbytes, path.stat().st_size)
    return written


def release_folder_problems(folder: Path, version: str) -> list[str]:
    """Why `folder` must not be published as `version` (empty: it may).

    The card and croissant.json name the version they were made for (the card's
    `load_dataset(..., revision=...)` lines, croissant's `version`); publishing them as another
    version would ship instructions that point to another release. The repository they name is
    rewritten at publish time (`retarget`).
    """
    import json

    meta = Path(folder) / "croissant.json"
    if not meta.is_file():
        return [f"{folder} is not a release folder (no croissant.json); run newsfacts release"]
    doc = json.loads(meta.read_text("utf-8"))
    if doc.get("version") != version:
        return [f"{folder} holds release {doc.get('version')}, not {version}"]
    return []


HUB_DATASETS = "https://huggingface.co/datasets/"
RETARGETED = ("README.md", "croissant.json")
"""The files of a release folder that name its dataset repository."""


def made_for(folder: Path) -> str:
    """The dataset repository `ORG/NAME` a release folder names (croissant.json's `url`)."""
    import json

    doc = json.loads((Path(folder) / "croissant.json").read_text("utf-8"))
    return str(doc.get("url", "")).removeprefix(HUB_DATASETS)


def retarget(folder: Path, repo_id: str, into: Path) -> Path:
    """A copy of the release folder at `into` whose card and croissant.json name `repo_id`.

    The release names release.toml's `hf_repo_id` in the card's `load_dataset("ORG/NAME", ...)`
    lines and in the Hub URL of the BibTeX entry and of croissant.json; those references are
    rewritten, nothing else changes (the Parquet files are copied as they are).
    """
    import shutil

    from newsfacts.errors import NewsfactsError

    old = made_for(folder)
    shutil.copytree(folder, into)
    if old == repo_id:
        return into
    for name in RETARGETED:
        path = into / name
        text = path.read_text("utf-8")
        text = text.replace(HUB_DATASETS + old, HUB_DATASETS + repo_id)
        text = text.replace(f'"{old}"', f'"{repo_id}"')
        if old in text:
            raise NewsfactsError(f"{folder / name} names {old} where newsfacts does not know how "
                                 f"to rewrite it for {repo_id}; release with hf_repo_id = "
                                 f"{repo_id!r} in release.toml instead")
        path.write_text(text, encoding="utf-8")
    return into


def to_datasets(directory: Path | str | None = None):
    """Every table as a `datasets.DatasetDict` of its splits: `{table: DatasetDict}`.

    Features are the schema's (`newsfacts.schema.hf_features`), the same ones the dataset card
    declares, so `to_datasets()["events"]["test"]` equals
    `load_dataset(<repo>, "events", split="test")`.
    """
    from datasets import Dataset, DatasetDict

    from newsfacts.load import data_dir
    from newsfacts.schema import hf_features

    directory = Path(directory) if directory else data_dir()
    return {
        table: DatasetDict({
            split: Dataset.from_dict(rows.to_pydict(), features=hf_features(table), split=split)
            for split, rows in splits.items()
        })
        for table, splits in split_tables(directory).items()
    }
