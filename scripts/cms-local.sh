#!/usr/bin/env bash
# Try the web form on a laptop: decap-server in git mode saves each form into a branch of THIS
# repository (as a pull request would be on the forge), and mkdocs serves the site with admin/.
# Both listen on 127.0.0.1 only. RECTIFY_ADDR=host:port moves the site (default 127.0.0.1:8000).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ ! -x tests/cms/node_modules/.bin/decap-server ]; then
  echo "→ 安装 decap-server（npm）"
  npm ci --prefix tests/cms --no-audit --no-fund --loglevel=error
fi
addr=${RECTIFY_ADDR:-127.0.0.1:8000}
echo "→ 启动本地后端 decap-server（git 模式，127.0.0.1:8081，仅本机可访问）：每次保存在本仓库中建一个 cms/… 分支"
MODE=git GIT_REPO_DIRECTORY="$PWD" PORT=8081 BIND_HOST=127.0.0.1 tests/cms/node_modules/.bin/decap-server &
backend=$!
trap 'kill "$backend" 2>/dev/null || true' EXIT
echo "→ 打开 http://$addr/admin/ ，点“登录”即可在本机试用网页表单（Ctrl+C 结束）"
NO_MKDOCS_2_WARNING=1 .venv/bin/mkdocs serve -a "$addr"
