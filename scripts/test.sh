#!/usr/bin/env bash
# The test command (README, .ci/run): set up with the development tools, lint, type-check, test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh dev
if ! command -v chromium >/dev/null 2>&1; then  # the site's browser tests drive Debian's chromium
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "→ 安装 chromium（浏览器测试用）"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "未安装 chromium：站点的浏览器测试将跳过（CI 中则失败）"
  fi
fi
if ! command -v git-lfs >/dev/null 2>&1; then  # evidence tests: attachments are stored with Git LFS
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "→ 安装 git-lfs（佐证材料测试用）"
    apt-get -o DPkg::Lock::Timeout=600 update -qq
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends git-lfs >/dev/null
  else
    echo "未安装 git-lfs：佐证材料的 Git LFS 测试将跳过（CI 中则失败）"
  fi
fi
missing=()  # rectify doc --format pdf and its tests: LibreOffice, a free Chinese font, poppler-utils
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui)
fc-list :lang=zh 2>/dev/null | grep -q . || missing+=(fonts-noto-cjk)
command -v pdfinfo >/dev/null 2>&1 || missing+=(poppler-utils)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "→ 安装 ${missing[*]}（公文 PDF 测试用）"
    apt-get -o DPkg::Lock::Timeout=600 update -qq
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "未安装 ${missing[*]}：公文 PDF 测试将跳过（CI 中则失败）"
  fi
fi
echo "→ ruff"
.venv/bin/ruff check scripts tests
.venv/bin/ruff format --check scripts tests
echo "→ mypy"
.venv/bin/mypy
echo "→ zizmor（工作流安全检查，离线）"
.venv/bin/zizmor --offline --no-config --no-ignores --no-progress .github/workflows
echo "→ 登记册自检"
.venv/bin/rectify check
if [ ! -x tests/cms/node_modules/.bin/decap-server ] || [ ! -f tests/cms/node_modules/axe-core/axe.min.js ]; then
  echo "→ 安装网页表单测试所需的 decap-server 与无障碍检查用的 axe-core（npm）"
  npm ci --prefix tests/cms --no-audit --no-fund --loglevel=error
fi
echo "→ pytest"
.venv/bin/python -m pytest "$@"
