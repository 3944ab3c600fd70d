"""``.github/CODEOWNERS`` generated from the registry: each record is reviewed by the forge team
(``organization.forge_team``) of the body that owns it; the office's team owns everything else.

A body without a team of its own falls back to its parent's, then to the office's. The file is
generated, never edited by hand; ``rectify codeowners --check`` keeps it current.
"""

from __future__ import annotations

from typing import Any

from rectify.history.owner_blocks import COMPACT_NOTE, SIZE_LIMIT, compact
from rectify.ids import sort_key as id_sort_key
from rectify.load import FOLDER_OF, YEAR_KINDS
from rectify.model import Document, Registry

HEADER = """\
# 由 rectify codeowners 根据 registry/ 生成，请勿手工修改：改登记册后运行 rectify codeowners。
# 每条记录由负责它的单位（organization.forge_team，没有的取上级单位的）审核；其余文件由安委办审核。
# 分支保护须开启“需要代码所有者审核”（见 docs/guide/admin.md）。
"""

# kind → the field naming the body that owns a record of that kind
OWNER_FIELD = {
    "organization": "id",
    "person": "organization",
    "enterprise": "competent_department",
    "campaign": "lead_department",
    "plan": "owner",
    "responsibility": "holder",
    "inspection": "by",
    "hazard": "rectification.department",
    "action": "by",
    "consultation": "issuer",
    "case": "campaign",
    "activity": "by",
}


def _get(data: dict[str, Any], dotted: str) -> Any:
    value: Any = data
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


class _Teams:
    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        office = registry.jurisdiction.data.get("office") if registry.jurisdiction else None
        self.office = self.of_org(office) if isinstance(office, str) else None

    def of_org(self, org_id: str, depth: int = 0) -> str | None:
        org = self.registry.get("organization", org_id)
        if org is None or depth > 20:
            return None
        team = org.data.get("forge_team")
        if isinstance(team, str):
            return team
        parent = org.data.get("parent")
        return self.of_org(parent, depth + 1) if isinstance(parent, str) else None

    def of_party(self, party: Any, depth: int = 0) -> str | None:
        """A team for an organization, an enterprise (its competent department), a person (their
        organization) or a campaign (its lead department)."""
        if not isinstance(party, str) or depth > 5:
            return None
        for kind in self.registry.kinds_of(party):
            doc = self.registry.get(kind, party)
            if doc is None:
                continue
            if kind == "organization":
                return self.of_org(party)
            field = {
                "enterprise": "competent_department",
                "person": "organization",
                "campaign": "lead_department",
            }
            if kind in field:
                return self.of_party(doc.data.get(field[kind]), depth + 1)
        return None


def _folder(doc: Document) -> str:
    """The folder holding the record's file (``/registry/hazards/2023/``)."""
    year = f"{(doc.id or '').split('-')[1]}/" if doc.kind in YEAR_KINDS else ""
    return f"/registry/{FOLDER_OF[doc.kind]}/{year}"


def _owned(registry: Registry, teams: _Teams) -> dict[str, dict[str, str | None]]:
    """folder → record id → the team that reviews it (``None``: the office, through the catch-all)."""
    out: dict[str, dict[str, str | None]] = {}
    for kind, field in OWNER_FIELD.items():
        for record_id in sorted(registry.by_kind.get(kind, {}), key=id_sort_key):
            doc = registry.by_kind[kind][record_id]
            team = teams.of_party(_get(doc.data, field))
            out.setdefault(_folder(doc), {})[record_id] = None if team == teams.office else team
    return out


def generate(registry: Registry, limit: int = SIZE_LIMIT) -> str:
    """The CODEOWNERS text (later lines win, so the catch-all comes first): one line per record whose
    reviewing team is not the office's; when those lines would pass ``limit`` bytes, the fewest
    folder and id-prefix lines (``/registry/hazards/2023/HAZ-2023-001*``) giving every record file the
    same team (see ``compact``)."""
    teams = _Teams(registry)
    head = HEADER + (f"*  {teams.office}\n\n" if teams.office else "")
    owned = _owned(registry, teams)
    lines = [
        f"{folder}{record_id}.*  {team}\n"
        for folder, records in owned.items()
        for record_id, team in records.items()
        if team
    ]
    text = head + "".join(lines)
    if len(text.encode("utf-8")) <= limit:
        return text
    compacted = [line for folder, records in owned.items() for line in compact(folder, records, teams.office)]
    return head + COMPACT_NOTE + "".join(compacted)
