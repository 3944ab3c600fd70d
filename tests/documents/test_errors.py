"""Bad input: a clear Chinese message, exit 1 or 2, and no file — not even a replaced old one."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.helpers import cli

OLD = b"an earlier document that must survive"


def _run(tmp_path: Path, *args: str, root: Path = REPO, name: str = "out.docx") -> tuple[int, str, Path]:
    folder = tmp_path / "out"
    folder.mkdir(exist_ok=True)
    out = folder / name
    out.write_bytes(OLD)
    proc = cli("--root", str(root), "doc", *args, "--today", "2023-12-31", "--out", str(out))
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr and "None" not in proc.stderr
    assert out.read_bytes() == OLD
    assert [p.name for p in folder.iterdir()] == [name]  # no temporary file left behind
    return proc.returncode, proc.stderr.strip(), out


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ["supervision-notice", "HAZ-2023-00010"],
            1,
            "HAZ-2023-00010 不是重大事故隐患，不能生成挂牌督办通知书。",
        ),
        (["supervision-notice", "HAZ-2023-00002"], 1, "HAZ-2023-00002 未挂牌督办"),
        (["supervision-notice", "HAZ-2023-09999"], 2, "登记册中没有隐患 HAZ-2023-09999，请核对编号。"),
        (
            ["supervision-notice", "CAMP-2023-001"],
            2,
            "编号 CAMP-2023-001 不是重大事故隐患挂牌督办通知书所需的 HAZ-年份-序号 形式",
        ),
        (["supervision-notice"], 2, "supervision-notice 需要记录编号"),
        (["referral", "HAZ-2023-00001"], 1, "HAZ-2023-00001 没有移交记录（referrals），不能生成移交函。"),
        (["monthly", "--month", "2019-02"], 1, "2019年2月（截至2019年2月28日）登记册中没有重大事故隐患数据"),
        (["monthly", "--month", "2023-13"], 2, "期间 2023-13 格式不对"),
        (["monthly"], 2, "月报需要 --month YYYY-MM"),
        (["quarterly", "--quarter", "2023-Q5"], 2, "期间 2023-Q5 格式不对"),
        (["quarterly", "--quarter", "2018-Q1"], 1, "2018年第一季度"),
        (["register", "--campaign", "CAMP-2023-099"], 2, "登记册中没有专项整治 CAMP-2023-099"),
        (["consultation-feedback", "CONS-2023-404"], 2, "登记册中没有征求意见 CONS-2023-404"),
        (["plan", "CAMP-2099-001"], 2, "登记册中没有专项整治 CAMP-2099-001"),
    ],
)
def test_refusals(tmp_path: Path, args: list[str], code: int, message: str) -> None:
    returncode, stderr, _ = _run(tmp_path, *args)
    assert returncode == code, stderr
    assert stderr.startswith("rectify doc：") and message in stderr


def test_a_record_with_errors_is_refused_naming_file_line_and_field(
    tmp_path: Path, registry_copy: Path
) -> None:
    path = registry_copy / "registry/hazards/2023/HAZ-2023-00001.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("deadline: 2023-07-31", "deadline: 2023-07-32"),
        encoding="utf-8",
    )
    returncode, stderr, _ = _run(tmp_path, "supervision-notice", "HAZ-2023-00001", root=registry_copy)
    assert returncode == 1
    assert "相关记录有错误，未生成公文" in stderr
    assert "registry/hazards/2023/HAZ-2023-00001.yaml 第 " in stderr and "rectification.deadline" in stderr
    # the same broken hazard blocks the periodic reports that count it, not an unrelated notice
    returncode, stderr, _ = _run(tmp_path, "monthly", "--month", "2023-11", root=registry_copy)
    assert returncode == 1 and "HAZ-2023-00001.yaml" in stderr
    out = tmp_path / "other.docx"
    proc = cli(
        "--root",
        str(registry_copy),
        "doc",
        "supervision-notice",
        "HAZ-2023-00046",
        "--today",
        "2023-12-31",
        "--out",
        str(out),
    )
    assert proc.returncode == 0 and out.is_file()


def test_missing_masthead_settings_are_a_usage_error(tmp_path: Path, registry_copy: Path) -> None:
    path = registry_copy / "registry/jurisdiction.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("documents:")], encoding="utf-8")
    returncode, stderr, _ = _run(tmp_path, "supervision-notice", "HAZ-2023-00001", root=registry_copy)
    assert returncode == 2
    assert "registry/jurisdiction.yaml 缺少 documents" in stderr


def test_unwritable_output_is_reported(tmp_path: Path) -> None:
    target = tmp_path / "missing-dir-is-a-file"
    target.write_text("x", encoding="utf-8")
    proc = cli("--root", str(REPO), "doc", "plan", "CAMP-2023-003", "--out", str(target / "plan.docx"))
    assert proc.returncode == 2
    assert proc.stderr.startswith("rectify doc：无法写入") and "Traceback" not in proc.stderr


def test_pdf_without_libreoffice_is_a_clear_usage_error(tmp_path: Path) -> None:
    import sys

    out = tmp_path / "notice.pdf"
    env = {"PATH": str(Path(sys.executable).parent), "HOME": str(tmp_path)}  # no soffice on the PATH
    proc = cli("--root", str(REPO), "doc", "supervision-notice", "HAZ-2023-00001", "--out", str(out), env=env)
    assert proc.returncode == 2
    assert proc.stderr.strip().startswith("rectify doc：未安装 LibreOffice（soffice），无法生成 PDF")
    assert not out.exists() and list(tmp_path.iterdir()) == []
