"""Messages a clerk can act on: exact Chinese text at the right line and column, for typing slips,
empty fields, parser problems and references that do not resolve; and one round of errors."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest

from rectify.check import run_check
from rectify.diagnostics import Diagnostic, Severity
from rectify.load import parse
from rectify.model import Registry
from rectify.paths import find
from rectify.rules import RULES, Context, rule
from rectify.slips import GENERIC_PROBLEM, translate
from tests.helpers import TODAY, check, cli, explain, write

PERSON = "registry/people/li-na-yjj.yaml"
HAZARD = "registry/hazards/2023/HAZ-2023-00001.yaml"
ORG = "organization: city-emergency\n"


def findings(repo: Path, rel: str, text: str) -> list[tuple[str, int, int, str]]:
    write(repo, rel, text)
    return [(d.rule, d.line, d.column, d.message) for d in check(repo) if d.file == rel]


def edit_hazard(repo: Path, *pairs: tuple[str, str]) -> None:
    text = (repo / HAZARD).read_text(encoding="utf-8")
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new)
    (repo / HAZARD).write_text(text, encoding="utf-8")


# -- typing slips: said as such, on the line and column where they are ----------------------------
SLIPS = [
    (  # full-width colon after a key, top level: was reported one line later as a missing ':'
        f"id: li-na-yjj\nname：李娜\n{ORG}",
        [(2, 5, "name 后面是全角冒号“：”：请改为半角冒号加空格，写成“name: ”")],
    ),
    (  # the same with a space before it, in a nested mapping
        "id: li-na-yjj\nname: 李娜\norganization: city-emergency\ncontact:\n  phone ：0561-1\n  email: a@b.cn\n",
        [(5, 9, "phone 后面是全角冒号“：”：请改为半角冒号加空格，写成“phone: ”")],
    ),
    (  # a missing space after the colon
        f"id: li-na-yjj\nname:李娜\n{ORG}",
        [(2, 6, "name: 的冒号后缺少空格：请写成“name: ”再填值")],
    ),
    (  # a full-width space after the colon
        f"id: li-na-yjj\nname:\u3000李娜\n{ORG}",
        [(2, 6, "name: 后面是全角空格“\u3000”：请改为半角空格，写成“name: ”")],
    ),
    (  # full-width spaces as indentation (parses, as a strange key, without this check)
        "id: li-na-yjj\nname: 李娜\norganization: city-emergency\ncontact:\n\u3000\u3000phone: 0561-1\n",
        [(5, 1, "行首用了全角空格“\u3000”：缩进只能用半角空格")],
    ),
    (  # an English quote closed by a Chinese one
        f'id: li-na-yjj\nname: "李娜”\n{ORG}',
        [(2, 10, '引号不配对：中文引号“ ”不能代替英文引号 "：请两端都用英文引号，或都去掉')],
    ),
    (  # a tab as indentation
        "id: li-na-yjj\nname: 李娜\norganization: city-emergency\ncontact:\n\tphone: 0561-1\n",
        [(5, 1, "缩进使用了制表符（Tab）：YAML 只能用空格缩进")],
    ),
    (  # two slips in one file: both shown, each where it is
        "id：li-na-yjj\nname:李娜\norganization: city-emergency\n",
        [
            (1, 3, "id 后面是全角冒号“：”：请改为半角冒号加空格，写成“id: ”"),
            (2, 6, "name: 的冒号后缺少空格：请写成“name: ”再填值"),
        ],
    ),
]


@pytest.mark.parametrize("text, expected", SLIPS)
def test_typing_slips_are_named_where_they_are(
    repo: Path, text: str, expected: list[tuple[int, int, str]]
) -> None:
    assert findings(repo, PERSON, text) == [("R-yaml", line, col, msg) for line, col, msg in expected]


def test_slips_inside_a_list_item_point_at_the_colon(repo: Path) -> None:
    for typed, column, message in [
        ("on：2023-10-10", 7, "on 后面是全角冒号“：”：请改为半角冒号加空格，写成“on: ”"),
        ("on:2023-10-10", 8, "on: 的冒号后缺少空格：请写成“on: ”再填值"),
    ]:
        edit_hazard(repo, ("  - date: 2023-10-10", f"  - {typed}"))
        found = [(d.rule, d.line, d.column, d.path, d.message) for d in check(repo) if d.rule == "R-yaml"]
        assert found == [("R-yaml", 31, column, "", message)]  # the file does not parse: no field yet
        edit_hazard(repo, (f"  - {typed}", "  - date: 2023-10-10"))


def test_chinese_quotes_around_a_value_warn(repo: Path) -> None:
    assert findings(repo, PERSON, f"id: li-na-yjj\nname: “李娜”\n{ORG}") == [
        (
            "R-yaml",
            2,
            7,
            "值 “李娜” 两端是中文引号：引号会成为内容的一部分；如果只是想括起来，请去掉或改用英文引号",
        )
    ]
    assert [d.severity for d in check(repo)] == [Severity.WARNING]


# -- no None, no Python spelling: 未填写 and what to fill --------------------------------------------
EMPTY = [
    (f"id: li-na-yjj\nname:\n{ORG}", 2, 1, "字段 name（姓名）：未填写。请填写文本：人员姓名。"),
    (
        f"id: li-na-yjj\nname: 李娜\n{ORG}roles:\n  -\n",
        5,
        4,
        "字段 roles[0]（人员角色）：未填写。请填写一项，可选：official（领导干部）",
    ),
    (f"id: li-na-yjj\nname: 123\n{ORG}", 2, 1, "字段 name（姓名）：应为文本，实为整数 123：如需文本请加引号"),
]


@pytest.mark.parametrize("text, line, column, start", EMPTY)
def test_empty_and_mistyped_values_are_worded_for_a_clerk(
    repo: Path, text: str, line: int, column: int, start: str
) -> None:
    [(rule_id, at_line, at_column, message)] = findings(repo, PERSON, text)
    assert (rule_id, at_line, at_column) == ("R-schema", line, column)
    assert message.startswith(start), message
    assert "None" not in message and "'" not in message


def test_an_enum_label_typed_for_its_code(repo: Path) -> None:
    edit_hazard(repo, ("status: rectifying", "status: 整改中"))
    [finding] = [d for d in check(repo) if d.rule == "R-schema"]
    assert (finding.line, finding.column, finding.message) == (
        29,
        1,
        "字段 status（整改状态）：“整改中”是中文名称，这里请写它的代码 rectifying",
    )


def test_an_empty_enum_lists_the_choices(repo: Path) -> None:
    edit_hazard(repo, ("status: rectifying", "status:"))
    [finding] = [d for d in check(repo) if d.rule == "R-schema"]
    assert (finding.line, finding.message) == (
        29,
        "字段 status（整改状态）：未填写。请填写一项，可选：open（待整改）、rectifying（整改中）、"
        "awaiting_acceptance（待验收）、closed（已销号）",
    )


# -- the parser's English never reaches a clerk ------------------------------------------------------
BROKEN = {
    "value with ': '": (
        "a: 1\ntitle: 甲: 乙\n",
        2,
        9,
        "此处不能出现“键: 值”（常见原因：值里有“: ”需要加引号，或缩进不对）",
    ),
    "indented key": (
        "a: 1\n  b: 2\n",
        2,
        4,
        "此处不能出现“键: 值”（常见原因：值里有“: ”需要加引号，或缩进不对）",
    ),
    "unclosed quote": ("a: 'x\nb: 1\n", 3, 1, "文件意外结束（常见原因：引号或括号未闭合）"),
    "unclosed bracket": ("a: [1, 2\nb: 1\n", 2, 2, "方括号列表未正确闭合"),
    "unclosed brace": ("a: {x: 1\n", 2, 1, "花括号映射未正确闭合"),
    "list misaligned": ("a:\n  - x\n  y: 1\n", 3, 3, "列表项缩进不一致"),
    "undefined alias": ("a: *x\n", 1, 4, "引用了未定义的锚点（别名 *名称 前须有 &名称）"),
    "reserved char": (
        "a: @x\n",
        1,
        4,
        "遇到不能作为内容开头的字符（如 @、`、%，或制表符）：请给这个值加上英文引号",
    ),
    "bad escape": ('a: "\\q"\n', 1, 5, "双引号内有未知的转义字符（如需反斜杠请改用单引号）"),
    "text after quote": ('a: "x" y\n', 1, 8, "找不到应有的键（常见原因：缩进不对，或引号后还有多余的文字）"),
    "duplicate anchor": ("a: &x 1\nb: &x 2\n", 2, 4, "锚点名称重复：同一个 &名称 只能定义一次"),
    "document end": ("a: 1\n...\nb: 2\n", 3, 1, "文档结束标记“...”之后还有内容：请删除“...”这一行"),
    "block indicator": ("a: |x\n  b\n", 1, 5, "“|”或“>”之后只能换行（文本写在下一行，并缩进）"),
    "unknown directive": (
        "%FOO bar\n---\na: 1\n",
        1,
        5,
        "以 % 开头的行不是有效的指令：请删除这一行，或给值加引号",
    ),
    "control character": (
        "a: 1\nb: x\x07\n",
        2,
        5,
        "文件中有不可见的控制字符：请删除它（常从网页或 Word 复制时带入）",
    ),
    "unclosed tag": ("a: !<x 1\n", 1, 7, "标签缺少结尾的“>”：请去掉标签"),
}


@pytest.mark.parametrize("name", BROKEN)
def test_parser_problems_are_translated(name: str) -> None:
    text, line, column, message = BROKEN[name]
    _, _, [problem] = parse(text, "x.yaml")
    assert (problem.rule, problem.line, problem.column, problem.message) == (
        "R-yaml",
        line,
        column,
        "YAML 语法错误：" + message,
    )
    assert not re.search(r"[A-Za-z]{4,}", problem.message.replace("YAML", "").replace("Word", ""))


def test_an_unknown_parser_problem_gets_the_chinese_fallback() -> None:
    assert translate("some future libyaml wording") == GENERIC_PROBLEM
    assert translate(None) == GENERIC_PROBLEM
    assert not re.search(r"[A-Za-z]", GENERIC_PROBLEM)


# -- references: the record the clerk most likely meant ---------------------------------------------
def test_a_name_typed_for_an_id_suggests_the_id(repo: Path) -> None:
    edit_hazard(repo, ("acceptor: sun-hao-yjj", "acceptor: 孙浩"))
    [finding] = check(repo)
    assert (finding.rule, finding.line, finding.column, finding.message) == (
        "R-schema",
        24,
        3,
        "字段 rectification.acceptor（验收人）：格式不对：“孙浩”。小写字母、数字和连字符组成的标识，例如 city-emergency。"
        "此处应填写编号而不是名称：请写 sun-hao-yjj（孙浩，淮北市应急管理局）",
    )


def test_a_shared_name_lists_every_bearer_with_the_organisation(repo: Path) -> None:
    write(repo, "registry/people/sun-hao-sx.yaml", "id: sun-hao-sx\nname: 孙浩\norganization: suixi\n")
    edit_hazard(repo, ("acceptor: sun-hao-yjj", "acceptor: 孙浩"))
    [finding] = check(repo)
    assert finding.message.endswith(
        "名为 孙浩 的人员有 2 个，请填写其中一个的编号：sun-hao-sx（孙浩，濉溪县）、sun-hao-yjj（孙浩，淮北市应急管理局）"
    ), finding.message


@pytest.mark.parametrize(
    "typed, hint",
    [
        ("sun-hao-yj", "您是不是要写：sun-hao-yjj（孙浩，淮北市应急管理局）"),  # one letter short
        ("suh-hao-yjj", "您是不是要写：sun-hao-yjj（孙浩，淮北市应急管理局）"),  # one letter wrong
        ("sun-hao", "您是不是要写：sun-hao-yjj（孙浩，淮北市应急管理局）"),  # the name in pinyin
        ("sunhao", "您是不是要写：sun-hao-yjj（孙浩，淮北市应急管理局）"),  # without hyphens
        ("zhao-lie-yjj", "您是不是要写：zhao-lei-yjj（赵磊，淮北市应急管理局）"),  # two letters swapped
        ("li-na-yjj", "登记册中没有相近的人员：请先登记该人员，再填写其编号"),
    ],
)
def test_a_near_miss_id_suggests_the_closest(repo: Path, typed: str, hint: str) -> None:
    edit_hazard(repo, ("acceptor: sun-hao-yjj", f"acceptor: {typed}"))
    [finding] = check(repo)
    assert (finding.rule, finding.line, finding.column) == ("R-ref", 24, 3)
    assert finding.message == f"字段 rectification.acceptor（验收人）：找不到人员 {typed}。{hint}"


def test_an_unregistered_chinese_name_suggests_by_pinyin(repo: Path) -> None:
    edit_hazard(repo, ("acceptor: sun-hao-yjj", "acceptor: 孙豪"))  # 豪 for 浩: same pinyin
    [finding] = check(repo)
    assert finding.message.endswith("您是不是要写：sun-hao-yjj（孙浩，淮北市应急管理局）"), finding.message


def test_a_body_name_typed_for_its_id(repo: Path) -> None:
    edit_hazard(repo, ("department: city-emergency", "department: 淮北市应急管理局"))
    [finding] = check(repo)
    assert finding.message.endswith("此处应填写编号而不是名称：请写 city-emergency（淮北市应急管理局）"), (
        finding.message
    )


def test_suggestions_stay_fast_on_a_large_registry() -> None:
    from rectify.suggest import Suggester

    docs = [
        SimpleNamespace(kind="person", data={"id": f"p{n:06d}-yjj", "name": f"人{n}", "organization": "x"})
        for n in range(20_000)
    ]
    start = time.perf_counter()
    suggester = Suggester.from_documents(docs)
    assert suggester.candidates("p012345-yj", ("person",))[0].id == "p012345-yjj"
    built = time.perf_counter() - start
    start = time.perf_counter()
    for n in range(0, 20_000, 100):
        assert suggester.candidates(f"p{n:06d}-yij", ("person",))[0].id == f"p{n:06d}-yjj"
    per_lookup = (time.perf_counter() - start) / 200
    assert built < 10 and per_lookup < 0.01, (built, per_lookup)


# -- one round of errors ----------------------------------------------------------------------------
def test_five_faults_in_one_file_are_all_reported_in_one_run(repo: Path) -> None:
    edit_hazard(
        repo,
        ("  date: 2023-09-12", "  date: 2023-02-30"),  # a date that does not exist
        ("status: rectifying", "status: 整改中"),  # a label for a code
        ("department: city-emergency", "department: city-emergncy"),  # a typo in a reference
        ("  emergency_plan: 整改完成前停用砂光工序。\n", ""),  # 五落实 incomplete
        ("acceptor: sun-hao-yjj", "acceptor: wang-qiang-qy"),  # the responsible person accepts
    )
    proc = cli("check", "--today", TODAY, cwd=repo)
    assert proc.returncode == 1, explain(proc)
    assert proc.stdout.splitlines() == [
        f"{HAZARD}:15:9: 错误[R-date] 日期 2023-02-30 不存在（请核对月份和日期） 字段 found.date",
        f"{HAZARD}:20:1: 错误[H-five] 重大事故隐患“五落实”缺少：应急预案 字段 rectification",
        f"{HAZARD}:22:3: 错误[R-ref] 字段 rectification.department（责任部门）：找不到机构 city-emergncy。"
        "您是不是要写：city-emergency（淮北市应急管理局）",
        f"{HAZARD}:24:3: 错误[H-acceptor] 验收人 王强（wang-qiang-qy） 就是整改责任人：重大事故隐患须由整改责任人以外的人验收"
        " 字段 rectification.acceptor",
        f"{HAZARD}:28:1: 错误[R-schema] 字段 status（整改状态）：“整改中”是中文名称，这里请写它的代码 rectifying",
        "检查了 15 个文件：5 个错误，0 个警告，0 个提醒。",
        f"跳过：{HAZARD} 的字段 found.date、status 有误，规则未检查这些字段；其余字段已检查，改正后再运行检查",
    ]


def test_a_finding_on_an_invalid_field_is_skipped_and_said(repo: Path) -> None:
    """H-five would report the mistyped funds as missing: a guess; it is skipped and the summary says so."""
    edit_hazard(repo, ("funds_cny: 120000", "funds_cny: 十二万"))
    proc = cli("check", "--today", TODAY, cwd=repo)
    assert proc.stdout.splitlines()[-2:] == [
        "检查了 15 个文件：1 个错误，0 个警告，0 个提醒。",
        f"跳过：{HAZARD} 的字段 rectification.funds_cny 有误，规则未检查这些字段（涉及 H-five）；"
        "其余字段已检查，改正后再运行检查",
    ], explain(proc)


@pytest.fixture
def fragile_rule() -> Iterator[None]:
    """A rule that reads a required field without looking: it cannot judge a record missing it."""

    @rule("T-fragile", Severity.ERROR, "测试")
    def fragile(registry: Registry, context: Context) -> Iterator[Diagnostic]:
        for doc in registry.records("hazard"):
            if doc.data["status"] == "rectifying":
                yield doc.diagnostic("T-fragile", Severity.ERROR, ["title"], "整改中")

    yield
    del RULES["T-fragile"]


@pytest.mark.usefixtures("fragile_rule")
def test_a_rule_that_cannot_judge_a_record_skips_it_and_says_so(repo: Path) -> None:
    write(repo, "registry/hazards/2023/HAZ-2023-00002.yaml", (repo / HAZARD).read_text(encoding="utf-8"))
    other = "registry/hazards/2023/HAZ-2023-00002.yaml"
    edit_hazard(repo, ("status: rectifying\n", ""))
    text = (repo / other).read_text(encoding="utf-8").replace("HAZ-2023-00001", "HAZ-2023-00002")
    (repo / other).write_text(text, encoding="utf-8")
    result = run_check(find(repo), dt.date(2023, 11, 1))
    assert [(d.rule, d.file) for d in result.diagnostics if d.rule in ("T-fragile", "R-schema")] == [
        ("R-schema", HAZARD),
        ("T-fragile", other),
    ]
    assert result.notes == [
        f"跳过：{HAZARD} 的字段 status 有误，规则未检查这些字段，规则 T-fragile 无法检查这条记录；"
        "其余字段已检查，改正后再运行检查"
    ]


def test_a_slip_in_a_list_that_still_parses_is_found_by_the_builder(repo: Path) -> None:
    text = f"id: li-na-yjj\nname: 李娜\n{ORG}roles:\n  - official\n  - role:staff\n"
    assert findings(repo, PERSON, text) == [("R-yaml", 6, 10, "role: 的冒号后缺少空格：请写成“role: ”再填值")]


@pytest.mark.parametrize(
    "text",
    [
        "a:\n  - PLC:故障\n",  # not a field name: just text
        "a:\n  - http://example.cn/x\n",
        "note: 备注：见附件\n",
        "title: “三合一”场所未分隔\n",  # quotes inside the text, not around it
        "time: 10:30\n",
    ],
)
def test_text_that_only_looks_like_a_slip_is_left_alone(text: str) -> None:
    _, _, problems = parse(text, "x.yaml")
    assert problems == []


def test_an_item_whose_text_begins_with_a_full_width_space_is_read_as_text() -> None:
    """``- 　text`` is a list item whose text begins with U+3000 (YAML reads it so); only a full-width
    space where the indentation or the dash's space belongs is a slip."""
    from rectify.load import parse

    data, _, problems = parse("measures:\n  - \u3000=1+1\n", "x.yaml")
    assert problems == [] and data == {"measures": ["\u3000=1+1"]}
    _, _, problems = parse("measures:\n  -\u3000增设报警装置\n", "x.yaml")
    assert [(p.rule, p.line, p.column) for p in problems] == [("R-yaml", 2, 4)]
