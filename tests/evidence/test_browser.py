"""The before/after pair on a hazard page in a real headless Chromium (Debian's, via Playwright):
side by side at a desktop size, stacked on a phone, both pictures actually loaded."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import CHROMIUM
from tests.site.conftest import Built, explain, sample_site, serve  # noqa: F401 - the session build

playwright_api = pytest.importorskip("playwright.sync_api")
if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError("CI needs chromium for the site's browser tests (scripts/test.sh installs it)")
    pytest.skip("chromium is not installed", allow_module_level=True)

PAGE = "hazards/2023/HAZ-2023-00049.html"


@pytest.fixture(scope="module")
def site(sample_site: Built) -> Iterator[str]:  # noqa: F811 - the fixture imported above
    assert sample_site.proc.returncode == 0, explain(sample_site.proc)
    yield from serve(sample_site.out)


@pytest.fixture(scope="module")
def browser(chromium: Any) -> Any:  # the session's one chromium (tests/conftest.py): a second would clash
    return chromium


@pytest.mark.parametrize(("width", "height", "side_by_side"), [(390, 844, False), (1366, 900, True)])
def test_before_after_pair(browser: Any, site: str, width: int, height: int, side_by_side: bool) -> None:
    page = browser.new_page()
    page.set_viewport_size({"width": width, "height": height})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(site + PAGE, wait_until="load")
    pair = page.locator(".rectify-evidence-pair").first
    pair.scroll_into_view_if_needed()
    images = pair.locator("img")
    assert images.count() == 2
    for index in range(2):
        image = images.nth(index)
        image.scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    before, after = (images.nth(i).bounding_box() for i in range(2))
    assert before is not None and after is not None
    assert before["width"] > 100 and after["width"] > 100
    if side_by_side:
        assert abs(before["y"] - after["y"]) < 2 and after["x"] >= before["x"] + before["width"]
    else:
        assert after["y"] >= before["y"] + before["height"] and abs(before["x"] - after["x"]) < 2
        assert before["x"] + before["width"] <= width  # fits the phone's screen
    assert images.nth(0).get_attribute("alt") == "仓库氧化剂与易燃液体混存"
    assert errors == []
    page.close()
