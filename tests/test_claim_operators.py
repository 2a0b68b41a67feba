"""A commentary's claims at the boundary: every operator with equal operands, and one apart either way.

Expected verdicts are written out by hand per operator (not computed with Python's operators), for
each kind of operand a claim may name: counts, whole numbers, ``half``, ``base`` and ``round.<field>``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from councils import commentary

# 30 responding councils: own_budget yes 15 (= half), no 15, not_stated 0; member_compensation yes 14, no 16
TABLE = pd.DataFrame([("own_budget", "yes", 15, 30), ("own_budget", "no", 15, 30), ("own_budget", "not_stated", 0, 30),
                      ("member_compensation", "yes", 14, 30), ("member_compensation", "no", 16, 30)],
                     columns=["question", "category", "count", "base"])
META = {"follow_up_interviews": 5, "responses": 30}

# (left, right) with left == right, left one less than right, left one more than right, for every operand kind
EQUAL = [("own_budget.yes", "own_budget.no"), ("own_budget.yes", "15"), ("own_budget.yes", "half"),
         ("round.responses", "base"), ("round.follow_up_interviews", "5"), ("own_budget.not_stated", "0")]
LESS = [("member_compensation.yes", "own_budget.yes"), ("member_compensation.yes", "15"),
        ("member_compensation.yes", "half"), ("round.follow_up_interviews", "6"), ("own_budget.not_stated", "1")]
MORE = [("member_compensation.no", "own_budget.no"), ("member_compensation.no", "15"),
        ("member_compensation.no", "half"), ("base", "29"), ("round.follow_up_interviews", "4")]

#                 equal  less   more      (does "left OP right" hold?)
VERDICTS = {"<": (False, True, False),
            "<=": (True, True, False),
            ">": (False, False, True),
            ">=": (True, False, True),
            "==": (True, False, False),
            "!=": (False, True, True)}


def holds(claim: str) -> bool:
    notes, problems = commentary.parse(Path("commentary/en.md"),
                                       f":::{{commentary}} organisation.budget\n:claim: {claim}\nText.\n:::\n")
    assert problems == [], problems
    found = commentary.check(notes, TABLE, META)
    assert all("claim to hold" in p.expected for p in found), found  # judged, not refused as unreadable
    return not found


CASES = [(op, left, right, VERDICTS[op][relation])
         for op in VERDICTS for relation, pairs in enumerate((EQUAL, LESS, MORE)) for left, right in pairs]


@pytest.mark.parametrize("op,left,right,expected", CASES, ids=[f"{a} {op} {b}" for op, a, b, _ in CASES])
def test_each_operator_at_and_beside_equality(op, left, right, expected):
    assert holds(f"{left} {op} {right}") is expected


@pytest.mark.parametrize("op", VERDICTS)
def test_operators_need_no_spaces(op):
    assert holds(f"own_budget.yes{op}own_budget.no") is VERDICTS[op][0]
