"""The built site carries the web form: admin/ with its generated config and Decap served locally."""

from __future__ import annotations

import re

import yaml

from tests.site.conftest import Built, explain


def test_admin_is_published_with_its_assets(sample_site: Built) -> None:
    assert sample_site.proc.returncode == 0, explain(sample_site.proc)
    page = (sample_site.out / "admin" / "index.html").read_text(encoding="utf-8")
    scripts = re.findall(r'<script src="([^"]+)"', page)
    assert scripts == ["../assets/vendor/decap-cms/decap-cms.js"]
    assert (sample_site.out / "admin" / scripts[0]).resolve().stat().st_size > 1_000_000
    chunks = list((sample_site.out / "assets" / "vendor" / "decap-cms").glob("*.decap-cms.js"))
    assert len(chunks) > 50  # the lazily loaded parts the main file fetches from its own folder
    config = yaml.safe_load((sample_site.out / "admin" / "config.yml").read_text(encoding="utf-8"))
    assert config["backend"]["repo"] == "huaibei-safety/rectify"
    assert "hazard-2023" in {c["name"] for c in config["collections"]}
    assert "http" not in page  # nothing loaded from elsewhere
