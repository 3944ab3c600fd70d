"""Attachments on the built site (real ``rectify build`` of a copy of the sample): only public
before/after photos are published, as thumbnails and web copies; no non-public attachment reaches
the public output (checked here by SHA-256 over every output file, independently of the build's
own gate, which is tested too); content not fetched from Git LFS shows a placeholder."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest

from rectify.evidence import derivatives, entries, publishable
from rectify.load import LoadResult, load_file
from tests.site.conftest import Built, copy_project, explain, rectify_build

HAZARD_PAGE = "hazards/2023/HAZ-2023-00049.html"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def not_public(root: Path) -> dict[str, str]:
    """sha256 → file, for every attachment file that the public site must not hold: all files of
    entries that are not publishable, and the cleaned originals of publishable photos."""
    out: dict[str, str] = {}
    for kind, folder in (("hazard", "hazards"), ("consultation", "consultations")):
        for path in (root / "registry" / folder).rglob("*.yaml"):
            result = LoadResult()
            load_file(str(path), path.name, kind, result)
            data = result.documents[0].data
            for _where, entry in entries(kind, data):
                base = root / "registry/evidence" / str(data["id"])
                names = (
                    [entry["file"]] if publishable(entry) else [entry["file"], *derivatives(entry["file"])]
                )
                for name in names:
                    if (base / name).is_file():
                        out[_sha(base / name)] = f"{data['id']}/{name}"
    return out


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("evidence"))
    # marked public by mistake: an acceptance sheet never is
    hazard = root / "registry/hazards/2023/HAZ-2023-00049.yaml"
    text = hazard.read_text(encoding="utf-8")
    hazard.write_text(
        text.replace(
            "kind: acceptance_sheet\n    taken_on: 2023-11-29\n    caption: 重大事故隐患整改验收单\n    public: false",
            "kind: acceptance_sheet\n    taken_on: 2023-11-29\n    caption: 重大事故隐患整改验收单\n    public: true",
        ),
        encoding="utf-8",
    )
    return root


@pytest.fixture(scope="module")
def public(project: Path) -> Built:
    return rectify_build(project, "public", project / "out-public")


@pytest.fixture(scope="module")
def internal(project: Path) -> Built:
    return rectify_build(project, "internal", project / "out-internal")


def test_public_build_holds_no_non_public_attachment(project: Path, public: Built) -> None:
    assert public.proc.returncode == 0, explain(public.proc)
    secret = not_public(project)
    assert len(secret) >= 15  # scans, internal photos and every original are in the set
    assert "HAZ-2023-00049/acceptance-sheet-1.pdf" in secret.values()
    leaked = [
        f"{p.relative_to(public.out)} = {secret[_sha(p)]}"
        for p in public.out.rglob("*")
        if p.is_file() and _sha(p) in secret
    ]
    assert leaked == []
    published = sorted(p.relative_to(public.out).as_posix() for p in (public.out / "evidence").rglob("*"))
    assert "evidence/HAZ-2023-00049/before-1.thumb.jpg" in published
    assert "evidence/HAZ-2023-00049/before-2.thumb.jpg" not in published  # internal photo
    assert all(p.endswith((".web.jpg", ".thumb.jpg")) for p in published if "." in p.rsplit("/", 1)[-1])


def test_hazard_page_pairs_and_alt_text(public: Built, internal: Built) -> None:
    page = (public.out / HAZARD_PAGE).read_text(encoding="utf-8")
    pair = re.search(r'<div class="rectify-evidence-pair">(.*?)</div>', page)
    assert pair is not None
    imgs = re.findall(r"<img [^>]*>", pair.group(1))
    assert len(imgs) == 2
    for img in imgs:
        assert 'loading="lazy"' in img and re.search(r'width="\d+" height="\d+"', img)
    assert 'alt="仓库氧化剂与易燃液体混存"' in imgs[0] and 'alt="分区分类储存并设置隔离"' in imgs[1]
    assert "acceptance-sheet-1.pdf" not in page and "只在内部版显示" in page
    for thumb in (public.out / "evidence").rglob("*.thumb.jpg"):
        assert thumb.stat().st_size <= 30_000, thumb
    inside = (internal.out / HAZARD_PAGE).read_text(encoding="utf-8")
    assert internal.proc.returncode == 0, explain(internal.proc)
    assert 'href="../../evidence/HAZ-2023-00049/acceptance-sheet-1.pdf"' in inside
    assert (internal.out / "evidence/HAZ-2023-00049/acceptance-sheet-1.pdf").is_file()
    assert "before-2.thumb.jpg" in inside


def test_register_flags_closed_without_evidence(public: Built) -> None:
    import json

    rows = json.loads((public.out / "data/register-major.json").read_text(encoding="utf-8"))["rows"]
    flags = {row["id"]: row["evidence"] for row in rows}
    assert flags["HAZ-2023-00049"] == "已销号·材料齐全"
    assert flags["HAZ-2023-00038"] == "已销号·缺少材料"  # before/after only, no acceptance sheet
    assert "未销号" in flags.values()


def test_gate_fails_a_public_build_that_would_publish_a_scan(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "leak")
    shutil.copy(root / "registry/evidence/CONS-2023-001/reply-scan-1.pdf", root / "docs/letter.pdf")
    built = rectify_build(root, "public", root / "out")
    assert built.proc.returncode != 0
    assert "不公开的佐证材料" in built.proc.stderr and "CONS-2023-001/reply-scan-1.pdf" in built.proc.stderr


def test_unfetched_lfs_content_shows_a_placeholder(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "pointers")
    for path in (root / "registry/evidence").rglob("*"):
        if path.is_file():
            size = path.stat().st_size
            path.write_bytes(
                f"version https://git-lfs.github.com/spec/v1\noid sha256:{'0' * 64}\nsize {size}\n".encode()
            )
    built = rectify_build(root, "public", root / "out")
    assert built.proc.returncode == 0, explain(built.proc)
    page = (built.out / HAZARD_PAGE).read_text(encoding="utf-8")
    assert "照片内容未取回（Git LFS），暂不能显示" in page
    assert not (built.out / "evidence").exists()
