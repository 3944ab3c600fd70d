"""Registry files → documents with position marks. Every way a file can be unreadable becomes a
located :class:`Diagnostic`; nothing is guessed, coerced or dropped silently.

YAML is parsed by libyaml into nodes (which carry line and column), then built into plain Python
values by :func:`_Builder.build` under YAML-1.2-like rules: dates stay ISO strings, only
``true``/``false`` are booleans (``on``/``yes``/``no`` stay strings), numbers with a leading zero
stay strings, duplicate keys and alias bombs are refused.
"""

from __future__ import annotations

import datetime as dt
import gc
import marshal
import multiprocessing
import os
import re
import threading
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from sys import intern
from typing import Any

import yaml

from rectify.diagnostics import Diagnostic, Severity, format_path
from rectify.model import Document
from rectify.paths import Paths
from rectify.slips import FIELD_NAME, FULL_COLON, NO_SPACE, slip_message, translate, typing_slips
from rectify.yamlnodes import BOOL, FLOAT, INT, MAP, NULL, SEQ, STR, NodeLoader

EVIDENCE_FOLDER = "evidence"  # registry/evidence/<RECORD-ID>/: attachments, not records

# folder under registry/ → record kind
KIND_FOLDERS = {
    "organizations": "organization",
    "people": "person",
    "enterprises": "enterprise",
    "campaigns": "campaign",
    "plans": "plan",
    "responsibilities": "responsibility",
    "inspections": "inspection",
    "hazards": "hazard",
    "actions": "action",
    "consultations": "consultation",
    "cases": "case",
    "activities": "activity",
}
FOLDER_OF = {kind: folder for folder, kind in KIND_FOLDERS.items()}
YEAR_KINDS = frozenset({"inspection", "hazard", "action"})  # stored under <folder>/<YYYY>/
SINGLETONS = {"jurisdiction.yaml": "jurisdiction", "standards.yaml": "standards", "calendar.yaml": "calendar"}
COMPANION_SUFFIXES = frozenset({".md", ".txt"})  # plan texts beside their records

MAX_BYTES = 1024 * 1024  # a record larger than 1 MiB is not a record
MAX_NODES = 100_000  # values built from one file, aliases expanded
MAX_DEPTH = 64
INTERN_UP_TO = 24  # characters: short values are shared, texts are not

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Keys YAML 1.1 (PyYAML's safe_load) reads as booleans, and the names the schemas use instead.
YAML11_BOOLEAN_KEYS = {
    "on": True,
    "yes": True,
    "y": True,
    "true": True,
    "off": False,
    "no": False,
    "n": False,
    "false": False,
}
YAML11_KEY_RENAMES = {"on": "date"}
_YEAR_RE = re.compile(r"^\d{4}$")


@dataclass(slots=True)
class LoadResult:
    documents: list[Document] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: int = 0  # YAML files seen
    failed: set[str] = field(default_factory=set)  # files that could not be read at all
    companions: set[str] = field(default_factory=set)  # non-record files (plan texts), relative paths
    texts: dict[str, str] = field(default_factory=dict)  # their contents, for the plan copy check
    evidence: dict[str, Any] = field(default_factory=dict)  # attachments' facts (rectify.evidence.scan)


class _Refused(Exception):
    def __init__(self, rule: str, message: str, mark: Any = None) -> None:
        super().__init__(message)
        self.rule, self.message, self.mark = rule, message, mark


def _err(rule: str, file: str, line: int, column: int, message: str, path: str = "") -> Diagnostic:
    return Diagnostic(rule, Severity.ERROR, file, line, column, path, message)


def _path_to(root: yaml.Node, target: yaml.Node) -> list[str | int]:
    """The data path of ``target`` below ``root`` (only called to word a problem: rare)."""
    stack: list[tuple[yaml.Node, list[str | int]]] = [(root, [])]
    seen: set[int] = set()
    while stack:
        node, path = stack.pop()
        if node is target:
            return path
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key is target:
                    return path
                stack.append((value, [*path, str(key.value)]))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, [*path, i]) for i, item in enumerate(node.value))
    return []


