"""Shared fixtures: a small valid registry (tests/fixtures/base) copied into a temporary folder."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """One headless Debian chromium for the whole session (a persistent context, as a user's
    browser profile); the modules' ``browser`` fixtures hand it out."""
    from tests.helpers import CHROMIUM, CHROMIUM_ARGS

    playwright_api = pytest.importorskip("playwright.sync_api")
    profile = tempfile.mkdtemp(prefix="rectify-chromium-")
    with playwright_api.sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield context
        context.close()
    shutil.rmtree(profile, ignore_errors=True)
