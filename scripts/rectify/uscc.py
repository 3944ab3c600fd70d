"""Unified social credit codes (统一社会信用代码, GB 32100-2015): the check digit (校验码)."""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, S, V, Z
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_VALUE = {c: i for i, c in enumerate(ALPHABET)}


def check_char(first17: str) -> str:
    """The 18th character computed from the first 17 (GB 32100-2015, 4.3 and appendix)."""
    total = sum(_VALUE[c] * w for c, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def problem(code: str) -> str | None:
    """Why ``code`` is not a well-formed USCC, in Chinese; ``None`` when it is."""
    if len(code) != 18:
        return f"应为 18 位，实为 {len(code)} 位"
    bad = sorted({c for c in code if c not in _VALUE})
    if bad:
        return "含有不允许的字符 " + "、".join(repr(c) for c in bad) + "（不得使用 I、O、S、V、Z 及小写字母）"
    expected = check_char(code[:17])
    if code[17] != expected:
        return f"校验码应为 {expected!r}，实为 {code[17]!r}"
    return None