def _boolean_key_message(key: str, renamed: str | None) -> str:
    read_as = "True" if YAML11_BOOLEAN_KEYS[key.lower()] else "False"
    fix = f"请把键改为 {renamed}" if renamed else "请改用含义明确的字段名（见 schemas/ 中该类记录的字段）"
    return (
        f"键 {key} 在 YAML 1.1 中读作布尔值（PyYAML 的 yaml.safe_load 会读成 {read_as}），用常见的脚本读取登记册"
        f"会得到错误的数据：{fix}"
    )


class _Builder:
    """Builds plain values from nodes, collecting problems instead of raising where it can."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.budget = MAX_NODES
        self.offsets: dict[int, int] = {}  # node → columns from its start to the problem
        # rule, node, message, key, severity
        self.problems: list[tuple[str, yaml.Node, str, str | None, Severity]] = []

    def build(self, node: yaml.Node, depth: int = 0) -> Any:
        self.budget -= 1
        if self.budget < 0:
            raise _Refused(
                "R-limits",
                f"展开后的值超过 {MAX_NODES} 个（疑似别名炸弹 billion laughs），拒绝读取",
                node.start_mark,
            )
        if depth > MAX_DEPTH:
            raise _Refused(
                "R-limits", f"嵌套超过 {MAX_DEPTH} 层（或别名引用了自身），拒绝读取", node.start_mark
            )
        cls = node.__class__
        if cls is yaml.ScalarNode:
            return self._scalar(node)  # type: ignore[arg-type]
        if cls is yaml.SequenceNode:
            if node.tag != SEQ:
                raise _Refused(
                    "R-yaml", f"不支持的标签 {node.tag}：登记册只接受普通的列表，拒绝读取", node.start_mark
                )
            return [self.build(item, depth + 1) for item in node.value]
        if node.tag != MAP:
            raise _Refused(
                "R-yaml", f"不支持的标签 {node.tag}：登记册只接受普通的映射，拒绝读取", node.start_mark
            )
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.__class__ is not yaml.ScalarNode:
                self.problems.append(
                    ("R-yaml", key_node, "键必须是简单文本，不能是列表或映射", None, Severity.ERROR)
                )
                continue
            key = key_node.value
            if not key_node.style and key.lower() in YAML11_BOOLEAN_KEYS:
                renamed = YAML11_KEY_RENAMES.get(key.lower())
                self.problems.append(
                    ("R-bool-key", key_node, _boolean_key_message(key, renamed), key, Severity.ERROR)
                )
                key = renamed or key  # read as the schemas name it: one mistake, one message
            if key in result:
                first = next(k for k, _ in node.value if k.__class__ is yaml.ScalarNode and k.value == key)
                message = f"键 {key} 重复（第一次出现在第 {first.start_mark.line + 1} 行）：后一个值会悄悄覆盖前一个，请合并为一个"
                self.problems.append(("R-duplicate-key", key_node, message, key, Severity.ERROR))
                continue
            if key == "<<" and not key_node.style:  # plain (libyaml gives ""), not quoted
                self.problems.append(
                    ("R-yaml", key_node, "不支持合并键 <<：请把字段直接写出", None, Severity.ERROR)
                )
                continue
            result[intern(key)] = self.build(value_node, depth + 1)
        return result

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        value: str = node.value
        tag = node.tag
        if tag == STR:
            if not node.style and ("：" in value or ":" in value):
                self._key_slip(node, value)
            if not node.style and len(value) > 1 and value[0] in "“‘" and value[-1] in "”’":
                message = f"值 {value} 两端是中文引号：引号会成为内容的一部分；如果只是想括起来，请去掉或改用英文引号"
                self.problems.append(("R-yaml", node, message, None, Severity.WARNING))
            if len(value) == 10 and value[4] == "-" and _DATE_RE.match(value):
                try:
                    dt.date.fromisoformat(value)
                except ValueError:
                    self.problems.append(
                        ("R-date", node, f"日期 {value} 不存在（请核对月份和日期）", None, Severity.ERROR)
                    )
            # Keys, dates, states and ids repeat across records: one object each (a sixth of memory).
            return intern(value) if len(value) <= INTERN_UP_TO else value
        if tag == NULL:
            return None
        if tag == BOOL and value.lower() in ("true", "false"):
            return value.lower() == "true"
        if tag in (INT, FLOAT):
            try:
                return int(value) if tag == INT else float(value)
            except ValueError:
                pass
        raise _Refused(
            "R-yaml",
            f"不支持的标签 {tag}：请去掉标签，写成普通文本、数字或 true/false，拒绝读取",
            node.start_mark,
        )

    def _key_slip(self, node: yaml.ScalarNode, value: str) -> None:
        """``- on：2023-01-01`` or ``- on:2023-01-01`` reads as one text: say it was meant as a field.
        Only a field-like key (lower-case, as every field is) counts: ``PLC:故障`` is just text."""
        for pattern in (FULL_COLON, NO_SPACE):
            match = pattern.match(value)
            if match and FIELD_NAME.fullmatch(match["key"]):
                _, column, message = slip_message(match, pattern)
                self.problems.append(("R-yaml", node, message, None, Severity.ERROR))
                if node.start_mark.line == node.end_mark.line:
                    self.offsets[id(node)] = column - 1
                return

    def diagnostics(self, root: yaml.Node) -> list[Diagnostic]:
        out = []
        for rule, node, message, key, severity in self.problems:
            path = _path_to(root, node)
            if key is not None:
                path = [*path, key]
            mark = node.start_mark
            column = mark.column + 1 + self.offsets.get(id(node), 0)
            out.append(
                Diagnostic(rule, severity, self.file, mark.line + 1, column, format_path(path), message)
            )
        return out


def decode(raw: bytes, file: str) -> tuple[str | None, Diagnostic | None]:
    """UTF-8 (a BOM is accepted) or a located error saying how to convert the file."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        hint = ""
        try:
            raw.decode("gb18030")
            hint = "看起来是 GBK/GB18030 编码（Windows 记事本或 Excel 的默认编码）。"
        except UnicodeDecodeError:
            pass
        message = (
            f"文件不是 UTF-8 编码，第 {line} 行第 {column} 个字节无法解码。{hint}"
            "请另存为 UTF-8（记事本：另存为 → 编码选 UTF-8；命令行：iconv -f GBK -t UTF-8 原文件 > 新文件）"
        )
        return None, _err("R-encoding", file, line, column, message)


