"""Column rules as Arrow compute: the distinct values a cell rule would leave as they are.

Validation runs each column's rule (a pydantic BeforeValidator from chainmap.model) once per
distinct value: at a million firms that is millions of Python calls. Most values of a register
are already in their stored form: a clean text, an upper-case USCC, a plain decimal number.
`settled` finds those with one regular-expression pass in Arrow and gives their parsed values; only
the rest go to the rule, so every message and every rule stays exactly what chainmap.model says.

Each fast form is a subset of the values its rule returns unchanged (texts) or parses the same
way (numbers), which tests/test_fastpath.py checks against the rules themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from chainmap import model

# Every character Python's `str.isspace` holds true (what clean_text's `\s` folds), written out:
# Arrow's regular expressions (RE2) know only the ASCII ones.
_WHITESPACE = "".join(chr(c) for c in range(0x3100) if chr(c).isspace())
_CHANGED_BY_CLEAN_TEXT = (
    "["
    + "".join(f"\\x{{{ord(c):04x}}}" for c in sorted(set(_WHITESPACE) - {" "}))
    + "\\x{200b}\\x{200c}\\x{200d}\\x{2060}\\x{feff}\\x{00ad}\\x{00a0}\\x{3000}"
    + "\\x{0000}-\\x{001f}\\x{007f}-\\x{009f}"
    + "]|  |^ | $|^$"
)
_UPPER_USCC = "^[0-9A-Z]{18}$"
_PLAIN_NUMBER = "^[0-9]{1,15}(\\.[0-9]{1,15})?$"

Rule = Callable[[Any], Any]


def _clean_texts(values: pa.Array) -> np.ndarray:
    """Which values clean_text returns unchanged (and not empty, not too long)."""
    changed = pc.match_substring_regex(values, _CHANGED_BY_CLEAN_TEXT)
    # A text of at most MAX_CELL bytes has at most that many characters; only longer ones
    # are counted.
    short = pc.less_equal(pc.binary_length(values), model.MAX_CELL)
    if not pc.all(pc.fill_null(short, True)).as_py():
        short = pc.less_equal(pc.utf8_length(values), model.MAX_CELL)
    return _mask(pc.and_(pc.invert(changed), short))


def _mask(flags: pa.Array) -> np.ndarray:
    return np.asarray(pc.fill_null(flags, False).to_numpy(zero_copy_only=False), dtype=bool)


def settled(rule: Rule, values: pa.Array) -> tuple[np.ndarray, pa.Array] | None:
    """For the distinct text values of a column checked by `rule`: a mask of those whose
    parsed value is known without calling the rule, and the parsed values as Arrow (valid
    where the mask is). None when the rule has no fast form."""
    if rule not in _FAST_RULES or not len(values):
        return None
    return _FAST_RULES[rule](values)


def _texts(values: pa.Array) -> tuple[np.ndarray, pa.Array]:
    return _clean_texts(values), values


def _firm_ids(values: pa.Array) -> tuple[np.ndarray, pa.Array]:
    return _mask(pc.match_substring_regex(values, _UPPER_USCC)), values


def _numbers(values: pa.Array) -> tuple[np.ndarray, pa.Array]:
    mask = _mask(pc.match_substring_regex(values, _PLAIN_NUMBER))
    # Only the matching values are cast; the others stand in as 0 and are not read.
    numbers = pc.cast(pc.if_else(pa.array(mask), values, "0"), pa.float64())
    return mask, numbers


_FAST_RULES: dict[Rule, Callable[[pa.Array], tuple[np.ndarray, pa.Array]]] = {
    model._text: _texts,
    model._required_text: _texts,
    model.normalise_firm_id: _firm_ids,
    model._required_firm_id: _firm_ids,
    model._number: _numbers,
}


def rule_of(annotation_metadata: list[Any]) -> Rule | None:
    """The BeforeValidator function among a field's metadata, if any."""
    for item in annotation_metadata:
        func = getattr(item, "func", None)
        if func is not None:
            return func
    return None
