"""A synthetic registry of N hazards (with the organizations, people, enterprises, campaigns and
inspections they reference) for benchmarks. Deterministic for a given N."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from rectify.uscc import check_char

DISTRICTS = ["suixi", "xiangshan", "duji", "lieshan", "hi-tech-zone", "coal-chem-base"]
STATUSES = ["open", "rectifying", "awaiting_acceptance", "closed"]
INDUSTRIES = [
    "coal",
    "hazardous_chemicals",
    "gas",
    "construction",
    "industry_trade",
    "fire",
    "road_transport",
]


def uscc(n: int) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = ""
    for _ in range(5):
        body += alphabet[n % 31]
        n //= 31
    first17 = "91340600MA2N" + body
    return first17 + check_char(first17)


def write(root: Path, hazards: int, schemas: Path, seed: int = 7, first_inspection: int = 1) -> Path:
    """Write the registry under ``root`` (``root/registry``, ``root/schemas``); return ``root``.
    ``first_inspection`` numbers the inspections from there (a test of ids past 9999 starts near it)."""
    rng = random.Random(seed)
    reg = root / "registry"
    if reg.exists():
        shutil.rmtree(reg)
    shutil.copytree(schemas, root / "schemas", dirs_exist_ok=True)
    for folder in ("organizations", "people", "enterprises", "campaigns", "inspections/2023", "hazards/2023"):
        (reg / folder).mkdir(parents=True, exist_ok=True)
    (reg / "jurisdiction.yaml").write_text(
        'name: 淮北市\ncode: "340600"\noffice: city-safety-office\nworking_day_end: "17:30"\n',
        encoding="utf-8",
    )
    (reg / "standards.yaml").write_text(
        "standards:\n  - id: gongmao-2023\n    title: 工贸企业重大事故隐患判定标准\n    clauses:\n"
        + "".join(f"      - id: 第{n}条\n" for n in "一二三四五六七八九十"),
        encoding="utf-8",
    )
    orgs = ["city-safety-office", "city-emergency", "city-housing", *DISTRICTS]
    for org in orgs:
        kind = (
            "safety_office"
            if org == "city-safety-office"
            else ("department" if org.startswith("city") else "district")
        )
        (reg / "organizations" / f"{org}.yaml").write_text(
            f"id: {org}\nname: {org} 机构\ntype: {kind}\n", encoding="utf-8"
        )
    n_enterprises = max(10, hazards // 20)
    people = [f"staff-{i:04d}" for i in range(max(20, hazards // 50))]
    for person in people:
        (reg / "people" / f"{person}.yaml").write_text(
            f"id: {person}\nname: 职员{person[-4:]}\norganization: city-emergency\ntitle: 科员\n",
            encoding="utf-8",
        )
    enterprises = [uscc(i) for i in range(n_enterprises)]
    for i, code in enumerate(enterprises):
        (reg / "enterprises" / f"{code}.yaml").write_text(
            f"id: {code}\nname: 合成企业{i}有限公司\ndistrict: {DISTRICTS[i % 6]}\nindustry: {INDUSTRIES[i % 7]}\n"
            f"competent_department: city-emergency\nhazard_list_published_on: 2023-12-29\nreported_to: [city-emergency]\n",
            encoding="utf-8",
        )
    (reg / "campaigns" / "CAMP-2023-001.yaml").write_text(
        "id: CAMP-2023-001\ntitle: 合成专项整治\nlevel: municipal\nstatus: planning\n"
        "lead_department: city-emergency\nleader: staff-0000\n",
        encoding="utf-8",
    )
    # Each inspection (by the district government where its enterprise is: no notice to the locality
    # is owed) finds ten hazards and lists them, as H-register asks.
    n_insp = max(1, -(-hazards // 10))
    for i in range(n_insp):
        target = enterprises[i % n_enterprises]
        listed = "".join(
            f"  - summary: 液氨储罐区未设置泄漏报警装置\n    level: {'major' if h % 10 == 1 else 'general'}\n"
            f"    hazard: HAZ-2023-{h + 1:05d}\n"
            for h in range(i * 10, min(hazards, i * 10 + 10))
        )
        (reg / "inspections" / "2023" / f"INSP-2023-{first_inspection + i:04d}.yaml").write_text(
            f"id: INSP-2023-{first_inspection + i:04d}\ncampaign: CAMP-2023-001\ntype: supervision\n"
            f"by: {DISTRICTS[(i % n_enterprises) % 6]}\n"
            f"team: [{people[i % len(people)]}]\ndate: 2023-09-{1 + i % 28:02d}\ntargets: [{target}]\n"
            "checklist:\n  - item: 安全管理制度\n    result: ok\n"
            + (f"findings:\n{listed}" if listed else "findings: []\n"),
            encoding="utf-8",
        )
    for i in range(hazards):
        hid = f"HAZ-2023-{i + 1:05d}"
        ent = enterprises[(i // 10) % n_enterprises]  # the enterprise its inspection checked
        status = STATUSES[i % 4] if i % 10 != 1 else "rectifying"  # no closed major: it needs photos
        day = 1 + i % 28
        major = i % 10 == 1  # one in ten major (the rest general), as in a city's ledgers
        overdue = i % 20 == 2  # one in twenty past its deadline
        basis = "basis:\n  standard: gongmao-2023\n  clause: 第十条\n" if major else ""
        text = f"""# yaml-language-server: $schema=../../../schemas/hazard.schema.json
id: {hid}
level: {"major" if major else "general"}
title: 合成隐患 {i}：液氨储罐区未设置泄漏报警装置
enterprise: {ent}
district: {DISTRICTS[((i // 10) % n_enterprises) % 6]}
industry: {INDUSTRIES[i % 7]}
location: {1 + i % 9}号储罐区
description: 巡查发现储罐区未按规定设置可燃、有毒气体泄漏报警装置，存在较大风险。
{basis}campaign: CAMP-2023-001
found:
  date: 2023-09-{day:02d}
  by: INSP-2023-{first_inspection + i // 10:04d}
  source: government_inspection
self_found: false
internally_listed: {"true" if i % 2 else "false"}
rectification:
  deadline: {"2023-12" if overdue else "2024-03"}-{day:02d}
  department: city-emergency
  person: {people[i % len(people)]}
  acceptor: {people[(i + 1) % len(people)]}
  measures:
    - 增设泄漏报警装置并接入中控室
    - 完善巡检制度
  funds_cny: {rng.randrange(10, 500) * 1000}
  emergency_plan: 整改完成前每两小时人工巡检一次，配备应急器材。
status: {status}
progress:
  - date: 2023-12-{20 + day % 8:02d}
    note: 已采购报警装置
"""
        if status == "closed":
            text += f"acceptance:\n  date: 2023-12-{20 + day % 8:02d}\n  by: {people[(i + 1) % len(people)]}\n  result: passed\n"
        (reg / "hazards" / "2023" / f"{hid}.yaml").write_text(text, encoding="utf-8")
    return root