def parse(text: str, file: str) -> tuple[dict[str, Any] | None, yaml.MappingNode | None, list[Diagnostic]]:
    """Text → (data, root node, problems). ``data`` is None when the file cannot be used at all."""
    if "\t" in text:
        for number, source_line in enumerate(text.splitlines(), 1):
            indent = source_line[: len(source_line) - len(source_line.lstrip(" \t"))]
            if "\t" in indent:
                col = indent.index("\t") + 1
                return (
                    None,
                    None,
                    [_err("R-yaml", file, number, col, "缩进使用了制表符（Tab）：YAML 只能用空格缩进")],
                )
    if "\u3000" in text:
        slips = [s for s in typing_slips(text) if "全角空格" in s[2]]
        if slips:
            return None, None, [_err("R-yaml", file, ln, col, msg) for ln, col, msg in slips]
    loader = NodeLoader(text)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        if "expected a single document" in (exc.context or ""):
            message = "一个文件只能有一条记录：发现了第二个 YAML 文档（---），请拆成两个文件"
            return None, None, [_err("R-yaml", file, line, column, message)]
        slips = typing_slips(text)
        if slips:
            return None, None, [_err("R-yaml", file, ln, col, msg) for ln, col, msg in slips]
        return None, None, [_err("R-yaml", file, line, column, "YAML 语法错误：" + translate(exc.problem))]
    except yaml.YAMLError as exc:  # the reader's errors carry a position, not a mark
        position = getattr(exc, "position", None)
        line, column = 1, 1
        if isinstance(position, int):
            line = text.count("\n", 0, position) + 1
            column = position - (text.rfind("\n", 0, position) + 1) + 1
        message = "YAML 语法错误：" + translate(str(getattr(exc, "reason", "")) or str(exc))
        return None, None, [_err("R-yaml", file, line, column, message)]
    finally:
        loader.dispose()
    if root is None:
        return None, None, [_err("R-yaml", file, 1, 1, "文件为空：请删除该文件或写入记录内容")]
    if not isinstance(root, yaml.MappingNode):
        what = "列表" if isinstance(root, yaml.SequenceNode) else "单个值"
        mark = root.start_mark
        return (
            None,
            None,
            [
                _err(
                    "R-yaml",
                    file,
                    mark.line + 1,
                    mark.column + 1,
                    f"文件顶层应为字段映射（键: 值），实为{what}",
                )
            ],
        )
    builder = _Builder(file)
    try:
        data = builder.build(root)
    except _Refused as exc:
        line, column = (exc.mark.line + 1, exc.mark.column + 1) if exc.mark else (1, 1)
        return None, None, [_err(exc.rule, file, line, column, exc.message)]
    except RecursionError:
        return None, None, [_err("R-limits", file, 1, 1, "嵌套过深，拒绝读取")]
    return data, root, builder.diagnostics(root)


