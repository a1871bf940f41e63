"""newsfacts: news articles as validated tables of actors, mentions, events and figures.

    >>> import newsfacts
    >>> events = newsfacts.load("events", split="train")

Only pandas and pyarrow are imported here; building, validating and publishing live behind
the `build` and `publish` extras.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _dist_version
from typing import TYPE_CHECKING

from newsfacts.load import load, tables

if TYPE_CHECKING:
    from pathlib import Path

try:
    version: str = _dist_version("newsfacts")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    version = "0.0.0"
__version__ = version


def validate(directory: Path | str | None = None):
    """Validate a built dataset folder with pandera and Frictionless (needs `newsfacts[build]`)."""
    from newsfacts.build.validate import validate_dir

    return validate_dir(directory)


def extract(records, *, jobs: int = 1, **options):
    """Articles in memory (a list of dicts or a DataFrame with `url`, `date`, `title`, `text`)
    to the five tables plus `rejects`, built exactly as `newsfacts build` builds a source
    (needs `newsfacts[build]`; see `newsfacts.api.extract` for the options)."""
    from newsfacts.api import extract as _extract

    return _extract(records, jobs=jobs, **options)


def to_datasets(directory: Path | str | None = None):
    """All tables as a `datasets.DatasetDict` per table (needs the `datasets` package)."""
    from newsfacts.release.hf import to_datasets as _to_datasets

    return _to_datasets(directory)


__all__ = ["load", "tables", "validate", "extract", "to_datasets", "version"]
