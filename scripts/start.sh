#!/usr/bin/env bash
# The newcomer's first command: set up, check the sample registry, then build and serve the site
# (MkDocs, live reload when a registry file changes). RECTIFY_ADDR=host:port, RECTIFY_TODAY=YYYY-MM-DD.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/install-hooks.sh
echo "→ 检查登记册 registry/"
.venv/bin/rectify check "$@" || echo "登记册有问题（见上）；站点略过未通过校验的记录，仍然启动。"
echo "→ 生成并启动站点（Ctrl+C 停止）：http://${RECTIFY_ADDR:-127.0.0.1:8000}/"
NO_MKDOCS_2_WARNING=1 exec .venv/bin/mkdocs serve --dev-addr "${RECTIFY_ADDR:-127.0.0.1:8000}"
