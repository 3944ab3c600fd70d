"""How much of a plan is copied from another text, measured on Chinese characters.

Chinese has no spaces between words, so texts are compared as overlapping character n-grams
(shingles) after dropping whitespace, punctuation and Markdown marks: *containment* is the share
of the plan's n-grams that also occur in the source (1.0 = every phrase of the plan is found in
the source), *reproduction* the share of the source's n-grams found in the plan (1.0 = the whole
source is inside the plan, however much else the plan says), and the *longest copied passage* is the longest run of consecutive plan characters
whose n-grams all occur in the source. Both are linear in the texts' length (one hash index).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

NGRAM = 5  # five characters ≈ two or three Chinese words: rare to repeat by chance


@dataclass(frozen=True, slots=True)
class Copying:
    containment: float  # share of the plan's n-grams found in the source, 0..1
    longest: str  # the longest copied passage (normalized text)
    reproduced: float = 0.0  # share of the source's n-grams found in the plan, 0..1
    source_chars: int = 0  # length of the normalized source


def normalize(text: str) -> str:
    """Letters, digits and CJK characters only: layout, punctuation and Markdown do not count."""
    return "".join(
        ch for ch in unicodedata.normalize("NFKC", text) if unicodedata.category(ch)[0] in ("L", "N")
    )


def _grams(text: str) -> list[str]:
    return [text[i : i + NGRAM] for i in range(len(text) - NGRAM + 1)]


def compare(plan: str, source: str) -> Copying:
    """How much of ``plan`` is taken from ``source``."""
    plan_text, source_text = normalize(plan), normalize(source)
    plan_grams = _grams(plan_text)
    if not plan_grams:
        return Copying(0.0, "", 0.0, len(source_text))
    source_grams = set(_grams(source_text))
    hits = [gram in source_grams for gram in plan_grams]
    distinct = set(plan_grams)
    shared = len(distinct & source_grams)
    containment = shared / len(distinct)
    reproduced = shared / len(source_grams) if source_grams else 0.0
    best_start, best_len, run_start = 0, 0, None
    for index, hit in enumerate([*hits, False]):
        if hit and run_start is None:
            run_start = index
        elif not hit and run_start is not None:
            length = index - run_start
            if length > best_len:
                best_start, best_len = run_start, length
            run_start = None
    longest = plan_text[best_start : best_start + best_len + NGRAM - 1] if best_len else ""
    return Copying(containment, longest, reproduced, len(source_text))


def own_chars(plan: str, sources: list[str]) -> int:
    """How many characters of ``plan`` (normalized) are in no copied n-gram of any of ``sources``:
    the plan's own words."""
    plan_text = normalize(plan)
    known: set[str] = set()
    for source in sources:
        known.update(_grams(normalize(source)))
    covered = [False] * len(plan_text)
    for index, gram in enumerate(_grams(plan_text)):
        if gram in known:
            covered[index : index + NGRAM] = [True] * NGRAM
    return covered.count(False)
