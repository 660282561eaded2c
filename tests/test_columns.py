"""Column-wise comparison that decides what a re-import writes."""

from __future__ import annotations

import random

import pyarrow as pa
import pytest

from chainmap.store.columns import (
    differs,
    first_rows,
    group_rows,
    in_offset_order,
    is_in,
    locate,
    pair_codes,
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


def _pairs_of(codes_first, codes_second, first, second):
    """code -> the one pair it stands for, checking that equal pairs share a code and only they."""
    meaning: dict[int, tuple] = {}
    for codes, (froms, tos) in ((codes_first, first), (codes_second, second)):
        for code, pair in zip(codes.tolist(), zip(_py(froms), _py(tos), strict=True), strict=True):
            assert meaning.setdefault(code, pair) == pair
    assert len(set(meaning.values())) == len(meaning)
    return meaning


def _py(values):
    return values.to_pylist()


@pytest.mark.parametrize("seed", range(6))
def test_pair_codes_number_pairs_as_text_keys_do(seed):
    """A store's relationship ends come dictionary-encoded (rows of the label's ids) or as
    plain texts; plan ends may name ids the store lacks, repeat pairs, or be null. Either way
    equal pairs get equal codes and no others do, numbered densely."""
    rng = random.Random(seed)
    firms = [f"F{i}" for i in range(40)]
    links = [f"L{i}" for i in range(5)]
    stored = [(rng.choice(firms[:30]), rng.choice(links[:4])) for _ in range(60)]
    planned = [(rng.choice([*firms, None]), rng.choice(links)) for _ in range(rng.randint(0, 80))]
    firm_rows = {firm: row for row, firm in enumerate(firms[:30])}
    link_rows = {link: row for row, link in enumerate(links[:4])}
    encoded = (
        pa.chunked_array(
            [
                pa.DictionaryArray.from_arrays(
                    pa.array([firm_rows[f] for f, _ in stored], pa.int64()),
                    pa.array(firms[:30]),
                )
            ]
        ),
        pa.DictionaryArray.from_arrays(
            pa.array([link_rows[t] for _, t in stored], pa.int64()), pa.array(links[:4])
        ),
    )
    plain = (pa.array([f for f, _ in stored]), pa.array([t for _, t in stored]))
    plan = (
        pa.chunked_array([pa.array([f for f, _ in planned], pa.string())]),
        pa.array([t for _, t in planned], pa.string()),
    )
    for second in (encoded, plain):
        first_codes, second_codes, count = pair_codes(plan, second)
        meaning = _pairs_of(first_codes, second_codes, plan, second)
        assert sorted(meaning) == list(range(count))
    # The owner filter reads a dictionary array as its texts.
    owners = pa.array(firms[::2])
    assert is_in(encoded[0], owners).to_pylist() == is_in(plain[0], owners).to_pylist()


@pytest.mark.parametrize("seed", range(4))
def test_pair_codes_when_both_ends_share_the_stores_id_list(seed):
    """Supply ties run firm to firm: both ends are rows of one id list, numbered together."""
    rng = random.Random(seed)
    firms = pa.array([f"F{i}" for i in range(25)])
    stored = [(rng.randrange(20), rng.randrange(20)) for _ in range(50)]
    ends = tuple(
        pa.chunked_array(
            [pa.DictionaryArray.from_arrays(pa.array([p[i] for p in stored], pa.int64()), firms)]
        )
        for i in (0, 1)
    )
    planned = [
        (rng.choice([*firms.to_pylist(), "NEW1", None]), rng.choice([*firms.to_pylist(), "NEW2"]))
        for _ in range(rng.randint(0, 60))
    ]
    plan = tuple(pa.array([p[i] for p in planned], pa.string()) for i in (0, 1))
    first_codes, second_codes, count = pair_codes(plan, ends)
    meaning = _pairs_of(first_codes, second_codes, plan, ends)
    assert sorted(meaning) == list(range(count))


def test_ends_in_several_chunks_with_their_own_dictionaries():
    """A dictionary-encoded column may arrive in chunks whose dictionaries differ; it is read
    as the texts it holds."""
    chunks = [
        pa.DictionaryArray.from_arrays(pa.array([0, 1], pa.int64()), pa.array(["F1", "F2"])),
        pa.DictionaryArray.from_arrays(pa.array([1, 0], pa.int64()), pa.array(["F2", "F3"])),
    ]
    encoded = pa.chunked_array(chunks)
    plain_ends = pa.array(["F1", "F2", "F3", "F2"])
    links = pa.array(["L1", "L1", "L2", "L2"])
    owners = pa.array(["F2"])
    assert is_in(encoded, owners).to_pylist() == [False, True, False, True]
    plan = (pa.array(["F2", "F9", "F3"]), pa.array(["L1", "L1", "L2"]))
    first, second, count = pair_codes(plan, (encoded, links))
    assert _pairs_of(first, second, plan, (plain_ends, links))
    assert sorted(set(first.tolist()) | set(second.tolist())) == list(range(count))
    assert first[0] == second[1] and first[2] == second[2]


@pytest.mark.parametrize("seed", range(6))
def test_group_rows_groups_equal_rows_in_order_of_first_appearance(seed):
    rng = random.Random(seed)

    def column(values):
        return pa.array([rng.choice(values) for _ in range(500)], pa.string())

    # "a" + "bc" and "ab" + "c" are different rows; None is a value of its own, not "".
    parts = [column(["a", "ab", None, ""]), column(["bc", "c", None]), column(["x", None])]
    chunked = pa.chunked_array([parts[0].slice(0, 200), parts[0].slice(200)])
    group, first = group_rows([chunked, *parts[1:]])
    rows = list(zip(*(p.to_pylist() for p in parts), strict=True))
    seen: dict[tuple, int] = {}
    for at, row in enumerate(rows):
        seen.setdefault(row, len(seen))
        assert group[at] == seen[row]
    assert first.tolist() == [rows.index(row) for row in seen]


@pytest.mark.parametrize("seed", range(8))
def test_rows_put_in_offset_order(seed):
    # Ascending runs in any order (as a parallel scan returns them), sometimes interleaved
    # (then the rows are sorted instead), with gaps between offsets.
    rng = random.Random(seed)
    offsets = sorted(rng.sample(range(10_000), 400))
    cuts = sorted(rng.sample(range(1, 400), rng.randint(0, 12)))
    runs = [offsets[a:b] for a, b in zip([0, *cuts], [*cuts, 400], strict=True)]
    rng.shuffle(runs)
    shuffled = [o for run in runs for o in run]
    if seed % 3 == 0 and len(runs) > 1:  # interleave two runs
        shuffled[0], shuffled[-1] = shuffled[-1], shuffled[0]
    table = pa.table({"offset": shuffled, "id": [f"F{o}" for o in shuffled]})
    ordered = in_offset_order(table)
    assert ordered.column("offset").to_pylist() == offsets
    assert ordered.column("id").to_pylist() == [f"F{o}" for o in offsets]


@pytest.mark.parametrize("seed", range(6))
def test_plan_ends_encoded_over_the_datasets_firm_ids(seed):
    """A plan's firm ends may be rows of the dataset's firm ids. When that list is the store's
    (the same register imported again) rows pair directly; when it is another list (firms
    added, removed or reordered) each of its ids is looked up. Either way pairs mean what
    their texts do, and the owner filter says what it says for texts."""
    rng = random.Random(seed)
    stored_ids = [f"F{i}" for i in range(30)]
    dataset_ids = list(stored_ids) if seed % 2 else [*rng.sample(stored_ids, 20), "N1", "N2"]
    stored = [(rng.randrange(30), rng.randrange(30)) for _ in range(60)]
    planned = [
        (rng.randrange(len(dataset_ids)), rng.randrange(len(dataset_ids)))
        for _ in range(rng.randint(1, 60))
    ]
    store_dictionary, dataset_dictionary = pa.array(stored_ids), pa.array(dataset_ids)

    def encoded(rows, dictionary):
        return pa.DictionaryArray.from_arrays(pa.array(rows, pa.int64()), dictionary)

    ends = tuple(
        pa.chunked_array([encoded([p[i] for p in stored], store_dictionary)]) for i in (0, 1)
    )
    plan = tuple(encoded([p[i] for p in planned], dataset_dictionary) for i in (0, 1))
    plan_texts = tuple(pa.array([dataset_ids[p[i]] for p in planned]) for i in (0, 1))
    store_texts = tuple(pa.array([stored_ids[p[i]] for p in stored]) for i in (0, 1))
    for second in (ends, (ends[0], pa.array([stored_ids[p[1]] for p in stored]))):
        first_codes, second_codes, count = pair_codes(plan, second)
        meaning = _pairs_of(first_codes, second_codes, plan_texts, store_texts)
        assert sorted(meaning) == list(range(count))
    owners = encoded(sorted({p[0] for p in planned}), dataset_dictionary)
    expected = [stored_ids[p[0]] in {dataset_ids[p[0]] for p in planned} for p in stored]
    assert is_in(ends[0], owners).to_pylist() == expected
    assert is_in(store_texts[0], owners).to_pylist() == expected
