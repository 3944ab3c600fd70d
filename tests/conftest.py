"""Shared fixtures: a small valid registry (tests/fixtures/base) copied into a temporary folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BASE = REPO / "tests" / "fixtures" / "base"


def make_registry(target: Path) -> Path:
    """A fresh copy of the base registry and the project's schemas under ``target``."""
    shutil.copytree(BASE / "registry", target / "registry")
    shutil.copytree(REPO / "schemas", target / "schemas")
    return target


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_registry(tmp_path / "repo")
