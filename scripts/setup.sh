#!/usr/bin/env bash
# Create .venv and install rectify into it (with the development tools when given "dev").
# Safe to run again: an existing .venv is reused and brought up to date.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "需要 Python 3.11 或更新版本（当前：$("$PYTHON" --version 2>&1)）" >&2
  exit 2
fi
if [ ! -x .venv/bin/python ]; then
  echo "→ 创建虚拟环境 .venv"
  "$PYTHON" -m venv .venv
fi
extra=""
if [ "${1:-}" = "dev" ]; then extra="[dev]"; fi
echo "→ 安装 rectify${extra} 及其依赖"
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".${extra}"
