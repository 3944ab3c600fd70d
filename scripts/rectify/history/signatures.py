"""G-signed: every commit of a range that changes ``registry/`` is signed by a person the registry
knew at the base revision, that person is the author, and a hazard is closed by its acceptor.

The keys, the people and the signing policy are read at the base revision, so a change cannot
register the key it signs with or loosen the rule it is judged by; revocations are read at both
ends (revoking can only make the check stricter).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rectify.diagnostics import Diagnostic, Severity
from rectify.history import approvals, provenance
from rectify.history.base import documents_from
from rectify.history.git import cat_blobs, resolve, tree_entries
from rectify.history.keys import KeyIndex, Signer, revoked_keys
from rectify.history.log import Commit, read_range
from rectify.paths import Paths

RULE = "G-signed"
REGISTRY = "registry/"
_STATUS_REASON = {
    "N": "没有签名",
    "B": "签名无效（内容被改动，或公钥已吊销）",
    "E": "签名无法验证（GPG 签名而本机没有对应公钥，或签名格式无法识别）",
    "X": "签名已过期",
    "Y": "签名所用的公钥已过期",
    "R": "签名所用的公钥已被吊销",
}


@dataclass(frozen=True, slots=True)
class Policy:
    """``signing`` in ``registry/jurisdiction.yaml`` (签名规则), read at the base revision.

    ``forge_signed``: ``accept`` counts a commit that the forge signed on a person's behalf (web
    editor, web form, squash or rebase merge) as signed by its author, if the author's e-mail is a
    registered person's ``contact.email``; ``refuse`` (the default) does not.
    """

    forge_signed: str = "refuse"
    forge_keys: tuple[str, ...] = ()

    @classmethod
    def from_jurisdiction(cls, data: dict[str, Any] | None) -> Policy:
        signing = (data or {}).get("signing")
        if not isinstance(signing, dict):
            return cls()
        keys = signing.get("forge_keys")
        return cls(
            str(signing.get("forge_signed") or "refuse"),
            tuple(k.upper() for k in keys if isinstance(k, str)) if isinstance(keys, list) else (),
        )

    def is_forge(self, commit: Commit) -> bool:
        ids = (commit.key.upper(), commit.fingerprint.upper())
        return commit.signature in ("G", "U") and any(
            k and i.endswith(k) for k in self.forge_keys for i in ids if i
        )


@dataclass(slots=True)
class Verification:
    commits: list[Commit] = field(default_factory=list)
    checked: int = 0  # commits that change registry/
    diagnostics: list[Diagnostic] = field(default_factory=list)
    signers: dict[str, str] = field(default_factory=dict)  # sha → person id


@dataclass(slots=True)
class _Side:
    """People, keys and the jurisdiction at one end of the range."""

    keys: KeyIndex
    jurisdiction: dict[str, Any] | None
    hazards: dict[str, str]  # hazard file → blob id
    irregular: dict[str, str] = field(default_factory=dict)  # symlinks, submodules: path → mode


def _side(paths: Paths, rev: str) -> _Side:
    folder = paths.relative(paths.registry)
    listing = tree_entries(paths.root, rev, folder)
    entries = [(e.oid, e.path) for e in listing if e.kind == "blob"]
    wanted = {path: blob for blob, path in entries if path.startswith(f"{folder}/people/")}
    jurisdiction_file = f"{folder}/jurisdiction.yaml"
    wanted.update({path: blob for blob, path in entries if path == jurisdiction_file})
    blobs = cat_blobs(paths.root, wanted.values())
    documents, _failed, _ = documents_from(paths, {p: blobs[b] for p, b in wanted.items()})
    jurisdiction = next((d.data for d in documents if d.file == jurisdiction_file), None)
    hazards = {path: blob for blob, path in entries if path.startswith(f"{folder}/hazards/")}
    irregular = {e.path: e.mode for e in listing if not e.regular}
    return _Side(
        KeyIndex.from_people(d for d in documents if d.kind == "person"), jurisdiction, hazards, irregular
    )


def verify(paths: Paths, base_rev: str, head_rev: str = "HEAD") -> Verification:
    """Check every commit in ``base..head``, then where each registry file's content at head came
    from (:mod:`~rectify.history.provenance`: a signed commit of the range, whatever the merges)
    and that the registry holds only regular files; raises
    :class:`~rectify.history.git.GitError` when a revision cannot be read."""
    base, head = resolve(paths.root, base_rev), resolve(paths.root, head_rev)
    before, after = _side(paths, base), _side(paths, head)
    policy = Policy.from_jurisdiction(before.jurisdiction)
    revoked = {r.fingerprint: r for r in revoked_keys(before.jurisdiction) + revoked_keys(after.jurisdiction)}
    # Revoked keys do not count as registered: their signatures read as good but unknown (U), with
    # the fingerprint, so the message can say which key and when it was revoked.
    commits = read_range(paths.root, base, head, before.keys, set(revoked))
    result = Verification(commits)
    folder = paths.relative(paths.registry)
    # Every commit that brings registry content into its line is judged (a clean merge too: it
    # vouches for what it brings only when signed); a commit that changes the registry itself
    # (a merge: differs from every parent) must be signed.
    judged = {
        c.sha: _signer(c, before.keys, after.keys, policy, revoked)
        for c in commits
        if any(provenance.in_folder(ch.path, folder) for ch in c.mainline)
    }
    touching = [c for c in commits if any(ch.path.startswith(REGISTRY) for ch in c.changes)]
    result.checked = len(touching)
    refused: set[str] = set()
    for commit in touching:
        first = next(ch.path for ch in commit.changes if ch.path.startswith(REGISTRY))
        signer, problem = judged[commit.sha]
        if signer is None:
            refused.add(commit.sha)
            result.diagnostics.append(_at_file(first, commit, problem))
            continue
        result.signers[commit.sha] = signer.person
    result.diagnostics += approvals.check(paths, base, head, touching, result.signers, before.jurisdiction)
    head_content = provenance.changed_at_head(paths.root, base, head, folder, commits)
    vouching = {sha for sha, (signer, _) in judged.items() if signer is not None}
    result.diagnostics += provenance.unaccounted(
        head_content, commits, folder, vouching, refused, lambda c: judged[c.sha][1]
    )
    result.diagnostics += provenance.irregular(commits, after.irregular, folder)
    return result


def _describe(commit: Commit) -> str:
    return provenance.describe(commit)


def _at_file(file: str, commit: Commit, problem: str) -> Diagnostic:
    return Diagnostic(RULE, Severity.ERROR, file, 1, 1, "", f"{_describe(commit)}修改了登记册，但{problem}")


def _signer(
    commit: Commit, base: KeyIndex, head: KeyIndex, policy: Policy, revoked: dict[str, Any]
) -> tuple[Signer | None, str]:
    """The registered person who signed ``commit``, or None and the reason in Chinese."""
    if commit.problems:
        return None, f"提交对象格式异常（{'；'.join(commit.problems)}）：无法确定作者，请重新提交"
    key = commit.key or commit.fingerprint
    if policy.is_forge(commit):
        if policy.forge_signed != "accept":
            return None, (
                "它由代码托管平台代为签名（网页编辑或平台合并），而 jurisdiction.yaml 的 signing.forge_signed "
                "不允许这样做：请在本地用自己登记的公钥签名提交"
            )
        author = _by_email(base, commit.author_email)
        if author is None:
            return None, (
                f"它由代码托管平台代为签名，而作者邮箱 {commit.author_email} 不是任何登记人员的 contact.email"
                "（基准版本中）：请先登记邮箱，或在本地签名提交"
            )
        return author, ""
    if commit.signature == "G" and commit.principal in base.signers:
        signer = base.signers[commit.principal]
        if not _is_author(signer, commit):
            registered = f"登记邮箱 {signer.email}" if signer.email else f"登记姓名 {signer.name}"
            return None, (
                f"签名人是 {signer.person}（{signer.name}，{registered}），不是提交作者：签名人必须是作者本人，"
                "请由作者用自己的公钥签名"
            )
        return signer, ""
    if key in base.shared:
        return None, (
            f"签名所用公钥 {key} 在基准版本中同时登记给了 {'、'.join(base.shared[key])}：一把公钥只能属于一个人，"
            "重复登记的公钥不代表任何人；请先删除错误的登记（单独的合并请求），再用本人的公钥签名"
        )
    if key in revoked:
        entry = revoked[key]
        return None, f"签名所用公钥 {key} 已被吊销（{entry.person or '—'}，{entry.revoked_on or '日期未填'}）"
    if commit.signature in ("G", "U"):
        if key in head.owners and key not in base.owners:
            return None, (
                f"签名所用公钥 {key} 是在本次变更中才登记给 {head.owners[key]} 的：公钥须先在目标分支上登记"
                "（单独的合并请求，经审核合并后），之后才能用它签名"
            )
        return None, f"签名所用公钥 {key} 没有登记在基准版本的 registry/people/ 中"
    reason = _STATUS_REASON.get(commit.signature, f"签名状态异常（{commit.signature}）")
    return None, reason + "：每个修改登记册的提交都须用登记在册的公钥签名（git commit -S）"


def _by_email(keys: KeyIndex, email: str) -> Signer | None:
    wanted = email.strip().lower()
    return next((s for s in keys.signers.values() if s.email and s.email.lower() == wanted), None)


def _is_author(signer: Signer, commit: Commit) -> bool:
    if signer.email:
        return signer.email.lower() == commit.author_email.strip().lower()
    return signer.name == commit.author_name.strip()
