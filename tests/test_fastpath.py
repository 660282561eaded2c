"""The Arrow fast forms settle only values their rule would give the same answer for."""

from __future__ import annotations

import random

import pyarrow as pa
import pytest

from chainmap import model
from chainmap.importer.fastpath import settled

TRICKY = [
    "河北化工有限公司",
    "河北 化工",
    "河北  化工",
    " 河北化工",
    "河北化工 ",
    "河北\u3000化工",
    "河北\u00a0化工",
    "河北\u200b化工",
    "河北\t化工",
    "河北\n化工",
    "河北\x1b[31m化工",
    "河北\u2028化工",
    "河北\u200e化工",  # a format character clean_text keeps
    "",
    "x" * (model.MAX_CELL + 1),
    "化" * model.MAX_CELL,  # more bytes than MAX_CELL, not more characters
    "化" * (model.MAX_CELL + 1),
    "91140000MA0K8U1X2Q",
    "91140000ma0k8u1x2q",
    "９１１４００００ＭＡ０Ｋ８Ｕ１Ｘ２Ｑ",
    "91140000 MA0K8U1X2Q",
    "91140000MA0K8U1X2",
    "91140000MA0K8U1X2QQ",
    "DEMO-001",
    "0",
    "12",
    "12.50",
    "007",
    "1,000",
    "1e5",
    "-3",
    " 12",
    "０１２",
    "123456789012345.123456789012345",
    "1234567890123456",
    ".5",
    "5.",
]
RULES = [
    model._text,
    model._required_text,
    model.normalise_firm_id,
    model._required_firm_id,
    model._number,
]


def _expected(rule, value):
    try:
        return True, rule(value)
    except ValueError:
        return False, None


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.__name__)
def test_settled_values_are_what_the_rule_gives(rule):
    rng = random.Random(4)
    alphabet = ["a", "Z", "9", " ", "\u3000", "\u00a0", "\u200b", "\t", "\x07", "化", ".", ","]
    fuzz = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 6))) for _ in range(3000)]
    values = TRICKY + fuzz + [None]
    result = settled(rule, pa.array(values, pa.string()))
    assert result is not None
    known, parsed = result
    assert known.any()
    for value, is_known, fast in zip(values, known, parsed.to_pylist(), strict=True):
        if is_known:
            ok, expected = _expected(rule, value)
            assert ok and fast == expected and type(fast) is type(expected), (rule, value)


def test_a_rule_without_a_fast_form_sees_every_value():
    assert settled(model._boolean, pa.array(["是"], pa.string())) is None
