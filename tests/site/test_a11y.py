"""Every page template of the built site in Debian's chromium at 390×844 and 1366×900, checked by
axe-core (tests/cms/node_modules, installed by ``npm ci`` from tests/cms/package-lock.json; used by
the tests only, never shipped in the site): no serious or critical violation (WCAG 2.x A/AA, as
GB/T 37668 asks of web content), no console error and no request that leaves the site. The site is
served as it is published: at site_url's path (``/zxzz/``), with ``404.html`` for a missing page.

Templates: the home page, both registers (also with a filter's list open), the campaign list,
plans, bodies, responsibilities, enterprises, inspections, actions, activities, consultations,
the 督办清单, downloads, reports, the rules page, a guide page, the 404 page, the search results,
and one record page of every kind the site writes record pages for (the build is searched for
them: a kind that gets pages fails the coverage test until it is listed here); and the internal
profile's register, hazard page and 督办清单."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO
from tests.helpers import CHROMIUM
from tests.site.conftest import Built, explain, serve
from tests.site.test_browser import Watch, search
from tests.site.test_register_phone import DESK, PHONE

AXE = REPO / "tests" / "cms" / "node_modules" / "axe-core" / "axe.min.js"
PREFIX = "/zxzz/"  # the path of site_url in registry/jurisdiction.yaml
VIEWPORTS = [PHONE, DESK]
SIZES = ["phone", "desk"]

if not Path(CHROMIUM).exists() or not AXE.exists():
    if os.environ.get("CI"):
        raise RuntimeError("CI needs chromium and axe-core (scripts/test.sh installs both)")
    pytest.skip("chromium or axe-core (npm ci --prefix tests/cms) is not installed", allow_module_level=True)

# pages that are one of a kind (each its own template or content shape)
PAGES = [
    "index.html",
    "hazards/index.html",
    "hazards/general.html",
    "campaigns/index.html",
    "campaigns/plans.html",
    "organizations/index.html",
    "organizations/responsibilities.html",
    "enterprises/index.html",
    "inspections/index.html",
    "actions/index.html",
    "activities/index.html",
    "consultations/index.html",
    "duties.html",
    "downloads.html",
    "reports/summary.html",
    "reports/documents.html",
    "rules.html",
    "guide/editing.html",
]
# a county's page and a department's page are the same template with different sections
BODIES = ["organizations/suixi.html", "organizations/city-fire.html"]
RECORD = re.compile(r"^[A-Z]+-\d{4}-\d+$|^9[0-9A-Z]{17}$")


def record_pages(out: Path) -> list[str]:
    """One record page of each kind: the first page named by a record id in each folder."""
    first: dict[str, str] = {}
    for page in sorted(out.rglob("*.html")):
        rel = page.relative_to(out).as_posix()
        if RECORD.match(page.stem) and not rel.startswith("assets/"):
            first.setdefault(page.parent.relative_to(out).as_posix(), rel)
    return sorted(first.values())


def sample_records() -> list[str]:
    """The record kinds of the sample registry that have pages (checked against the build below)."""
    return [
        "actions/cases/CASE-2023-001.html",
        "campaigns/CAMP-2023-001.html",
        "consultations/CONS-2023-001.html",
        "enterprises/91340600MA227WP8RL.html",
        "hazards/2023/HAZ-2023-00001.html",
        "inspections/2023/INSP-2023-0001.html",
    ]


@pytest.fixture(scope="module")
def site(sample_site: Built) -> Iterator[str]:
    assert sample_site.proc.returncode == 0, explain(sample_site.proc)
    yield from serve(sample_site.out, PREFIX)


@pytest.fixture(scope="module")
def internal(sample_internal: Built) -> Iterator[str]:
    assert sample_internal.proc.returncode == 0, explain(sample_internal.proc)
    yield from serve(sample_internal.out, PREFIX)


def open_at(chromium: Any, base: str, path: str, viewport: dict[str, int]) -> tuple[Any, Watch]:
    watch = Watch(base.split(PREFIX)[0] + "/")
    page = chromium.new_page()
    page.set_viewport_size(viewport)
    watch.attach(page)
    page.goto(base + path, wait_until="load")
    if page.locator(".rectify-register").count():
        page.wait_for_selector(".rectify-register[data-ready=true]")
    if page.locator(".rectify-chart").count():
        page.wait_for_selector('.rectify-chart[data-rendered="true"]')
    page.wait_for_load_state("networkidle")
    return page, watch


def axe(page: Any) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page as it is now."""
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    found: list[dict[str, Any]] = page.evaluate(
        """() => axe.run(document, {resultTypes: ['violations']}).then(r => r.violations
            .filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => ({id: v.id, impact: v.impact, help: v.help,
                        nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary}))})))"""
    )
    return found


