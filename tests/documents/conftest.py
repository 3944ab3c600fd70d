"""Documents generated once from the sample registry with the real CLI, and readers for them."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from docx.document import Document

from tests.conftest import REPO
from tests.helpers import cli, explain

TODAY = "2023-12-31"
ARTIFACTS = Path(__file__).parent / "artifacts"  # git-ignored: rendered pages to look at

SAMPLES: dict[str, list[str]] = {
    "supervision-notice": ["supervision-notice", "HAZ-2023-00001"],
    "referral": ["referral", "HAZ-2023-00029"],
    "monthly": ["monthly", "--month", "2023-11"],
    "quarterly": ["quarterly", "--quarter", "2023-Q4"],
    "register": ["register", "--campaign", "CAMP-2023-003"],
    "consultation-feedback": ["consultation-feedback", "CONS-2023-001"],
    "plan": ["plan", "CAMP-2023-003"],
}


@dataclass(frozen=True)
class Generated:
    folder: Path

    def path(self, kind: str) -> Path:
        return self.folder / f"{kind}.docx"

    def open(self, kind: str) -> Document:
        return docx.Document(str(self.path(kind)))


def generate(root: Path, out: Path, *args: str, today: str = TODAY) -> None:
    proc = cli("--root", str(root), "doc", *args, "--today", today, "--out", str(out))
    assert proc.returncode == 0, explain(proc)
    assert proc.stdout.startswith(f"已生成 {out}"), explain(proc)


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Generated:
    folder = tmp_path_factory.mktemp("documents")
    for kind, args in SAMPLES.items():
        generate(REPO, folder / f"{kind}.docx", *args)
    return Generated(folder)


@pytest.fixture()
def registry_copy(tmp_path: Path) -> Path:
    """A writable copy of the sample registry, for variants of bad input."""
    root = tmp_path / "project"
    shutil.copytree(REPO / "registry", root / "registry")
    shutil.copytree(REPO / "schemas", root / "schemas")
    return root


def text_of(document: Document) -> str:
    """Every paragraph and table cell, in order, one per line."""
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(lines)
