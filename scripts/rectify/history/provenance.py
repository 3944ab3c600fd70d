"""Where the registry at head came from (G-signed, whatever the shape of the history).

**What "came from" means.** A commit *sets* a path to a content (a blob with its mode, or the
path's absence) when its tree has that content and its first parent's tree does not: for an
ordinary commit, its diff; for a merge, what it brings into the line it merges into (``git
diff-tree M M^1``), which includes whatever it takes from another parent. A commit that is
properly signed by a registered person (the same test as for every other commit) *vouches* for
what it sets. Every registry path whose content at head differs from the base — limited, when
head does not contain the base, to the paths head changed since their merge base — must hold
exactly a content that some vouching commit of ``base..head`` set. Unsigned merges vouch for
nothing, so a merge cannot bring back an old version (a revoked key, a deleted acceptance) from a
parent older than the base, nor slip in a change of its own, whatever the parents, their order or
their number. Content is compared by blob id and mode, so it is exact.

One ``git diff-tree`` of base against head (and one per merge base, only when head does not
contain the base) and one pass over the commits' changes: linear in commits × changed paths.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path

from rectify.diagnostics import Diagnostic, Severity
from rectify.history.git import REGULAR_MODES, ZERO, run
from rectify.history.log import DIFF_OPTIONS, Commit, parse_raw_diff

RULE = "G-signed"
DELETED = ("000000", ZERO)
_KINDS = {"120000": "符号链接", "160000": "子模块（gitlink）"}


_HIDDEN = {"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"}


def _escape(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def printable(text: str) -> str:
    """``text`` with control and format characters (line breaks, ANSI escapes, bidi overrides)
    shown as escapes, so that what an author wrote cannot restyle or forge a line of the report."""
    return "".join(_escape(ch) if unicodedata.category(ch) in _HIDDEN else ch for ch in text)


def describe(commit: Commit) -> str:
    """``提交 abc1234567（作者 名字 <邮箱>，“主题”）``, every part printable."""
    return (
        f"提交 {commit.short}（作者 {printable(commit.author_name)} <{printable(commit.author_email)}>，"
        f"“{printable(commit.subject)}”）"
    )


def in_folder(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder + "/")


def kind_of(mode: str) -> str:
    return _KINDS.get(mode, f"特殊文件（模式 {mode}）")


def changed_at_head(
    root: Path, base: str, head: str, folder: str, commits: Iterable[Commit]
) -> dict[str, tuple[str, str]]:
    """Path → (mode, blob id) at head of the registry paths whose content at head differs from
    ``base`` and that head changed since
    the merge base (the same paths when head contains the base, as a pull request's merge commit
    does; a branch that is behind is not blamed for what the target branch changed meanwhile)."""
    changed = _diff(root, base, head, folder)
    contains_base = base == head or any(base in c.parents for c in commits)
    if not contains_base and changed:
        forks = run(root, ["merge-base", "--all", base, head]).decode().split()
        since_fork: set[str] = set()
        for fork in forks:
            since_fork.update(_diff(root, fork, head, folder))
        changed = {p: v for p, v in changed.items() if p in since_fork or not forks}
    return changed


def _diff(root: Path, old: str, new: str, folder: str) -> dict[str, tuple[str, str]]:
    out = run(root, ["diff-tree", *DIFF_OPTIONS, old, new, "--", folder], ["core.quotePath=false"])
    records = parse_raw_diff(out, first=new)  # two revisions given: no commit line, one record
    return {ch.path: (ch.new_mode, ch.new_blob) for ch in records[0][2]}


def unaccounted(
    head: dict[str, tuple[str, str]],
    commits: list[Commit],
    folder: str,
    vouching: set[str],
    reported: set[str],
    reason: Callable[[Commit], str],
) -> list[Diagnostic]:
    """A G-signed error for each path of ``head`` whose content no vouching commit set (see the
    module docstring). A path is left to the commit that set it when that commit was already
    refused (``reported``); otherwise the message names the commit that last set it, if any."""
    setters: dict[tuple[str, str, str], list[Commit]] = {}
    vouched: set[tuple[str, str, str]] = set()
    for commit in commits:
        for change in commit.mainline:
            if in_folder(change.path, folder):
                key = (change.path, change.new_mode, change.new_blob)
                setters.setdefault(key, []).append(commit)
                if commit.sha in vouching:
                    vouched.add(key)
    out = []
    for path, (mode, blob) in sorted(head.items()):
        key = (path, mode, blob)
        if key in vouched:
            continue
        found = setters.get(key, [])
        if any(c.sha in reported for c in found):
            continue
        what = "删除" if (mode, blob) == DELETED else "现在的内容"
        if found:
            last = found[-1]
            how = "合并时从另一父提交带入了它" if last.is_merge else "设定了它"
            source = f"最后是{describe(last)}{how}，而该提交{reason(last)}"
        else:
            source = "区间内没有任何提交设定过这一内容：它来自基准版本之前的历史，经合并带回"
        out.append(
            Diagnostic(
                RULE,
                Severity.ERROR,
                path,
                1,
                1,
                "",
                f"{printable(path)} 的{what}不是由登记人员签名的提交带来的：{source}。与基准版本不同的每个登记册文件，"
                "其内容都须来自区间内一个由登记人员本人有效签名的提交；未签名的合并提交不能为内容作保",
            )
        )
    return out


def irregular(commits: list[Commit], head: dict[str, str], folder: str) -> list[Diagnostic]:
    """A G-signed error for each symlink, submodule or other non-regular file under the registry,
    at head (``head``: path → mode) or set by any commit of the range: a link makes a record read
    content from elsewhere that no review of the registry covers."""
    found: dict[str, tuple[str, Commit | None]] = {}
    commit: Commit | None
    for commit in commits:
        for change in commit.mainline:
            if in_folder(change.path, folder) and change.new_mode not in (*REGULAR_MODES, DELETED[0]):
                found.setdefault(change.path, (change.new_mode, commit))
    for path, mode in head.items():
        if path not in found:
            found[path] = (mode, None)
    out = []
    for path, (mode, commit) in sorted(found.items()):
        by = f"，由{describe(commit)}加入" if commit is not None else ""
        out.append(
            Diagnostic(
                RULE,
                Severity.ERROR,
                path,
                1,
                1,
                "",
                f"{printable(path)} 是{kind_of(mode)}{by}：登记册 {folder}/ 下只允许普通文件，不得有符号链接、"
                "子模块或其他特殊文件（链接会让记录读取登记册以外、未经审核的内容）",
            )
        )
    return out
