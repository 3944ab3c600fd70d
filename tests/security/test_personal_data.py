"""Personal data typed into free text never reaches the public site: the public build refuses it
with a Chinese message naming file, line and field, and a failed public build leaves no output
behind (``rectify build`` keeps the previous site; ``mkdocs build`` leaves its folder empty)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.site.conftest import ENV, copy_project, explain, rectify_build, run

HAZARD = "registry/hazards/2023/HAZ-2023-00001.yaml"


def _plant(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line_of(root: Path, rel: str, needle: str) -> int:
    lines = (root / rel).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


# (file, text replaced, replacement, field as the message names it, what)
VARIANTS = [
    pytest.param(
        HAZARD,
        "description: ",
        "description: 责任人身份证号 34060219850101123５，",
        "字段 description（隐患描述）",
        "身份证号",
        id="id-number-full-width",
    ),
    pytest.param(
        HAZARD,
        "    note: ",
        "    note: 联系人手机 +86 138-1234-5678；",
        "字段 progress[0].note（进展情况）",
        "手机号码",
        id="mobile-in-progress-note",
    ),
    pytest.param(
        "registry/actions/2023/ACT-2023-0001.yaml",
        "reason: ",
        "reason: 详询（0561）3012345 转 8012；",
        "字段 reason",
        "固定电话号码",
        id="landline-in-action-reason",
    ),
    pytest.param(
        "registry/campaigns/CAMP-2023-001.yaml",
        "title: ",
        "title: 联系 zhang.san@example.cn ",
        "字段 title",
        "电子邮箱",
        id="email-in-campaign-title",
    ),
]


@pytest.mark.parametrize(("rel", "old", "new", "field", "what"), VARIANTS)
def test_public_build_refuses_personal_data(
    tmp_path: Path, rel: str, old: str, new: str, field: str, what: str
) -> None:
    root = copy_project(tmp_path / "project")
    _plant(root, rel, old, new)
    line = _line_of(root, rel, new.split(":", 1)[0] + ":" + new.split(":", 1)[1][:6])
    out = tmp_path / "site"
    built = rectify_build(root, "public", out)
    assert built.proc.returncode == 1, explain(built.proc)
    output = built.proc.stdout + built.proc.stderr
    assert "公开版站点不能发布自由文本中的个人信息" in output, output
    assert f"{rel} 第 {line} 行 {field}" in output, output
    assert f"疑似{what}" in output, output
    assert "Traceback" not in output and "Aborted" not in output
    for secret in ("340602198501011235", "138-1234-5678", "3012345", "zhang.san@example.cn"):
        assert secret not in output  # the message masks the value
    assert not out.exists(), "no partial output"
    assert [p.name for p in tmp_path.iterdir()] == ["project"], "no temporary folder left behind"
    # the internal build (supervisors only) still builds
    internal = rectify_build(root, "internal", tmp_path / "internal")
    assert internal.proc.returncode == 0, explain(internal.proc)


def test_failed_build_keeps_the_previous_site(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    out = tmp_path / "site"
    first = rectify_build(root, "public", out)
    assert first.proc.returncode == 0, explain(first.proc)
    before = sorted(p.relative_to(out).as_posix() for p in out.rglob("*"))
    index = (out / "index.html").read_bytes()
    _plant(root, HAZARD, "description: ", "description: 身份证 340602 19850101 1235；")
    second = rectify_build(root, "public", out)
    assert second.proc.returncode == 1, explain(second.proc)
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == before
    assert (out / "index.html").read_bytes() == index
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project", "site"]
    # and a good build replaces it whole
    _plant(root, HAZARD, "身份证 340602 19850101 1235；", "")
    third = rectify_build(root, "public", out)
    assert third.proc.returncode == 0, explain(third.proc)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project", "site"]
    assert oct((out).stat().st_mode & 0o777) == oct(0o755)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        # refused before any page is made (R-personal)
        ("description: ", "description: 手机 13912345678，", "公开版站点不能发布自由文本中的个人信息"),
        # refused after the pages are written (a private value reached the output)
        ("description: ", "description: 孙浩现场检查，", "公开版站点包含不应公开的信息"),
    ],
    ids=["personal-data", "private-value"],
)
def test_mkdocs_build_leaves_nothing_behind(tmp_path: Path, old: str, new: str, message: str) -> None:
    root = copy_project(tmp_path / "project")
    _plant(root, HAZARD, old, new)
    out = tmp_path / "site"
    out.mkdir()
    (out / "stale.html").write_text("old", encoding="utf-8")
    mkdocs = str(Path(sys.executable).parent / "mkdocs")
    proc = run([mkdocs, "build", "-d", str(out)], root, {**ENV, "RECTIFY_PROFILE": "public"})
    assert proc.returncode != 0, explain(proc)
    assert message in proc.stdout + proc.stderr, explain(proc)
    assert list(out.iterdir()) == [], sorted(p.name for p in out.rglob("*"))[:20]
