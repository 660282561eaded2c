"""统一社会信用代码 (unified social credit code) check character, GB 32100-2015."""

from __future__ import annotations

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
        return f"统一社会信用代码校验位错误：第18位应为 {expected}，实为 {code[17]}"
    return None
