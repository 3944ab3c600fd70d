"""Workbooks are untrusted input (issue 9, item 13): real openpyxl workbooks, rewritten part by
part, that claim or hold more than an import accepts, inflate like a bomb, lie about their sizes,
or are no workbook at all — each refused with its message, in seconds and bounded memory, measured
in a fresh process."""

from __future__ import annotations

import re
import struct
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from rectify.ledger.columns import ledger_for
from rectify.ledger.read import read_workbook
from rectify.ledger.untrusted import LedgerError, Limits
from rectify.schema import Schemas
from tests.conftest import REPO

SHEET = "xl/worksheets/sheet1.xml"
SECONDS = 5.0
PEAK_MB = 200  # a small import peaks near 55 MB
# The peak is the new process's own (VmHWM, reset by exec); getrusage's ru_maxrss is printed too,
# but on Linux it keeps the high-water mark of the test process it was forked from.
RUNNER = """
import re, resource, sys
from rectify.cli import main
code = main(sys.argv[1:])
with open("/proc/self/status", encoding="ascii") as status:
    hwm = re.search(r"VmHWM:\\s+(\\d+) kB", status.read())
peak = int(hwm.group(1)) if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(f"maxrss_kb={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss} peak_kb={peak}", file=sys.stderr)
sys.exit(code)
"""


def real_workbook(path: Path) -> Path:
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "隐患台账"
    ws.append(["隐患编号", "隐患名称", "隐患点"])
    ws.append(["HAZ-2023-00001", "除尘系统未采用防爆设计", "砂光车间除尘系统"])
    book.save(path)
    return path


def rewrite(source: Path, target: Path, parts: dict[str, bytes], level: int = 6) -> Path:
    """``source`` with the given parts replaced or added (deflated at ``level``)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = parts.pop(info.filename, None)
            new.writestr(info.filename, old.read(info) if data is None else data, compresslevel=level)
        for name, data in parts.items():
            new.writestr(name, data, compresslevel=level)
    return target


def sheet_xml(source: Path) -> str:
    with zipfile.ZipFile(source) as archive:
        return archive.read(SHEET).decode("utf-8")


def with_rows(xml: str, rows: str, dimension: str | None) -> bytes:
    """The sheet with ``rows`` appended to its data, its ``<dimension>`` replaced (or removed)."""
    head, _, tail = xml.partition("</sheetData>")
    start, _, rest = head.partition("<dimension ")
    rest = rest.split("/>", 1)[1]
    claim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f"{start}{claim}{rest}{rows}</sheetData>{tail}".encode()


def lie_about_size(path: Path, member: str, declared: int) -> None:
    """Patch the archive so that ``member`` declares ``declared`` bytes uncompressed (local header
    and central directory): what a bomb whose directory understates its size looks like."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(member)
    struct.pack_into("<I", data, info.header_offset + 22, declared)
    name = member.encode()
    central = data.find(b"PK\x01\x02")
    while central != -1:
        length = struct.unpack_from("<H", data, central + 28)[0]
        if bytes(data[central + 46 : central + 46 + length]) == name:
            struct.pack_into("<I", data, central + 24, declared)
            break
        central = data.find(b"PK\x01\x02", central + 4)
    path.write_bytes(bytes(data))


def refused(root: Path, book: Path) -> tuple[int, str, float, float]:
    """(exit code, error output, seconds, peak MB) of ``rectify ledger import`` in a fresh process."""
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", RUNNER, "--root", str(root), "ledger", "import", str(book), "--dry-run"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    seconds = time.perf_counter() - start
    peak = int(proc.stderr.rsplit("peak_kb=", 1)[1]) / 1024
    return proc.returncode, proc.stderr + proc.stdout, seconds, peak


FAR_CELL = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'


def many_rows(count: int) -> str:
    return "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(3, count + 1))


def many_columns(count: int) -> str:
    from openpyxl.utils import get_column_letter

    return (
        '<row r="3">'
        + "".join(f'<c r="{get_column_letter(c)}3"><v>1</v></c>' for c in range(1, count + 1))
        + "</row>"
    )


