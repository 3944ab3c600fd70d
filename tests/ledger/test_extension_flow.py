"""The clerk's most common edit end to end: an extension typed as a row of the 延期 sheet (names, not
ids), imported into a real Git repository holding the sample, committed, judged by
``rectify check --base`` as CI judges it, and shown on the hazard's page of the built site."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from openpyxl import load_workbook

from rectify.load import parse
from tests.conftest import REPO
from tests.git.repo import Repo
from tests.helpers import cli, explain

HAZARD = "HAZ-2023-00027"  # rectifying, deadline 2023-12-20, no extension yet
FILE = f"registry/hazards/2023/{HAZARD}.yaml"
TODAY = "2023-12-31"  # the sample is clean on this day (no error), as the site tests use it
REASON = "防爆电气设备供货延迟，需分两期停产施工"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def test_an_extension_row_passes_check_base_and_shows_on_the_hazard_page(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    for name in ("registry", "schemas", "docs"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    repo = Repo(root)
    base = repo.commit("样例登记册")
    book = tmp_path / "台账" / "隐患台账.xlsx"
    proc = cli("--root", str(root), "ledger", "export", "--kind", "hazards", "--out", str(book))
    assert proc.returncode == 0, explain(proc)
    workbook = load_workbook(book)
    sheet = workbook["延期"]
    headers = [c.value for c in sheet[2]]
    row = sheet.max_row + 1
    values = {"隐患编号": HAZARD, "申请日期": "2023-12-08", "延期后时限": "2024年2月29日", "延期理由": REASON,
              "批准人": "周磊（市应急局）", "批准日期": "2023-12-10"}  # fmt: skip
    for header, value in values.items():
        sheet.cell(row, headers.index(header) + 1).value = value
    workbook.save(book)

    dry = cli("--root", str(root), "ledger", "import", str(book), "--dry-run", "--today", TODAY, env=ENV)
    assert dry.returncode == 0, explain(dry)
    assert f"工作表“延期”第 {row} 行：追加 {FILE}（延期第 1 条）" in dry.stdout
    assert "将新建 0，将追加 1，将更新 0" in dry.stdout
    assert repo.git("status", "--porcelain") == ""

    proc = cli("--root", str(root), "ledger", "import", str(book), "--today", TODAY, env=ENV)
    assert proc.returncode == 0, explain(proc)
    assert repo.git("status", "--porcelain") == f"M {FILE}"  # (output stripped)
    data, _, _ = parse((root / FILE).read_text(encoding="utf-8"), FILE)
    assert data is not None and data["extensions"] == [
        {"requested_on": "2023-12-08", "new_deadline": "2024-02-29", "reason": REASON,
         "approved_by": "zhou-lei-yjj", "approved_on": "2023-12-10"}
    ]  # fmt: skip
    assert data["rectification"]["deadline"] == "2023-12-20"  # the original limit stays (H-extension)
    repo.commit("延期：台账导入")

    check = cli("--root", str(root), "check", "--base", base, "--today", TODAY, "--format", "json", env=ENV)
    assert check.returncode == 0, explain(check)
    assert '"severity": "error"' not in check.stdout

    out = tmp_path / "site"
    built = cli(
        "--root", str(root), "build", "--profile", "public", "--today", TODAY, "--out", str(out), env=ENV
    )
    assert built.returncode == 0, explain(built)
    pages = [p for p in out.rglob("*.html") if HAZARD in p.as_posix()]
    assert pages, sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html"))[:20]
    page = next(p for p in pages if REASON in p.read_text(encoding="utf-8")).read_text(encoding="utf-8")
    assert "申请延期" in page and "延至 2024-02-29" in page and "批准延期" in page
