"""Validation at scale: vectorised cross-table checks and chunked, parallel Frictionless find
exactly the failures a row-by-row pass finds, at the same rows."""

from __future__ import annotations

import csv
import importlib
import io
import shutil
from pathlib import Path

import pytest

from newsfacts.build.synth import write_synthetic_tables
from newsfacts.load import read_table
from newsfacts.schema import TABLES

validate = importlib.import_module("newsfacts.build.validate")


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("tables") / "data"
    # 20 actors: article texts would repeat every 20 rows unless the generator keeps them unique
    rows = write_synthetic_tables(out, n_events=3000, events_per_article=100, n_actors=20)
    assert rows["events"] == 3000 and rows["articles"] == 30
    return out


def _key(failures):
    return sorted((f.table, f.row or 0, f.field or "", f.check, f.message) for f in failures)


def test_synthetic_package_is_valid_both_ways(package):
    frames = {t: read_table(t, package) for t in TABLES}
    assert validate.pandera_failures(frames) == []
    descriptor = package / "datapackage.json"
    assert validate.frictionless_failures(descriptor, jobs=2, chunk_rows=500) == []


def _edit_csv(path: Path, edits: dict[int, dict[str, str]]) -> None:
    """Change cells of data rows (1-based) of a CSV without quoted newlines."""
    lines = path.read_text(encoding="utf-8").split("\n")
    header = next(csv.reader([lines[0]]))
    for row, cells in edits.items():
        values = next(csv.reader([lines[row]]))
        for name, value in cells.items():
            values[header.index(name)] = value
        buf = io.StringIO()
        csv.writer(buf, lineterminator="").writerow(values)
        lines[row] = buf.getvalue()
    path.write_text("\n".join(lines), encoding="utf-8")


def test_chunked_frictionless_reports_what_whole_frictionless_reports(package, tmp_path):
    broken = tmp_path / "data"
    shutil.copytree(package, broken)
    events = read_table("events", package)
    _edit_csv(broken / "events.csv", {
        10: {"trigger_start": "x"},                              # type error, first chunk
        1800: {"source_mention_id": "ffffffffffffffff-m9999"},   # foreign key, second chunk
        2500: {"event_id": events["event_id"][2]},               # duplicate across chunks
        2501: {"event_id": events["event_id"][2498]},            # duplicate inside a chunk
        2900: {"modality": "perhaps"},                           # enum constraint
    })
    descriptor = broken / "datapackage.json"
    whole = validate._frictionless_whole(descriptor)
    chunked = validate.frictionless_failures(descriptor, jobs=2, chunk_rows=500)
    assert {f.check for f in whole} >= {"type-error", "foreign-key", "primary-key",
                                        "constraint-error", "hash-count", "byte-count"}
    assert {(f.table, f.row) for f in whole if f.row} == {
        ("events", 10), ("events", 1800), ("events", 2500), ("events", 2501), ("events", 2900),
        ("figures", 26)}  # row 2501 was the event figure 26 points to
    assert _key(chunked) == _key(whole)
    frames = {t: read_table(t, package) for t in TABLES}  # parquet untouched: pandera passes
    assert validate.pandera_failures(frames) == []
    assert _key(validate.validate_all(broken, jobs=2)) == _key(whole)


def test_vectorised_checks_find_each_planted_error_at_its_row(package):
    frames = {t: read_table(t, package) for t in TABLES}
    m, ev, fig = frames["mentions"], frames["events"], frames["figures"]
    arts, actors = frames["articles"], frames["actors"]
    m.loc[4, "text"] = "Actor 9999"                      # offset_slice
    fig.loc[6, "figure_id"] = f"{arts.loc[0, 'article_id']}-f0002"  # id_article
    ev.loc[7, "sentence_end"] = ev.loc[7, "trigger_end"] - 1   # trigger_in_sentence
    ev.loc[8, "date_start"] = ev.loc[8, "date_end"]            # offset_range (date)
    ev.loc[10, "event_date"] = None                            # date_precision rule
    ev.loc[11, "source_actor_id"] = "nobody"                   # foreign_key
    fig.loc[3, "value_high"] = -1.0                            # range
    actors.loc[2, "n_mentions"] += 1                           # registry_count
    arts.loc[1, "n_chars"] += 1                                # text_length
    arts.loc[1, "split"] = "test" if arts.loc[1, "split"] != "test" else "train"  # split_rule
    found = {(f.table, f.row, f.field, f.check) for f in validate.pandera_failures(frames)
             if f.check not in ("greater_than_or_equal_to",)}
    assert found == {
        ("mentions", 5, "text", "offset_slice"),
        ("figures", 7, "figure_id", "id_article"),
        ("events", 8, "trigger_start", "trigger_in_sentence"),
        ("events", 9, "date_start", "offset_range"),
        ("events", 11, "event_date", "date_precision"),
        ("events", 12, "source_actor_id", "foreign_key"),
        ("figures", 4, "value_high", "range"),
        ("actors", 3, "n_mentions", "registry_count"),
        ("articles", 2, "n_chars", "text_length"),
        ("articles", 2, "split", "split_rule"),
    }


def test_broken_package_is_reported_like_whole_frictionless(package, tmp_path):
    import json

    broken = tmp_path / "data"
    shutil.copytree(package, broken)
    descriptor = json.loads((broken / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"][3]["name"] = "Bad Name!"  # figures' foreign key cannot resolve
    (broken / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    whole = validate._frictionless_whole(broken / "datapackage.json")
    assert {f.check for f in whole} == {"resource-error"}
    parallel = validate.frictionless_failures(broken / "datapackage.json", jobs=2)
    assert _key(parallel) == _key(whole)


def test_started_workers_validate_like_fresh_ones_and_close_stops_unused(package, tmp_path):
    """Workers started before the tables exist (as a build starts them) report what workers
    started afterwards report; workers a failed build never used are stopped by close()."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    early = validate.ValidationWorkers(2)
    broken = tmp_path / "broken"
    shutil.copytree(package, broken)
    _edit_csv(broken / "events.csv", {3: {"trigger_start": "-1"}})  # what Frictionless reads
    events = pq.read_table(broken / "events.parquet")  # what pandera reads
    i = events.schema.get_field_index("trigger_start")
    starts = events.column(i).to_pylist()
    starts[2] = -1
    pq.write_table(events.set_column(i, events.schema.field(i),
                                     pa.array(starts, events.schema.field(i).type)),
                   broken / "events.parquet")
    found = validate.validate_all(broken, workers=early)
    early.close()
    assert found and _key(found) == _key(validate.validate_all(broken, jobs=2))
    assert {f.validator for f in found} == {"pandera", "frictionless"}

    unused = validate.ValidationWorkers(2)
    unused.close()
    assert all(p.returncode is not None for p in unused.procs)