def _kind_for(rel_parts: tuple[str, ...]) -> tuple[str | None, str | None]:
    """(kind, problem) for a YAML file at ``registry/<rel_parts>``."""
    if len(rel_parts) == 1:
        kind = SINGLETONS.get(rel_parts[0])
        if kind:
            return kind, None
        return None, "不在任何记录类型的目录中：记录应放在 registry/<类型>/ 下（如 registry/hazards/2023/）"
    folder = rel_parts[0]
    kind = KIND_FOLDERS.get(folder)
    if kind is None:
        known = "、".join(KIND_FOLDERS)
        return None, f"目录 registry/{folder}/ 不是已知的记录类型（已知：{known}）"
    depth = len(rel_parts) - 1
    if kind in YEAR_KINDS:
        if depth != 2 or not _YEAR_RE.match(rel_parts[1]):
            return None, f"应放在年份目录中：registry/{folder}/<年份>/<编号>.yaml"
    elif depth != 1:
        return None, f"应直接放在 registry/{folder}/ 下，不能有子目录"
    return kind, None


def _walk(paths: Paths, result: LoadResult) -> Iterator[tuple[str, str, tuple[str, ...], str]]:
    """(full path, path relative to the root, its folder's parts below registry/, name) of every
    YAML file. Symbolic
    links (wherever they point, even inside the repository) and other non-regular files are refused:
    a link is read as its target path in Git's history but followed here, so the record checked
    would not be the record signed. ``os.scandir`` gives each entry's type without an extra stat."""
    prefix = len(str(paths.root)) + 1
    reg_prefix = len(str(paths.registry)) + 1
    if os.path.islink(paths.registry):
        rel = str(paths.registry)[prefix:].replace(os.sep, "/")
        result.diagnostics.append(
            _err("R-layout", rel, 1, 1, _link_message(str(paths.registry), "登记册目录"))
        )
        return
    stack = [str(paths.registry)]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except (FileNotFoundError, NotADirectoryError):
            continue  # no registry yet: nothing to read
        except OSError as exc:
            rel = folder[prefix:].replace(os.sep, "/")
            result.diagnostics.append(_err("R-layout", rel, 1, 1, f"无法读取目录：{exc.strerror}"))
            continue
        subfolders = []
        rel_folder = folder[prefix:].replace(os.sep, "/")
        parts_folder = tuple(folder[reg_prefix:].split(os.sep)) if len(folder) >= reg_prefix else ()
        for entry in entries:
            name = entry.name
            if entry.is_file(follow_symlinks=False):  # a regular file, not a link: the usual case
                if name.startswith("."):
                    continue
                rel = f"{rel_folder}/{name}"
                if name.lower().endswith((".yaml", ".yml")):  # its extension (a dot file is skipped)
                    yield entry.path, rel, parts_folder, name
                    continue
                suffix = os.path.splitext(name)[1].lower()
                if suffix in COMPANION_SUFFIXES:
                    result.companions.add(rel)
                    _read_companion(entry.path, rel, result)
                else:
                    result.diagnostics.append(
                        Diagnostic(
                            "R-layout",
                            Severity.WARNING,
                            rel,
                            1,
                            1,
                            "",
                            "登记册中不应有此类文件（只放 .yaml 记录和 .md 方案正文）",
                        )
                    )
                continue
            full = entry.path
            rel = f"{rel_folder}/{name}"
            if entry.is_symlink():
                result.diagnostics.append(_err("R-layout", rel, 1, 1, _link_message(full, "符号链接")))
                result.failed.add(rel)
                continue
            if entry.is_dir(follow_symlinks=False):
                if folder == str(paths.registry) and name == EVIDENCE_FOLDER:
                    continue  # attachments: read by _scan_evidence
                subfolders.append(full)
                continue
            message = "不是普通文件（命名管道、设备或套接字等）：登记册内只能放普通文件，拒绝读取"
            result.diagnostics.append(_err("R-layout", rel, 1, 1, message))
            result.failed.add(rel)
        stack.extend(reversed(subfolders))


