"""Date resolution against the publication date (2020-03-25 is a Wednesday)."""

from __future__ import annotations

from datetime import date

import pytest

from newsfacts.build.extract.dates import resolve

PUB = date(2020, 3, 25)


@pytest.mark.parametrize(("text", "future", "expected"), [
    ("Wednesday", False, ("2020-03-25", "day")),
    ("Monday", False, ("2020-03-23", "day")),
    ("Monday", True, ("2020-03-30", "day")),
    ("yesterday", False, ("2020-03-24", "day")),
    ("last week", False, ("2020-03-16", "week")),
    ("earlier this month", False, ("2020-03-01", "month")),
    ("late March", False, ("2020-03-01", "month")),
    ("the end of March", True, ("2020-03-01", "month")),
    ("in February", False, ("2020-02-01", "month")),
    ("November", False, ("2019-11-01", "month")),
    ("November", True, ("2020-11-01", "month")),
    ("last year", False, ("2019-01-01", "year")),
    ("March 5, 2020", False, ("2020-03-05", "day")),
    ("5 March", False, ("2020-03-05", "day")),
    ("the night of March 21", False, ("2020-03-21", "day")),
    ("April 5", False, ("2020-04-05", "day")),
    ("December 30", False, ("2019-12-30", "day")),
    ("in 2016", False, ("2016-01-01", "year")),
    ("three days ago", False, ("2020-03-22", "day")),
])
def test_resolve(text: str, future: bool, expected: tuple[str, str]) -> None:
    found = resolve(text, PUB, future=future)
    assert found is not None
    assert (found.value, found.precision, found.basis) == (*expected, "explicit")


@pytest.mark.parametrize("text", ["more than 18 years", "the past few days", "the 1950s", "May"])
def test_not_a_date(text: str) -> None:
    assert resolve(text, PUB) is None


def test_future_in_the_past_weekday_is_nearest() -> None:
    found = resolve("Saturday", date(2020, 12, 21), future=False, near=True)
    assert found is not None and found.value == "2020-12-19"


def test_taliban_said_on_wednesday() -> None:
    pytest.importorskip("spacy")
    from _extract_helpers import run

    ex = run("The Taliban said on Wednesday that they attacked a police post.")
    (attack,) = [e for e in ex.events if e["trigger"] == "attacked"]
    assert attack["event_date"] == "2020-03-25" and attack["date_precision"] == "day"
