#!/usr/bin/env bash
# The test command (README, .ci/run): set up with the development tools, lint, type-check, test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh dev
echo "→ ruff"
.venv/bin/ruff check scripts tests
.venv/bin/ruff format --check scripts tests
echo "→ mypy"
.venv/bin/mypy
echo "→ 登记册自检"
.venv/bin/rectify check
echo "→ pytest"
.venv/bin/python -m pytest "$@"
