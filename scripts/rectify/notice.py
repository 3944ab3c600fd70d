"""Every requirement of the notice (and of the letter that sent it out for comments), each with what
carries it out here: rules that check it, record fields that hold it, site pages that show it.

The rules page renders this table (``rectify rules``), and a test asserts that every target exists —
a registered rule id, a field of a record kind's schema, a page the site generates — so a
requirement cannot silently lose its row or point at something that was renamed. Pure data.
"""

from __future__ import annotations

from dataclasses import dataclass

from rectify.fields import LIST, Field, record_fields
from rectify.schema import Schemas


@dataclass(frozen=True, slots=True)
class Requirement:
    """One requirement: where it stands in the notice, its words (shortened), and what carries it out."""

    paragraph: str  # 一(四), 二(二)3, 函 …
    quote: str
    rules: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()  # kind.path, e.g. hazard.rectification.acceptor
    pages: tuple[str, ...] = ()  # site page paths, e.g. hazards/index.md

    @property
    def coverage(self) -> str:
        """How far the tool carries it: checked by a rule, only recorded, or only shown."""
        if self.rules:
            return "规则检查"
        if self.fields:
            return "登记"
        return "公开展示"


# The pages the site always generates (rectify.site.generate), by what a reader calls them.
PAGES = {
    "index.md": "首页（工作台）",
    "reports/summary.md": "定期汇总",
    "hazards/index.md": "重大事故隐患台账",
    "hazards/general.md": "一般事故隐患",
    "campaigns/index.md": "专项整治",
    "campaigns/plans.md": "实施方案",
    "inspections/index.md": "检查",
    "organizations/index.md": "机构",
    "organizations/responsibilities.md": "责任清单与包保",
    "enterprises/index.md": "企业",
    "actions/index.md": "问责与执法处置、典型案例",
    "consultations/index.md": "征求意见",
    "activities/index.md": "宣传教育",
    "downloads.md": "数据下载",
}

