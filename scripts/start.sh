#!/usr/bin/env bash
# The newcomer's first command: set up, then check the sample registry.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
echo "→ 检查登记册 registry/"
.venv/bin/rectify check "$@"
