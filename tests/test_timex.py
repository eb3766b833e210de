"""Time expressions resolved against the publication date.

``resolve(text, published)`` gives (start, end): a single day has no end, an
interval has both, and words that name no day give (None, None).
"""

from datetime import date

import pytest

from kg.timex import resolve

MONDAY = date(2022, 9, 12)  # publication date of most cases below: a Monday


@pytest.mark.parametrize("words, day", [
    ("on Monday", date(2022, 9, 12)),       # the day of publication itself
    ("on Sunday", date(2022, 9, 11)),
    ("Tuesday night", date(2022, 9, 6)),     # the most recent Tuesday, not the next one
    ("on Saturday", date(2022, 9, 10)),
    ("last Monday", date(2022, 9, 5)),       # "last" skips the day of publication
])
def test_weekday_is_the_most_recent_such_day_on_or_before_publication(words, day):
    assert resolve(words, MONDAY) == (day, None)


def test_weekday_counts_back_across_a_month_boundary():
    assert resolve("on Friday", date(2022, 10, 2)) == (date(2022, 9, 30), None)


@pytest.mark.parametrize("words, offset", [
    ("today", 0), ("tonight", 0), ("yesterday", -1), ("last night", -1), ("overnight", -1),
])
def test_relative_day_words(words, offset):
    assert resolve(words, MONDAY) == (date.fromordinal(MONDAY.toordinal() + offset), None)


def test_the_day_before_yesterday_is_two_days_back():
    # Guards the order of the relative-day patterns: "yesterday" must not win here.
    assert resolve("the day before yesterday", MONDAY) == (date(2022, 9, 10), None)


def test_yesterday_in_a_sentence_across_year_end():
    assert resolve("Russian shelling yesterday", date(2023, 1, 1)) == (date(2022, 12, 31), None)


@pytest.mark.parametrize("words", ["on September 8", "8 September", "8th of September",
                                   "Sept. 8", "sep 8", "September 8th"])
def test_month_and_day_take_the_year_of_publication(words):
    assert resolve(words, MONDAY) == (date(2022, 9, 8), None)


def test_explicit_year_wins_over_the_publication_year():
    assert resolve("Sept. 8, 2021", MONDAY) == (date(2021, 9, 8), None)
    assert resolve("8 September, 2021", MONDAY) == (date(2021, 9, 8), None)


def test_day_month_year_is_not_read_as_month_day_from_the_year_digits():
    # Guards against "September 2021" matching as month "September", day "20".
    assert resolve("8 September 2021", MONDAY) == (date(2021, 9, 8), None)
    assert resolve("on 24 February 2022", MONDAY) == (date(2022, 2, 24), None)


def test_explicit_year_needs_no_publication_date():
    assert resolve("Sept. 8, 2021", None) == (date(2021, 9, 8), None)


def test_night_of_two_days_is_an_interval():
    night = resolve("the night of 9 to 10 September", MONDAY)
    assert night == (date(2022, 9, 9), date(2022, 9, 10))


@pytest.mark.parametrize("words", ["September 8-9", "September 8 to 9", "8-9 September",
                                   "September 8 through 9"])
def test_day_ranges_within_a_month(words):
    assert resolve(words, MONDAY) == (date(2022, 9, 8), date(2022, 9, 9))


def test_interval_across_months():
    published = date(2022, 10, 4)
    assert resolve("September 30 to October 2", published) == (date(2022, 9, 30), date(2022, 10, 2))


def test_interval_across_the_new_year():
    published = date(2023, 1, 4)
    assert resolve("December 30 to January 2", published) == (date(2022, 12, 30), date(2023, 1, 2))


def test_december_date_in_a_january_article_is_the_previous_year():
    assert resolve("on December 28", date(2023, 1, 5)) == (date(2022, 12, 28), None)


def test_date_shortly_after_publication_keeps_the_year():
    # Within a month ahead (an announced plan) the year is not moved back.
    assert resolve("on October 1", MONDAY) == (date(2022, 10, 1), None)


def test_iso_date():
    assert resolve("on 2022-09-08", MONDAY) == (date(2022, 9, 8), None)
    assert resolve("2021-02-24", None) == (date(2021, 2, 24), None)


def test_impossible_dates_name_no_day():
    assert resolve("2022-13-45", MONDAY) == (None, None)
    assert resolve("September 31", MONDAY) == (None, None)


@pytest.mark.parametrize("words", ["in recent weeks", "last month", "in the autumn",
                                   "at dawn", "for several days", ""])
def test_words_that_name_no_day(words):
    assert resolve(words, MONDAY) == (None, None)


@pytest.mark.parametrize("words", ["yesterday", "on Tuesday", "last night", "on September 8",
                                   "the night of 9 to 10 September"])
def test_without_publication_date_relative_words_are_unresolved(words):
    assert resolve(words, None) == (None, None)