CASES = {
    # name: (sheet rows to add, dimension claim, exit code, message)
    "huge-dimension-claim": (
        "",
        "A1:XFD1048576",
        1,
        "声明的范围 A1:XFD1048576（1048576 行 × 16384 列）超过导入上限",
    ),
    "200000-rows-claimed": ("", "A1:C200000", 1, "声明的范围 A1:C200000（200000 行 × 3 列）超过导入上限"),
    "cell-at-XFD1048576": (FAR_CELL, "A1:C2", 1, "的行号到 1048576，超过导入上限（120000 行）"),
    "cell-at-XFD1048576-no-dimension": (FAR_CELL, None, 1, "的行号到 1048576，超过导入上限"),
    "200000-rows": (many_rows(200_000), None, 1, "的行号到 200000，超过导入上限"),
    "200000-rows-unnumbered": (many_rows(200_000).replace(' r="', ' x="'), None, 1, "的行号到 200000"),
    "far-column-no-dimension": (
        '<row r="3"><c r="XFD3"><v>1</v></c></row>',
        None,
        1,
        "的单元格 XFD3 超出导入上限",
    ),
    "10000-columns": (many_columns(10_000), None, 1, "的单元格 ALM3 超出导入上限"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_an_oversized_sheet_is_refused_quickly_in_bounded_memory(
    repo: Path, tmp_path: Path, case: str
) -> None:
    rows, claim, code, message = CASES[case]
    source = real_workbook(tmp_path / "real.xlsx")
    book = rewrite(source, tmp_path / f"{case}.xlsx", {SHEET: with_rows(sheet_xml(source), rows, claim)})
    exit_code, output, seconds, peak = refused(repo, book)
    assert exit_code == code, output
    assert f"工作表“隐患台账”{message}" in output, output
    assert "Traceback" not in output
    assert seconds < SECONDS and peak < PEAK_MB, (seconds, peak)


def test_a_zip_bomb_part_is_refused_before_it_is_inflated(repo: Path, tmp_path: Path) -> None:
    source = real_workbook(tmp_path / "real.xlsx")
    bomb = (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + b"<si><t>a</t></si>" * 4_000_000
        + b"</sst>"
    )
    book = rewrite(source, tmp_path / "bomb.xlsx", {"xl/sharedStrings.xml": bomb}, level=9)
    assert book.stat().st_size < 1024 * 1024
    exit_code, output, seconds, peak = refused(repo, book)
    assert exit_code == 1, output
    assert "的部件 xl/sharedStrings.xml 压缩比" in output and "疑似压缩炸弹" in output, output
    assert seconds < SECONDS and peak < PEAK_MB, (seconds, peak)


def test_a_part_that_inflates_past_its_declared_size_is_cut_there_and_refused(
    repo: Path, tmp_path: Path
) -> None:
    """A directory that understates a part passes the size checks; inflating stops at the declared
    size (so memory stays bounded) and the part is then refused as damaged."""
    source = real_workbook(tmp_path / "real.xlsx")
    rows = many_rows(50_000)
    book = rewrite(source, tmp_path / "liar.xlsx", {SHEET: with_rows(sheet_xml(source), rows, None)}, level=9)
    lie_about_size(book, SHEET, 4096)
    exit_code, output, seconds, peak = refused(repo, book)
    assert exit_code == 2, output
    assert "已损坏" in output, output
    assert seconds < SECONDS and peak < PEAK_MB, (seconds, peak)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("renamed.xlsx", "这不是工作簿，只是改了扩展名的文本".encode(), "不是有效的 .xlsx 文件"),
        ("encrypted.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096), "设置了打开密码"),
        ("truncated.xlsx", None, "不是有效的 .xlsx 文件"),
        ("garbled.xlsx", b"<worksheet><sheetData><row r=", "已损坏"),
    ],
)
def test_a_file_that_is_no_workbook_is_refused(
    repo: Path, tmp_path: Path, name: str, content: bytes | None, message: str
) -> None:
    source = real_workbook(tmp_path / "real.xlsx")
    book = tmp_path / name
    if name == "truncated.xlsx":
        book.write_bytes(source.read_bytes()[: source.stat().st_size // 2])
    elif name == "garbled.xlsx":
        assert content is not None
        rewrite(source, book, {SHEET: content})
    else:
        assert content is not None
        book.write_bytes(content)
    exit_code, output, seconds, peak = refused(repo, book)
    assert exit_code == 2, output
    assert message in output and "Traceback" not in output, output
    assert seconds < SECONDS and peak < PEAK_MB, (seconds, peak)


def test_the_bounds_hold_for_cells_parts_and_sizes(tmp_path: Path) -> None:
    ledgers = [ledger_for(Schemas(REPO / "schemas"), "hazard")]
    book = real_workbook(tmp_path / "real.xlsx")
    assert len(read_workbook(book, ledgers)[0][0].rows) == 1
    for limits, message in (
        (Limits(cells=4), "单元格总数超过导入上限 4"),
        (Limits(parts=3), "个部件，超过上限 3"),
        (Limits(part_bytes=100), "解压后"),
        (Limits(sheet_bytes=100), f"的部件 {SHEET} 解压后"),
        (Limits(total_bytes=1000), "解压后共"),
        (Limits(rows=1), "（2 行 × 3 列）超过导入上限"),
        (Limits(columns=2), "（2 行 × 3 列）超过导入上限"),
    ):
        with pytest.raises(LedgerError) as caught:
            read_workbook(book, ledgers, limits)
        assert message in str(caught.value)


def test_a_shared_string_that_is_not_there_is_damage_not_a_crash(repo: Path, tmp_path: Path) -> None:
    source = real_workbook(tmp_path / "real.xlsx")
    row = '<row r="3"><c r="B3" t="s"><v>99999</v></c></row>'
    book = rewrite(source, tmp_path / "index.xlsx", {SHEET: with_rows(sheet_xml(source), row, None)})
    exit_code, output, seconds, peak = refused(repo, book)
    assert exit_code == 2 and "已损坏" in output and "Traceback" not in output, output
    assert seconds < SECONDS and peak < PEAK_MB, (seconds, peak)


def test_a_date_out_of_range_is_refused_at_its_cell_in_chinese(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """openpyxl warns (in English) and makes the cell an error value: the import says so in Chinese."""
    import datetime as dt

    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "隐患台账"
    ws.append(["隐患编号", "整改时限"])
    ws.append(["HAZ-2023-00001", dt.date(2023, 12, 31)])
    path = tmp_path / "date.xlsx"
    book.save(path)
    xml = sheet_xml(path)
    serial = re.search(r'<c r="B2"[^>]*><v>([0-9.]+)</v>', xml)
    assert serial is not None
    bad = rewrite(
        path,
        tmp_path / "far-date.xlsx",
        {SHEET: xml.replace(f"<v>{serial.group(1)}</v>", "<v>99999999</v>").encode()},
    )
    from rectify.cli import main

    assert main(["--root", str(repo), "ledger", "import", str(bad), "--today", "2023-11-01"]) == 1
    captured = capsys.readouterr()
    assert "工作表“隐患台账”第 2 行 B 列（整改时限）：单元格是错误值 #VALUE!" in captured.out, captured
    assert "Cell" not in captured.err + captured.out
