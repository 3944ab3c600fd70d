#!/usr/bin/env bash
# The registry's guards on a pull request, run with the code of the base revision:
#   G-ratchet (rectify check --base), CODEOWNERS (rectify codeowners --check), G-signed (rectify verify-signatures).
#
#   bash TRUSTED/scripts/ci/trusted-check.sh TRUSTED PR BASE_SHA HEAD_SHA
#
# TRUSTED is a checkout of BASE_SHA and this file must be run from it, never from the pull request;
# PR is a checkout of HEAD_SHA with the history back to BASE_SHA. rectify is installed from TRUSTED
# into a fresh venv outside both checkouts, and Python always runs isolated (-I: neither the working
# folder nor PYTHON* variables reach the import path) from an empty folder outside both checkouts, so no
# file of the pull request can stand in for pip, venv, rectify or a dependency. The pull request is read
# as data only (--root PR); its records are judged by its own schemas, the base by the base's.
# The check's cache is never read from PR (a pull request could commit a .rectify-cache/ of its own):
# it lives in $RECTIFY_CACHE_DIR (restored by the workflow from a cache only main's runs write), which
# must lie outside both checkouts, or else in a fresh folder that is removed afterwards.
set -euo pipefail

if [ $# -ne 4 ]; then
  echo "用法：bash 基准检出/scripts/ci/trusted-check.sh 基准检出目录 合并请求检出目录 BASE_SHA HEAD_SHA" >&2
  exit 2
fi
fail() {
  echo "trusted-check：$*" >&2
  exit 2
}
[ -d "$1" ] || fail "基准检出目录不存在：$1"
[ -d "$2" ] || fail "合并请求检出目录不存在：$2"
trusted=$(cd "$1" && pwd -P)
pr=$(cd "$2" && pwd -P)
base_rev=$3
head_rev=$4
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
case "$here/" in
"$trusted"/*) ;;
*) fail "本脚本须取自基准检出（$trusted），而不是 $here" ;;
esac
case "$trusted/" in "$pr"/*) fail "基准检出不能位于合并请求检出之内" ;; esac
case "$pr/" in "$trusted"/*) fail "合并请求检出不能位于基准检出之内" ;; esac

commit_of() { git -C "$1" rev-parse --verify --quiet --end-of-options "$2^{commit}" || fail "$1 中没有提交 $2"; }
base=$(commit_of "$pr" "$base_rev")
head=$(commit_of "$pr" "$head_rev")
[ "$(commit_of "$trusted" HEAD)" = "$base" ] || fail "基准检出不是 BASE_SHA（$base）"
[ "$(commit_of "$pr" HEAD)" = "$head" ] || fail "合并请求检出不是 HEAD_SHA（$head）"
[ -z "$(git -C "$trusted" status --porcelain --untracked-files=all)" ] || fail "基准检出有未提交的改动"

work=$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/rectify-trusted.XXXXXX")
trap 'rm -rf "$work"' EXIT
cache="$work/cache"
if [ -n "${RECTIFY_CACHE_DIR:-}" ]; then
  cache=$(realpath -m -- "$RECTIFY_CACHE_DIR")
  case "$cache/" in "$pr"/* | "$trusted"/*) fail "检查缓存目录不能位于两处检出之内：$cache" ;; esac
  mkdir -p "$cache"
fi
cd "$work"
interpreter=${PYTHON:-python3}
while IFS= read -r name; do unset "$name"; done < <(compgen -e | grep '^PYTHON' || true)
echo "→ 安装基准版本（${base:0:12}）的 rectify 到独立的虚拟环境"
"$interpreter" -I -m venv "$work/venv"
"$work/venv/bin/python" -I -m pip install --quiet --disable-pip-version-check "$trusted"
python=("$work/venv/bin/python" -I -m rectify --root "$pr")

format=text
if [ "${GITHUB_ACTIONS:-}" = true ]; then format=github; fi
status=0
summary=()
guard() { # guard 名称 rectify 参数…
  local title=$1 code=0
  shift
  if [ "$format" = github ]; then echo "::group::$title"; fi
  "${python[@]}" "$@" || code=$?
  if [ "$format" = github ]; then echo "::endgroup::"; fi
  if [ "$code" -eq 0 ]; then
    summary+=("  通过  $title")
  else
    summary+=("未通过  $title（退出码 $code）")
    if [ "$code" -gt "$status" ]; then status=$code; fi
  fi
}
guard "只进不退（rectify check --base）" check --format "$format" --base "$base" --cache-dir "$cache"
guard "CODEOWNERS 与登记册一致（rectify codeowners --check）" codeowners --check
guard "签名核验（rectify verify-signatures）" verify-signatures --format "$format" --base "$base" --head "$head"
echo "基准版本 ${base:0:12} 的 rectify 检查合并请求 ${head:0:12}："
printf '%s\n' "${summary[@]}"
exit "$status"
