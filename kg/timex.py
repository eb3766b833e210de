"""Time expressions: the words of a date, resolved against the publication date.

Input: time words as written ("Tuesday", "on September 8", "the night of 9 to 10
September", "yesterday") and the article's publication date. Output: a start date,
an optional end date (for intervals), or nothing when the words name no day.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

MONTHS = {name: i for i, names in enumerate(
    [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
     ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
     ("october", "oct"), ("november", "nov"), ("december", "dec")], start=1) for name in names}
WEEKDAYS = {name: i for i, name in enumerate(
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}
RELATIVE_DAYS = {"today": 0, "tonight": 0, "yesterday": -1, "overnight": -1,
                 "last night": -1, "the day before yesterday": -2}
MONTH = r"(?P<month{n}>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
DAY = r"(?P<day{n}>\d{{1,2}})(?:st|nd|rd|th)?(?!\d)"
YEAR = r"(?:,?\s*(?P<year>\d{4}))?"
RANGE = r"\s*(?:-|–|to|and|through)\s*"
PATTERNS = [
    # "9 to 10 September", "September 8-9", "September 30 to October 2"
    re.compile(DAY.format(n=1) + RANGE + DAY.format(n=2) + r"\s+" + MONTH.format(n=2) + YEAR),
    re.compile(MONTH.format(n=1) + r"\s+" + DAY.format(n=1) + RANGE + r"(?:" + MONTH.format(n=2)
               + r"\s+)?" + DAY.format(n=2) + YEAR),
    re.compile(MONTH.format(n=1) + r"\s+" + DAY.format(n=1) + YEAR),
    re.compile(DAY.format(n=1) + r"\s+(?:of\s+)?" + MONTH.format(n=1) + YEAR),
]
ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
PART_OF_MONTH = re.compile(
    r"\b(?P<part>early|beginning of|start of|mid|middle of|late|end of|the end of)?[\s-]*"
    rf"(?P<month>{MONTH_NAMES})\b(?:\s+(?P<year>\d{{4}}))?")
PARTS = {"early": (1, 10), "beginning of": (1, 10), "start of": (1, 10), "mid": (11, 20),
         "middle of": (11, 20), "late": (21, 31), "end of": (21, 31), "the end of": (21, 31),
         None: (1, 31)}


def _day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _year_for(month: int, day: int, published: date | None) -> int | None:
    if published is None:
        return None
    candidate = _day(published.year, month, day)
    # reports look back: a day well after publication belongs to the year before
    if candidate and candidate > published + timedelta(days=31):
        return published.year - 1
    return published.year


def _from_match(match: re.Match, published: date | None) -> tuple[date | None, date | None]:
    groups = match.groupdict()
    month1 = groups.get("month1") or groups.get("month2")
    month2 = groups.get("month2") or month1
    m1, m2 = MONTHS[month1.lower()], MONTHS[month2.lower()]
    d1 = int(groups["day1"])
    d2 = int(groups["day2"]) if groups.get("day2") else None
    year = int(groups["year"]) if groups.get("year") else _year_for(m1, d1, published)
    if year is None:
        return None, None
    start = _day(year, m1, d1)
    end = _day(year + (1 if m2 < m1 else 0), m2, d2) if d2 else None
    return start, end


def resolve(text: str, published: date | None) -> tuple[date | None, date | None]:
    """Resolve time words to (start, end) dates; (None, None) when they name no day.

    Args:
        text: the words as written, e.g. "on Tuesday" or "the night of 9 to 10 September".
        published: the publication date that relative words count from.
    """
    lower = text.lower().strip()
    iso = ISO.search(lower)
    if iso:
        return _day(*map(int, iso.groups())), None
    for pattern in PATTERNS:
        match = pattern.search(lower)
        if match:
            return _from_match(match, published)
    if published is None:
        return None, None
    for words, offset in sorted(RELATIVE_DAYS.items(), key=lambda item: -len(item[0])):
        if re.search(rf"\b{words}\b", lower):
            return published + timedelta(days=offset), None
    for name, weekday in WEEKDAYS.items():
        if re.search(rf"\b{name}\b", lower):
            back = (published.weekday() - weekday) % 7
            if "last" in lower.split() and back == 0:
                back = 7
            return published - timedelta(days=back), None
    return _part_of_month(text.strip(), published)


def _part_of_month(text: str, published: date) -> tuple[date | None, date | None]:
    """"early September", "the end of August", "in May": a span of days within a month."""
    lower = text.lower()
    match = PART_OF_MONTH.search(lower)
    if match is None or (match.group("month") == "may" and not match.group("part")
                         and "May" not in text):
        return None, None  # lower-case "may" is the modal verb
    month = MONTHS[match.group("month")]
    first, last = PARTS[match.group("part")]
    year = int(match.group("year")) if match.group("year") else _year_for(month, first, published)
    end = _day(year, month, last) or _day(year, month, 30) or _day(year, month, 28)
    if re.search(r"\b(since|from)\b", lower):
        end = None  # an open interval: "since March"
    return _day(year, month, first), end
