"""One computation of the periodic figures: the reports, ``rectify report --format json`` and the
site's dashboard and 定期报告 page agree."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from rectify.check import build_registry, run_check
from rectify.documents.figures import month_of, parse_period, period_figures, quarter_of
from rectify.documents.pdf import soffice
from rectify.documents.periodic import periodic_report
from rectify.documents.source import Source
from rectify.paths import find
from rectify.site.context import Site, SiteOptions
from rectify.site.generate import generate
from rectify.site.history import History
from rectify.site.stats import STATE_CLOSED, STATE_OVERDUE, dashboard
from tests.conftest import REPO
from tests.documents.conftest import Generated, text_of
from tests.helpers import cli, explain


def _report_json(today: str, *args: str) -> dict[str, object]:
    proc = cli("--root", str(REPO), "report", "--today", today, "--format", "json", *args)
    assert proc.returncode == 0, explain(proc)
    figures: dict[str, object] = json.loads(proc.stdout)["figures"]
    return figures


@pytest.mark.parametrize(
    ("kind", "key", "today", "args"),
    [
        ("month", "2023-11", "2023-11-30", []),
        ("month", "2023-09", "2023-09-30", []),
        ("quarter", "2023-Q3", "2023-09-30", ["--period", "quarter"]),
        ("quarter", "2023-Q4", "2023-12-31", ["--period", "quarter"]),
    ],
)
def test_report_figures_equal_report_json_at_period_end(
    kind: str, key: str, today: str, args: list[str]
) -> None:
    period = parse_period(kind, key)
    assert period is not None
    result = run_check(find(REPO), dt.date(2023, 12, 31))
    _, figures = periodic_report(
        Source(result.registry, result.diagnostics, dt.date(2023, 12, 31)), period, None, None
    )
    assert figures == _report_json(today, *args)


def test_monthly_document_prints_the_json_figures(generated: Generated) -> None:
    head = _report_json("2023-11-30")["headline"]
    assert isinstance(head, dict)
    text = text_of(generated.open("monthly"))
    assert (
        f"新发现重大事故隐患{head['found']}项，验收销号{head['closed']}项。截至2023年11月30日，累计登记重大事故隐患"
        f"{head['total']}项，已验收销号{head['closed_total']}项，整改率{head['rate']:g}%；尚未销号{head['open']}项，"
        f"其中逾期未整改{head['overdue']}项。挂牌督办的重大事故隐患中，尚在督办{head['supervised_open']}项，"
        f"已整改销号{head['supervised_closed']}项。"
    ) in text
    assert head == {
        "found": 6, "closed": 2, "total": 38, "closed_total": 23, "open": 15, "overdue": 1,
        "rate": 60.5, "supervised_open": 4, "supervised_closed": 5,
    }  # fmt: skip


def test_figures_at_the_site_date_equal_the_dashboard() -> None:
    result = run_check(find(REPO), dt.date(2023, 12, 31))
    today = dt.date(2023, 12, 31)
    board = dashboard(Site(result.registry, SiteOptions(today=today), History()))
    head = period_figures(result.registry, month_of(today))["headline"]
    assert head["total"] == board.major_total
    assert head["closed_total"] == board.major_states[STATE_CLOSED]
    assert head["overdue"] == board.major_states[STATE_OVERDUE]
    assert head["rate"] == board.rate


def test_site_reports_page_links_each_period_internal_only() -> None:
    result = run_check(find(REPO), dt.date(2023, 12, 31))
    today = dt.date(2023, 12, 15)
    internal = generate(result.registry, SiteOptions(profile="internal", today=today))
    page = internal.pages["reports/documents.md"]
    assert "reports/documents/月报-2023-06.docx" not in internal.files  # the last six months only
    for key in ("2023-07", "2023-11", "2023-12"):
        assert f"reports/documents/月报-{key}.docx" in internal.files
        assert f'href="../reports/documents/月报-{key}.docx"' in page  # from reports/documents.html
    assert [f for f in internal.files if "季报" in f and f.endswith(".docx")] == [
        f"reports/documents/季报-2023-Q{q}.docx" for q in (2, 3, 4)
    ]
    if soffice():  # PDFs at build time when LibreOffice is installed
        assert internal.files["reports/documents/季报-2023-Q4.pdf"].startswith(b"%PDF-")
        assert 'href="../reports/documents/季报-2023-Q4.pdf"' in page
    else:
        assert "只提供 Word 版" in page
    cut = period_figures(result.registry, quarter_of(today).until(today))["headline"]
    assert (
        f"<td>2023年第四季度（截至 2023-12-15）</td><td>{cut['found']}</td><td>{cut['closed']}</td>" in page
    )
    public = generate(result.registry, SiteOptions(profile="public", today=today))
    assert not [f for f in public.files if f.startswith("reports/documents/")]
    assert "只在内部版站点提供" in public.pages["reports/documents.md"]


def test_site_page_says_why_a_period_has_no_document(
    registry_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RECTIFY_SITE_PDF", "0")
    path = registry_copy / "registry/hazards/2023/HAZ-2023-00036.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("level: major", "level: huge"), encoding="utf-8")
    registry, _, _ = build_registry(find(registry_copy))
    out = generate(registry, SiteOptions(profile="internal", today=dt.date(2023, 12, 31)))
    page = out.pages["reports/documents.md"]
    assert not [f for f in out.files if f.startswith("reports/documents/")]
    assert page.count("相关记录有错误，未生成公文") == 9  # 6 months and the 3 quarters since the first hazard
    assert "registry/hazards/2023/HAZ-2023-00036.yaml" in page
