"""The internal build carries the web form: admin/ with its generated config and Decap served locally
(the public build ships no editing tool: tests/site/test_public_no_admin.py)."""

from __future__ import annotations

import re

import yaml

from tests.site.conftest import Built, explain


def test_admin_is_published_with_its_assets(planted_internal: Built) -> None:
    assert planted_internal.proc.returncode == 0, explain(planted_internal.proc)
    out = planted_internal.out
    page = (out / "admin" / "index.html").read_text(encoding="utf-8")
    scripts = re.findall(r'<script src="([^"]+)"', page)
    assert scripts == ["../assets/vendor/decap-cms/decap-cms.js"]
    assert (out / "admin" / scripts[0]).resolve().stat().st_size > 1_000_000
    chunks = list((out / "assets" / "vendor" / "decap-cms").glob("*.decap-cms.js"))
    assert len(chunks) > 50  # the lazily loaded parts the main file fetches from its own folder
    config = yaml.safe_load((out / "admin" / "config.yml").read_text(encoding="utf-8"))
    assert config["backend"]["repo"] == "huaibei-safety/rectify"
    assert "hazard-2023" in {c["name"] for c in config["collections"]}
    assert "http" not in page  # nothing loaded from elsewhere
