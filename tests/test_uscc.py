from __future__ import annotations

import pytest

from chainmap.uscc import check_character, uscc_problem


@pytest.mark.parametrize("code", ["91350100M000100Y43", "911100001000000000"[:17] + "R"])
def test_valid_codes(code):
    assert uscc_problem(code) is None


def test_wrong_check_character_does_not_suggest_a_replacement():
    # The typo may be in any position: naming "the right 18th character" would make a clerk
    # type a code that checks out but belongs to no firm.
    problem = uscc_problem("91350100M000100Y4X")
    assert "校验不通过" in problem and "任何一位" in problem
    assert "应为" not in problem


def test_foreign_character():
    assert "字符集" in uscc_problem("91350100M000100I43")
    with pytest.raises(ValueError):
        check_character("9135010OM000100Y4")
