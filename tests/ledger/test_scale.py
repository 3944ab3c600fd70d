"""An import of many rows: its cost grows with the rows, not with rows × registry (the registry is
loaded, the schemas compiled and the rules run once however many rows there are; each written
record is rendered and read back once), and a clerk who waits sees a progress line."""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import rectify.check
import rectify.ledger.importer
import rectify.ledger.judge
import rectify.schema
from rectify.cli import main
from rectify.model import Registry
from tests.ledger.test_import import ledger

ROW = ["", None, "配电室未配备绝缘手套", "91340621MA2NTE0T19", "suixi", "工贸", "配电室", "一般事故隐患",
       dt.datetime(2023, 8, 28), "企业自查", "2023-09-30", "city-emergency", "待整改", "是", 1200, "配备绝缘手套"]  # fmt: skip


def rows(n: int) -> list[list[Any]]:
    """``n`` new hazards, each with its own title and place."""
    return [
        [str(i), None, f"配电室未配备绝缘手套（{i}）", *ROW[3:6], f"配电室 {i}", *ROW[7:]]
        for i in range(1, n + 1)
    ]


def counting(monkeypatch: pytest.MonkeyPatch, calls: Counter[str]) -> None:
    """Count the calls of the costly stages; the real functions still run."""

    def wrap(owner: Any, name: str, label: str) -> None:
        real: Callable[..., Any] = getattr(owner, name)

        def counted(*args: Any, **kwargs: Any) -> Any:
            calls[label] += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(owner, name, counted)

    wrap(rectify.check, "load_registry", "registry loaded")
    wrap(rectify.schema.Schemas, "__init__", "schemas compiled")
    wrap(rectify.ledger.judge, "run_all", "rules run")
    wrap(Registry, "build", "registry indexed")
    wrap(rectify.ledger.importer, "parse", "text read back")
    wrap(rectify.ledger.importer, "render_new", "record rendered")
    wrap(rectify.ledger.importer, "from_cell", "cell read")


def import_counts(repo: Path, tmp_path: Path, n: int, monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    book = ledger(tmp_path / f"台账{n}.xlsx", rows(n))
    calls: Counter[str] = Counter()
    with monkeypatch.context() as patch:
        counting(patch, calls)
        code = main(["--root", str(repo), "ledger", "import", str(book), "--today", "2023-09-01"])
    assert code == 0
    written = sorted((repo / "registry/hazards/2023").glob("HAZ-2023-*.yaml"))
    assert len(written) >= n
    return calls


def test_registry_schemas_and_rules_once_however_many_rows(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    small = import_counts(repo, tmp_path, 12, monkeypatch)
    large = import_counts(repo, tmp_path, 36, monkeypatch)
    # at most: the command's schemas and the loader's; the loaded registry and the one judged
    once = {"registry loaded": 1, "schemas compiled": 2, "rules run": 1, "registry indexed": 2}
    for label, most in once.items():
        assert 1 <= small[label] == large[label] <= most, (label, small[label], large[label])
    for label in ("text read back", "record rendered"):
        assert (small[label], large[label]) == (12, 36), label
    # the same name, choice or date down a column is read once; only the varying cells again
    assert large["cell read"] - small["cell read"] <= 3 * (36 - 12), (small, large)
    assert "新建 36" in capsys.readouterr().out


STAGES = [
    "正在读取台账 台账.xlsx……",
    "正在读取登记册……",
    "正在核对 3 行……",
    "正在生成 3 条记录的文件内容并读回核对……",
    "正在按全部规则检查登记册（其中 3 条记录将写入）……",
    "正在写入第 1/3 个文件",
]


def test_progress_on_request_goes_to_stderr_stage_by_stage(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = ledger(tmp_path / "台账.xlsx", rows(3))
    assert (
        main(["--root", str(repo), "ledger", "import", str(book), "--today", "2023-09-01", "--progress"]) == 0
    )
    out, err = capsys.readouterr()
    assert err.splitlines() == STAGES
    assert "正在" not in out and "新建 3" in out


def test_no_progress_in_a_log_unless_asked(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = ledger(tmp_path / "台账.xlsx", rows(3))
    assert main(["--root", str(repo), "ledger", "import", str(book), "--today", "2023-09-01"]) == 0
    out, err = capsys.readouterr()
    assert err == "" and "新建 3" in out


def test_a_terminal_sees_one_line_rewritten_and_cleared(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """stderr on a real pseudo-terminal: the line is rewritten in place (``\\r``) and cleared at
    the end, so the summary on stdout is not mixed with it; a workbook over the size shows it
    unasked."""
    import rectify.commands.ledger as command

    book = ledger(tmp_path / "台账.xlsx", rows(3))
    monkeypatch.setattr(command, "PROGRESS_BYTES", book.stat().st_size)
    leader, follower = os.openpty()
    terminal = os.fdopen(follower, "w", encoding="utf-8")
    monkeypatch.setattr("sys.stderr", terminal)
    try:
        assert main(["--root", str(repo), "ledger", "import", str(book), "--today", "2023-09-01"]) == 0
        terminal.flush()
        shown = os.read(leader, 65536).decode("utf-8")
    finally:
        terminal.close()
        os.close(leader)
    assert shown.startswith("\r正在读取台账 台账.xlsx……\x1b[K\r正在读取登记册……\x1b[K")
    assert [part.removesuffix("\x1b[K") for part in shown.split("\r") if part.strip("\x1b[K")] == STAGES
    assert shown.endswith("\r\x1b[K") and "\n" not in shown
