"""councils.statistics' numbers as shown, in English unless Danish is asked for, and the languages it refuses.

Every expected string is written out by hand: shares and changes in points rounded half away from zero, interval
ends rounded outward, p-values to two significant digits, a true minus sign (U+2212), a no-break space before
the Danish per cent sign.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from councils import statistics as stats


def test_every_form_is_english_by_default():
    assert stats.format_number(Decimal("1234.5")) == "1,234.5"
    assert stats.format_number(Decimal("-3")) == "\u22123"
    assert stats.format_number(Decimal("3"), sign=True) == "+3"
    assert stats.format_share(Fraction(1, 8)) == "13%"
    assert stats.format_change(Fraction(-1, 8)) == "\u221213"
    assert stats.format_interval_end(Fraction(-1, 8), "low") == "\u221213"
    assert stats.format_interval_end(Fraction(1, 8), "high") == "+13"
    assert stats.format_change_interval(Fraction(-1, 8), Fraction(1, 20)) == "\u221213 to +5"
    assert stats.format_p(0.01234) == "0.012"


def test_the_same_forms_in_danish():
    assert stats.format_number(Decimal("1234.5"), "da") == "1.234,5"
    assert stats.format_share(Fraction(1, 8), "da") == "13\u00a0%"
    assert stats.format_change(Fraction(-1, 8), "da") == "\u221213"
    assert stats.format_change_interval(Fraction(-1, 8), Fraction(1, 20), "da") == "\u221213 til +5"
    assert stats.format_p(0.01234, "da") == "0,012"


@pytest.mark.parametrize("call", [
    lambda: stats.format_number(Decimal(1), "de"), lambda: stats.format_share(Fraction(1, 2), "sv"),
    lambda: stats.format_change(Fraction(1, 2), "no"), lambda: stats.format_change_interval(-0.1, 0.1, "fi"),
    lambda: stats.format_p(0.5, "nl"),
])
def test_another_language_is_refused(call):
    with pytest.raises(ValueError, match=r"language must be one of en, da, not '\w\w'"):
        call()


def test_interval_ends_that_would_round_to_zero_keep_their_side():
    # 0.3 points up and 0.04 points down: one decimal, then two, rounded outward
    assert stats.format_interval_end(Fraction(3, 1000), "low") == "+0.3"
    assert stats.format_interval_end(Fraction(-4, 10000), "high") == "\u22120.04"
    assert stats.format_interval_end(Fraction(0), "low") == "0"


def test_a_share_with_a_decimal_and_a_p_value_below_a_thousandth():
    assert stats.format_share(Fraction(1, 3), "en", 1) == "33.3%"
    assert stats.format_share(Fraction(1, 3), "da", 1) == "33,3\u00a0%"
    assert stats.format_p(0.0004) == "< 0.001" and stats.format_p(0.0004, "da") == "< 0,001"
    with pytest.raises(ValueError, match="a p-value lies in"):
        stats.format_p(1.5)
