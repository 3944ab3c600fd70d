# The test command on Windows (PowerShell), as scripts/test.sh elsewhere: set up with the development
# tools, lint, type-check, check the registry, test. Arguments go to pytest.
#   powershell -ExecutionPolicy Bypass -File scripts\test.ps1 [-q tests\test_cli.py]
# The web-form tests need Node.js/npm; the site's browser tests need chromium and are skipped without it.
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..")
$venv = ".venv\Scripts"
$pytestArgs = $args  # inside a script block, $args is the block's own

function Step([string] $title, [scriptblock] $command) {
    Write-Host "→ $title"
    & $command
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}

Step "安装开发工具" { & (Join-Path $PSScriptRoot "start.ps1") dev }
Step "ruff" { & "$venv\ruff.exe" check scripts tests }
Step "ruff format" { & "$venv\ruff.exe" format --check scripts tests }
Step "mypy" { & "$venv\mypy.exe" }
Step "zizmor（工作流安全检查，离线）" {
    & "$venv\zizmor.exe" --offline --no-config --no-ignores --no-progress .github/workflows
}
Step "登记册自检" { & "$venv\rectify.exe" check }
if (-not (Test-Path "tests\cms\node_modules\.bin\decap-server.cmd")) {
    if (Get-Command npm -ErrorAction SilentlyContinue) {
        Step "安装网页表单测试所需的 decap-server（npm）" {
            npm ci --prefix tests/cms --no-audit --no-fund --loglevel=error
        }
    } else {
        Write-Host "未安装 Node.js/npm：网页表单测试将失败（https://nodejs.org/）"
    }
}
Step "pytest" { & "$venv\python.exe" -m pytest @pytestArgs }
