"""``.github/CODEOWNERS`` generated from the registry: each record is reviewed by the forge team
(``organization.forge_team``) of the body that owns it; the office's team owns everything else.

A body without a team of its own falls back to its parent's, then to the office's. The file is
generated, never edited by hand; ``rectify codeowners --check`` keeps it current.
"""

from __future__ import annotations

from typing import Any

from rectify.load import FOLDER_OF, YEAR_KINDS, Document
from rectify.model import Registry

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


def _pattern(doc: Document) -> str:
    """The record's file and its companions (``CAMP-2023-001.plan.md``)."""
    folder = FOLDER_OF[doc.kind]
    year = f"{(doc.id or '').split('-')[1]}/" if doc.kind in YEAR_KINDS else ""
    return f"/registry/{folder}/{year}{doc.id}.*"


def generate(registry: Registry) -> str:
    """The CODEOWNERS text (later lines win, so the catch-all comes first)."""
    teams = _Teams(registry)
    lines = [HEADER]
    if teams.office:
        lines.append(f"*  {teams.office}\n\n")
    body = []
    for kind, field in OWNER_FIELD.items():
        for record_id in sorted(registry.by_kind.get(kind, {})):
            doc = registry.by_kind[kind][record_id]
            team = teams.of_party(_get(doc.data, field))
            if team and team != teams.office and doc.id:
                body.append(f"{_pattern(doc)}  {team}\n")
    lines.extend(body)
    return "".join(lines)
