"""The fields this feature adds to the registry are checked like every other field."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import cli, explain


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("  mark: 淮北市安全生产委员会办公室文件\n", "", "mark"),
        ("  issuer: city-safety-office\n", "  issuer: City Office\n", "documents.issuer"),
        ("    phone: 0561-0000000\n", "    phone: 请致电办公室\n", "documents.contact.phone"),
        ("  cc:\n", "  copy_to:\n", "copy_to"),
    ],
)
def test_jurisdiction_documents_block_is_validated(
    registry_copy: Path, old: str, new: str, field: str
) -> None:
    path = registry_copy / "registry/jurisdiction.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    proc = cli(
        "--root",
        str(registry_copy),
        "check",
        "--today",
        "2023-12-31",
        "registry/jurisdiction.yaml",
        cwd=registry_copy,
    )
    assert proc.returncode == 1, explain(proc)
    assert "registry/jurisdiction.yaml:" in proc.stdout and "[R-schema]" in proc.stdout
    assert field in proc.stdout


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("    adoption: adopted\n", "    adoption: yes\n"),
        ("    adoption: partly\n", "    adoption: 部分采纳\n"),
        ("    reason: 已在总结评估部分增加特种设备安全专项整治成果统计口径。\n", "    reason: ''\n"),
    ],
)
def test_consultation_adoption_and_reason_are_validated(registry_copy: Path, old: str, new: str) -> None:
    path = registry_copy / "registry/consultations/CONS-2023-001.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    proc = cli("--root", str(registry_copy), "check", "--today", "2023-12-31", cwd=registry_copy)
    assert proc.returncode == 1, explain(proc)
    assert "registry/consultations/CONS-2023-001.yaml:" in proc.stdout
    assert "adoption" in proc.stdout or "reason" in proc.stdout
