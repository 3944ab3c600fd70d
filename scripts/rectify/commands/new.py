"""``rectify new KIND [--field value …]``: a new record file with the next free id, the fields given,
and every other required field present as an empty placeholder whose comment says what to fill in
(the check names each one until it is filled). Given values are read as ledger cells are (labels or
codes, text dates, names of referenced records) and checked before anything is written."""

from __future__ import annotations

import argparse
from typing import Any

from rectify import report
from rectify.commands import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, iso_date, today_in_shanghai
from rectify.fields import ENUM, OBJECT, Field, describe_refs
from rectify.ledger.columns import LEDGER_KINDS, Column, kind_of, ledger_for, normalize_header
from rectify.load import FOLDER_OF
from rectify.paths import PathsError, find

NAME = "new"
HELP = "新建一条记录：自动编号，必填字段留出待填位置"
EPILOG = "字段可写英文路径或中文列名，例如：rectify new hazards --title 配电室未配备绝缘手套 --district 濉溪县 --发现日期 2023/8/28"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    kinds = sorted({*LEDGER_KINDS, *(FOLDER_OF[k] for k in LEDGER_KINDS)})
    parser.epilog = EPILOG
    parser.add_argument(
        "kind", choices=kinds, metavar="类型", help="记录类型，如 hazard、inspection、enterprise"
    )
    parser.add_argument(
        "--id", help="记录编号（机构、人员用标识，企业用统一社会信用代码；其余类型默认自动编号）"
    )
    parser.add_argument(
        "--today",
        type=iso_date,
        help="未给发现日期等日期字段时，编号年份以此日期为准（默认 RECTIFY_TODAY 或北京时间今天）",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="只显示下一个可用编号（按所给日期字段的年份），不新建文件"
    )
    parser.add_argument("fields", nargs=argparse.REMAINDER, help="--字段 值 …")


def _pairs(tokens: list[str]) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if not token.startswith("--") or len(token) < 3:
            raise PathsError(f"应为 --字段 值，实为 “{token}”")
        if "=" in token:
            name, value = token[2:].split("=", 1)
            index += 1
        elif index + 1 < len(tokens):
            name, value = token[2:], tokens[index + 1]
            index += 2
        else:
            raise PathsError(f"字段 {token} 缺少值")
        pairs.append((name, value))
    return pairs


def _placeholders(field: Field, data: dict[str, Any], out: dict[tuple[str, ...], str]) -> None:
    """Every required field missing from ``data`` (below required or given objects) → its note."""
    for child in field.children:
        present = child.name in data
        if child.type == OBJECT and (child.required or present):
            sub = data.setdefault(child.name, {})
            if isinstance(sub, dict):
                _placeholders(child, sub, out)
            continue
        if child.required and not present:
            data[child.name] = None
            note = f"必填：{child.title}。{child.description}"
            if child.type == ENUM:
                note += " 可选：" + "、".join(f"{code}（{label}）" for code, label in child.labels.items())
            elif child.refs:
                note += f" 填写{describe_refs(child.refs)}编号。"
            out[child.path] = note


def run(args: argparse.Namespace) -> int:
    from rectify.check import build_registry
    from rectify.fields import record_fields
    from rectify.ledger.cells import CellError, from_cell
    from rectify.ledger.importer import set_path
    from rectify.ledger.refs import IdAllocator, References
    from rectify.ledger.yamlio import record_path, render_new, write_atomic
    from rectify.load import parse
    from rectify.model import Document, Registry
    from rectify.rules import Context, run_all

    kind = kind_of(args.kind)
    assert kind is not None
    try:
        if "--dry-run" in args.fields:  # after the first field, argparse leaves it among them
            args.dry_run = True
            args.fields = [t for t in args.fields if t != "--dry-run"]
        pairs = _pairs(args.fields)
        for name, value in [p for p in pairs if p[0] in ("id", "today")]:
            pairs.remove((name, value))
            if name == "id":
                args.id = value
            else:
                args.today = iso_date(value)
    except (PathsError, argparse.ArgumentTypeError) as exc:
        report.message(f"rectify new：{exc}")
        return EXIT_USAGE
    paths = find(args.root)
    today = args.today or today_in_shanghai()
    registry, _, _ = build_registry(paths)
    ledger = ledger_for(registry.schemas, kind)
    known: dict[str, Column] = {}
    for each in ledger.columns:
        known[normalize_header(each.key)] = each
        known.setdefault(normalize_header(each.header), each)
        known.setdefault(normalize_header(each.field.title), each)
    refs = References(registry, {})
    data: dict[str, Any] = {}
    for name, value in pairs:
        column = known.get(normalize_header(name))
        if column is None or column.path == ("id",):
            hint = "、".join(c.key for c in ledger.columns if c.path != ("id",))
            report.message(f"rectify new：{kind} 没有字段 {name!r}（编号用 --id）；可用字段：{hint}")
            return EXIT_USAGE
        try:
            set_path(data, column.path, from_cell(column, value, refs))
        except CellError as exc:
            report.message(f"rectify new：字段 {column.key}（{column.header}）：{exc.message}")
            return EXIT_USAGE
    record = record_fields(registry.schemas, kind)
    record_id = args.id or IdAllocator(registry, today).next(kind, data)
    if record_id is None:
        report.message(f"rectify new：{kind} 的编号不能自动生成，请用 --id 指定")
        return EXIT_USAGE
    pattern = registry.schemas.id_pattern(kind)
    if pattern is not None and not pattern.fullmatch(record_id):
        report.message(f"rectify new：编号 {record_id!r} 格式不对：{registry.schemas.describe(kind, ['id'])}")
        return EXIT_USAGE
    if record_id in registry.by_kind.get(kind, {}):
        report.message(f"rectify new：编号 {record_id} 已被 {registry.by_kind[kind][record_id].file} 使用")
        return EXIT_USAGE
    if args.dry_run:
        report.lines(record_id)
        return EXIT_OK
    path = record_path(paths.registry, kind, record_id)
    if path.exists():
        report.message(f"rectify new：文件已存在，不会覆盖：{paths.relative(path)}")
        return EXIT_USAGE
    data = {"id": record_id, **data}
    notes: dict[tuple[str, ...], str] = {}
    _placeholders(record, data, notes)
    text = render_new(kind, record, data, notes)
    rel = paths.relative(path)
    parsed, root, problems = parse(text, rel)
    assert parsed is not None and root is not None and not problems, problems
    doc = Document(kind, rel, str(path), parsed, text)
    blanks = {".".join(p) for p in notes}
    errors = [d for d in registry.schemas.validate(doc) if d.path not in blanks]
    if not notes:
        built = Registry.build(
            [*registry.documents, doc], registry.schemas, registry.invalid, registry.companions
        )
        errors += [d for d in run_all(built, Context(today=today)) if d.file == rel and d.severity == "error"]
    if errors:
        report.lines("\n".join(f"{d.path or '记录'}：{d.message}（{d.rule}）" for d in errors))
        report.message(f"rectify new：以上问题须先改正，未写入 {rel}")
        return EXIT_FINDINGS
    write_atomic(path, text)
    report.lines(f"已新建 {rel}")
    if notes:
        listed = "、".join(f"{'.'.join(p)}（{(ledger_column_title(ledger.columns, p))}）" for p in notes)
        report.lines(f"还需填写 {len(notes)} 个必填字段：{listed}。填写后运行 rectify check {rel}")
    return EXIT_OK


def ledger_column_title(columns: tuple[Column, ...], path: tuple[str, ...]) -> str:
    return next((c.header for c in columns if c.path == path), path[-1])
