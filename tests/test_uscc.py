from __future__ import annotations

import pytest

from chainmap.uscc import check_character, uscc_problem


@pytest.mark.parametrize("code", ["91350100M000100Y43", "911100001000000000"[:17] + "R"])
def test_valid_codes(code):
    assert uscc_problem(code) is None


def test_wrong_check_character_names_the_expected_one():
    assert "应为 3" in uscc_problem("91350100M000100Y4X")


def test_foreign_character():
    assert "字符集" in uscc_problem("91350100M000100I43")
    with pytest.raises(ValueError):
        check_character("9135010OM000100Y4")
