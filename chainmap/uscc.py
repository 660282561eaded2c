"""统一社会信用代码 (unified social credit code) check character, GB 32100-2015."""

from __future__ import annotations

from typing import Any

import numpy as np

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}


def check_character(first17: str) -> str:
    """The 18th character that the first 17 require; raises ValueError on a foreign character."""
    total = 0
    for ch, weight in zip(first17.upper(), _WEIGHTS, strict=True):
        if ch not in _VALUE:
            raise ValueError(f"字符 {ch!r} 不属于统一社会信用代码字符集")
        total += _VALUE[ch] * weight
    return ALPHABET[(31 - total % 31) % 31]


def looks_like_uscc(code: str) -> bool:
    return len(code) == 18


def uscc_problem(code: str) -> str | None:
    """Why an 18-character code is not a valid USCC, or None when it is."""
    code = code.upper()
    try:
        expected = check_character(code[:17])
    except ValueError as exc:
        return f"统一社会信用代码无效：{exc}"
    if code[17] != expected:
        # Not "the 18th should be X": the mistyped character may be any of the 18, and following
        # such advice yields a code that checks out but belongs to nobody.
        return (
            "统一社会信用代码校验不通过：18 位中任何一位都可能输错，请对照营业执照逐位核对"
            "（没有代码的企业请自定编号）"
        )
    return None


_LOOKUP = np.full(256, 255, dtype=np.int64)
for _i, _ch in enumerate(ALPHABET):
    _LOOKUP[ord(_ch)] = _i
_WEIGHT_ARRAY = np.array(_WEIGHTS, dtype=np.int64)
# Byte -> character value, lower case read as upper (as uscc_problem does); 255: foreign.
_BYTE_VALUE = np.full(256, 255, dtype=np.uint8)
for _i, _ch in enumerate(ALPHABET):
    _BYTE_VALUE[ord(_ch)] = _BYTE_VALUE[ord(_ch.lower())] = _i


def failing_uscc(codes: Any) -> np.ndarray:
    """Positions of the 18-character codes (an Arrow array) whose check digit or a character
    is wrong, read straight from Arrow's buffers (a register has a million codes)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    codes = codes.cast(pa.string())
    ascii_only = np.asarray(pc.fill_null(pc.string_is_ascii(codes), False), dtype=bool)
    plain = codes.filter(pa.array(ascii_only))
    wrong = np.flatnonzero(~ascii_only)  # not ASCII: the one-by-one check says what is wrong
    if len(plain):
        # Each value is 18 ASCII bytes, so the values lie end to end from the first offset.
        _, offsets, data = plain.buffers()
        start = np.frombuffer(offsets, dtype=np.int32)[plain.offset]
        raw = np.frombuffer(data, dtype=np.uint8)[start : start + 18 * len(plain)]
        values = _BYTE_VALUE[raw].reshape(len(plain), 18)
        foreign = (values == 255).any(axis=1)
        expected = (31 - values[:, :17].astype(np.int32) @ _WEIGHT_ARRAY.astype(np.int32) % 31) % 31
        fine = ~foreign & (expected == values[:, 17])
        wrong = np.union1d(wrong, np.flatnonzero(ascii_only)[~fine])
    return wrong.astype(np.int64)


def uscc_problems(codes: list[str]) -> list[str | None]:
    """uscc_problem for many 18-character codes at once (a register has a million)."""
    if not codes:
        return []
    try:
        raw = np.frombuffer("".join(codes).upper().encode("ascii"), dtype=np.uint8)
    except UnicodeEncodeError:  # a non-ASCII character somewhere: check one by one
        return [uscc_problem(code) for code in codes]
    values = _LOOKUP[raw].reshape(len(codes), 18)
    foreign = (values == 255).any(axis=1)
    expected = (31 - (values[:, :17] * _WEIGHT_ARRAY).sum(axis=1) % 31) % 31
    fine = ~foreign & (expected == values[:, 17])
    return [
        None if ok else uscc_problem(code) for ok, code in zip(fine.tolist(), codes, strict=True)
    ]
