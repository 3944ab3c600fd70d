"""Renderers for findings: ``text`` (path:line:col), ``github`` (workflow annotations plus a job
summary) and ``json``. The only module that prints."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Sequence
from typing import TextIO

from rectify.diagnostics import Diagnostic, Severity

GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.ALERT: "notice"}


def summary_line(diagnostics: Sequence[Diagnostic], files: int, unit: str = "个文件") -> str:
    counts = {s: sum(1 for d in diagnostics if d.severity is s) for s in Severity}
    if not diagnostics:
        return f"检查了 {files} {unit}：未发现问题。"
    return (
        f"检查了 {files} {unit}：{counts[Severity.ERROR]} 个错误，"
        f"{counts[Severity.WARNING]} 个警告，{counts[Severity.ALERT]} 个提醒。"
    )


def text(diagnostics: Sequence[Diagnostic]) -> str:
    lines = []
    for d in diagnostics:
        where = f" 字段 {d.path}" if d.path and d.path not in d.message else ""
        lines.append(f"{d.file}:{d.line}:{d.column}: {d.severity.label}[{d.rule}] {d.message}{where}")
    return "\n".join(lines)


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github(diagnostics: Sequence[Diagnostic]) -> str:
    """``::error file=…,line=…,col=…,title=…::message`` lines, escaped as the runner expects."""
    lines = []
    for d in diagnostics:
        props = ",".join(
            [
                f"file={_escape_property(d.file)}",
                f"line={d.line}",
                f"col={d.column}",
                f"title={_escape_property(f'{d.rule} {d.path}'.strip())}",
            ]
        )
        lines.append(f"::{GITHUB_LEVEL[d.severity]} {props}::{_escape_data(d.message)}")
    return "\n".join(lines)


def _cell(value: str) -> str:
    return " ".join(value.replace("\\", "\\\\").replace("|", "\\|").split())


def step_summary(
    diagnostics: Sequence[Diagnostic],
    files: int,
    title: str = "rectify check",
    unit: str = "个文件",
    notes: Sequence[str] = (),
) -> str:
    """The full list as Markdown for ``$GITHUB_STEP_SUMMARY``: annotations stop at 50 per step."""
    out = [f"## {title}", "", summary_line(diagnostics, files, unit), ""]
    if notes:
        out += [f"- {_cell(note)}" for note in notes] + [""]
    if diagnostics:
        out += ["| 级别 | 规则 | 位置 | 字段 | 说明 |", "| --- | --- | --- | --- | --- |"]
        for d in diagnostics:
            out.append(
                f"| {d.severity.label} | {d.rule} | `{_cell(d.file)}:{d.line}:{d.column}` | {_cell(d.path)} | {_cell(d.message)} |"
            )
    return "\n".join(out) + "\n"


def as_json(diagnostics: Sequence[Diagnostic]) -> str:
    return json.dumps([d.as_dict() for d in diagnostics], ensure_ascii=False, indent=2)


def emit(
    diagnostics: Sequence[Diagnostic],
    files: int,
    fmt: str,
    out: TextIO | None = None,
    err: TextIO | None = None,
    unit: str = "个文件",
    notes: Sequence[str] = (),
) -> None:
    """Findings, then the summary line, then ``notes`` (what the rules skipped, and why)."""
    out = out or sys.stdout
    err = err or sys.stderr
    if fmt == "json":
        print(as_json(diagnostics), file=out)
        print(summary_line(diagnostics, files, unit), file=err)
        for note in notes:
            print(note, file=err)
        return
    body = github(diagnostics) if fmt == "github" else text(diagnostics)
    if body:
        print(body, file=out)
    print(summary_line(diagnostics, files, unit), file=out)
    for note in notes:
        print(note, file=out)


def message(line: str, err: TextIO | None = None) -> None:
    """A one-line message to standard error (usage problems, internal errors)."""
    print(line, file=err or sys.stderr)


def lines(text: str, out: TextIO | None = None) -> None:
    """Plain lines to standard output (summaries of ledger imports and new records)."""
    print(text, file=out or sys.stdout)


class Progress:
    """A progress line on standard error for work a person waits on (a ledger of thousands of
    rows): rewritten in place on a terminal, elsewhere (a log) a line at most every few seconds;
    nothing when off. A new stage is always shown; :meth:`done` clears the terminal's line."""

    def __init__(self, enabled: bool, err: TextIO | None = None) -> None:
        self.err = err or sys.stderr
        self.enabled = enabled
        try:
            self.tty = self.err.isatty()
        except (AttributeError, ValueError, OSError):
            self.tty = False
        self.interval = 0.2 if self.tty else 5.0
        self.last = -self.interval
        self.shown = False

    def step(self, line: str, stage: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not stage and now - self.last < self.interval:
            return
        self.last = now
        if self.tty:
            self.err.write(f"\r{line}\x1b[K")
        else:
            self.err.write(f"{line}\n")
        self.err.flush()
        self.shown = True

    def done(self) -> None:
        if self.enabled and self.tty and self.shown:
            self.err.write("\r\x1b[K")
            self.err.flush()
