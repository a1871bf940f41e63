"""End-to-end builds: five tables, validated twice, deterministic, never half-written."""

import csv
import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsfacts.build.engine import LocalEngine
from newsfacts.build.pipeline import BuildError, build
from newsfacts.build.validate import frictionless_failures, pandera_failures, validate_dir
from newsfacts.build.write import TableWriter, file_hash
from newsfacts.load import read_table
from newsfacts.schema import TABLES

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / "dataset" / "raw" / "seed"


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.mark.parametrize("fixture", ["seed_build", "wikinews_build"])
def test_build_fills_all_five_tables_and_both_validators_pass(request, fixture):
    out = request.getfixturevalue(fixture)
    for table in TABLES:
        assert (out / f"{table}.csv").is_file() and (out / f"{table}.parquet").is_file()
        assert len(read_table(table, out)) > 0, f"{table} is empty"
    assert validate_dir(out) == []


def test_wikinews_build_accounts_for_every_record(wikinews_build):
    dp = json.loads((wikinews_build / "datapackage.json").read_text())
    info = dp["newsfacts"]
    assert info["articles_read"] == {"seed": 1, "wikinews": 295}
    with open(wikinews_build / "rejects.csv", newline="", encoding="utf-8") as f:
        rejects = list(csv.DictReader(f))
    assert len(rejects) == sum(info["articles_rejected"].values()) == 2
    assert {r["reason_code"] for r in rejects} == {"test-page"}  # the two "TEST PAGE" rows
    assert len(read_table("articles", wikinews_build)) == 296 - 2
    assert {r["name"] for r in dp["resources"]} == set(TABLES)
    assert {lic["name"] for lic in dp["licenses"]} == {"CC-BY-2.5", "NOASSERTION"}


def test_datapackage_records_hashes_rows_and_versions(seed_build):
    dp = json.loads((seed_build / "datapackage.json").read_text())
    for res in dp["resources"]:
        csv_path = seed_build / res["path"]
        assert res["hash"] == file_hash(csv_path)
        assert res["bytes"] == csv_path.stat().st_size
        assert res["rows"] == len(read_table(res["name"], seed_build))
    for key in ("extractor_version", "model", "model_version", "spacy_version", "vocab_sha256"):
        assert dp["newsfacts"][key]
    assert "created" not in dp  # no clock unless SOURCE_DATE_EPOCH says so


def test_two_builds_give_identical_bytes(seed_build, tmp_path):
    again = tmp_path / "again"
    build([SEED], again)
    assert digest(again) == digest(seed_build)


def test_a_small_build_validates_in_its_own_process(seed_build, tmp_path, monkeypatch):
    """Validation workers cost ~5 s of imports, more than validating a few articles' rows: a
    build under `IN_PROCESS_ARTICLES` never starts them, even with CPUs to spare. (A stand-in
    class observes that no worker pool is made; the validation itself is real.)"""
    import os

    import newsfacts.build.validate as validate_module
    from newsfacts.build.pipeline import IN_PROCESS_ARTICLES

    class NoWorkers:
        def __init__(self, *args, **kwargs):
            raise AssertionError("a small build started validation worker processes")

    monkeypatch.setattr(validate_module, "ValidationWorkers", NoWorkers)
    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    assert IN_PROCESS_ARTICLES > 1
    build([SEED], tmp_path / "data")
    assert digest(tmp_path / "data") == digest(seed_build)


def test_offsets_slice_the_article_text(wikinews_build):
    texts = read_table("articles", wikinews_build).set_index("article_id")["text"]
    for table, (s, e, col) in {"mentions": ("start", "end", "text"),
                               "figures": ("start", "end", "text"),
                               "events": ("trigger_start", "trigger_end", "trigger")}.items():
        df = read_table(table, wikinews_build)
        for aid, start, end, value in zip(df["article_id"], df[s], df[e], df[col], strict=True):
            assert texts[aid][start:end] == value


def test_repository_datapackage_is_valid_for_frictionless_cli():
    """`frictionless validate datapackage.json` at the repository root, as a data user runs it."""
    frictionless = Path(sys.executable).parent / "frictionless"
    run = subprocess.run([str(frictionless), "validate", "datapackage.json"], cwd=REPO,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]


