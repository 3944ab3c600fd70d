"""The public build ships no editing tool: no admin/, no Decap CMS, no local-backend config, and no
page links to or loads any of them (a visitor's browser must not probe localhost:8081). The heavy
scripts (ECharts, Tabulator) are on the pages that draw a chart or a register, and nowhere else."""

from __future__ import annotations

import re
from pathlib import Path

from tests.site.conftest import Built, explain

HEAVY = {"echarts": "rectify-chart", "tabulator": "rectify-register"}


def _pages(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


def test_public_site_has_no_editing_tool(sample_site: Built, planted_public: Built) -> None:
    for built in (sample_site, planted_public):
        assert built.proc.returncode == 0, explain(built.proc)
        out = built.out
        assert not (out / "admin").exists()
        assert not (out / "assets" / "vendor" / "decap-cms").exists()
        assert not list(out.rglob("config.yml"))
        for page in _pages(out):
            text = page.read_text(encoding="utf-8")
            # the staff guide may describe the form (and its local trial at 127.0.0.1); no page
            # loads it or links into the site for it
            assert not re.search(r'(?:src|href)="(?!https?://)[^"]*(?:decap-cms|admin/)', text), page
            assert "local_backend" not in text, page


def test_internal_site_keeps_the_form(planted_internal: Built) -> None:
    assert planted_internal.proc.returncode == 0, explain(planted_internal.proc)
    assert (planted_internal.out / "admin" / "index.html").is_file()
    assert (planted_internal.out / "admin" / "config.yml").is_file()


def test_heavy_scripts_only_where_used(sample_site: Built) -> None:
    out = sample_site.out
    seen = {lib: 0 for lib in HEAVY}
    for page in _pages(out):
        text = page.read_text(encoding="utf-8")
        for lib, marker in HEAVY.items():
            loads = bool(re.search(rf'<script src="[^"]*assets/vendor/{lib}/', text))
            assert loads == (f'class="{marker}' in text), f"{page}: {lib}"
            seen[lib] += loads
    assert seen["echarts"] >= 1 and seen["tabulator"] >= 2  # the dashboard; both registers
    record = (out / "hazards" / "2023" / "HAZ-2023-00001.html").read_text(encoding="utf-8")
    assert "echarts" not in record and "tabulator" not in record
