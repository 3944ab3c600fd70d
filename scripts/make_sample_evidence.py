"""Make the sample registry's evidence: generated pictures of fictional premises (no real photos,
no real people) and generated scans, attached with ``rectify.evidence.add`` exactly as a user would
(metadata stripped, web copies made, records updated). Deterministic; running it again adds nothing
that is already listed.

    .venv/bin/python scripts/make_sample_evidence.py
"""

from __future__ import annotations

import hashlib
import io
import random
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageDraw

from rectify.evidence import add, entries, record_kind
from rectify.load import LoadResult, load_file
from rectify.paths import find

PLAN = [  # record, kind, caption, taken_on, public, response
    ("HAZ-2023-00038", "before", "基坑东侧土方超挖、支护未按方案施工", "2023-09-28", True, None),
    ("HAZ-2023-00038", "after", "基坑按专项施工方案补做支护并回填", "2023-10-28", True, None),
    ("HAZ-2023-00045", "before", "井下监控分站传感器失效", "2023-09-20", True, None),
    ("HAZ-2023-00045", "after", "更换后的传感器及监控画面", "2023-11-06", True, None),
    ("HAZ-2023-00045", "acceptance_sheet", "重大事故隐患整改验收单", "2023-11-09", False, None),
    ("HAZ-2023-00049", "before", "仓库氧化剂与易燃液体混存", "2023-11-10", True, None),
    ("HAZ-2023-00049", "before", "仓库门口堆放的货物（含车牌，仅内部）", "2023-11-10", False, None),
    ("HAZ-2023-00049", "after", "分区分类储存并设置隔离", "2023-11-27", True, None),
    ("HAZ-2023-00049", "acceptance_sheet", "重大事故隐患整改验收单", "2023-11-29", False, None),
    ("HAZ-2023-00053", "before", "检验不合格的危险货物运输罐车", "2023-11-20", True, None),
    ("HAZ-2023-00053", "after", "罐车停运封存、更换检验合格车辆", "2023-12-18", True, None),
    ("HAZ-2023-00053", "acceptance_sheet", "重大事故隐患整改验收单", "2023-12-20", False, None),
    (
        "CONS-2023-001",
        "reply_scan",
        "市应急管理局书面意见（签字盖章）",
        "2023-08-25",
        False,
        "city-emergency",
    ),
]


def _rng(*parts: str) -> random.Random:
    return random.Random(hashlib.sha256("/".join(parts).encode()).digest())


def photo(record: str, kind: str, index: int) -> bytes:
    """A made-up scene: sky, ground, a building block, tanks or crates; greyer before, greener after."""
    rng = _rng(record, kind, str(index))
    width, height = 1600, 1200
    image = Image.new("RGB", (width, height), (150, 180, 210) if kind == "after" else (170, 170, 175))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 760, width, height), fill=(90, 130, 80) if kind == "after" else (120, 105, 90))
    for _ in range(6):
        x, w, h = rng.randrange(0, width - 200), rng.randrange(120, 320), rng.randrange(160, 420)
        tone = rng.randrange(90, 200)
        draw.rectangle(
            (x, 760 - h, x + w, 760), fill=(tone, tone - 20, tone - 40), outline=(40, 40, 40), width=4
        )
    for _ in range(4):
        x, r = rng.randrange(100, width - 100), rng.randrange(40, 90)
        colour = (40, 160, 60) if kind == "after" else (200, 60, 40)
        draw.ellipse((x - r, 860 - r, x + r, 860 + r), fill=colour, outline=(20, 20, 20), width=3)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def scan(record: str, title: str) -> bytes:
    """A made-up scanned form saved as PDF: ruled lines, boxes, handwriting-like strokes and a red
    round seal, no text; different for every record."""
    rng = _rng(record, title)
    page = Image.new("RGB", (1240, 1754), (250, 250, 246))
    draw = ImageDraw.Draw(page)
    for y in range(340, 1380, 90):
        x = 440
        while x < 1080 and rng.random() < 0.9:
            step = rng.randrange(20, 60)
            draw.line(
                (x, y - rng.randrange(10, 40), x + step, y - rng.randrange(10, 40)),
                fill=(30, 30, 80),
                width=3,
            )
            x += step + rng.randrange(5, 25)
    draw.rectangle((120, 140, 1120, 220), outline=(30, 30, 30), width=4)
    for y in range(320, 1400, 90):
        draw.line((120, y, 1120, y), fill=(60, 60, 60), width=2)
    draw.line((420, 320, 420, 1390), fill=(60, 60, 60), width=2)
    draw.ellipse((800, 1380, 1080, 1660), outline=(200, 30, 30), width=10)
    draw.line((160, 1560, 560, 1530), fill=(20, 20, 90), width=5)  # a signature stroke
    out = io.BytesIO()
    page.save(out, "PDF", resolution=150, title=title, creationDate=_EPOCH, modDate=_EPOCH)
    return out.getvalue()


_EPOCH = time.gmtime(1672531200)  # fixed dates: the same bytes on every run


def listed(paths: object, record: str) -> set[tuple[str, str]]:
    from rectify.ledger.yamlio import record_path

    kind = record_kind(record) or ""
    path = record_path(paths.registry, kind, record)  # type: ignore[attr-defined]
    result = LoadResult()
    load_file(str(path), str(path), kind, result)
    return {(str(e.get("kind")), str(e.get("caption"))) for _, e in entries(kind, result.documents[0].data)}


def main() -> int:
    paths = find()
    with tempfile.TemporaryDirectory() as temporary:
        for index, (record, kind, caption, taken_on, public, response) in enumerate(PLAN):
            if (kind, caption) in listed(paths, record):
                continue
            is_scan = kind in ("acceptance_sheet", "reply_scan")
            source = Path(temporary) / f"{index}.{'pdf' if is_scan else 'jpg'}"
            source.write_bytes(scan(record, caption) if is_scan else photo(record, kind, index))
            entry = add(paths, record, source, kind, caption, taken_on, None, public, response=response)
            print(f"{record}: {entry.file}（{caption}）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
