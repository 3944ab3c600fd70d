"""Coarser CODEOWNERS lines for a large registry. GitHub ignores a CODEOWNERS file over 3 MB, and one
line per record passes that at about 40,000 records; records imported together from one ledger get
consecutive ids and one owner, so lines for a folder (``/registry/hazards/2023/``) and for id
prefixes (``/registry/hazards/2023/HAZ-2023-001*``) can give every record file the same team with
far fewer lines.

``compact`` finds the fewest such lines exactly: over the character trie of a folder's record ids,
``cost(node, team in force)`` is the fewest lines below the node, either keeping the team in force
or writing the node's own line first. CODEOWNERS applies the last matching line, so a node's line
comes before the lines of its descendants. GitHub's CODEOWNERS has no character classes (``[0-9]``),
so a prefix followed by ``*`` is the only grouping by name."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

SIZE_LIMIT = 2 * 1024 * 1024  # GitHub ignores CODEOWNERS over 3 MB; room to grow before the next run
COMPACT_NOTE = (
    "# 逐条列出会超过 GitHub 的 3 MB 上限，故按目录和编号前缀合并（如 HAZ-2023-001* 指编号以此开头的记录）；\n"
    "# 合并后每个记录文件的审核团队与逐条列出时完全相同。\n\n"
)
_END = "."  # the character after an id in its file names (``HAZ-2023-00017.yaml``, ``….plan.md``)


@dataclass(slots=True)
class _Node:
    children: dict[str, _Node] = field(default_factory=dict)
    want: str | None = None  # at an id's end: the team its files need
    leaf: bool = False
    # the fewest lines below (this node included) for each team in force; ``other`` for any team
    # not wanted anywhere below
    cost: dict[str | None, int] = field(default_factory=dict)
    other: int = 0


def compact(folder: str, records: dict[str, str | None], office: str | None) -> Iterator[str]:
    """The fewest lines giving each record id's files (``<folder><id>.*``) its team (``None``: the
    office's, as through the catch-all), in the order CODEOWNERS needs: general before specific."""
    root = _Node()
    for record_id, team in records.items():
        node = root
        for char in record_id + _END:
            node = node.children.setdefault(char, _Node())
        node.leaf, node.want = True, team
    _costs(root)
    yield from _lines(root, folder, "", None, office or "")


def _costs(root: _Node) -> None:
    order = [root]
    for node in order:  # breadth first; costs are then filled from the leaves up
        order.extend(node.children.values())
    for node in reversed(order):
        if node.leaf:
            node.cost, node.other = {node.want: 0}, 1
            continue
        other = sum(child.other for child in node.children.values())
        base: dict[str | None, int] = {}
        for child in node.children.values():
            for team, cost in child.cost.items():
                base[team] = base.get(team, other) - child.other + cost
        best = min(base.values())
        node.cost = {team: min(cost, 1 + best) for team, cost in base.items()}
        node.other = min(other, 1 + best)


def _inner(node: _Node, team: str | None) -> int:
    """The fewest lines strictly below ``node`` with ``team`` in force and no line of its own."""
    return sum(child.cost.get(team, child.other) for child in node.children.values())


def _lines(node: _Node, folder: str, prefix: str, in_force: str | None, office: str) -> Iterator[str]:
    if node.leaf:
        if node.want != in_force:
            yield f"{folder}{prefix}*  {node.want or office}\n"
        return
    team = in_force
    best = min(node.cost, key=lambda t: (node.cost[t], t is not None, t or ""))  # ties: the office
    if best != in_force and 1 + _inner(node, best) < _inner(node, in_force):
        team = best
        yield f"{folder}{prefix}*  {best or office}\n"
    for char, child in sorted(node.children.items()):
        yield from _lines(child, folder, prefix + char, team, office)
