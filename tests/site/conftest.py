"""Real site builds shared by the site tests (each built once per session):

- ``sample_site``: the repository's sample registry, built by ``mkdocs build --strict`` exactly as
  the README says (public profile, "today" fixed to 2023-12-31);
- ``planted``: a copy of the sample registry with private values and markup payloads planted,
  built public and internal with ``rectify build``.
"""

from __future__ import annotations

import functools
import http.server
import io
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import REPO

TODAY = "2023-12-31"
# the two windows of the browser tests: a resident's phone and a supervisor's desk
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1366, "height": 900}
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "RECTIFY_TODAY": TODAY}

# values planted in private fields: none may reach the public build
PRIVATE = {
    "phone": "13912345678",
    "email": "planted.secret@example.cn",
    "id_number": "34060019900101123X",
    "fax": "0561-7654321",
    "anonymized_name": "隐名测试员",
}
# markup planted in registry text: each must show as text and never run
PAYLOADS = [
    "<script>window.__pwned = 'script'</script>",
    "<img src=x onerror=\"window.__pwned = 'img'\">",
    "[点我](javascript:window.__pwned='link')",
    "{{ config.site_name }} {% raw %} **粗体** `代码` <b>加粗</b>",
]
PAYLOAD_HAZARD = "HAZ-2023-00001"


def payload(kind: str, tag: str) -> str:
    """Markup that, if a page ever treats it as HTML (or Markdown, or a template), sets
    ``window.__pwned`` to ``tag`` or requests a URL containing ``pwned``."""
    forms = {
        "img": f"<img src=/pwned-{tag}.png onerror=\"window.__pwned='{tag}'\">",
        "svg": f"<svg onload=\"window.__pwned='{tag}'\"></svg>",
        "script": f"\"><script>window.__pwned='{tag}'</script>",
        "iframe": f"'><iframe src=\"javascript:parent.__pwned='{tag}'\"></iframe>",
        "link": f"<a href=\"javascript:window.__pwned='{tag}'\">点此</a>",
        "markdown": f"[点我](javascript:window.__pwned='{tag}') ![x](/pwned-{tag}.png)",
        "template": "{{ config.site_name }} {% raw %} ${7*7} {tag}|x{/tag}",
        "details": f"<details open ontoggle=\"window.__pwned='{tag}'\"><summary>x</summary></details>",
    }
    return forms[kind]


# every label source that reaches the register, its filters, the charts, the record pages and the
# search index: (file, how to find the line, the text before the payload, payload)
LABELS = [
    ("organizations/xiangshan.yaml", "name", "相山区人民政府", payload("img", "district")),
    ("organizations/xiangshan.yaml", "short_name", "相山区", payload("svg", "district-short")),
    ("organizations/city-fire.yaml", "name", "淮北市消防救援支队", payload("details", "department")),
    ("organizations/shitai.yaml", "name", "石台镇", payload("iframe", "town")),
    ("campaigns/CAMP-2023-005.yaml", "title", "消防整治", payload("script", "campaign")),
    ("enterprises/91340603MA2LU3RJWK.yaml", "name", "悦汇商业", payload("link", "enterprise")),
    ("people/fang-lin-yh.yaml", "name", "方琳", payload("markdown", "person")),
    ("people/fang-lin-yh.yaml", "title", "总经理", payload("img", "person-title")),
    ("jurisdiction.yaml", "name", "淮北市", payload("template", "city")),
]
STANDARD_TITLE = "重大火灾隐患判定方法" + payload("svg", "standard")


@dataclass(frozen=True)
class Built:
    root: Path
    out: Path
    proc: subprocess.CompletedProcess[str]


def run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cmd, cwd=cwd, env=env or ENV, capture_output=True, text=True, timeout=600, check=False
    )


def explain(proc: subprocess.CompletedProcess[str]) -> str:
    return f"exit {proc.returncode}\n--- stdout ---\n{proc.stdout[-4000:]}\n--- stderr ---\n{proc.stderr[-4000:]}"


def copy_project(target: Path) -> Path:
    """The sample registry, schemas, docs and mkdocs.yml in a fresh folder (no Git history)."""
    for name in ("registry", "schemas", "docs"):
        shutil.copytree(REPO / name, target / name)
    shutil.copy(REPO / "mkdocs.yml", target / "mkdocs.yml")
    return target


