"""The user-facing load API: typed frames, splits, and a light import."""

import datetime as dt
import subprocess
import sys

import pandas as pd
import pytest

import newsfacts
import newsfacts.schema


def test_load_returns_schema_types(seed_build):
    events = newsfacts.load("events", directory=seed_build)
    assert list(events.columns) == newsfacts.schema.columns("events")
    dates = events["event_date"].dropna()
    assert all(isinstance(d, dt.date) for d in dates)
    assert str(events["date_start"].dtype) == "Int64"
    actors = newsfacts.load("actors", directory=seed_build)
    aliases = actors["aliases"]
    assert all(isinstance(a, list) and all(isinstance(x, str) for x in a) for a in aliases)
    assert isinstance(actors["first_date"].iloc[0], dt.date)


def test_load_by_split_partitions_rows(wikinews_build):
    mentions = newsfacts.load("mentions", directory=wikinews_build)
    parts = [newsfacts.load("mentions", split=s, directory=wikinews_build)
             for s in ("train", "validation", "test")]
    assert sum(len(p) for p in parts) == len(mentions)
    assert all(len(p) for p in parts)
    merged = pd.concat(parts).sort_values("mention_id").reset_index(drop=True)
    pd.testing.assert_frame_equal(merged, mentions.sort_values("mention_id").reset_index(drop=True))


def test_load_validates_on_request(seed_build):
    df = newsfacts.load("figures", directory=seed_build, validate=True)
    assert len(df) > 0


def test_load_rejects_unknown_names(seed_build):
    with pytest.raises(KeyError, match="unknown table"):
        newsfacts.load("tweets", directory=seed_build)
    with pytest.raises(ValueError, match="split"):
        newsfacts.load("events", split="dev", directory=seed_build)


def test_import_needs_only_pandas_and_pyarrow():
    code = ("import sys, newsfacts; newsfacts.load; heavy = {'spacy','pandera','frictionless',"
            "'datasets','huggingface_hub','typer','rich','dask'} & {m.split('.')[0] for m in "
            "sys.modules}; print(sorted(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
