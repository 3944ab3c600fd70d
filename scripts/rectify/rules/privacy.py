"""R-personal: personal data typed into free text (descriptions, notes, reasons, names, titles).

The privacy gate of the site knows the fields the schemas mark private; this rule finds identity
numbers, mobile and landline numbers and e-mail addresses anywhere else, so that they are caught
in review and never published. :func:`personal_data` is shared with the public build, which
refuses to publish any of them.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from rectify.diagnostics import Diagnostic, Severity
from rectify.model import Document, Registry
from rectify.rules import Context, rule
from rectify.schema import Schemas

ID_NUMBER, MOBILE, LANDLINE, EMAIL = "身份证号", "手机号码", "固定电话号码", "电子邮箱"
SEVERITY = {
    ID_NUMBER: Severity.ERROR,
    MOBILE: Severity.WARNING,
    LANDLINE: Severity.WARNING,
    EMAIL: Severity.WARNING,
}

_SEP = r"[ \-]"  # one space or hyphen between digit groups (after NFKC: full-width forms too)
_START = r"(?<![0-9A-Za-z])(?<!\d[ \-])"  # not inside a longer code or digit run
_END = r"(?![0-9A-Za-z]|[ \-]\d)"
_ID18 = re.compile(_START + rf"\d(?:{_SEP}?\d){{16}}{_SEP}?[0-9Xx]" + _END)
_ID15 = re.compile(_START + r"\d{15}" + _END)
_MOBILE = re.compile(
    r"(?<![0-9A-Za-z+])(?<!\d[ \-])(?:(?:\+|00)86[ \-]?|\(\+?86\)[ \-]?|86[ \-])?"
    rf"1[3-9](?:{_SEP}?\d){{9}}" + _END
)
_LANDLINE = re.compile(
    _START + r"(?:\(0[1-9]\d{1,2}\)|0[1-9]\d{1,2})[ \-]?[2-9]\d{6,7}"
    r"(?:(?:[ \-]|转|分机|ext\.?|x)\d{1,6})?" + _END
)
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
# cheap tests first: without three digits in a row or an at sign, a text holds none of the above
_QUICK = re.compile(r"\d\d\d|[@＠]")
_CANDIDATE = re.compile(r"(?:\d\D{0,3}){8}\d|[@＠]")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


@dataclass(frozen=True, slots=True)
class Finding:
    doc: Document
    path: tuple[str | int, ...]
    what: str  # ID_NUMBER, MOBILE, LANDLINE or EMAIL
    value: str  # as found (after NFKC normalisation)

    @property
    def masked(self) -> str:
        """The value with its middle hidden, for messages and logs."""
        if self.what == EMAIL:
            local, _, domain = self.value.partition("@")
            return f"{local[:1]}***@{domain}"
        return self.value[:3] + "*" * max(len(self.value) - 5, 1) + self.value[-2:]


def _birth_date(text: str) -> bool:
    try:
        day = dt.date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return False
    return 1900 <= day.year <= 2100


def is_id_number(text: str) -> bool:
    """A resident identity number (GB 11643-1999): region (first digit 1–8), birth date and, for the
    18-digit form, the ISO 7064 MOD 11-2 check digit. Enterprises' credit codes begin with 9 (and
    most hold letters), so they are never taken for one."""
    digits = re.sub(r"[ \-]", "", text).upper()
    if not digits or digits[0] not in "12345678":
        return False
    if len(digits) == 15:
        return digits.isdigit() and _birth_date("19" + digits[6:12])
    if len(digits) != 18 or not digits[:17].isdigit() or not _birth_date(digits[6:14]):
        return False
    total = sum(int(d) * w for d, w in zip(digits[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == digits[17]


def find_in_text(text: str) -> Iterator[tuple[str, str]]:
    """(kind, value) of every piece of personal data in ``text``."""
    if not _QUICK.search(text) or not _CANDIDATE.search(text):
        return
    text = unicodedata.normalize("NFKC", text)
    taken: list[tuple[int, int]] = []

    def free(match: re.Match[str]) -> bool:
        return not any(s < match.end() and match.start() < e for s, e in taken)

    for pattern, kind in ((_ID18, ID_NUMBER), (_ID15, ID_NUMBER)):
        for match in pattern.finditer(text):
            if is_id_number(match.group()):
                taken.append(match.span())
                yield kind, match.group()
    for match in _EMAIL.finditer(text):
        taken.append(match.span())
        yield EMAIL, match.group()
    for pattern, kind in ((_MOBILE, MOBILE), (_LANDLINE, LANDLINE)):
        for match in pattern.finditer(text):
            if free(match):
                taken.append(match.span())
                yield kind, match.group()


Tree = dict[Any, Any]  # field name (None: any list item) → subtree; _TEXT → True for a text field
_TEXT = object()


def _text_tree(schemas: Schemas, node: dict[str, Any], depth: int = 0) -> Tree | None:
    """Which fields of a schema hold free text: strings with no pattern, format, enum or
    reference, outside private fields (those never reach the public site; the gate knows them)."""
    if depth > 20 or node.get("x-private") or "x-ref" in node:
        return None
    target = schemas.resolve(node)
    merged = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    if merged.get("x-private") or "x-ref" in merged:
        return None
    if merged.get("type") == "string":
        plain = not any(k in merged for k in ("pattern", "format", "enum", "const"))
        return {_TEXT: True} if plain else None
    tree: Tree = {}
    for name, sub in (merged.get("properties") or {}).items():
        child = _text_tree(schemas, sub, depth + 1)
        if child:
            tree[name] = child
    if isinstance(merged.get("items"), dict):
        child = _text_tree(schemas, merged["items"], depth + 1)
        if child:
            tree[None] = child
    return tree or None


def _path(link: Any) -> tuple[str | int, ...]:
    path: list[str | int] = []
    while link is not None:
        key, link = link
        path.append(key)
    return tuple(reversed(path))


def _texts(data: Any, tree: Tree) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """(path, text) of every free-text value of a record that may hold personal data. Iterative,
    and each path is kept as a linked (key, parent) pair until a text needs it: this runs over
    every value of the registry."""
    stack: list[tuple[Any, Tree, Any]] = [(data, tree, None)]
    quick = _QUICK.search
    while stack:
        value, node, link = stack.pop()
        pairs = value.items() if isinstance(value, dict) else enumerate(value)
        subs = node if isinstance(value, dict) else None
        items = node.get(None) if subs is None else None
        for key, sub_value in pairs:
            sub = subs.get(key) if subs is not None else items
            if not sub:
                continue
            if isinstance(sub_value, str):
                if _TEXT in sub and quick(sub_value):
                    yield _path((key, link)), sub_value
            elif isinstance(sub_value, dict | list):
                stack.append((sub_value, sub, (key, link)))


def personal_data(registry: Registry) -> Iterator[Finding]:
    """Every piece of personal data in the free text of every record, in file order."""
    schemas = registry.schemas
    trees: dict[str, Tree | None] = {}
    focus = registry.focus  # only these files' findings are wanted (the delta check)
    for doc in registry.documents:
        if focus is not None and doc.file not in focus:
            continue
        if doc.kind not in trees:
            raw = schemas.raw.get(doc.kind)
            trees[doc.kind] = _text_tree(schemas, raw) if raw else None
        tree = trees[doc.kind]
        if not tree:
            continue
        for path, text in sorted(_texts(doc.data, tree)) if isinstance(doc.data, dict) else ():
            for what, value in find_in_text(text):
                yield Finding(doc, path, what, value)


@rule(
    "R-personal", Severity.ERROR, "自由文本中不得含有身份证号、手机号、电话号码、电子邮箱等个人信息", each="*"
)
def check_personal_data(registry: Registry, context: Context) -> Iterator[Diagnostic]:
    """
    描述、备注、理由、名称等自由文本会在公开站点全文发布，不得写入个人信息：身份证号（18 位，
    按 GB 11643 核对出生日期和校验码，含末位 X；以及 15 位旧号）为错误；手机号（含空格、连字符、
    +86 等写法）、固定电话（含区号、分机号）和电子邮箱为警告，请改写为“联系人见内部版”，或写入
    人员记录中不公开的 `contact` 字段。标记为不公开的字段（`contact`、`id_number` 等）以及编号、
    日期、网址等有固定格式的字段不在此检查之列；统一社会信用代码、记录编号、日期、金额、
    标准编号（如 GB 35181-2017）不会被误认。公开版站点构建时发现这些信息即失败。

    PASS: `description: 整改责任人见内部版；举报电话 12350。`
    FAIL: `description: 责任人张某（身份证号 34060219850101123X）`；
    `progress[0].note: 已电话联系 138-1234-5678`；`reason: 详询 0561-3012345 转 8012`。
    """
    schemas = registry.schemas
    for finding in personal_data(registry):
        field = schemas.describe(finding.doc.kind, list(finding.path))
        yield finding.doc.diagnostic(
            "R-personal",
            SEVERITY[finding.what],
            list(finding.path),
            f"{field}含有疑似{finding.what}“{finding.masked}”：个人信息不得写入公开的文本字段，"
            "请删去或改写入不公开的联系方式字段",
        )
