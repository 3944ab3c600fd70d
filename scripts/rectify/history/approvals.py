"""G-signed, approvals (审批须由审批人本人签名): every act a named person authorises in a record —
closing a hazard (验收销号), an acceptance, an extension's approval, a reopening, a supervision
(挂牌督办) set, changed or lifted, a downgrade from major to general, a referral (移交), a plan's review
(方案审查), a consultation response (反馈) — counts only if a commit of the range signed by that
person (or, for acts of a body, by a person of that body or of the office) produced a version of the
file that contains the act (:mod:`rectify.history.acts` says what the acts are).

Acts are found by comparing what the records *say*: the version at the base and at the head of each
file that differs between the two trees (``git diff``, so no shape of history can hide one), both
parsed by the project's loader — how a value is spelled does not matter. A clerk may type the
record; the approver's own signed commit in the same range, for example one that adds the approval
date, is what makes it count.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from rectify.diagnostics import Diagnostic, Severity, format_path
from rectify.fields import KIND_NAMES
from rectify.history.acts import Act, Bodies, Data, acts_of, data_of, parsed_of
from rectify.history.git import ZERO, cat_blobs, run
from rectify.history.log import Commit
from rectify.load import KIND_FOLDERS
from rectify.model import Document
from rectify.paths import Paths

RULE = "G-signed"
FOLDERS = ("hazards", "campaigns", "plans", "consultations")  # the kinds that hold approvals
_REGULAR = ("100644", "100755")


def changed_files(paths: Paths, base: str, head: str) -> dict[str, tuple[str, str]]:
    """Record file → (blob at base or ZERO, blob at head) for every regular YAML file of the kinds
    that hold approvals and that differs between the two trees (links are G-signed's other concern)."""
    folder = paths.relative(paths.registry)
    args = ["diff", "--raw", "-z", "--no-renames", "--no-abbrev", base, head, "--"]
    out = run(paths.root, args + [f"{folder}/{name}" for name in FOLDERS]).decode("utf-8", "surrogateescape")
    tokens = out.split("\0")
    changed = {}
    for meta, path in zip(tokens[0::2], tokens[1::2], strict=False):
        fields = meta.lstrip(":").split()
        if len(fields) < 5 or fields[1] not in _REGULAR or not path.lower().endswith((".yaml", ".yml")):
            continue
        changed[path] = (fields[2] if fields[0] in _REGULAR else ZERO, fields[3])
    return changed


def check(
    paths: Paths,
    base: str,
    head: str,
    commits: Iterable[Commit],
    signers: Mapping[str, str],
    jurisdiction: dict[str, Any] | None,
) -> list[Diagnostic]:
    """Findings for acts that no approver signed in ``base..head`` (full commit ids); ``signers``:
    commit → person, for the commits whose signature counts; ``jurisdiction`` as at the base."""
    changed = changed_files(paths, base, head)
    if not changed:
        return []
    ends = cat_blobs(paths.root, (blob for pair in changed.values() for blob in pair))
    bodies = Bodies(paths, base, jurisdiction)
    pending: dict[str, tuple[Document, list[Act]]] = {}
    out: list[Diagnostic] = []
    for path, (old_blob, new_blob) in sorted(changed.items()):
        document = _parsed(paths, path, ends.get(new_blob))
        if document is None:
            out.append(
                Diagnostic(
                    RULE, Severity.ERROR, path, 1, 1, "", "文件无法解析，无法核验其中的审批是否由审批人签名"
                )
            )
            continue
        old = data_of(path, ends.get(old_blob)) if old_blob != ZERO else None
        acts = acts_of(document.kind, old, document.data, bodies)
        if acts:
            pending[path] = (document, acts)
    if not pending:
        return out
    versions: dict[str, list[tuple[Commit, str]]] = {}  # file → (commit, blob it produced)
    for commit in commits:
        for change in commit.changes:
            if change.path in pending and change.new_blob != ZERO:
                versions.setdefault(change.path, []).append((commit, change.new_blob))
    texts = cat_blobs(paths.root, (blob for produced in versions.values() for _, blob in produced))
    parsed: dict[str, Data | None] = {}
    for path, (document, acts) in pending.items():
        produced = []
        for commit, blob in versions.get(path, []):
            if blob not in parsed:
                parsed[blob] = data_of(path, texts.get(blob))
            produced.append((commit, signers.get(commit.sha), parsed[blob]))
        for act in acts:
            if any(s in act.eligible and d is not None and act.holds(d) for _, s, d in produced):
                continue
            writer = next((c for c, _, d in produced if d is not None and act.holds(d)), None)
            out.append(_unsigned(document, act, writer, signers))
    return out


def _unsigned(record: Document, act: Act, writer: Commit | None, signers: Mapping[str, str]) -> Diagnostic:
    if writer is None:
        by = ""
    else:
        signer = signers.get(writer.sha)
        by = f"（写入它的提交 {writer.short} {'由 ' + signer + ' 签名' if signer else '没有有效签名'}）"
    line, column = record.locate(act.field)
    label = KIND_NAMES.get(record.kind, record.kind)
    return Diagnostic(
        RULE,
        Severity.ERROR,
        record.file,
        line,
        column,
        format_path(act.field),
        f"{label} {record.id or record.file} {act.what}，须由{act.who}签名{by}：本区间内没有其签名、且写入了这一内容"
        "的提交。可由录入人先提交，再由审批人用自己登记的公钥签名提交一次（例如补填批准日期或验收意见），其提交中的这一内容须与最终内容一致",
    )


def _parsed(paths: Paths, file: str, raw: bytes | None) -> Document | None:
    parsed = parsed_of(file, raw)
    kind = KIND_FOLDERS.get(file.split("/")[1]) if file.count("/") > 1 else None
    if parsed is None or kind is None:
        return None
    text = raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8", "replace") if raw is not None else None
    return Document(kind, file, str(paths.root / file), parsed[0], text)