def explain_axe(where: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"{where}: {len(violations)} serious/critical axe violation(s)"]
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:8]:
            summary = " ".join(str(node["summary"]).split())[:300]
            lines.append(f"    {node['target']}: {summary}")
    return "\n".join(lines)


def check(page: Any, watch: Watch, where: str) -> None:
    violations = axe(page)
    assert not violations, explain_axe(where, violations)
    try:
        watch.clean()
    except AssertionError as exc:
        raise AssertionError(f"{where}: {exc}") from None


def test_the_templates_cover_every_record_kind(sample_site: Built) -> None:
    """The record pages checked below are one of each kind the build writes."""
    assert sample_site.proc.returncode == 0, explain(sample_site.proc)
    found = record_pages(sample_site.out)
    kinds = {p.rsplit("/", 1)[0] for p in found}
    assert kinds == {p.rsplit("/", 1)[0] for p in sample_records()}, found
    for path in PAGES + BODIES:
        assert (sample_site.out / path).is_file(), path


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=SIZES)
@pytest.mark.parametrize("path", PAGES + BODIES + sample_records())
def test_template_has_no_serious_violation(
    chromium: Any, site: str, path: str, viewport: dict[str, int]
) -> None:
    page, watch = open_at(chromium, site, path, viewport)
    check(page, watch, f"{path} at {viewport['width']}")
    page.close()


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=SIZES)
def test_not_found_page(chromium: Any, site: str, viewport: dict[str, int]) -> None:
    """A missing page gets 404.html, whose links load from site_url's path."""
    page = chromium.new_page()
    page.set_viewport_size(viewport)
    watch = Watch(site.split(PREFIX)[0] + "/")
    watch.attach(page)
    response = page.goto(site + "hazards/2023/HAZ-2099-99999.html", wait_until="load")
    assert response is not None and response.status == 404
    page.wait_for_load_state("networkidle")
    assert page.locator("link[href$='rectify.css']").count() == 1
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") != "static"
    # the browser reports the page's own 404 status on the console: that one is expected
    watch.errors = [e for e in watch.errors if "404" not in e]
    check(page, watch, f"404 at {viewport['width']}")
    page.close()


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=SIZES)
def test_search_results(chromium: Any, site: str, viewport: dict[str, int]) -> None:
    page, watch = open_at(chromium, site, "index.html", viewport)
    assert search(page, "挂牌督办") > 0
    links = page.locator(".md-search-result__item a.md-search-result__link")
    assert any("/hazards/20" in (a.get_attribute("href") or "") for a in links.all())
    check(page, watch, f"search results at {viewport['width']}")
    page.close()


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=SIZES)
@pytest.mark.parametrize("register", ["hazards/index.html", "hazards/general.html"])
def test_register_with_a_filter_open(
    chromium: Any, site: str, register: str, viewport: dict[str, int]
) -> None:
    """The desk's header-filter list and the phone's filter panel, open."""
    page, watch = open_at(chromium, site, register, viewport)
    if viewport is DESK:
        page.locator('.tabulator-col[tabulator-field="district"] .tabulator-header-filter input').focus()
        page.wait_for_selector(".tabulator-edit-list .tabulator-edit-list-item")
    else:
        page.locator("details.rectify-phone summary").click()
        assert page.locator('select[name="district"]').is_visible()
    check(page, watch, f"{register} with a filter open at {viewport['width']}")
    page.close()


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=SIZES)
@pytest.mark.parametrize("path", ["hazards/index.html", "hazards/2023/HAZ-2023-00001.html", "duties.html"])
def test_internal_profile(chromium: Any, internal: str, path: str, viewport: dict[str, int]) -> None:
    """The staff's build shows more (people, contacts, columns): the same checks hold."""
    page, watch = open_at(chromium, internal, path, viewport)
    check(page, watch, f"internal {path} at {viewport['width']}")
    page.close()
