"""督办清单: every current finding of the duty rules is published, grouped by responsible body and
campaign, with links that resolve (rule, record, and the register filtered by a finding), counts
per body on the home page, and no private value: an anonymized person is named by role."""

from __future__ import annotations

import datetime as dt
import html
import re
import urllib.request
from collections import Counter
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest

from rectify.check import run_check
from rectify.paths import find
from rectify.rules import RULES
from rectify.site.pages_duties import DUTY_MODULES
from tests.conftest import REPO
from tests.site.conftest import DESK, PHONE, TODAY, Built, copy_project, explain, rectify_build, serve
from tests.site.test_browser import Watch, browser  # noqa: F401  (the browser fixture)


@pytest.fixture(scope="module")
def site(sample_site: Built) -> Iterator[str]:
    assert sample_site.proc.returncode == 0, explain(sample_site.proc)
    yield from serve(sample_site.out)


def duty_findings(root: Path) -> list[Any]:
    result = run_check(find(root), dt.date.fromisoformat(TODAY))
    return [
        d
        for d in result.diagnostics
        if (rule := RULES.get(d.rule)) is not None
        and rule.run is not None
        and rule.run.__module__ in DUTY_MODULES
    ]


class Rows(HTMLParser):
    """The 督办清单's rows: (section body anchor, rule, record, message, notice) and every link."""

    def __init__(self) -> None:
        super().__init__()
        self.section = ""
        self.rows: list[dict[str, Any]] = []
        self.links: list[str] = []
        self._row: dict[str, Any] | None = None
        self._cell = -1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "h2" and (a.get("id") or "").startswith("body-"):
            self.section = a["id"] or ""
        if tag == "a" and a.get("href"):
            self.links.append(a["href"] or "")
            if self._row is not None:
                self._row["links"].append(a["href"])
        if tag == "table" and "rectify-duties" in (a.get("class") or ""):
            self._row = None
        if tag == "tr" and self.section:
            self._row = {"section": self.section, "cells": [], "links": []}
            self._cell = -1
        if tag == "td" and self._row is not None:
            self._row["cells"].append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "tr" and self._row is not None:
            if self._row["cells"]:
                self.rows.append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._row is not None and self._row["cells"]:
            self._row["cells"][-1] += data


def rule_of(row: dict[str, Any]) -> str:
    found = re.match(r"[A-Z]+-[a-z0-9-]+", row["cells"][0])
    return found.group(0) if found else ""


def parse(path: Path) -> Rows:
    rows = Rows()
    rows.feed(path.read_text(encoding="utf-8"))
    return rows


def test_every_duty_finding_is_listed_under_its_body(sample_site: Built) -> None:
    page = parse(sample_site.out / "duties.html")
    expected = duty_findings(REPO)
    assert len(expected) > 20
    listed = Counter((rule_of(r), r["cells"][2]) for r in page.rows)
    wanted = Counter()
    for d in expected:
        record = Path(d.file).stem
        wanted[(d.rule, record)] += 1
    assert listed == wanted
    # known samples: a plan without its summary, a county that has not inspected every enterprise
    summary = [r for r in page.rows if r["cells"][2] == "PLAN-2023-025" and rule_of(r) == "C-summary"]
    assert summary and summary[0]["section"] == "body-suixi", summary
    assert "二(三) 总结评估" in summary[0]["cells"][4]
    assert "rules.html#c-summary" in summary[0]["links"][0]
    assert summary[0]["links"][1].endswith("campaigns/plans.html#PLAN-2023-025")
    coverage = [r for r in page.rows if r["cells"][2] == "CAMP-2023-002" and rule_of(r) == "I-coverage"]
    assert any(r["section"] == "body-suixi" and "濉溪县" in r["cells"][3] for r in coverage), coverage
    # no rule about files, references, signatures or personal data
    assert not any(r["cells"][0].startswith(("R-", "G-")) for r in page.rows)


def test_every_link_of_the_list_resolves(site: str, sample_site: Built) -> None:
    page = parse(sample_site.out / "duties.html")
    base = urljoin(site, "duties.html")
    checked = 0
    for href in sorted(set(page.links)):
        url = urljoin(base, href)
        if not url.startswith(site):
            continue
        parts = urlsplit(url)
        with urllib.request.urlopen(url.split("#")[0], timeout=10) as response:
            assert response.status == 200, url
            body = response.read().decode("utf-8")
        if parts.fragment:
            assert f'id="{parts.fragment}"' in body, url
        checked += 1
    assert checked > 50