def _replace_field(path: Path, field: str, value: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    out = [f"{field}: {value}" if line.startswith(f"{field}:") else line for line in lines]
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def plant(root: Path) -> None:
    """Private values in every private field kind; payloads in a hazard's title and description."""
    reg = root / "registry"
    person = reg / "people" / "sun-hao-yjj.yaml"  # anonymize: true
    text = person.read_text(encoding="utf-8").replace("name: 孙浩", f"name: {PRIVATE['anonymized_name']}")
    text = text.replace("contact:\n", f'id_number: "{PRIVATE["id_number"]}"\ncontact:\n')
    text = text.replace("phone: 0561-0000011", f'phone: "{PRIVATE["phone"]}"')
    text = text.replace("email: sun-hao-yjj@example.cn", f"email: {PRIVATE['email']}")
    person.write_text(text, encoding="utf-8")
    cons = reg / "consultations" / "CONS-2023-001.yaml"
    cons.write_text(
        cons.read_text(encoding="utf-8").replace("fax: 0561-0000009", f"fax: {PRIVATE['fax']}"),
        encoding="utf-8",
    )
    hazard = reg / "hazards" / "2023" / f"{PAYLOAD_HAZARD}.yaml"
    _replace_field(hazard, "title", json.dumps("隐患标题 " + PAYLOADS[0], ensure_ascii=False))
    _replace_field(hazard, "description", json.dumps(" ".join(PAYLOADS), ensure_ascii=False))
    _replace_field(hazard, "location", json.dumps(PAYLOADS[2], ensure_ascii=False))
    for rel, field, before, markup in LABELS:
        _replace_field(reg / rel, field, json.dumps(before + markup, ensure_ascii=False))
    standards = reg / "standards.yaml"
    standards.write_text(
        standards.read_text(encoding="utf-8").replace(
            "title: 重大火灾隐患判定方法", f"title: {json.dumps(STANDARD_TITLE, ensure_ascii=False)}"
        ),
        encoding="utf-8",
    )


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    out = tmp_path_factory.mktemp("sample") / "site"
    proc = run([str(Path(sys.executable).parent / "mkdocs"), "build", "--strict", "-d", str(out)], REPO)
    return Built(REPO, out, proc)


@pytest.fixture(scope="session")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("planted"))
    plant(root)
    return root


def rectify_build(root: Path, profile: str, out: Path) -> Built:
    cmd = [
        sys.executable,
        "-m",
        "rectify",
        "--root",
        str(root),
        "build",
        "--profile",
        profile,
        "--today",
        TODAY,
        "--out",
        str(out),
    ]
    return Built(root, out, run(cmd, root))


@pytest.fixture(scope="session")
def sample_internal(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The sample registry's internal build (staff's copy: more columns and fields)."""
    return rectify_build(REPO, "internal", tmp_path_factory.mktemp("sample-internal") / "site")


@pytest.fixture(scope="session")
def planted_public(planted: Path) -> Built:
    return rectify_build(planted, "public", planted / "out-public")


@pytest.fixture(scope="session")
def planted_internal(planted: Path) -> Built:
    return rectify_build(planted, "internal", planted / "out-internal")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class _Published(_Quiet):
    """The folder at ``prefix`` (site_url's path), ``404.html`` for any missing path, as a web
    server hosting the site is set up (README 站点如何发布)."""

    prefix = "/"

    def send_head(self):  # type: ignore[no-untyped-def]
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        if path.startswith(self.prefix):
            self.path = "/" + self.path[len(self.prefix) :]
            if Path(self.translate_path(self.path)).exists():
                return super().send_head()
        page = Path(self.directory) / "404.html"
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def serve(folder: Path, prefix: str = "") -> Iterator[str]:
    """Serve ``folder`` over HTTP on a free local port; yields the base URL. With ``prefix`` (a
    path such as ``/zxzz/``) the folder is served there, and any other path gets ``404.html``."""
    if prefix:
        handler = functools.partial(
            type("Published", (_Published,), {"prefix": prefix}), directory=str(folder)
        )
    else:
        handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix or '/'}"
    finally:
        server.shutdown()
        server.server_close()
