"""Resolve date expressions against the publication date.

Hand-written on purpose: dateparser 1.5.0 (NLP-NOTES) returns nothing for "earlier this month",
"late March", "end of March", and needs special settings for weekdays; its search mode yields junk
("18 years of" -> 2002). spaCy's DATE entities give the boundaries; this module gives the values.
Precision follows gold/FORMAT.md: day, week (that week's Monday), month (first day), year (Jan 1).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], start=1)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
WEEKDAYS = {d: i for i, d in enumerate(
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}
NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                "seven": 7, "eight": 8, "nine": 9, "ten": 10, "several": 3, "a few": 3, "few": 3}

_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY_MONTH = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH_RE})\.?\b(?:,?\s+(\d{{4}}))?")
_MONTH_DAY = re.compile(rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}}))?")
_MONTH_YEAR = re.compile(rf"\b({_MONTH_RE})\.?,?\s+(\d{{4}})\b")
_MONTH = re.compile(rf"\b({_MONTH_RE})\b")
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_WEEKDAY = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")\b")
_AGO = re.compile(r"\b(\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|a few|several)"
                  r"\s+(day|week|month|year)s?\s+(ago|earlier|before)\b")


@dataclass(frozen=True)
class ResolvedDate:
    """A resolved date: ISO string (or None), precision, basis."""

    value: str | None
    precision: str
    basis: str


def _monday(day: date) -> date:
    """Monday of the week holding `day`."""
    return day - timedelta(days=day.weekday())


def _month_first(year: int, month: int) -> date:
    """First day of a month."""
    return date(year, month, 1)


def _shift_month(day: date, months: int) -> date:
    """First day of the month `months` away from `day`'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _pick_year(month: int, day: int, anchor: date, future: bool) -> int:
    """Year for a month/day without year: the next one if future, else the nearest one to
    publication ('April 5' in a March article is the coming April 5, 'June 21' in a June 28
    article the past one)."""
    year = anchor.year
    try:
        candidates = [date(y, month, day) for y in (year - 1, year, year + 1)]
    except ValueError:
        return year
    if future:
        return min(c for c in candidates if c >= anchor - timedelta(days=1)).year
    return min(candidates, key=lambda c: (abs((c - anchor).days), c > anchor)).year


def resolve(text: str, published: date, future: bool = False, near: bool = False
            ) -> ResolvedDate | None:
    """Resolve one date expression; None when it carries no usable date ('18 years').

    `future`: the event is planned, so a bare weekday or month means the next one. `near`: a
    future-in-the-past ('would be instated on Saturday'): a bare weekday is the nearest one.
    """
    low = text.lower().strip()
    if near and _WEEKDAY.fullmatch(low.split()[0] if low else ""):
        return _nearest_weekday(low, published)
    for resolver in (_explicit, _relative_days, _weekday, _relative_periods, _month_only, _year):
        found = resolver(low, published, future)
        if found is not None:
            return found
    return None


def _explicit(low: str, published: date, future: bool) -> ResolvedDate | None:
    """ISO dates, 'March 5, 2020', '5 March', 'June 21'."""
    m = _ISO.search(low)
    if m:
        return _day(date(int(m[1]), int(m[2]), int(m[3])))
    for regex, month_group, day_group in ((_MONTH_DAY, 1, 2), (_DAY_MONTH, 2, 1)):
        m = regex.search(low)
        if m:
            month, day = MONTHS[m[month_group]], int(m[day_group])
            year = int(m[3]) if m[3] else _pick_year(month, day, published, future)
            try:
                return _day(date(year, month, day))
            except ValueError:
                return None
    m = _MONTH_YEAR.search(low)
    if m:
        return ResolvedDate(_month_first(int(m[2]), MONTHS[m[1]]).isoformat(), "month",
                            "explicit")
    return None


def _day(value: date) -> ResolvedDate:
    """An explicit day."""
    return ResolvedDate(value.isoformat(), "day", "explicit")