def test_home_page_counts_per_body(sample_site: Built) -> None:
    home = html.unescape((sample_site.out / "index.html").read_text(encoding="utf-8"))
    page = parse(sample_site.out / "duties.html")
    per_section = Counter(r["section"] for r in page.rows)
    shown = dict(re.findall(r'href="duties\.html#(body-[^"]+)">[^<]*</a></td><td>(\d+)</td>', home))
    assert shown and {k: int(v) for k, v in shown.items()} == dict(per_section)


@pytest.mark.parametrize("viewport", [DESK, PHONE], ids=["desk", "phone"])
def test_register_filters_by_a_finding(browser: Any, site: str, viewport: dict[str, int]) -> None:  # noqa: F811
    """“Closed without proper acceptance” (H-accept) and overdue (H-overdue) in the register, on
    the desk's table and the phone's cards."""
    expected: dict[str, set[str]] = {"H-accept": set(), "H-overdue": set()}
    registry = run_check(find(REPO), dt.date.fromisoformat(TODAY)).registry
    major = {d.file: d.id for d in registry.records("hazard") if d.data.get("level") == "major"}
    for d in duty_findings(REPO):
        if d.rule in expected and d.file in major:
            expected[d.rule].add(major[d.file] or "")
    assert expected["H-accept"], "the sample has a hazard closed without a proper acceptance"
    for rule, ids in expected.items():
        watch = Watch(site)
        page = browser.new_page()
        page.set_viewport_size(viewport)
        watch.attach(page)
        page.goto(f"{site}hazards/index.html?findings={rule}")
        page.wait_for_selector(".rectify-register[data-ready=true]")
        page.wait_for_timeout(100)
        assert int(page.locator(".rectify-register").get_attribute("data-count") or -1) == len(ids)
        if viewport is DESK:
            cells = page.locator('.tabulator-row .tabulator-cell[tabulator-field="id"]')
            assert set(cells.all_inner_texts()) == ids, (rule, ids)
            box = page.locator('.tabulator-col[tabulator-field="findings"] .tabulator-header-filter input')
            assert box.input_value().startswith(rule)
        else:
            shown = {t.strip() for t in page.locator(".rectify-card-id").all_inner_texts()}
            assert shown == ids, (rule, shown, ids)
        watch.clean()
        page.close()


def test_campaign_list_shows_summary_completeness(sample_site: Built) -> None:
    text = (sample_site.out / "campaigns" / "index.html").read_text(encoding="utf-8")
    registry = run_check(find(REPO), dt.date.fromisoformat(TODAY)).registry
    for doc in registry.records("campaign"):
        row = re.search(rf"<tr><td><a [^>]*>{doc.id}</a>.*?</tr>", text)
        assert row, doc.id
        summary = doc.data.get("summary") or {}
        complete = all(
            summary.get(k)
            for k in ("completion", "problems", "experience", "outcomes", "institutional_outcomes")
        )
        if doc.data.get("status") in ("summarizing", "closed") and not complete:
            assert "缺少" in row.group(0), doc.id
        elif complete:
            assert "<td>齐全</td>" in row.group(0), doc.id
        else:
            assert "未到总结阶段" in row.group(0), doc.id


@pytest.fixture(scope="module")
def anonymized(tmp_path_factory: pytest.TempPathFactory) -> tuple[Built, Built]:
    """The sample with the person answering for an overdue hazard shown only by role."""
    root = copy_project(tmp_path_factory.mktemp("anonymized"))
    person = root / "registry" / "people" / "hao-dongsheng-ms.yaml"
    person.write_text(person.read_text(encoding="utf-8") + "anonymize: true\n", encoding="utf-8")
    return rectify_build(root, "public", root / "public"), rectify_build(root, "internal", root / "internal")


def test_an_anonymized_person_is_named_by_role(anonymized: tuple[Built, Built]) -> None:
    public, internal = anonymized
    assert public.proc.returncode == 0, explain(public.proc)  # the privacy gate passed
    assert internal.proc.returncode == 0, explain(internal.proc)
    shown = (public.out / "duties.html").read_text(encoding="utf-8")
    row = re.search(r"HAZ-2023-00028</a></td><td>([^<]*)</td>", shown)
    assert row, "the overdue hazard is listed"
    assert "郝东升" not in shown
    assert "（hao-dongsheng-ms）" in row.group(1) and "责任人" in row.group(1)
    inside = (internal.out / "duties.html").read_text(encoding="utf-8")
    assert "郝东升（hao-dongsheng-ms）" in inside