R = Requirement
REQUIREMENTS: tuple[Requirement, ...] = (
    # the letter asking for comments
    R(
        "函",
        "请于2023年8月28日下午下班前……反馈我办",
        ("K-deadline",),
        ("consultation.deadline", "consultation.responses.received_at"),
        ("consultations/index.md",),
    ),
    R(
        "函",
        "书面修改意见建议（主要负责人签字、加盖公章）",
        ("K-deadline", "V-reply-scan"),
        ("consultation.responses.signed_by", "consultation.responses.sealed", "organization.main_person"),
    ),
    R(
        "函",
        "逾期视为无意见",
        ("K-deadline",),
        ("consultation.recipients", "consultation.recipient_groups"),
        ("consultations/index.md",),
    ),
    # 一、落实各方责任
    R(
        "一(一)",
        "各级党委政府主要负责人为安全生产第一责任人",
        ("D-leadership",),
        ("organization.main_person",),
        ("organizations/index.md",),
    ),
    R(
        "一(一)",
        "“党政同责、一岗双责、齐抓共管、失职追责”",
        ("D-leadership",),
        ("person.roles", "person.title", "action.type"),
        ("organizations/index.md",),
    ),
    R(
        "一(一)",
        "市政府负责同志安全生产重点任务清单、包保责任要求",
        ("D-duty-overdue",),
        ("responsibility.kind", "responsibility.duties", "responsibility.baobao"),
        ("organizations/responsibilities.md",),
    ),
    R(
        "一(二)",
        "按照“三管三必须”和“谁整治谁负责”“谁牵头谁负责”的原则",
        (),
        ("organization.industries", "enterprise.competent_department", "hazard.rectification.department"),
    ),
    R(
        "一(二)",
        "明确专项整治牵头部门和市政府负责同志",
        ("C-lead",),
        ("campaign.lead_department", "campaign.leader"),
        ("campaigns/index.md",),
    ),
    R("一(二)", "牵头部门和责任部门要各负其责……沟通协作", ("C-subplans",), ("campaign.departments",)),
    R(
        "一(二)",
        "加强对基层单位排查上报的业务指导和过程管控",
        (),
        ("inspection.type",),
        ("inspections/index.md",),
    ),
    R(
        "一(三)",
        "主要负责人要依法全面履责……深入开展自查自纠",
        ("H-maxpenalty",),
        ("enterprise.main_person", "hazard.self_found", "hazard.self_inspection"),
    ),
    R(
        "一(三)",
        "建立企业隐患整改台账，实行闭环管理",
        ("H-accept", "H-register", "V-closed"),
        ("hazard.status", "hazard.acceptance"),
        ("hazards/index.md", "hazards/general.md"),
    ),
    R(
        "一(三)",
        "确保责任、措施、资金、期限和应急预案落实到位",
        ("H-five",),
        (
            "hazard.rectification.measures",
            "hazard.rectification.funds_cny",
            "hazard.rectification.emergency_plan",
        ),
    ),
    R(
        "一(三)",
        "按规定向负有安全监管职责的有关部门报告排查整治情况",
        ("E-publish",),
        ("enterprise.reported_to",),
    ),
    R("一(四)", "各级安委办要抓总抓统抓协调，统筹掌握专项整治推进情况", (), (), ("index.md",)),
    R("一(四)", "定期汇总向党委政府报告", (), (), ("reports/summary.md",)),
    R(
        "一(四)",
        "重点检查……重大隐患整改落实情况、对应该追责的单位和人员问责情况",
        ("H-overdue", "H-liability"),
        ("inspection.checklist",),
    ),
    R(
        "一(四)",
        "每次指导检查执法，都要建立监督检查、问题隐患清单",
        ("I-lists",),
        ("inspection.checklist", "inspection.findings"),
    ),
    R(
        "一(四)",
        "对发现的重大隐患要专门造册归档",
        ("H-register", "H-basis"),
        ("hazard.level", "hazard.basis"),
        ("hazards/index.md",),
    ),
    R(
        "一(四)",
        "明确隐患点、整改时限、责任部门、责任人、验收人",
        ("H-five", "H-acceptor"),
        (
            "hazard.location",
            "hazard.rectification.deadline",
            "hazard.rectification.person",
            "hazard.rectification.acceptor",
        ),
    ),
    R(
        "一(四)",
        "签字归档备案备查",
        ("G-signed", "G-ratchet", "V-closed", "V-file", "V-type", "V-size", "V-active", "V-lfs"),
        ("person.signing_keys", "hazard.evidence", "hazard.acceptance.evidence"),
    ),
    R(
        "一(四)",
        "负责跟踪督促整改到位",
        ("H-overdue", "H-due-soon", "H-accept"),
        ("hazard.rectification.supervisor", "hazard.progress"),
    ),
    R(
        "一(四)",
        "发现的问题隐患涉嫌违法的要严肃执法",
        ("H-referral",),
        ("inspection.findings.violation", "action.type"),
        ("actions/index.md",),
    ),
    R(
        "一(四)",
        "没有执法权限的部门要及时移交给有关部门进行执法",
        ("H-referral",),
        (
            "organization.enforcement",
            "hazard.referrals",
            "campaign.referral_working_days",
            "jurisdiction.referral_working_days",
        ),
    ),
    R(
        "一(四)",
        "对存在重大隐患没有自查、内部没有挂牌督办或发生事故的",
        ("H-maxpenalty",),
        (
            "hazard.self_found",
            "hazard.self_inspection",
            "hazard.internally_listed",
            "hazard.accident_during_rectification",
        ),
    ),
    R(
        "一(四)",
        "企业（单位）主要负责人由行业主管部门开展集中培训教育",
        ("H-maxpenalty",),
        ("enterprise.competent_department", "action.target"),
    ),
    R("一(四)", "并实行顶格处罚", ("H-maxpenalty",), ("action.penalty_cny",), ("actions/index.md",)),
    R("一(四)", "一抓到底、见底清零", ("H-overdue", "H-accept"), (), ("index.md",)),
    # 二、规范工作程序
    R("二(一)", "每一个专项整治均需制定方案", ("C-plan",), ("campaign.plan",), ("campaigns/index.md",)),
    R("二(一)", "严格执行行文规范和程序", (), ("campaign.plan.document", "plan.document")),
    R(
        "二(一)",
        "明确整治重点、标准、时限、责任人",
        ("C-plan",),
        (
            "campaign.plan.focus",
            "campaign.plan.standards",
            "campaign.plan.milestones",
            "campaign.plan.responsible",
        ),
    ),
    R(
        "二(一)",
        "不得照搬照抄、原文转发上级文件",
        ("C-copy",),
        ("campaign.plan.text", "campaign.source_documents", "plan.text"),
    ),
    R(
        "二(一)",
        "不得以“层层传导压力”之名行“层层推卸责任”之实，加重基层负担",
        (),
        (),
        ("campaigns/plans.md",),
    ),
    R("二(一)", "专项整治牵头部门负责方案审查", ("C-review",), ("campaign.plan.review", "plan.review")),
    R(
        "二(二)1",
        "按照属地管理原则，负责组织本行政区域专项整治工作",
        ("C-subplans",),
        ("campaign.districts",),
    ),
    R(
        "二(二)1",
        "结合实际制定工作方案，细化工作措施，明确责任单位和责任人",
        ("C-subplans", "C-plan", "C-copy"),
        ("plan.responsible",),
        ("campaigns/plans.md",),
    ),
    R(
        "二(二)1",
        "分级、分类组织对本地企业进行检查，县镇政府要对辖区企业做到检查全覆盖",
        ("I-coverage",),
        ("inspection.area", "inspection.targets", "campaign.coverage_by"),
    ),
    R(
        "二(二)1",
        "主要负责同志要亲力亲为……分管负责同志要各负其责",
        (),
        ("organization.main_person", "person.title"),
        ("organizations/index.md",),
    ),
    R(
        "二(二)2",
        "按照“三管三必须”要求，制定专项实施方案，细化整治重点内容和标准",
        ("C-subplans", "C-plan"),
        ("plan.focus", "plan.standards"),
    ),
    R("二(二)2", "组织开展督导和暗查暗访", (), ("inspection.type",), ("inspections/index.md",)),
    R(
        "二(二)2",
        "发现重大问题及时通报（报告）属地政府",
        ("D-local-notice",),
        ("action.type",),
        ("actions/index.md",),
    ),
    R("二(二)2", "注重发挥第三方专业机构和专家作用", (), ("inspection.type", "hazard.found.source")),
    R(
        "二(二)2",
        "排查整改、执法查处、督查督办贯穿专项整治全过程",
        ("H-referral",),
        ("hazard.supervision", "action.type"),
    ),
    R(
        "二(二)2",
        "对生产经营单位严重违法行为，要按照“四个一律”要求严格监管执法",
        ("H-referral",),
        ("action.type",),
        ("actions/index.md",),
    ),
    R("二(二)2", "及时曝光一批专项整治中发现的典型案例", (), ("case.published_on",), ("actions/index.md",)),
    R("二(二)3", "认真制定专项整治工作方案", ("C-review",), ("plan.kind",), ("campaigns/plans.md",)),
    R(
        "二(二)3",
        "开展全员、全方位、全过程安全生产自查自纠、即查即改活动",
        (),
        ("inspection.type", "hazard.self_found"),
    ),
    R(
        "二(二)3",
        "将排查出的问题逐一登记，建立安全风险和隐患清单",
        ("H-register", "E-risks"),
        ("hazard.level", "enterprise.risk_list"),
        ("hazards/general.md",),
    ),
    R("二(二)3", "落实风险管控和隐患整改措施", ("H-five",), ("hazard.rectification.measures",)),
    R(
        "二(二)3",
        "隐患清单和整改落实情况要在企业内公布，接受职工监督",
        ("E-publish",),
        ("enterprise.hazard_list_published_on", "enterprise.hazard_list_publications"),
    ),
    R("二(二)3", "有关情况及时报告主管部门", ("E-publish",), ("enterprise.reported_to",)),
    R(
        "二(三)",
        "各级各部门……完成情况、存在问题、经验做法、工作成效、制度性成果……全面系统总结评估",
        ("C-summary",),
        ("campaign.summary", "plan.summary", "campaign.enterprise_summaries"),
    ),
    # 三、深化宣传教育
    R(
        "三",
        "常态化开展安全事故警示教育、组织安全生产业务培训",
        ("C-publicity",),
        ("activity.type",),
        ("activities/index.md",),
    ),
    R("三", "通过微博、微信公众号、短视频等网络平台", (), ("activity.channels",), ("activities/index.md",)),
    R(
        "三",
        "积极引导社会公众辨识重大事故隐患和安全生产违法行为",
        (),
        ("hazard.found.source",),
        ("hazards/index.md",),
    ),
    # 四、严肃工作纪律
    R(
        "四",
        "运用好安全监管执法责任倒查机制",
        ("H-liability", "D-review"),
        ("hazard.accident_during_rectification.causes",),
    ),
    R("四", "联合党委政府督查部门开展督查", ("D-joint",), ("inspection.by", "inspection.team")),
    R(
        "四",
        "与纪检监察部门安全生产违法违纪问题线索移交查办工作机制",
        ("D-clue",),
        ("action.type",),
        ("actions/index.md",),
    ),
    R(
        "四",
        "综合运用考核、约谈、通报、挂牌督办等方式",
        (),
        ("action.type", "hazard.supervision"),
        ("actions/index.md",),
    ),
    R("四", "纠正……推诿扯皮、责任悬空、纸上整改等问题", ("H-accept", "H-five"), ("hazard.acceptance",)),
    R(
        "四",
        "重大问题隐患悬而不决，逾期没有完成目标任务的，要依纪依规追究责任",
        ("H-overdue", "C-milestone", "H-extension", "D-duty-overdue", "D-pursue"),
        ("hazard.extensions",),
        ("reports/summary.md",),
    ),
    R(
        "四",
        "挂牌督办和限期整改的隐患，整改期限内发生问题的，追究企业及相关责任人的责任",
        ("H-liability",),
        ("hazard.accident_during_rectification", "hazard.supervision"),
    ),
    R(
        "四",
        "整改时间到期，因跟踪督促不到位或把关不严、验收不认真而引发问题的，要追究主管部门的责任",
        ("H-liability",),
        (
            "hazard.accident_during_rectification.causes",
            "hazard.rectification.supervisor",
            "hazard.acceptance.by",
        ),
    ),
)


def resolve(schemas: Schemas, target: str) -> Field | None:
    """The schema field ``kind.path`` names (through lists to their items), or ``None``."""
    kind, _, path = target.partition(".")
    if kind not in schemas.raw or not path:
        return None
    current: Field | None = record_fields(schemas, kind)
    for name in path.split("."):
        if current is not None and current.type == LIST and current.item is not None:
            current = current.item
        current = next((c for c in current.children if c.name == name), None) if current else None
    return current
