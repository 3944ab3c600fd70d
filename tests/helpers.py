"""Helpers shared by the tests: run the real check pipeline and reduce findings to what matters."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

from rectify.check import run_check
from rectify.diagnostics import Diagnostic
from rectify.paths import find

Triple = tuple[str, str, int]

# The tests' default date: before the base hazard's deadline (2023-11-30) and outside its due-soon window.
TODAY = "2023-11-01"


def check(root: Path, today: str = TODAY, only: set[str] | None = None) -> list[Diagnostic]:
    return run_check(find(root), dt.date.fromisoformat(today), only).diagnostics


def triples(diagnostics: list[Diagnostic]) -> set[Triple]:
    return {(d.rule, d.file, d.line) for d in diagnostics}


def write(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def cli(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m rectify`` as a user would; output kept for assertion messages."""
    return subprocess.run(
        [sys.executable, "-m", "rectify", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def explain(proc: subprocess.CompletedProcess[str]) -> str:
    return f"exit {proc.returncode}\n--- stdout ---\n{proc.stdout}\n--- stderr ---\n{proc.stderr}"


# Debian's chromium, headless, with no background traffic (the machine has no network)
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
