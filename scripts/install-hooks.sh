#!/usr/bin/env bash
# Install the pre-commit hooks of .pre-commit-config.yaml into this Git repository (called by
# scripts/start.sh, so a clerk who never runs the tests still gets `rectify check` before each commit).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  echo "不是 Git 仓库：未安装提交前检查"
  exit 0
fi
if [ -n "$(git config --get core.hooksPath || true)" ]; then
  echo "已设置 core.hooksPath：未安装提交前检查（请自行在钩子中运行 .venv/bin/rectify check --staged）"
  exit 0
fi
echo "→ 安装提交前检查（pre-commit：每次提交前检查暂存的登记册文件）"
.venv/bin/pre-commit install >/dev/null
# Fill the check cache (.rectify-cache/, git-ignored) now, so the clerk's first commit does not wait for
# the whole registry to be read; a failed or interrupted fill only means the first commit reads it all.
if [ -x .venv/bin/rectify ] && [ -d registry ]; then
  echo "→ 建立检查缓存（.rectify-cache/，之后每次提交只重新读取改动的文件）"
  .venv/bin/rectify check >/dev/null 2>&1 || true
fi
