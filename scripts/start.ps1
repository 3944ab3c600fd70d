# The newcomer's first command on Windows (PowerShell), as scripts/start.sh elsewhere: set up .venv,
# install the pre-commit hook, check the registry, then build and serve the site.
#   powershell -ExecutionPolicy Bypass -File scripts\start.ps1
# Saved as UTF-8 with a BOM: Windows PowerShell 5.1 reads a file without one in the ANSI code page.
# $env:RECTIFY_ADDR = "127.0.0.1:8000" (host:port), $env:RECTIFY_TODAY = "2023-12-31" (YYYY-MM-DD).
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..")

function Find-Python {
    if ($env:PYTHON) { return @($env:PYTHON) }
    if (Get-Command py -ErrorAction SilentlyContinue) { return @("py", "-3") }
    return @("python")
}

$python = Find-Python
$exe, $pyArgs = $python[0], @($python | Select-Object -Skip 1)
& $exe @pyArgs -c "import sys; sys.exit(sys.version_info < (3, 11))"
if ($LASTEXITCODE -ne 0) {
    Write-Host "需要 Python 3.11 或更新版本（https://www.python.org/downloads/windows/ ，安装时勾选 Add to PATH）"
    exit 2
}
$venv = ".venv\Scripts"
if (-not (Test-Path "$venv\python.exe")) {
    Write-Host "→ 创建虚拟环境 .venv"
    & $exe @pyArgs -m venv .venv
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}
$extra = if ($args.Count -gt 0 -and $args[0] -eq "dev") { "[dev]" } else { "" }
Write-Host "→ 安装 rectify$extra 及其依赖"
& "$venv\python.exe" -m pip install --quiet --disable-pip-version-check --upgrade pip
& "$venv\python.exe" -m pip install --quiet --disable-pip-version-check -e ".$extra"
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
if ($extra) { exit 0 }  # scripts\test.ps1 calls this for the set-up only

# The hooks of .pre-commit-config.yaml call .venv/bin/…, which Windows does not have: installing them
# here would fail every commit. Until they do, the check before a commit is run by hand.
Write-Host "提示：Windows 上暂不安装提交前检查；提交前请运行 .venv\Scripts\rectify.exe check --staged"
Write-Host "→ 检查登记册 registry/"
& "$venv\rectify.exe" check
if ($LASTEXITCODE -ne 0) { Write-Host "登记册有问题（见上）；站点略过未通过校验的记录，仍然启动。" }
$addr = if ($env:RECTIFY_ADDR) { $env:RECTIFY_ADDR } else { "127.0.0.1:8000" }
Write-Host "→ 生成并启动站点（Ctrl+C 停止）：http://$addr/"
$env:NO_MKDOCS_2_WARNING = "1"
& "$venv\mkdocs.exe" serve --dev-addr $addr
exit $LASTEXITCODE
