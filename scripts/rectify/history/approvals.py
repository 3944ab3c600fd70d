"""G-signed, approvals (审批须由审批人本人签名): every act a named person authorises in a hazard
record — closing it (验收销号), an acceptance, an extension's approval, a reopening, a supervision
(挂牌督办) set, changed or lifted, a downgrade from major to general, a referral (移交) — counts only
if a commit of the range signed by that person (or, for acts of a body, by a person of that body or
of the office) produced a version of the file that contains the act.

Acts are found by comparing what the records *say*: the version at the base and at the head of each
hazard file whose blob differs, both parsed by the project's loader (no look at how a value is
spelled). A clerk may type the record; the approver's own signed commit in the same range — for
example one that adds the approval date — is what makes it count.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from rectify.diagnostics import Diagnostic, PathSeq, Severity, format_path
from rectify.history.git import ZERO, cat_blobs, ls_tree
from rectify.history.log import Commit
from rectify.load import Document, decode, parse
from rectify.paths import Paths

RULE = "G-signed"
HAZARDS = "registry/hazards/"
_ACTIVE = ("city", "county", "department")  # a supervision level other than none (未挂牌)


@dataclass(frozen=True, slots=True)
class Act:
    """One authorised act found in the head version of a record."""

    field: PathSeq  # where it stands in the head record
    what: str  # 把隐患改为已销号（closed）
    eligible: frozenset[str]  # person ids whose signature makes it count
    who: str  # 验收人 sun-hao-yjj
    holds: Callable[[dict[str, Any]], bool]  # does a version of the file contain it?


class _Bodies:
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
                (b, p) for b, p in ls_tree(self._paths.root, self._base, folder) if p.endswith(".yaml")
            ]
            blobs = cat_blobs(self._paths.root, (b for b, _ in entries))
            for blob, path in entries:
                data = _data(path, blobs.get(blob))
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


def check(
    paths: Paths,
    base: str,
    commits: Iterable[Commit],
    signers: Mapping[str, str],
    before: Mapping[str, str],
    after: Mapping[str, str],
    jurisdiction: dict[str, Any] | None,
) -> list[Diagnostic]:
    """Findings for acts in hazard files that no approver signed. ``before``/``after``: hazard file →
    blob at base and head; ``signers``: commit → person for the commits whose signature counts."""
    changed = sorted(p for p, blob in after.items() if before.get(p) != blob and _is_yaml(p))
    if not changed:
        return []
    ends = cat_blobs(paths.root, [after[p] for p in changed] + [before[p] for p in changed if p in before])
    bodies = _Bodies(paths, base, jurisdiction)
    pending: dict[str, tuple[Document, list[Act]]] = {}
    out: list[Diagnostic] = []
    for path in changed:
        head = _parsed(paths, path, ends.get(after[path]))
        if head is None:
            out.append(
                Diagnostic(
                    RULE, Severity.ERROR, path, 1, 1, "", "文件无法解析，无法核验其中的审批是否由审批人签名"
                )
            )
            continue
        old = _data(path, ends.get(before[path])) if path in before else None
        acts = _acts(old, head.data, bodies)
        if acts:
            pending[path] = (head, acts)
    if not pending:
        return out
    versions: dict[str, list[tuple[Commit, str]]] = {}  # file → (commit, blob it produced)
    for commit in commits:
        for change in commit.changes:
            if change.path in pending and change.new_blob != ZERO:
                versions.setdefault(change.path, []).append((commit, change.new_blob))
    texts = cat_blobs(paths.root, (blob for produced in versions.values() for _, blob in produced))
    parsed: dict[str, dict[str, Any] | None] = {}
    for path, (head, acts) in pending.items():
        produced = []
        for commit, blob in versions.get(path, []):
            if blob not in parsed:
                parsed[blob] = _data(path, texts.get(blob))
            produced.append((commit, signers.get(commit.sha), parsed[blob]))
        for act in acts:
            if any(s in act.eligible and d is not None and act.holds(d) for _, s, d in produced):
                continue
            writer = next((c for c, _, d in produced if d is not None and act.holds(d)), None)
            out.append(_unsigned(head, act, writer, signers))
    return out


def _unsigned(head: Document, act: Act, writer: Commit | None, signers: Mapping[str, str]) -> Diagnostic:
    if writer is None:
        by = ""
    else:
        signer = signers.get(writer.sha)
        by = f"（写入它的提交 {writer.short} {'由 ' + signer + ' 签名' if signer else '没有有效签名'}）"
    line, column = head.locate(act.field)
    return Diagnostic(
        RULE,
        Severity.ERROR,
        head.file,
        line,
        column,
        format_path(act.field),
        f"隐患 {head.id or head.file} {act.what}，须由{act.who}签名{by}：本区间内没有其签名、且写入了这一内容"
        "的提交。可由录入人先提交，再由审批人用自己登记的公钥签名提交一次（例如补填批准日期或验收意见），其提交中的这一内容须与最终内容一致",
    )


def _acts(old: dict[str, Any] | None, new: dict[str, Any], bodies: _Bodies) -> list[Act]:
    """The authorised acts ``new`` holds that ``old`` (None: the record is new here) does not."""
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
                f"新增移交（移交 {entry.get('to')}，{entry.get('on')}）",
                eligible,
                who,
                _contains("referrals", entry),
            )
        )
    return acts


def _supervision(was: dict[str, Any], new: dict[str, Any], bodies: _Bodies) -> list[Act]:
    before, after = was.get("supervision"), new.get("supervision")
    if before == after:
        return []
    b, a = (s if isinstance(s, dict) else {} for s in (before, after))

    def holds(d: dict[str, Any]) -> bool:
        return d.get("supervision") == after

    acts = []
    if a.get("level") in _ACTIVE:
        eligible, who = bodies.of(_str(a.get("by")), "督办单位")
        what = f"挂牌督办（{a.get('level')}，督办单位 {a.get('by') or '未填'}）被设立或改动"
        acts.append(Act(["supervision"], what, eligible, who, holds))
    if b.get("level") in _ACTIVE and (b.get("level"), b.get("by")) != (a.get("level"), a.get("by")):
        eligible, who = bodies.of(_str(b.get("by")), "原督办单位")
        what = f"原挂牌督办（{b.get('level')}，督办单位 {b.get('by') or '未填'}）被解除或变更"
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


def _is_yaml(path: str) -> bool:
    return path.startswith(HAZARDS) and path.lower().endswith((".yaml", ".yml"))


def _data(file: str, raw: bytes | None) -> dict[str, Any] | None:
    document = _parsed_raw(file, raw)
    return document[0] if document else None


def _parsed_raw(file: str, raw: bytes | None) -> tuple[dict[str, Any], Any] | None:
    if raw is None:
        return None
    text, _ = decode(raw, file)
    if text is None:
        return None
    data, root, _problems = parse(text, file)
    if data is None or root is None:
        return None
    return data, root


def _parsed(paths: Paths, file: str, raw: bytes | None) -> Document | None:
    parsed = _parsed_raw(file, raw)
    return Document("hazard", file, paths.root / file, parsed[0], parsed[1]) if parsed else None
