"""End to end: a hazard is created through the web form (Decap CMS, served from the site's own
files) against the local backend (decap-server in git mode: each save is a branch, as a pull
request would be on the forge), and the file it writes passes ``rectify check``."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from rectify import cms
from rectify.check import build_registry
from rectify.load import parse
from rectify.paths import find
from tests.conftest import REPO
from tests.helpers import CHROMIUM, CHROMIUM_ARGS, cli, explain
from tests.site.conftest import serve

DECAP_SERVER = Path(__file__).parent / "node_modules" / ".bin" / "decap-server"
BRANCH = "cms/hazard-2026/haz-2026-00001"
FILE = "registry/hazards/2026/haz-2026-00001.yaml"
sync_api = pytest.importorskip("playwright.sync_api")
if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError("CI needs chromium for the web-form test (scripts/test.sh installs it)")
    pytest.skip("chromium is not installed", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _git(repo: Path, *args: str) -> str:
    proc = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True)
    return proc.stdout


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A registry repository (git, one commit) the form will write to."""
    repo = tmp_path / "repo"
    shutil.copytree(REPO / "registry", repo / "registry")
    shutil.copytree(REPO / "schemas", repo / "schemas")
    _git(repo.parent, "init", "-q", "-b", "main", str(repo))
    _git(repo, "-c", "user.name=测试", "-c", "user.email=t@example.cn", "add", ".")
    _git(repo, "-c", "user.name=测试", "-c", "user.email=t@example.cn", "commit", "-q", "-m", "初始")
    return repo


@pytest.fixture
def backend(project: Path) -> Iterator[int]:
    assert DECAP_SERVER.exists(), (
        "缺少 decap-server：在 tests/cms 中运行 npm ci（scripts/test.sh 会自动安装）"
    )
    port = _free_port()
    env = {**os.environ, "PORT": str(port), "MODE": "git", "GIT_REPO_DIRECTORY": str(project)}
    proc = subprocess.Popen(
        [str(DECAP_SERVER)], env=env, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        deadline = time.monotonic() + 30
        assert proc.stdout is not None
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if "listening on port" in line:
                break
        else:
            pytest.fail("decap-server 未能启动")
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        assert proc.stdout is not None
        proc.stdout.close()


@pytest.fixture
def admin_site(tmp_path: Path, backend: int) -> Iterator[str]:
    """The site's admin/ exactly as the build writes it, with the vendored Decap files beside it;
    only the local backend's port is pointed at this test's decap-server."""
    site = tmp_path / "site"
    registry, _, _ = build_registry(find(REPO))
    for rel, content in cms.site_files(registry, current_year=2026).items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_bytes(content)
    config = yaml.safe_load((site / "admin" / "config.yml").read_text(encoding="utf-8"))
    assert config["local_backend"] is True
    config["local_backend"] = {"url": f"http://localhost:{backend}/api/v1"}
    (site / "admin" / "config.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    shutil.copytree(
        REPO / "docs" / "assets" / "vendor" / "decap-cms", site / "assets" / "vendor" / "decap-cms"
    )
    yield from serve(site)


def _pick(page: Any, label: str, typed: str, option: str | None = None) -> None:
    """Type into a select or relation field and click the option showing ``option``."""
    page.get_by_label(re.compile(rf"^{label}( \(可选\))?$")).fill(typed)
    choice = page.locator("[class*='-option']").filter(has_text=option or typed).first
    choice.wait_for(state="visible", timeout=15000)
    choice.click()


def test_create_a_hazard_through_the_form(admin_site: str, project: Path) -> None:
    outside: list[str] = []
    profile = tempfile.mkdtemp(prefix="rectify-cms-")
    try:
        with sync_api.sync_playwright() as p:
            browser = p.chromium.launch_persistent_context(
                profile, executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
            )
            page = browser.new_page()
            page.on(
                "request",
                lambda r: (
                    None
                    if "127.0.0.1" in r.url or "localhost" in r.url or r.url.startswith(("data:", "blob:"))
                    else outside.append(r.url)
                ),
            )
            page.goto(admin_site + "admin/")
            page.get_by_role("button", name="登录").click()
            page.goto(admin_site + "admin/#/collections/hazard-2026/new")
            page.get_by_label("隐患编号").fill("HAZ-2026-00001")
            _pick(page, "隐患等级", "一般事故隐患")
            page.get_by_label("隐患名称").fill("消防通道堆放杂物")
            _pick(page, "所在企业", "91340621MA2WR4K7N2")
            _pick(page, "所属县区", "濉溪", "（suixi）")
            _pick(page, "行业领域", "建筑施工")
            page.get_by_label("隐患点").fill("3号楼东侧消防通道")
            page.get_by_label("隐患描述").fill("施工材料占用消防通道约 20 米。")
            page.get_by_label("发现日期").fill("2026-11-20")
            _pick(page, "发现途径", "企业自查")
            page.get_by_label("整改时限").fill("2026-12-15")
            _pick(page, "责任部门", "city-housing", "（city-housing）")
            _pick(page, "整改状态", "待整改")
            page.get_by_role("button", name="保存").first.click()
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and BRANCH not in _git(project, "branch", "--list"):
                page.wait_for_timeout(500)
            page.screenshot(path=str(project.parent / "form.png"), full_page=True)
            errors = [e for e in page.locator("ul li").all_inner_texts() if "必填" in e or "格式" in e]
            browser.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    assert errors == [], errors
    assert BRANCH in _git(project, "branch", "--list"), "保存后应建立分支（编辑流程：每次保存一个分支）"
    assert outside == [], outside
    assert _git(project, "log", "-1", "--format=%s", BRANCH).strip() == "新增 隐患台账：haz-2026-00001"
    _git(project, "checkout", "-q", BRANCH)
    written, _, problems = parse((project / FILE).read_text(encoding="utf-8"), FILE)
    assert problems == []
    assert written == {
        "id": "HAZ-2026-00001",
        "level": "general",
        "title": "消防通道堆放杂物",
        "enterprise": "91340621MA2WR4K7N2",
        "district": "suixi",
        "industry": "construction",
        "location": "3号楼东侧消防通道",
        "description": "施工材料占用消防通道约 20 米。",
        "found": {"date": "2026-11-20", "source": "self_inspection"},
        "rectification": {"deadline": "2026-12-15", "department": "city-housing"},
        "status": "open",
    }
    proc = cli("check", FILE, "--today", "2026-11-29", cwd=project)
    assert proc.returncode == 0, explain(proc)