def _link_message(full: str, what: str) -> str:
    try:
        target = os.readlink(full)
    except OSError:
        target = "？"
    return (
        f"{what}是符号链接（指向 {target}）：登记册内不允许符号链接（指向仓库内外都不行），"
        "请把它换成普通文件，记录内容直接写在这里"
    )


def _read_companion(path: str, rel: str, result: LoadResult) -> None:
    """Keep a plan text's contents (C-copy compares them); an unreadable one becomes a finding."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as exc:
        result.diagnostics.append(_err("R-layout", rel, 1, 1, f"无法读取文件：{os_problem(exc)}"))
        return
    text, problem = decode(raw, rel)
    if problem is not None:
        result.diagnostics.append(problem)
    if text is not None:
        result.texts[rel] = text


def os_problem(exc: OSError) -> str:
    """The operating system's reason, in Chinese (its own text is English)."""
    if isinstance(exc, PermissionError):
        return "没有读取权限（请检查文件权限，或是否被其他程序占用）"
    if isinstance(exc, FileNotFoundError):
        return "文件不存在（可能刚被移动或删除）"
    if isinstance(exc, IsADirectoryError):
        return "这是一个目录，不是文件"
    return f"系统错误（错误号 {exc.errno}）"


def read_record(
    path: str, rel: str, raw: bytes | None = None
) -> tuple[dict[str, Any] | None, list[Diagnostic]]:
    """One registry file (or its bytes, already read) → (data, problems); data is None when the
    file cannot be used at all."""
    if raw is not None:
        return _read_bytes(raw, rel)
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > MAX_BYTES:
                message = f"文件过大（{size} 字节，上限 {MAX_BYTES} 字节），拒绝读取"
                return None, [_err("R-limits", rel, 1, 1, message)]
            raw = handle.read()
    except OSError as exc:
        return None, [_err("R-layout", rel, 1, 1, f"无法读取文件：{os_problem(exc)}")]
    return _read_bytes(raw, rel)


def _read_bytes(raw: bytes, rel: str) -> tuple[dict[str, Any] | None, list[Diagnostic]]:
    text, problem = decode(raw, rel)
    if text is None:
        assert problem is not None
        return None, [problem]
    data, root, problems = parse(text, rel)
    return (data if root is not None else None), problems


def load_file(path: str, rel: str, kind: str, result: LoadResult) -> None:
    data, problems = read_record(path, rel)
    result.diagnostics.extend(problems)
    if data is None:
        result.failed.add(rel)
        return
    result.documents.append(Document(kind, rel, path, data))


Job = tuple[str, str, str, bytes | None]  # full path, path relative to the root, kind, bytes if read
PARALLEL_FROM = 2_000  # files: below this, starting worker processes costs more than it saves
CHUNK = 250  # files per task sent to a worker


