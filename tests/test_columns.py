"""Column-wise comparison that decides what a re-import writes."""

from __future__ import annotations

import pyarrow as pa

from chainmap.store.columns import (
    differs,
    first_rows,
    locate,
    pair_keys,
    positions,
    shared_codes,
)


def test_numbers_nulls_and_near_equal_doubles():
    left = pa.array([1.0, None, None, 0.1 + 0.2, 3.0, 0.0], pa.float64())
    right = pa.array([1.0, None, 2.0, 0.3, 3.0001, -0.0], pa.float64())
    assert differs(left, right).tolist() == [False, False, True, False, True, False]


def test_texts_and_flags():
    assert differs(pa.array(["a", None, "b", "c"]), pa.array(["a", None, None, "C"])).tolist() == [
        False,
        False,
        True,
        True,
    ]
    assert differs(pa.array([True, None, False]), pa.array([True, False, None])).tolist() == [
        False,
        True,
        True,
    ]


def test_lists_absent_equals_empty_and_order_counts():
    kind = pa.list_(pa.string())
    left = pa.array([None, [], ["a", "b"], ["a", "b"], ["ab"], [""]], kind)
    right = pa.array([[], None, ["a", "b"], ["b", "a"], ["a", "b"], []], kind)
    assert differs(left, right).tolist() == [False, False, False, True, True, True]


def test_locate_and_pair_keys():
    among = pa.array(["x", "y", "z"])
    assert locate(pa.array(["z", "q", "x"]), among).tolist() == [2, -1, 0]
    keys = pair_keys(pa.array(["a", "a"]), pa.array(["bc", "b"]))
    assert len(set(keys.to_pylist())) == 2


def test_first_rows_and_positions_through_shared_codes():
    plan = pa.chunked_array([pa.array(["a", "b"]), pa.array(["a", "c", "b"])])
    stored = pa.array(["c", "z", None, "a"])
    plan_codes, stored_codes, distinct = shared_codes(plan, stored)
    assert distinct == 5  # a, b, c, z and the null
    first = first_rows(plan_codes)
    assert first.tolist() == [0, 1, 3]
    assert positions(stored_codes, plan_codes[first], distinct).tolist() == [2, -1, -1, 0]
    empty_codes, none, count = shared_codes(pa.array([], pa.string()), pa.array([], pa.string()))
    assert count == 0 and first_rows(empty_codes).tolist() == []
    assert positions(none, empty_codes, count).tolist() == []


def test_locate_in_order():
    same = pa.array(["p", "q", "r"])
    assert locate(same, pa.array(["p", "q", "r"])).tolist() == [0, 1, 2]
