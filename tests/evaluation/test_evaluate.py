"""Tests for the scorer: gold scored against itself is perfect; planted errors cost exactly."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from newsfacts.evaluation.evaluate import (
    EvaluationError,
    GoldArticle,
    GoldFormatError,
    evaluate,
    gold_to_tables,
    load_gold,
    match_spans,
    read_tables,
    score,
)
from newsfacts.evaluation.report import render, write_report

ZHU = "2df602a14f8599a8"  # dev: 17 mentions, 12 events, 5 figures
APPLE = "00eda5324f90a4e1"  # meantime: scope [0, 548) of 1759 chars; mention 57-62, figure 443


def _corpus(shared_dir: Path, name: str) -> list[GoldArticle]:
    """All gold articles of one corpus folder, skipping when it is absent."""
    path = shared_dir / "gold" / name
    if not path.is_dir():
        pytest.skip(f"{path} not found")
    return load_gold(path)


@pytest.fixture(scope="module")
def dev(shared_dir: Path) -> list[GoldArticle]:
    return _corpus(shared_dir, "dev")


@pytest.fixture(scope="module")
def meantime(shared_dir: Path) -> list[GoldArticle]:
    return _corpus(shared_dir, "meantime")


@pytest.fixture(scope="module")
def gum(shared_dir: Path) -> list[GoldArticle]:
    return _corpus(shared_dir, "gum")


def _one(gold: list[GoldArticle], article_id: str) -> GoldArticle:
    return next(g for g in gold if g.article_id == article_id)


def _ratios(node: Any, path: str = "") -> dict[str, Any]:
    """Every precision/recall/f1/accuracy value in a report, by its key path."""
    out: dict[str, Any] = {}
    if isinstance(node, dict):
        for k, v in node.items():
            if k in ("precision", "recall", "f1", "accuracy"):
                out[f"{path}.{k}"] = v
            else:
                out.update(_ratios(v, f"{path}.{k}"))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out.update(_ratios(v, f"{path}[{i}]"))
    return out


def _add_row(df: pd.DataFrame, **row: Any) -> pd.DataFrame:
    return pd.concat([df, pd.DataFrame([row])], ignore_index=True)


# --------------------------------------------------------------------------- identity


def test_dev_gold_against_itself_is_perfect(dev: list[GoldArticle]) -> None:
    report = score(dev, gold_to_tables(dev), by_article=True)
    ratios = _ratios({k: v for k, v in report.items() if k != "summary"})
    assert ratios and all(v == 1.0 for v in ratios.values() if v is not None), ratios
    assert all(v == 1.0 for v in report["summary"].values())
    assert report["mentions"]["exact"] == {"tp": 401, "fp": 0, "fn": 0, "precision": 1.0,
                                           "recall": 1.0, "f1": 1.0}
    assert report["events"]["arguments"]["tp"] == 172
    assert report["figures"]["attributes"]["counted"]["total"] == 94
    assert len(report["articles"]) == 17
    json.dumps(report)  # JSON-able as is


def test_external_gold_against_itself_marks_unannotated_layers(
    meantime: list[GoldArticle], gum: list[GoldArticle]
) -> None:
    mt = score(meantime, gold_to_tables(meantime))
    assert mt["mentions"]["names_only"] is True
    assert mt["mentions"]["overlap"]["recall"] == 1.0
    overlap = mt["mentions"]["overlap"]
    assert overlap["precision"] is None and overlap["f1"] is None
    assert mt["mentions"]["attributes"]["sector"] is None
    assert mt["mentions"]["attributes"]["kind"]["accuracy"] == 1.0
    assert mt["events"] is None
    assert mt["figures"]["span"]["f1"] == 1.0
    assert mt["figures"]["attributes"]["counted"] is None

    gm = score(gum, gold_to_tables(gum))
    assert gm["events"] is None and gm["figures"] is None
    assert gm["summary"]["mention_recall_exact"] == 1.0


def test_evaluate_reads_parquet_build(dev: list[GoldArticle], shared_dir: Path,
                                      tmp_path: Path) -> None:
    for name, df in gold_to_tables(dev).items():
        df.to_parquet(tmp_path / f"{name}.parquet")
    report = evaluate(shared_dir / "gold" / "dev", tmp_path)
    assert report["data_dir"] == str(tmp_path)
    assert all(v == 1.0 for v in report["summary"].values())
    out = tmp_path / "report.json"
    write_report(report, out)
    assert json.loads(out.read_text())["events"]["date"]["accuracy"] == 1.0


# --------------------------------------------------------------------------- planted errors


@pytest.fixture
def zhu(dev: list[GoldArticle]) -> tuple[list[GoldArticle], dict[str, pd.DataFrame]]:
    gold = [_one(dev, ZHU)]
    return gold, gold_to_tables(gold)


def test_dropped_mention_is_one_false_negative(zhu) -> None:
    gold, t = zhu
    t["mentions"] = t["mentions"].drop(index=0)  # "lawyers", 15-22
    m = score(gold, t)["mentions"]
    assert m["exact"] == {"tp": 16, "fp": 0, "fn": 1, "precision": 1.0, "recall": 16 / 17,
                          "f1": 32 / 33}
    assert m["overlap"]["tp"] == 16 and m["overlap"]["fn"] == 1
    assert m["attributes"]["kind"] == {"correct": 16, "total": 16, "accuracy": 1.0}


def test_shifted_mention_counts_for_overlap_not_exact(zhu) -> None:
    gold, t = zhu
    t["mentions"].loc[1, "start"] = 35  # "Zhukovskyy" inside "Volodoymyr Zhukovskyy" 24-45
    m = score(gold, t)["mentions"]
    assert (m["exact"]["tp"], m["exact"]["fp"], m["exact"]["fn"]) == (16, 1, 1)
    assert (m["overlap"]["tp"], m["overlap"]["fp"], m["overlap"]["fn"]) == (17, 0, 0)


def test_wrong_actor_kind_lowers_kind_accuracy_only(zhu) -> None:
    gold, t = zhu
    t["actors"].loc[t["actors"]["actor_id"] == f"{ZHU}:ap", "kind"] = "person"  # 1 mention
    attrs = score(gold, t)["mentions"]["attributes"]
    assert attrs["kind"] == {"correct": 16, "total": 17, "accuracy": 16 / 17}
    assert attrs["sector"]["accuracy"] == 1.0 and attrs["country"]["accuracy"] == 1.0


def test_trigger_shifted_off_is_one_fp_and_one_fn(zhu) -> None:
    gold, t = zhu
    t["events"].loc[0, ["trigger_start", "trigger_end"]] = [0, 6]  # "Acting": no event there
    e = score(gold, t)["events"]
    for group in ("type_trigger", "arguments"):
        assert (e[group]["tp"], e[group]["fp"], e[group]["fn"]) == (11, 1, 1)
    assert e["modality"]["total"] == 11 and e["date"]["total"] == 11


def test_wrong_event_type_is_one_fp_and_one_fn(zhu) -> None:
    gold, t = zhu
    t["events"].loc[7, "event_type"] = "ASSAULT"  # COERCE "arrested" 853-861
    e = score(gold, t)["events"]
    assert (e["type_trigger"]["tp"], e["type_trigger"]["fp"], e["type_trigger"]["fn"]) == (11, 1, 1)


def test_wrong_source_keeps_type_f1_and_lowers_argument_f1(zhu) -> None:
    gold, t = zhu
    # REJECT "not granted bail": source court (1422-1427) -> New Hampshire police (235-241)
    t["events"].loc[10, "source_actor_id"] = f"{ZHU}:nh-police"
    # ASSAULT "struck": source Zhukovskyy -> null
    t["events"].loc[1, "source_actor_id"] = None
    e = score(gold, t)["events"]
    assert e["type_trigger"]["f1"] == 1.0
    assert (e["arguments"]["tp"], e["arguments"]["fp"], e["arguments"]["fn"]) == (10, 2, 2)
    assert e["arguments"]["f1"] == pytest.approx(20 / 24)


def test_argument_is_judged_by_mentions_not_actor_ids(zhu) -> None:
    gold, t = zhu
    # The build calls the court a different id but its mention overlaps the gold court mention.
    t["actors"] = _add_row(t["actors"], actor_id="other-court", kind="organization")
    t["mentions"].loc[t["mentions"]["actor_id"] == f"{ZHU}:court", "actor_id"] = "other-court"
    t["events"]["source_actor_id"] = t["events"]["source_actor_id"].replace(
        {f"{ZHU}:court": "other-court"})
    assert score(gold, t)["events"]["arguments"]["f1"] == 1.0


def test_wrong_modality_and_date(zhu) -> None:
    gold, t = zhu
    t["events"].loc[11, "modality"] = "asserted"  # gold: future
    t["events"].loc[11, "date_precision"] = "day"  # gold: month
    t["events"].loc[0, "event_date"] = pd.Timestamp("2019-06-26").date()  # gold: 2019-06-25
    e = score(gold, t)["events"]
    assert e["modality"] == {"correct": 11, "total": 12, "accuracy": 11 / 12}
    assert e["date"] == {"correct": 10, "total": 12, "accuracy": 10 / 12}
    assert e["type_trigger"]["f1"] == 1.0


def test_figure_value_off(zhu) -> None:
    gold, t = zhu
    t["figures"].loc[2, "value"] = 8.0  # "seven" riders
    t["figures"].loc[1, "value"] = 7.0 * (1 + 1e-12)  # within tolerance
    f = score(gold, t)["figures"]
    assert f["span"]["f1"] == 1.0
    assert f["attributes"]["value"] == {"correct": 4, "total": 5, "accuracy": 0.8}
    assert f["attributes"]["kind"]["accuracy"] == 1.0
    assert (f["value_kind"]["tp"], f["value_kind"]["fp"], f["value_kind"]["fn"]) == (4, 1, 1)


def test_figure_attributes(zhu) -> None:
    gold, t = zhu
    t["figures"].loc[0, ["kind", "unit"]] = ["count", None]  # "23" is an age in years
    t["figures"].loc[3, ["qualifier", "counted"]] = ["approx", "person"]
    a = score(gold, t)["figures"]["attributes"]
    assert [a[k]["correct"] for k in ("value", "kind", "qualifier", "unit", "counted")] == [
        5, 4, 4, 4, 4]


# --------------------------------------------------------------------------- scope and coverage


def test_predictions_outside_scope_are_ignored(meantime: list[GoldArticle]) -> None:
    gold = [_one(meantime, APPLE)]
    assert gold[0].scope == (0, 548)
    t = gold_to_tables(gold)
    extra = {"article_id": APPLE, "actor_id": None}
    t["mentions"] = _add_row(t["mentions"], start=600, end=605, **extra)  # fully outside
    t["mentions"] = _add_row(t["mentions"], start=548, end=560, **extra)  # starts at scope end
    t["figures"] = _add_row(t["figures"], article_id=APPLE, start=900, end=903, value=1.0)
    clean = score(gold, t)
    assert clean["mentions"]["exact"]["fp"] == 0
    assert clean["figures"]["span"]["fp"] == 0

    t["mentions"] = _add_row(t["mentions"], start=540, end=560, **extra)  # straddles: kept
    t["mentions"] = _add_row(t["mentions"], start=10, end=15, **extra)  # inside
    assert score(gold, t)["mentions"]["exact"]["fp"] == 2


def test_names_only_gold_reports_recall_not_precision(meantime: list[GoldArticle]) -> None:
    gold = [_one(meantime, APPLE)]
    t = gold_to_tables(gold)
    t["mentions"] = _add_row(t["mentions"], article_id=APPLE, actor_id=None, start=0, end=5)
    t["mentions"] = t["mentions"][t["mentions"]["start"] != 57]  # lose "Apple"
    m = score(gold, t)["mentions"]
    assert (m["exact"]["tp"], m["exact"]["fp"], m["exact"]["fn"]) == (0, 1, 1)
    assert m["exact"]["recall"] == 0.0 and m["exact"]["precision"] is None


def test_gum_has_no_figure_layer(gum: list[GoldArticle]) -> None:
    gold = gum[:1]
    t = gold_to_tables(gold)
    t["figures"] = _add_row(t["figures"], article_id=gold[0].article_id, start=0, end=2, value=1.0)
    report = score(gold, t, by_article=True)
    assert report["figures"] is None and report["events"] is None
    assert report["articles"][0]["figures"] is None


def test_mixed_corpora_average_only_where_annotated(dev, gum) -> None:
    gold = [_one(dev, ZHU), gum[0]]
    report = score(gold, gold_to_tables(gold))
    assert report["corpora"] == {"gum": 1, "newsfacts": 1}
    assert report["events"]["n_articles"] == 1 and report["mentions"]["n_articles"] == 2
    assert report["mentions"]["names_only"] is True
    assert report["mentions"]["attributes"]["sector"]["total"] == 17  # dev mentions only


# --------------------------------------------------------------------------- errors


def test_gold_article_missing_from_build_is_an_error(zhu) -> None:
    gold, t = zhu
    t["articles"] = t["articles"].iloc[0:0]
    with pytest.raises(EvaluationError, match=rf"{ZHU}\.json.*{ZHU}"):
        score(gold, t)


def test_different_text_in_build_is_an_error(zhu) -> None:
    gold, t = zhu
    t["articles"].loc[0, "text"] = "X" + gold[0].text[1:]
    with pytest.raises(EvaluationError, match="offset 0"):
        score(gold, t)
    assert score(gold, t, check_text=False)["mentions"]["exact"]["f1"] == 1.0


def test_missing_table_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="articles"):
        read_tables(tmp_path)


def test_bad_gold_files(tmp_path: Path) -> None:
    doc = {"article_id": "a", "text": "Iran said", "actors": {"iran": {"kind": "country"}},
           "mentions": [{"start": 0, "end": 4, "text": "Iran", "actor": "iran"}],
           "events": [], "figures": []}
    (tmp_path / "a.json").write_text(json.dumps(doc))
    assert load_gold(tmp_path)[0].mentions[0]["text"] == "Iran"
    for bad, message in [
        ({**doc, "article_id": "b"}, "file name"),
        ({**doc, "mentions": [{**doc["mentions"][0], "end": 5}]}, "annotated as"),
        ({**doc, "source_corpus": "ontonotes"}, "unknown source_corpus"),
    ]:
        (tmp_path / "a.json").write_text(json.dumps(bad))
        with pytest.raises(GoldFormatError, match=message):
            load_gold(tmp_path)


# --------------------------------------------------------------------------- matching


def test_matching_is_maximum_not_just_greedy() -> None:
    # Greedy by overlap pairs gold 0 with pred 0 (overlap 10), leaving pred 1 (which only
    # overlaps gold 0) unmatched; the augmenting path re-pairs pred 0 with gold 1.
    gold = [(0, 10), (9, 12)]
    pred = [(0, 12), (2, 5)]
    assert match_spans(gold, pred) == [(0, 1), (1, 0)]


def test_matching_prefers_exact_then_preference_and_is_one_to_one() -> None:
    assert match_spans([(0, 6)], [(0, 23), (0, 6)]) == [(0, 1)]
    assert match_spans([(5, 9), (5, 9)], [(5, 9)]) == [(0, 0)]
    same = [(5, 9), (5, 9)]
    assert match_spans(same, same, prefer=lambda g, p: g != p) == [(0, 1), (1, 0)]
    assert match_spans([(0, 3)], [(3, 6), (2, 2)]) == []  # touching or empty spans never overlap


def test_multi_pair_events_pair_up_by_arguments(zhu) -> None:
    # Two gold rows for one trigger ("struck" -> riders asserted, and a made-up second row with
    # target null, future); the build lists them in the other order. The type+trigger matching
    # must pair rows by their arguments, or modality would be judged on the wrong pairs.
    gold, _ = zhu
    g = gold[0]
    extra = {**g.events[1], "target": None, "modality": "future"}
    gold = [replace(g, events=[*g.events, extra])]
    t = gold_to_tables(gold)
    t["events"] = t["events"].iloc[[12, *range(12)]].reset_index(drop=True)
    e = score(gold, t)["events"]
    assert e["arguments"]["f1"] == 1.0 and e["type_trigger"]["f1"] == 1.0
    assert e["modality"] == {"correct": 13, "total": 13, "accuracy": 1.0}


def test_row_order_does_not_change_the_report(dev: list[GoldArticle]) -> None:
    t = gold_to_tables(dev)
    t["mentions"].loc[3, "start"] += 1
    t["events"].loc[5, "event_type"] = "AID"
    shuffled = {k: v.sample(frac=1.0, random_state=7) for k, v in t.items()}
    assert score(dev, shuffled, by_article=True) == score(dev, t, by_article=True)


# --------------------------------------------------------------------------- rendering


def test_render_prints_summary_and_articles(dev: list[GoldArticle],
                                            meantime: list[GoldArticle]) -> None:
    console_mod = pytest.importorskip("rich.console")
    console = console_mod.Console(record=True, width=160)
    for report in (score(dev[:2], gold_to_tables(dev[:2]), by_article=True),
                   score(meantime[:2], gold_to_tables(meantime[:2]))):
        for table in render(report):
            console.print(table)
    out = console.export_text()
    assert "type + trigger" in out and "per article" in out and "names only" in out