def _relative_days(low: str, published: date, future: bool) -> ResolvedDate | None:
    """today, tonight, this morning, yesterday, tomorrow, N days ago."""
    if re.search(r"\b(today|tonight|this (morning|afternoon|evening))\b", low):
        return _day(published)
    if "yesterday" in low or re.search(r"\blast night\b", low):
        return _day(published - timedelta(days=1))
    if "tomorrow" in low:
        return _day(published + timedelta(days=1))
    m = _AGO.search(low)
    if m:
        n = int(m[1]) if m[1].isdigit() else NUMBER_WORDS.get(m[1], 1)
        unit = m[2]
        if unit == "day":
            return _day(published - timedelta(days=n))
        if unit == "week":
            return ResolvedDate(_monday(published - timedelta(weeks=n)).isoformat(), "week",
                                "explicit")
        if unit == "month":
            return ResolvedDate(_shift_month(published, -n).isoformat(), "month", "explicit")
        return ResolvedDate(date(published.year - n, 1, 1).isoformat(), "year", "explicit")
    return None


def _weekday(low: str, published: date, future: bool) -> ResolvedDate | None:
    """'Wednesday': the latest such day on or before publication (next one if future/'next')."""
    m = _WEEKDAY.search(low)
    if not m:
        return None
    target = WEEKDAYS[m[1]]
    if future or re.search(rf"\b(next|coming|this coming)\s+{m[1]}", low):
        delta = (target - published.weekday()) % 7
        value = published + timedelta(days=delta)
        if "next" in low and delta == 0:
            value += timedelta(days=7)
    else:
        value = published - timedelta(days=(published.weekday() - target) % 7)
        if re.search(rf"\blast\s+{m[1]}", low) and value == published:
            value -= timedelta(days=7)
    return _day(value)


def _nearest_weekday(low: str, published: date) -> ResolvedDate:
    """The weekday nearest to publication, before or after (ties: before)."""
    target = WEEKDAYS[_WEEKDAY.match(low.split()[0])[1]]  # type: ignore[index]
    back = (published.weekday() - target) % 7
    ahead = (target - published.weekday()) % 7
    if back <= ahead:
        return _day(published - timedelta(days=back))
    return _day(published + timedelta(days=ahead))


def _relative_periods(low: str, published: date, future: bool) -> ResolvedDate | None:
    """this/last/next week, month, year; earlier this month."""
    m = re.search(r"\b(this|last|next|past|previous|coming|earlier this|later this|"
                  r"early this|end of this|end of the)\s+(week|month|year)\b", low)
    if not m:
        return None
    shift = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1}.get(m[1], 0)
    unit = m[2]
    if unit == "week":
        return ResolvedDate(_monday(published + timedelta(weeks=shift)).isoformat(), "week",
                            "explicit")
    if unit == "month":
        return ResolvedDate(_shift_month(published, shift).isoformat(), "month", "explicit")
    return ResolvedDate(date(published.year + shift, 1, 1).isoformat(), "year", "explicit")


def _month_only(low: str, published: date, future: bool) -> ResolvedDate | None:
    """'late March', 'in February', 'the end of January', 'March 2020'."""
    m = _MONTH.search(low)
    if not m or (m[1] == "may" and not re.search(r"\b(in|early|late|mid|end of)\s+may\b", low)):
        return None
    month = MONTHS[m[1]]
    year_m = _YEAR.search(low)
    if year_m:
        year = int(year_m[1])
    else:
        year = published.year
        if future and month < published.month:
            year += 1
        elif not future and month > published.month:
            year -= 1
    return ResolvedDate(_month_first(year, month).isoformat(), "month", "explicit")


def _year(low: str, published: date, future: bool) -> ResolvedDate | None:
    """'2016', 'in 2011'; decades ('the 1950s') and durations are not dates of an event."""
    if re.search(r"\b\d{4}s\b", low):
        return None
    m = _YEAR.search(low)
    if m:
        return ResolvedDate(date(int(m[1]), 1, 1).isoformat(), "year", "explicit")
    return None
