"""The release's artifacts against their real consumers: `datasets.load_dataset` (offline, from
the HF folder), `frictionless validate` (CSV zip), `mlcroissant` (croissant.json), and the
wheel/sdist pair (the sdist rebuilds the same wheel)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import release_repo as rr
from release_repo import no_network  # noqa: F401  (autouse)

from newsfacts.release import hf
from newsfacts.release.card import card_mismatches
from newsfacts.schema import TABLES, hf_features, primary_key

VERSION = "1.0.0"


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    repo, result = rr.first_release(tmp_path_factory)
    return repo / "dist", result


@pytest.fixture(scope="module")
def tables(release, tmp_path_factory) -> Path:
    """The released tables as bundled in the wheel (the reference for every other artifact)."""
    dist, _ = release
    out = tmp_path_factory.mktemp("wheel-data")
    with zipfile.ZipFile(dist / f"newsfacts-{VERSION}-py3-none-any.whl") as z:
        for name in z.namelist():
            if name.startswith("newsfacts/data/"):
                (out / Path(name).name).write_bytes(z.read(name))
    return out


def test_wheel_bundles_tables_and_schemas(release, tables):
    dist, result = release
    with zipfile.ZipFile(dist / f"newsfacts-{VERSION}-py3-none-any.whl") as z:
        names = set(z.namelist())
    for t in TABLES:
        assert f"newsfacts/data/{t}.parquet" in names
        assert f"newsfacts/schema/{t}.json" in names
        assert pq.read_metadata(tables / f"{t}.parquet").num_rows == result.rows[t]
    descriptor = json.loads((tables / "datapackage.json").read_text())
    for res in descriptor["resources"]:
        from newsfacts.build.write import file_hash

        assert res["parquet"]["hash"] == file_hash(tables / f"{res['name']}.parquet")


def test_sdist_rebuilds_the_same_wheel(release, tmp_path):
    dist, _ = release
    with tarfile.open(dist / f"newsfacts-{VERSION}.tar.gz") as tar:
        tar.extractall(tmp_path, filter="data")
    src = tmp_path / f"newsfacts-{VERSION}"
    assert (src / "CHANGELOG.md").is_file()
    assert (src / "src" / "newsfacts" / "data" / "articles.parquet").is_file()
    with rr.offline_build():
        rr.run("uv", "build", "--wheel", "--out-dir", tmp_path / "out", src,
               env={**os.environ, "SOURCE_DATE_EPOCH": "315532800"})
    rebuilt = tmp_path / "out" / f"newsfacts-{VERSION}-py3-none-any.whl"
    with zipfile.ZipFile(rebuilt) as a, zipfile.ZipFile(
            dist / f"newsfacts-{VERSION}-py3-none-any.whl") as b:
        assert sorted(a.namelist()) == sorted(b.namelist())
        for name in a.namelist():
            if not name.endswith("RECORD"):
                assert a.read(name) == b.read(name), name


def test_csv_zip_passes_frictionless_validate(release, tmp_path):
    dist, _ = release
    with zipfile.ZipFile(dist / f"newsfacts-{VERSION}-csv.zip") as z:
        assert sorted(z.namelist()) == sorted(
            [f"newsfacts-{VERSION}-csv/datapackage.json"]
            + [f"newsfacts-{VERSION}-csv/{t}.csv" for t in TABLES])
        z.extractall(tmp_path)
    folder = tmp_path / f"newsfacts-{VERSION}-csv"
    exe = Path(sys.executable).with_name("frictionless")
    proc = subprocess.run([str(exe), "validate", "datapackage.json"], cwd=folder,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    # And it notices a broken file: the descriptor's hashes and types are really checked.
    with open(folder / "figures.csv", "a", encoding="utf-8") as f:
        f.write("broken\n")
    proc = subprocess.run([str(exe), "validate", "datapackage.json"], cwd=folder,
                          capture_output=True, text=True)
    assert proc.returncode != 0


def test_card_matches_parquet_and_schema(release):
    dist, _ = release
    assert card_mismatches(dist / "hf") == []


def test_card_check_catches_a_parquet_that_would_load_as_nulls(release, tmp_path):
    """A renamed column loads silently as nulls on the Hub; the check must refuse it."""
    folder = tmp_path / "hf"
    shutil.copytree(release[0] / "hf", folder)
    path = folder / hf.data_path("events", "train")
    table = pq.read_table(path)
    pq.write_table(table.rename_columns(
        ["event_kind" if c == "event_type" else c for c in table.column_names]), path)
    problems = card_mismatches(folder)
    assert any("events/train: columns" in p for p in problems), problems


def test_load_dataset_offline_returns_rows_and_declared_types(release, tables, tmp_path):
    import datasets

    expected = hf.split_tables(tables)
    for t in TABLES:
        loaded = datasets.load_dataset(str(release[0] / "hf"), t, cache_dir=str(tmp_path / t))
        assert list(loaded) == list(expected[t]), t
        for split, want in expected[t].items():
            ds = loaded[split]
            assert ds.features == hf_features(t), (t, split)
            got = ds.with_format("arrow")[:]
            assert got.num_rows == want.num_rows
            assert got.to_pylist() == want.to_pylist(), (t, split)
            assert got.column("split" if t == "articles" else primary_key(t)[0]).null_count == 0
    # The splits follow articles.split: all three are present in the sample.
    assert list(expected["articles"]) == ["train", "validation", "test"]


def test_to_datasets_equals_the_folder(tables):
    dd = hf.to_datasets(tables)
    expected = hf.split_tables(tables)
    for t in TABLES:
        assert list(dd[t]) == list(expected[t])
        for split, want in expected[t].items():
            assert dd[t][split].features == hf_features(t)
            assert dd[t][split].with_format("arrow")[:].to_pylist() == want.to_pylist()


def test_croissant_validates_and_loads_every_table(release, tables):
    import mlcroissant as mlc

    path = release[0] / "hf" / "croissant.json"
    ds = mlc.Dataset(jsonld=str(path))  # raises ValidationError on any error
    assert ds.metadata.version == VERSION
    for t in TABLES:
        records = list(ds.records(record_set=t))
        want = pq.read_table(tables / f"{t}.parquet")
        assert len(records) == want.num_rows, t
        key = primary_key(t)[0]
        got_keys = sorted(r[f"{t}/{key}"].decode() for r in records)
        assert got_keys == sorted(want.column(key).to_pylist()), t
        if t == "actors":
            first = next(r for r in records if r["actors/aliases"])
            assert isinstance(first["actors/aliases"], list)


def test_hf_parquet_types_are_the_schema_arrow_types(release):
    from newsfacts.schema import arrow_schema

    for t in TABLES:
        for path in sorted((release[0] / "hf" / "data" / t).glob("*.parquet")):
            got = pq.read_schema(path)
            want = arrow_schema(t)
            assert got.names == want.names
            assert all(got.field(n).type.equals(want.field(n).type) for n in want.names)
