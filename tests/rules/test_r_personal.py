"""R-personal: identity numbers, mobile and landline numbers and e-mail addresses in free text,
in many spellings, and the codes, ids, dates, amounts and standard numbers that must not be taken
for them."""

from __future__ import annotations

from pathlib import Path

import pytest

from rectify.diagnostics import Severity
from rectify.rules.privacy import EMAIL, ID_NUMBER, LANDLINE, MOBILE, find_in_text, is_id_number
from tests.conftest import make_registry
from tests.helpers import check
from tests.rules.harness import case_id, cases, run_case


@pytest.mark.parametrize("case", cases("R-personal"), ids=case_id)
def test_r_personal(case: Path, tmp_path: Path) -> None:
    run_case(case, tmp_path)


FOUND = [
    ("身份证号340602198501011235。", ID_NUMBER, "340602198501011235"),
    ("11010519491231002X", ID_NUMBER, "11010519491231002X"),
    ("证号 11010519491231002x", ID_NUMBER, "11010519491231002x"),
    ("身份证 340602 19850101 1235", ID_NUMBER, "340602 19850101 1235"),
    ("440306-1999-1231-0042", ID_NUMBER, "440306-1999-1231-0042"),
    ("旧证 340602850101123 已注销", ID_NUMBER, "340602850101123"),
    ("３４０６０２１９８５０１０１１２３５", ID_NUMBER, "340602198501011235"),
    ("手机13812345678", MOBILE, "13812345678"),
    ("电话 138-1234-5678", MOBILE, "138-1234-5678"),
    ("手机：138 1234 5678。", MOBILE, "138 1234 5678"),
    ("+86 13812345678", MOBILE, "+86 13812345678"),
    ("(+86)139 1234 5678", MOBILE, "(+86)139 1234 5678"),
    ("0086-19912345678", MOBILE, "0086-19912345678"),
    ("１５９１２３４５６７８", MOBILE, "15912345678"),
    ("值班室0561-3012345", LANDLINE, "0561-3012345"),
    ("（0561）3012345", LANDLINE, "(0561)3012345"),
    ("０５６１－３０１２３４５转８０１２", LANDLINE, "0561-3012345转8012"),
    ("010-62345678-123", LANDLINE, "010-62345678-123"),
    ("021 62345678", LANDLINE, "021 62345678"),
    ("05613012345", LANDLINE, "05613012345"),
    ("联系 zhang.san@example.cn", EMAIL, "zhang.san@example.cn"),
    ("邮箱：Li_Si+aq@mail.huaibei.gov.cn；", EMAIL, "Li_Si+aq@mail.huaibei.gov.cn"),
    ("wang＠example.com", EMAIL, "wang@example.com"),
]


@pytest.mark.parametrize(("text", "kind", "value"), FOUND)
def test_personal_data_is_found(text: str, kind: str, value: str) -> None:
    assert list(find_in_text(text)) == [(kind, value)]


NOT_PERSONAL = [
    "GB 35181-2017",
    "AQ 3013-2008 与 GB/T 33000-2016",
    "91340603MA2LU3RJWK",
    "913406001234567890",  # an all-digit credit code: region digit 9 is no identity number
    "HAZ-2023-00017、INSP-2023-0042、ACT-2023-0001、CAMP-2023-003",
    "2023-09-12 2023-10-01 2023-11-05",
    "资金 120000 元，共 1234567890123456789 元",
    "淮安办〔2023〕12号",
    "举报电话 12350，政务热线 12345",
    "400-123-4567",
    "138****5678",
    "13812345678901",  # too long for a mobile number
    "340602198501011234",  # the check digit is wrong
    "340602198513011235",  # month 13
    "第1、2、3、4、5、6、7、8、9条",
    "sha 1f3a9c0e5b7d2c4e6f8a0b1c3d5e7f9a1b3c5d7e",
]


@pytest.mark.parametrize("text", NOT_PERSONAL)
def test_codes_and_numbers_are_not_personal_data(text: str) -> None:
    assert list(find_in_text(text)) == []


def test_id_number_check_digit() -> None:
    assert is_id_number("11010519491231002X")
    assert not is_id_number("110105194912310021")
    assert not is_id_number("910105194912310021")  # no region begins with 9


def test_severity_and_message(repo: Path) -> None:
    hazard = repo / "registry/hazards/2023/HAZ-2023-00001.yaml"
    text = hazard.read_text(encoding="utf-8")
    text = text.replace("未设置泄爆装置。", "未设置泄爆装置。张某 340602198501011235，手机 13812345678。")
    hazard.write_text(text, encoding="utf-8")
    found = sorted((d for d in check(repo) if d.rule == "R-personal"), key=lambda d: d.severity.value)
    assert [(d.severity, d.line, d.path) for d in found] == [
        (Severity.ERROR, 9, "description"),
        (Severity.WARNING, 9, "description"),
    ]
    assert "身份证号“340*************35”" in found[0].message
    assert "手机号码“138******78”" in found[1].message
    assert "340602198501011235" not in found[0].message  # the value itself is not repeated
    assert "description（隐患描述）" in found[0].message


def test_base_registry_is_clean(tmp_path: Path) -> None:
    root = make_registry(tmp_path / "repo")
    assert [d for d in check(root) if d.rule == "R-personal"] == []
