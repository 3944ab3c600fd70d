"""Numbered record ids (``INSP-2023-0042``): their forms, how to read, write and order them.

The sequence part has a minimum width (zero-padded) and grows past it once a year's count needs
more digits: ``INSP-2023-9999`` is followed by ``INSP-2023-10000``. A number written wider than its
minimum never starts with a zero (``INSP-2023-01234`` is not an id), so each number has one spelling.
Ids are ordered by kind, year and number, never as text."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class IdForm:
    """The form of one kind's ids: ``prefix-YYYY-`` and a sequence of at least ``width`` digits."""

    kind: str
    prefix: str
    width: int

    @property
    def pattern(self) -> str:
        """The JSON Schema ``pattern`` of the kind's ids (schemas/common.schema.json)."""
        return f"^{self.prefix}-[0-9]{{4}}-([0-9]{{{self.width}}}|[1-9][0-9]{{{self.width},}})$"

    def format(self, year: int | str, number: int) -> str:
        return f"{self.prefix}-{year}-{number:0{self.width}d}"


FORMS = {
    form.kind: form
    for form in (
        IdForm("campaign", "CAMP", 3),
        IdForm("plan", "PLAN", 3),
        IdForm("responsibility", "RESP", 3),
        IdForm("inspection", "INSP", 4),
        IdForm("hazard", "HAZ", 5),
        IdForm("action", "ACT", 4),
        IdForm("consultation", "CONS", 3),
        IdForm("case", "CASE", 3),
        IdForm("activity", "EDU", 3),
    )
}
BY_PREFIX = {form.prefix: form for form in FORMS.values()}

_NUMBERED = re.compile(r"([A-Z]+)-([0-9]{4})-([0-9]+)")


@dataclass(frozen=True, slots=True, order=True)
class RecordNumber:
    """A numbered id taken apart: prefix, year and sequence number."""

    prefix: str
    year: int
    number: int


def parse(record_id: str) -> RecordNumber | None:
    """The parts of a well-formed numbered id of a known kind, or ``None``."""
    match = _NUMBERED.fullmatch(record_id)
    if match is None:
        return None
    form = BY_PREFIX.get(match.group(1))
    digits = match.group(3)
    if form is None or not (len(digits) == form.width or (len(digits) > form.width and digits[0] != "0")):
        return None
    return RecordNumber(form.prefix, int(match.group(2)), int(digits))


def kind_of(record_id: str) -> str | None:
    """The kind whose prefix the id carries (``HAZ-…`` → ``hazard``), whatever its digits."""
    form = BY_PREFIX.get(record_id.split("-", 1)[0])
    return form.kind if form else None


def sort_key(record_id: str) -> tuple[int, str, int, int, str]:
    """Orders numbered ids by prefix, year and number (``INSP-2023-9999`` before ``INSP-2023-10000``);
    other ids (slugs, credit codes, malformed ids) keep their text order, before the numbered ones of
    the same leading text."""
    parts = parse(record_id)
    if parts is None:
        return (0, record_id, 0, 0, "")
    return (1, parts.prefix, parts.year, parts.number, record_id)


def stem_numbers(ids: Iterable[str], prefix: str, year: int | str) -> list[int]:
    """The sequence numbers of the well-formed ids among ``ids`` with the prefix and year."""
    stem = f"{prefix}-{year}-"
    out = []
    for record_id in ids:
        if record_id.startswith(stem):
            parts = parse(record_id)
            if parts is not None:
                out.append(parts.number)
    return out