# --- planted faults: both validators must catch them -------------------------------------


def replant(folder: Path, table: str, df) -> None:
    """Rewrite one table's CSV and Parquet from `df` and refresh its hash in datapackage.json,
    so validators see the planted fault itself rather than a hash mismatch."""
    writer = TableWriter(folder, table)
    writer.write(df.astype(object).where(df.notna(), None).to_dict("records"))
    writer.close()
    dp_path = folder / "datapackage.json"
    dp = json.loads(dp_path.read_text())
    for res in dp["resources"]:
        if res["name"] == table:
            res["hash"] = file_hash(folder / f"{table}.csv")
            res["bytes"] = (folder / f"{table}.csv").stat().st_size
    dp_path.write_text(json.dumps(dp, indent=2))


@pytest.fixture
def corrupt(seed_build, tmp_path):
    folder = tmp_path / "data"  # a copy of a build both validators passed (or it would not exist)
    shutil.copytree(seed_build, folder)
    return folder


def _frames(folder):
    return {t: read_table(t, folder) for t in TABLES}


def test_planted_bad_offset_is_caught_by_pandera(corrupt):
    df = read_table("mentions", corrupt)
    df.loc[0, "end"] = df.loc[0, "end"] + 1
    replant(corrupt, "mentions", df)
    checks = {(f.table, f.row, f.check) for f in pandera_failures(_frames(corrupt))}
    assert ("mentions", 1, "offset_slice") in checks
    # Frictionless cannot express "equals a slice of another table's text"; it sees valid ints.


def test_planted_dangling_foreign_key_is_caught_by_both(corrupt):
    df = read_table("mentions", corrupt)
    df.loc[2, "actor_id"] = "no-such-actor"
    replant(corrupt, "mentions", df)
    assert ("mentions", 3, "actor_id", "foreign_key") in {
        (f.table, f.row, f.field, f.check) for f in pandera_failures(_frames(corrupt))}
    fric = frictionless_failures(corrupt / "datapackage.json")
    assert any(f.table == "mentions" and f.check == "foreign-key" for f in fric), fric


def test_planted_unknown_enum_is_caught_by_both(corrupt):
    df = read_table("events", corrupt)
    df.loc[0, "event_type"] = "PARTY"
    replant(corrupt, "events", df)
    assert any(f.table == "events" and f.field == "event_type" and f.check == "isin"
               for f in pandera_failures(_frames(corrupt)))
    fric = frictionless_failures(corrupt / "datapackage.json")
    assert any(f.table == "events" and f.field == "event_type" and f.check == "constraint-error"
               for f in fric), fric


def test_validate_cli_lists_failures_and_exits_non_zero(corrupt):
    df = read_table("figures", corrupt)
    df.loc[0, "kind"] = "vibes"
    replant(corrupt, "figures", df)
    from newsfacts.cli import app  # in process: test_docs runs `newsfacts validate` as one

    run = CliRunner().invoke(app, ["validate", str(corrupt)])
    assert run.exit_code == 1
    assert "figures row 1 field kind" in run.stderr


# --- failures leave the previous output untouched --------------------------------------


def test_invalid_build_leaves_previous_output_untouched(seed_build, tmp_path):
    out = tmp_path / "data"
    shutil.copytree(seed_build, out)
    before = digest(out)

    def broken_extractor(articles, model):
        for ex in LocalEngine()(articles, model):
            ex.mentions[0]["end"] += 1  # offsets no longer slice the text
            yield ex

    with pytest.raises(BuildError) as info:
        build([SEED], out, extractor=broken_extractor)
    assert any(f.check == "offset_slice" for f in info.value.failures)
    assert digest(out) == before
    leftovers = [p.name for p in tmp_path.iterdir() if ".tmp-" in p.name or ".old-" in p.name]
    assert leftovers == []  # the temp folder was removed


def test_concurrent_build_into_same_folder_is_refused(tmp_path):
    from newsfacts.build.pipeline import output_lock

    out = tmp_path / "data"
    with output_lock(out), pytest.raises(BuildError, match="another build"):
        build([SEED], out)
