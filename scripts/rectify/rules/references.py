"""R-ref and R-uscc: every id is unique and where it belongs, every reference resolves."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath

from rectify import uscc
from rectify.diagnostics import Diagnostic, Severity
from rectify.fields import KIND_NAMES
from rectify.load import FOLDER_OF, YEAR_KINDS
from rectify.model import Document, Registry
from rectify.rules import Context, Reads, rule
from rectify.schema import iter_pattern


def _kinds_text(kinds: tuple[str, ...]) -> str:
    return "或".join(KIND_NAMES.get(k, k) for k in kinds)


@rule(
    "R-ref",
    Severity.ERROR,
    "编号唯一、文件名即编号、引用都能找到",
    depends=Reads(on=("*",), refs=("*",), same_id=True, hints=True),
)
def check_references(registry: Registry, context: Context) -> Iterator[Diagnostic]:
    """
    每条记录的编号唯一；文件名就是编号（`HAZ-2023-00017.yaml`）；检查、隐患、处置的年份目录与编号
    的年份一致；每个引用（机构、人员、企业、专项整治、检查、隐患、判定标准及条款、方案正文文件）
    都指向存在的、类型正确的记录。必需的 `registry/jurisdiction.yaml` 与 `standards.yaml` 须存在。

    文件名与编号比较时不区分大小写：网页表单（Decap CMS）总是以小写字母保存文件名
    （`haz-2026-00001.yaml`），而编号本身的格式保证不会有两个编号只差大小写；Windows 和 macOS 的
    文件系统也把二者视为同一个文件。

    PASS: `rectification.acceptor: sun-hao-yjj`，且 `registry/people/sun-hao-yjj.yaml` 存在。
    FAIL: `rectification.acceptor: sun-hao`（无此人员）；`enterprise: city-emergency`（这是机构，不是企业）；
    `HAZ-2024-00001.yaml` 放在 `hazards/2023/`。
    """
    if registry.jurisdiction is None:
        yield Diagnostic(
            "R-ref",
            Severity.ERROR,
            "registry/jurisdiction.yaml",
            1,
            1,
            "",
            "缺少辖区文件 registry/jurisdiction.yaml",
        )
    if not any(doc.kind == "standards" for doc in registry.documents):
        yield Diagnostic(
            "R-ref",
            Severity.ERROR,
            "registry/standards.yaml",
            1,
            1,
            "",
            "缺少判定标准目录 registry/standards.yaml",
        )
    owners: dict[str, str] = {}
    for kind, index in registry.by_kind.items():
        for record_id, doc in index.items():
            if record_id in owners:
                message = f"编号 {record_id} 已用作{KIND_NAMES[owners[record_id]]}的编号：不同记录不得同号"
                yield doc.diagnostic("R-ref", Severity.ERROR, ["id"], message)
            else:
                owners[record_id] = kind
    for doc in registry.duplicates:
        first = registry.by_kind[doc.kind][doc.id or ""]
        yield doc.diagnostic("R-ref", Severity.ERROR, ["id"], f"编号 {doc.id} 重复：已用于 {first.file}")
    for doc in registry.documents:
        if doc.kind in ("jurisdiction", "standards"):
            continue
        pattern = registry.schemas.id_pattern(doc.kind)
        if doc.id is None or (pattern is not None and not pattern.search(doc.id)):
            continue  # the schema stage reports a missing or malformed id
        record_id = doc.id
        *_, folder, file_name = ("", *doc.file.split("/"))  # plain strings: this runs for every record
        if file_name.lower() != f"{record_id}.yaml".lower():  # see the docstring: case is not compared
            yield doc.diagnostic(
                "R-ref",
                Severity.ERROR,
                ["id"],
                f"文件名应为 {record_id}.yaml（文件名即编号），实为 {file_name}",
            )
        if doc.kind in YEAR_KINDS:
            parts = record_id.split("-")
            if len(parts) == 3 and folder != parts[1]:
                yield doc.diagnostic(
                    "R-ref",
                    Severity.ERROR,
                    ["id"],
                    f"编号年份为 {parts[1]}，应放在 registry/{FOLDER_OF[doc.kind]}/{parts[1]}/ 目录，实为 {folder}/",
                )
    focus = registry.focus
    for ref in registry.references:
        if focus is not None and ref.source.file not in focus:
            continue  # context only: a finding here would not be kept, and its hint costs
        if "standard" in ref.kinds:
            yield from _standard(registry, ref.source, ref.path, ref.target)
            continue
        if any(registry.get(kind, ref.target) is not None for kind in ref.kinds):
            continue
        found = registry.kinds_of(ref.target)
        field = registry.schemas.describe(ref.source.kind, ref.path)
        wanted = _kinds_text(ref.kinds)
        hint = registry.suggester().hint(ref.target, ref.kinds)
        if found:
            message = f"{field}：{ref.target} 是{_kinds_text(tuple(found))}，此处应为{wanted}。{hint}"
        else:
            message = f"{field}：找不到{wanted} {ref.target}。{hint}"
        yield ref.source.diagnostic("R-ref", Severity.ERROR, ref.path, message)
    for doc in registry.documents:
        if not registry.schemas.files[doc.kind]:
            continue
        for file_field in registry.schemas.files[doc.kind]:
            for path, value in iter_pattern(doc.data, file_field):
                if isinstance(value, str):
                    companion = (PurePosixPath(doc.file).parent / value).as_posix()
                    if companion not in registry.companions:
                        yield doc.diagnostic(
                            "R-ref", Severity.ERROR, path, f"方案正文文件 {companion} 不存在"
                        )


def _standard(
    registry: Registry, doc: Document, path: tuple[str | int, ...], standard_id: str
) -> Iterator[Diagnostic]:
    standard = registry.standards.get(standard_id)
    if standard is None:
        known = "、".join(sorted(registry.standards)) or "（目录为空）"
        yield doc.diagnostic(
            "R-ref",
            Severity.ERROR,
            path,
            f"判定标准 {standard_id} 不在 registry/standards.yaml 中；已有：{known}",
        )
        return
    basis = doc.data.get(path[0]) if len(path) == 2 and isinstance(path[0], str) else None
    clause = basis.get("clause") if isinstance(basis, dict) else None
    clauses = [c.get("id") for c in standard.get("clauses") or [] if isinstance(c, dict)]
    if isinstance(clause, str) and clause not in clauses:
        yield doc.diagnostic(
            "R-ref",
            Severity.ERROR,
            [path[0], "clause"],
            f"条款 {clause} 不在判定标准 {standard_id} 中；该标准登记的条款：{'、'.join(map(str, clauses))}",
        )


@rule("R-uscc", Severity.ERROR, "统一社会信用代码校验码正确", depends=Reads(on=("enterprise",)))
def check_uscc(registry: Registry, context: Context) -> Iterator[Diagnostic]:
    """
    企业以 18 位统一社会信用代码为编号，按 GB 32100-2015 计算第 18 位校验码并核对；录入时错一位
    即可发现。（格式本身——长度与字符集——由 R-schema 检查。）

    PASS: `id: 91440300708461136T`
    FAIL: `id: 91440300708461136A`（校验码应为 T）
    """
    for doc in registry.by_kind.get("enterprise", {}).values():
        code = doc.id
        if code is None or len(code) != 18 or any(c not in uscc.ALPHABET for c in code):
            continue
        problem = uscc.problem(code)
        if problem:
            yield doc.diagnostic("R-uscc", Severity.ERROR, ["id"], f"统一社会信用代码 {code} 无效：{problem}")