def workers() -> int:
    """How many processes parse: ``RECTIFY_JOBS`` if set (1 = in this process), else the CPUs."""
    wanted = os.environ.get("RECTIFY_JOBS", "")
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _read_chunk(jobs: list[Job]) -> bytes:
    """A worker's share, marshalled: plain values only, and an order of magnitude quicker to
    serialize than pickling (which took a fifth of the parse time)."""
    enabled = gc.isenabled()
    gc.disable()  # a chunk's values only grow, then leave: no cycles to collect
    try:
        out = []
        for full, rel, _, raw in jobs:
            data, problems = read_record(full, rel, raw)
            out.append(
                (
                    data,
                    [
                        (p.rule, p.severity.value, p.file, p.line, p.column, p.path, p.message)
                        for p in problems
                    ],
                )
            )
        return marshal.dumps(out)
    finally:
        if enabled:
            gc.enable()


def _unmarshal(blob: bytes) -> list[tuple[dict[str, Any] | None, list[Diagnostic]]]:
    return [
        (data, [Diagnostic(r, Severity(v), f, ln, c, p, m) for r, v, f, ln, c, p, m in problems])
        for data, problems in marshal.loads(blob)
    ]


def _read_all(jobs: list[Job]) -> Iterator[tuple[dict[str, Any] | None, list[Diagnostic]]]:
    """Every job's (data, problems), in order. Large registries are parsed by forked worker
    processes (libyaml holds the GIL; processes use every core) in chunks; their values come back
    pickled, which costs a fraction of parsing. Forking is safe only in a single-threaded process
    (``mkdocs serve`` has threads), and a pool that cannot start or breaks leaves the rest here."""
    count = workers()
    forkable = "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1
    if count < 2 or len(jobs) < PARALLEL_FROM or not forkable:
        for full, rel, _, raw in jobs:
            yield read_record(full, rel, raw)
        return
    chunks = [jobs[i : i + CHUNK] for i in range(0, len(jobs), CHUNK)]
    done = 0
    try:
        with ProcessPoolExecutor(max_workers=count, mp_context=multiprocessing.get_context("fork")) as pool:
            for blob in pool.map(_read_chunk, chunks):
                results = _unmarshal(blob)
                yield from results
                done += len(results)
    except (OSError, BrokenProcessPool):
        for full, rel, _, raw in jobs[done:]:
            yield read_record(full, rel, raw)


def record_files(paths: Paths, result: LoadResult) -> Iterator[tuple[str, str, str]]:
    """(full path, relative path, kind) of every YAML file in its kind's folder; every other file
    is counted and reported in ``result``."""
    kinds: dict[tuple[str, ...], tuple[str | None, str | None]] = {}  # a folder's files share a kind
    for path, rel, folder, name in _walk(paths, result):
        result.files += 1
        if folder:
            found = kinds.get(folder)
            if found is None:
                found = kinds[folder] = _kind_for((*folder, name))
            kind, problem = found
        else:
            kind, problem = _kind_for((name,))
        if kind is None:
            result.diagnostics.append(_err("R-layout", rel, 1, 1, problem or "位置不对"))
            result.failed.add(rel)
            continue
        yield path, rel, kind


def load_registry(paths: Paths) -> LoadResult:
    """Read every record under ``registry/``; all problems are collected, none is raised."""
    result = LoadResult()
    jobs: list[Job] = [(path, rel, kind, None) for path, rel, kind in record_files(paths, result)]
    # What is loaded lives until the process ends and forms no cycles: the cyclic collector would
    # rescan the growing heap again and again (quadratic), so it stays off, then frozen.
    enabled = gc.isenabled()
    gc.disable()
    try:
        for (path, rel, kind, _), (data, problems) in zip(jobs, _read_all(jobs), strict=True):
            result.diagnostics.extend(problems)
            if data is None:
                result.failed.add(rel)
            else:
                result.documents.append(Document(kind, rel, path, data))
        _scan_evidence(paths, result)
    finally:
        gc.freeze()
        if enabled:
            gc.enable()
    return result


def _scan_evidence(paths: Paths, result: LoadResult) -> None:
    """Facts about the attachments under ``registry/evidence/`` (size, type by bytes, GPS, PDF
    active content), judged by the V-* rules; the limits come from ``jurisdiction.yaml``."""
    from rectify.evidence.scan import scan

    jurisdiction = next((d.data for d in result.documents if d.kind == "jurisdiction"), None)
    result.evidence = scan(paths.registry, jurisdiction)
