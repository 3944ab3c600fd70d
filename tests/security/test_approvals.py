"""Item 7 of issue 9: every act a named person authorises in a hazard record counts only when that
person (for acts of a body: a person of that body or of the office) signed a commit of the range
that wrote it. A clerk may type the record; the approver's own signed follow-up commit makes it
count. Each act is tried typed-and-signed by someone else (refused, naming who must sign), signed
by the approver, and in the clerk-then-approver flow."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.security.signed_repo import HAZ, Signed, located

EXTENSION = {
    "requested_on": "2023-11-20",
    "new_deadline": "2023-12-31",
    "reason": "防爆除尘器到货延迟",
    "approved_by": "zhao-lei-yjj",
    "approved_on": "2023-11-22",
}
SUPERVISION = {"level": "city", "by": "city-emergency", "date": "2023-09-20"}
OFFICE = "安委办 city-safety-office 的人员"


@pytest.fixture
def repo(tmp_path: Path) -> Signed:
    return Signed(tmp_path)


def edit(repo: Signed, **fields: Any) -> None:
    data = repo.repo.read(HAZ)
    for name, value in fields.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    repo.repo.write(HAZ, data)


def extend(repo: Signed, **entry: Any) -> None:
    data = repo.repo.read(HAZ)
    data["rectification"]["deadline"] = entry.get("new_deadline", EXTENSION["new_deadline"])
    data["extensions"] = [{**EXTENSION, **entry}]
    repo.repo.write(HAZ, data)


def one(repo: Signed, field: str, *words: str) -> None:
    found = repo.verify()
    assert located(found) == [("G-signed", HAZ, field)], [d.message for d in found]
    for word in words:
        assert word in found[0].message, found[0].message


# -- extensions (延期) -----------------------------------------------------------------------


def test_extension_typed_and_signed_by_the_enterprise_is_refused(repo: Signed) -> None:
    extend(repo)
    repo.commit("wang-qiang-qy", "延期")
    one(repo, "extensions[0]", "批准人 zhao-lei-yjj 本人", "wang-qiang-qy 签名")


def test_extension_signed_by_its_approver_passes(repo: Signed) -> None:
    extend(repo)
    repo.commit("zhao-lei-yjj", "批准延期")
    assert repo.verify() == []


def test_extension_typed_by_a_clerk_counts_once_the_approver_adds_the_date(repo: Signed) -> None:
    entry = {k: v for k, v in EXTENSION.items() if k != "approved_on"}
    data = repo.repo.read(HAZ)
    data["extensions"] = [entry]
    repo.repo.write(HAZ, data)
    repo.commit("wang-qiang-qy", "录入延期申请，批准人赵磊")
    one(repo, "extensions[0]", "批准人 zhao-lei-yjj 本人")  # typed, not yet signed by him
    extend(repo)  # 赵磊 adds approved_on and the new deadline, signed by himself
    repo.commit("zhao-lei-yjj", "批准延期，补填批准日期")
    assert repo.verify() == []


def test_approver_signing_an_unrelated_commit_does_not_count(repo: Signed) -> None:
    extend(repo)
    repo.commit("wang-qiang-qy", "延期")
    repo.repo.edit("registry/people/zhao-lei-yjj.yaml", title="局长（兼）")
    repo.commit("zhao-lei-yjj", "改职务")  # signed by the approver, but not this file
    one(repo, "extensions[0]", "批准人 zhao-lei-yjj 本人")


def test_extension_altered_after_the_approver_signed_is_refused(repo: Signed) -> None:
    extend(repo)
    repo.commit("zhao-lei-yjj", "批准延期")
    extend(repo, new_deadline="2024-03-31")
    repo.commit("wang-qiang-qy", "把时限再往后改")
    one(repo, "extensions[0]", "批准人 zhao-lei-yjj 本人", "wang-qiang-qy 签名")


def test_extension_in_flow_style_is_judged_by_its_values(repo: Signed) -> None:
    text = repo.text().replace("deadline: 2023-11-30", "deadline: 2023-12-31")
    text += (
        'extensions: [{requested_on: 2023-11-20, new_deadline: "2023-12-31", reason: 到货延迟,'
        " approved_by: !!str zhao-lei-yjj, approved_on: 2023-11-22}]\n"
    )
    repo.write_text(text)
    repo.commit("wang-qiang-qy", "延期")
    one(repo, "extensions[0]", "批准人 zhao-lei-yjj 本人")


# -- acceptance (验收) and closure ----------------------------------------------------------


ACCEPTANCE = {"date": "2023-11-28", "by": "sun-hao-yjj", "result": "failed", "note": "泄爆片未安装"}


def test_acceptance_typed_by_the_enterprise_is_refused(repo: Signed) -> None:
    edit(repo, acceptance=ACCEPTANCE)
    repo.commit("wang-qiang-qy", "验收未通过")
    one(repo, "acceptance", "验收人 sun-hao-yjj 本人")


def test_acceptance_signed_by_the_acceptor_passes(repo: Signed) -> None:
    edit(repo, acceptance=ACCEPTANCE)
    repo.commit("sun-hao-yjj", "验收未通过")
    assert repo.verify() == []


def test_closure_typed_by_a_clerk_counts_once_the_acceptor_signs_a_follow_up(repo: Signed) -> None:
    accepted = {"date": "2023-11-28", "by": "sun-hao-yjj", "result": "passed"}
    edit(repo, status="closed", acceptance=accepted)
    repo.commit(None, "录入验收结果", author="wang-qiang-qy")  # the clerk's commit is unsigned
    found = repo.verify()
    assert {d.path for d in found} == {"", "status", "acceptance"}, [d.message for d in found]
    edit(repo, acceptance={**accepted, "note": "整改到位，同意销号"})
    repo.commit("sun-hao-yjj", "补填验收意见")
    assert [d.path for d in repo.verify()] == [""]  # only the unsigned commit itself is left


# -- supervision (挂牌督办) -------------------------------------------------------------------


def test_supervision_set_by_the_enterprise_names_the_body_that_must_sign(repo: Signed) -> None:
    edit(repo, supervision=SUPERVISION)
    repo.commit("wang-qiang-qy", "挂牌督办")
    one(repo, "supervision", "督办单位 city-emergency 或" + OFFICE)


@pytest.mark.parametrize("person", ["zhao-lei-yjj", "liu-fang-aqb"])
def test_supervision_set_by_the_body_or_the_office_passes(repo: Signed, person: str) -> None:
    edit(repo, supervision=SUPERVISION)
    repo.commit(person, "挂牌督办")
    assert repo.verify() == []


def supervised_base(repo: Signed) -> None:
    edit(repo, supervision=SUPERVISION)
    repo.commit("zhao-lei-yjj", "挂牌督办")
    repo.base = repo.repo.git("rev-parse", "HEAD")


@pytest.mark.parametrize("lifted", [None, {"level": "none"}, {"level": "county", "by": "suixi"}])
def test_supervision_lifted_by_the_enterprise_is_refused(repo: Signed, lifted: Any) -> None:
    supervised_base(repo)
    edit(repo, supervision=lifted)
    repo.commit("wang-qiang-qy", "摘牌")
    found = repo.verify()
    messages = [d.message for d in found if "原督办单位 city-emergency 或" + OFFICE in d.message]
    assert len(messages) == 1 and all(d.path == "supervision" for d in found), [d.message for d in found]


def test_supervision_lifted_by_the_office_passes(repo: Signed) -> None:
    supervised_base(repo)
    edit(repo, supervision={"level": "none"})
    repo.commit("liu-fang-aqb", "摘牌")
    assert repo.verify() == []


# -- downgrade (重大 → 一般) ------------------------------------------------------------------


def test_downgrade_by_the_enterprise_is_refused(repo: Signed) -> None:
    edit(repo, level="general", basis=None)
    repo.commit("wang-qiang-qy", "降为一般隐患")
    one(repo, "level", "责任部门 city-emergency 或" + OFFICE)


def test_downgrade_of_a_listed_hazard_needs_the_supervising_body(repo: Signed) -> None:
    edit(repo, supervision={"level": "county", "by": "suixi", "date": "2023-09-20"})
    repo.commit("liu-fang-aqb", "县区挂牌")
    repo.base = repo.repo.git("rev-parse", "HEAD")
    edit(repo, level="general", basis=None)
    repo.commit("zhao-lei-yjj", "降为一般隐患")  # city-emergency, not the supervising body suixi
    one(repo, "level", "督办单位 suixi 或" + OFFICE)


@pytest.mark.parametrize("person", ["zhao-lei-yjj", "liu-fang-aqb"])
def test_downgrade_signed_by_the_department_or_the_office_passes(repo: Signed, person: str) -> None:
    edit(repo, level="general", basis=None)
    repo.commit(person, "降为一般隐患")
    assert repo.verify() == []


# -- referral (移交) and reopening ------------------------------------------------------------

REFERRAL = {"to": "city-emergency", "date": "2023-10-15", "reason": "涉及违法行为，移交执法"}


def test_referral_by_the_enterprise_is_refused(repo: Signed) -> None:
    edit(repo, referrals=[REFERRAL])
    repo.commit("wang-qiang-qy", "移交")
    one(repo, "referrals[0]", "责任部门 city-emergency 或" + OFFICE)


def test_referral_typed_by_a_clerk_counts_once_the_department_signs(repo: Signed) -> None:
    edit(repo, referrals=[REFERRAL])
    repo.commit("wang-qiang-qy", "录入移交")
    data = repo.repo.read(HAZ)
    data["progress"].append({"date": "2023-10-15", "note": "已移交执法", "by": "zhao-lei-yjj"})
    repo.repo.write(HAZ, data)
    repo.commit("zhao-lei-yjj", "确认移交")
    assert repo.verify() == []


def test_reopening_decided_by_someone_else_is_refused(repo: Signed) -> None:
    edit(repo, status="closed", acceptance={"date": "2023-11-28", "by": "sun-hao-yjj", "result": "passed"})
    repo.commit("sun-hao-yjj", "验收销号")
    repo.base = repo.repo.git("rev-parse", "HEAD")
    accepted = {"date": "2023-11-28", "by": "sun-hao-yjj", "result": "passed"}
    reopen = {
        "date": "2023-12-05",
        "reason": "复查发现泄爆片缺失",
        "by": "zhao-lei-yjj",
        "new_deadline": "2024-01-31",
        "previous_acceptance": accepted,
    }
    edit(repo, status="rectifying", reopened=[reopen])
    repo.commit("wang-qiang-qy", "重新打开")
    one(repo, "reopened[0]", "决定人 zhao-lei-yjj 本人")
    edit(repo, reopened=[{**reopen, "reason": "复查发现泄爆片缺失，责令重新整改"}])
    repo.commit("zhao-lei-yjj", "确认重新打开")
    assert repo.verify() == []


def test_a_new_hazard_created_closed_needs_its_acceptor(repo: Signed) -> None:
    data = repo.repo.read(HAZ)
    data.update(id="HAZ-2023-00002", status="closed")
    data["acceptance"] = {"date": "2023-11-28", "by": "sun-hao-yjj", "result": "passed"}
    repo.repo.write("registry/hazards/2023/HAZ-2023-00002.yaml", data)
    repo.commit("wang-qiang-qy", "补录已销号隐患")
    found = repo.verify()
    assert {(d.file, d.path) for d in found} == {
        ("registry/hazards/2023/HAZ-2023-00002.yaml", "status"),
        ("registry/hazards/2023/HAZ-2023-00002.yaml", "acceptance"),
    }, [d.message for d in found]


# -- plan review (方案审查) and consultation responses (征求意见反馈) -----------------------------

CAMPAIGN = "registry/campaigns/CAMP-2023-001.yaml"
CONSULTATION = "registry/consultations/CONS-2023-001.yaml"


def review(repo: Signed, **review: Any) -> None:
    data = repo.repo.read(CAMPAIGN)
    data["plan"] = {"review": {"by": "city-emergency", "date": "2023-08-30", "result": "approved", **review}}
    repo.repo.write(CAMPAIGN, data)


def test_plan_review_naming_a_reviewer_needs_that_reviewer(repo: Signed) -> None:
    review(repo, person="zhao-lei-yjj")
    repo.commit("wang-qiang-qy", "录入方案审查")
    found = repo.verify()
    assert [(d.file, d.path) for d in found] == [(CAMPAIGN, "plan.review")], [d.message for d in found]
    assert "审查人 zhao-lei-yjj 本人" in found[0].message and "专项整治 CAMP-2023-001" in found[0].message
    review(repo, person="zhao-lei-yjj", note="同意实施")
    repo.commit("zhao-lei-yjj", "审查意见")
    assert repo.verify() == []


def test_plan_review_without_a_reviewer_needs_the_reviewing_body(repo: Signed) -> None:
    review(repo)
    repo.commit("wang-qiang-qy", "录入方案审查")
    found = repo.verify()
    assert [d.path for d in found] == ["plan.review"] and "审查单位 city-emergency 或" + OFFICE in found[
        0
    ].message
    review(repo, note="同意")
    repo.commit("sun-hao-yjj", "审查意见")  # 孙浩 works at city-emergency
    assert repo.verify() == []


def consultation(responses: list[dict[str, Any]]) -> str:
    lines = "".join(f"  - {r}\n".replace("'", "") for r in responses)
    return (
        "id: CONS-2023-001\ntitle: 关于征求意见的函\nissuer: city-safety-office\nsent_on: 2023-08-24\n"
        "deadline: 2023-08-28\nrecipients: [city-emergency, 91340621MA2NTE0T19]\nresponses:\n" + lines
    )


def test_response_signed_by_a_main_person_needs_that_person(repo: Signed) -> None:
    repo.write_text(consultation([]).replace("responses:\n", "responses: []\n"), CONSULTATION)
    repo.commit("liu-fang-aqb", "发出征求意见")
    repo.base = repo.repo.git("rev-parse", "HEAD")
    answer = {"from": "city-emergency", "date": "2023-08-28", "signed_by": "zhao-lei-yjj", "sealed": "true"}
    repo.write_text(consultation([answer]), CONSULTATION)
    repo.commit("liu-fang-aqb", "登记反馈")
    found = repo.verify()
    assert [(d.file, d.path) for d in found] == [(CONSULTATION, "responses[0]")], [d.message for d in found]
    assert "签字人 zhao-lei-yjj 本人" in found[0].message
    repo.write_text(consultation([answer]) + "# 赵磊确认\n", CONSULTATION)
    repo.commit("zhao-lei-yjj", "确认反馈")
    assert repo.verify() == []
