"""What counts as an act a named person authorises (审批事项), per record kind, found by comparing
the parsed values of two versions of a record: for each act, who may sign it and how to tell
whether a version of the file contains it. :mod:`rectify.history.approvals` does the judging."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rectify.diagnostics import PathSeq
from rectify.history.git import cat_blobs, ls_tree
from rectify.load import decode, parse
from rectify.paths import Paths

_ACTIVE = ("city", "county", "department")  # a supervision level other than none (未挂牌)
Data = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Act:
    """One authorised act found in the head version of a record."""

    field: PathSeq  # where it stands in the head record
    what: str  # 被改为已销号（closed）: follows "隐患 HAZ-2023-00001 " in the message
    eligible: frozenset[str]  # person ids whose signature makes it count
    who: str  # 验收人 sun-hao-yjj 本人: follows "须由"
    holds: Callable[[dict[str, Any]], bool]  # does a version of the file contain it?


class Bodies:
    """Who belongs to which organisation at the base revision, read only when an act needs it."""

    def __init__(self, paths: Paths, base: str, jurisdiction: dict[str, Any] | None) -> None:
        self._paths, self._base = paths, base
        office = (jurisdiction or {}).get("office")
        self.office = office if isinstance(office, str) else None
        self._members: dict[str, set[str]] | None = None

    def members(self, org: str | None) -> set[str]:
        if self._members is None:
            self._members = {}
            folder = f"{self._paths.relative(self._paths.registry)}/people/"
            entries = [
                (b, p)
                for b, p in ls_tree(self._paths.root, self._base, folder)
                if p.lower().endswith((".yaml", ".yml"))
            ]
            blobs = cat_blobs(self._paths.root, (b for b, _ in entries))
            for blob, path in entries:
                data = data_of(path, blobs.get(blob))
                person, member_of = (data or {}).get("id"), (data or {}).get("organization")
                if isinstance(person, str) and isinstance(member_of, str):
                    self._members.setdefault(member_of, set()).add(person)
        return set(self._members.get(org, ())) if org else set()

    def of(self, org: str | None, label: str) -> tuple[frozenset[str], str]:
        """Persons of ``org`` or of the office, and how a message names them."""
        eligible = self.members(org) | self.members(self.office)
        office = f"安委办 {self.office} " if self.office else "安委办"
        if org and org != self.office:
            return frozenset(eligible), f"{label} {org} 或{office}的人员"
        return frozenset(eligible), f"{office}的人员"


def acts_of(kind: str, old: Data | None, new: Data, bodies: Bodies) -> list[Act]:
    """The authorised acts record ``new`` of ``kind`` holds that ``old`` (None: new here) does not."""
    if kind == "hazard":
        return hazard_acts(old, new, bodies)
    if kind == "campaign":
        return _review(
            _get(old or {}, "plan", "review"), _get(new, "plan", "review"), ["plan", "review"], bodies
        )
    if kind == "plan":
        return _review((old or {}).get("review"), new.get("review"), ["review"], bodies)
    if kind == "consultation":
        return _responses(old or {}, new, bodies)
    return []


def _review(before: Any, after: Any, field: list[str | int], bodies: Bodies) -> list[Act]:
    """方案审查: by the reviewer named, or else a person of the reviewing body (二(一))."""
    if not isinstance(after, dict) or after == before:
        return []
    person = _str(after.get("person"))
    if person:
        eligible, who = frozenset([person]), f"审查人 {person} 本人"
    else:
        eligible, who = bodies.of(_str(after.get("by")), "审查单位")
    keys = [k for k in field if isinstance(k, str)]
    return [
        Act(
            field,
            f"的方案审查（{'.'.join(keys)}，{after.get('result')}）被写入或改动",
            eligible,
            who,
            lambda d: _get(d, *keys) == after,
        )
    ]


def _responses(was: Data, new: Data, bodies: Bodies) -> list[Act]:
    """征求意见的反馈: by the person who signed it, or else a person of the responding body."""
    acts = []
    for index, entry in _new_entries(was, new, "responses"):
        person = _str(entry.get("signed_by"))
        if person:
            eligible, who = frozenset([person]), f"签字人 {person} 本人"
        else:
            eligible, who = bodies.of(_str(entry.get("from")), "反馈单位")
        what = f"的反馈（responses 第 {index + 1} 条，{entry.get('from')}）被写入"
        acts.append(Act(["responses", index], what, eligible, who, _contains("responses", entry)))
    return acts


def hazard_acts(old: dict[str, Any] | None, new: dict[str, Any], bodies: Bodies) -> list[Act]:
    """The authorised acts hazard ``new`` holds that ``old`` (None: the record is new here) does not."""
    was = old or {}
    acts: list[Act] = []
    acceptor = _get(was if old is not None else new, "rectification", "acceptor")
    if new.get("status") == "closed" and was.get("status") != "closed":
        acts.append(
            Act(
                ["status"],
                "被改为已销号（closed）",
                frozenset([acceptor] if isinstance(acceptor, str) else []),
                f"验收人 {acceptor} 本人"
                if isinstance(acceptor, str)
                else "验收人（隐患没有登记 rectification.acceptor）",
                lambda d: d.get("status") == "closed",
            )
        )
    acceptance = new.get("acceptance")
    if isinstance(acceptance, dict) and acceptance != was.get("acceptance"):
        by = acceptance.get("by") if isinstance(acceptance.get("by"), str) else acceptor
        acts.append(
            _person(
                ["acceptance"], "的验收记录（acceptance）被写入或改动", by, "验收人", "acceptance", acceptance
            )
        )
    for index, entry in _new_entries(was, new, "extensions"):
        if entry.get("approved_by"):
            acts.append(
                _entry_act("extensions", index, entry, "延期", entry.get("approved_by"), "批准人", "批准")
            )
    for index, entry in _new_entries(was, new, "reopened"):
        if entry.get("by"):
            acts.append(
                _entry_act("reopened", index, entry, "重新打开记录", entry.get("by"), "决定人", "决定")
            )
    acts.extend(_supervision(was, new, bodies))
    body, label = _supervising_body(was if old is not None else new)
    if was.get("level") == "major" and new.get("level") != "major":
        eligible, who = bodies.of(body, label)
        level = new.get("level")
        acts.append(
            Act(
                ["level"],
                f"由重大事故隐患（major）改为 {level}",
                eligible,
                who,
                lambda d: d.get("level") == level,
            )
        )
    for index, entry in _new_entries(was, new, "referrals"):
        eligible, who = bodies.of(body, label)
        acts.append(
            Act(
                ["referrals", index],
                f"新增移交（移交 {entry.get('to')}，{entry.get('date')}）",
                eligible,
                who,
                _contains("referrals", entry),
            )
        )
    return acts


def _supervision(was: dict[str, Any], new: dict[str, Any], bodies: Bodies) -> list[Act]:
    before, after = was.get("supervision"), new.get("supervision")
    if before == after:
        return []
    b, a = (s if isinstance(s, dict) else {} for s in (before, after))

    def holds(d: dict[str, Any]) -> bool:
        return d.get("supervision") == after

    acts = []
    if a.get("level") in _ACTIVE:
        eligible, who = bodies.of(_str(a.get("by")), "督办单位")
        what = f"的挂牌督办（{a.get('level')}，督办单位 {a.get('by') or '未填'}）被设立或改动"
        acts.append(Act(["supervision"], what, eligible, who, holds))
    if b.get("level") in _ACTIVE and (b.get("level"), b.get("by")) != (a.get("level"), a.get("by")):
        eligible, who = bodies.of(_str(b.get("by")), "原督办单位")
        what = f"的原挂牌督办（{b.get('level')}，督办单位 {b.get('by') or '未填'}）被解除或变更"
        acts.append(Act(["supervision"], what, eligible, who, holds))
    return acts


def _supervising_body(data: dict[str, Any]) -> tuple[str | None, str]:
    """The body that answers for the hazard and its name in messages: the supervising body when the
    hazard is listed (挂牌督办), otherwise the responsible department (责任部门)."""
    supervision = data.get("supervision")
    if isinstance(supervision, dict) and supervision.get("level") in _ACTIVE and _str(supervision.get("by")):
        return _str(supervision.get("by")), "督办单位"
    return _str(_get(data, "rectification", "department")), "责任部门"


def _person(field: PathSeq, what: str, person: Any, label: str, key: str, value: Any) -> Act:
    named = person if isinstance(person, str) else None
    return Act(
        field,
        what,
        frozenset([named] if named else []),
        f"{label} {named} 本人" if named else f"{label}（未填写）",
        lambda d: d.get(key) == value,
    )


def _entry_act(
    name: str, index: int, entry: dict[str, Any], label: str, person: Any, role: str, verb: str
) -> Act:
    named = person if isinstance(person, str) else None
    return Act(
        [name, index],
        f"的{label}（{name} 第 {index + 1} 条）写明由 {named} {verb}",
        frozenset([named] if named else []),
        f"{role} {named} 本人",
        _contains(name, entry),
    )


def _contains(name: str, entry: dict[str, Any]) -> Callable[[dict[str, Any]], bool]:
    def holds(d: dict[str, Any]) -> bool:
        items = d.get(name)
        return isinstance(items, list) and entry in items

    return holds


def _new_entries(was: dict[str, Any], new: dict[str, Any], name: str) -> list[tuple[int, dict[str, Any]]]:
    before = was.get(name) if isinstance(was.get(name), list) else []
    after = new.get(name) if isinstance(new.get(name), list) else []
    assert isinstance(before, list) and isinstance(after, list)
    return [(i, e) for i, e in enumerate(after) if isinstance(e, dict) and e not in before]


def _get(data: dict[str, Any], *keys: str) -> Any:
    value: Any = data
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def data_of(file: str, raw: bytes | None) -> Data | None:
    parsed = parsed_of(file, raw)
    return parsed[0] if parsed else None


def parsed_of(file: str, raw: bytes | None) -> tuple[Data, Any] | None:
    """(data, root node) as the project's loader reads ``raw``, or None when it cannot be read."""
    if raw is None:
        return None
    text, _ = decode(raw, file)
    if text is None:
        return None
    data, root, _problems = parse(text, file)
    if data is None or root is None:
        return None
    return data, root
