"""Checks made while reading files and validating them against the schemas."""

from rectify.diagnostics import Severity
from rectify.rules import declare

declare(
    "R-encoding",
    Severity.ERROR,
    "文件须为 UTF-8 编码",
    "—",
    """
    记录文件必须是 UTF-8 编码（带 BOM 也可以）。Windows 上以 GBK 保存的文件会被拒绝，并提示如何转换，
    不会把乱码当作数据读入。

    PASS: 用 UTF-8 保存的 `HAZ-2023-00017.yaml`。
    FAIL: 用记事本以 ANSI（GBK）编码保存的同一文件。
    """,
)
declare(
    "R-yaml",
    Severity.ERROR,
    "YAML 须能完整、无歧义地读取",
    "—",
    """
    语法错误、用制表符缩进、一个文件多条记录（多个 `---` 文档）、顶层不是字段映射、空文件、
    合并键 `<<` 与自定义标签（如 `!!python/object`）都会被拒绝，并指出行号。常见的录入错误——键后的
    全角冒号 `：`、全角空格、冒号后缺少空格（`key:value`）、英文引号配中文引号——按原样指出所在的行和列；
    值两端是中文引号（`“…”`，引号会成为内容）为 **警告**。解析器的提示一律译成中文。

    PASS: `title: 液氨储罐区未设置泄漏报警装置`
    FAIL: `title: 液氨储罐区` 后另起一个 `---` 文档；或以 Tab 缩进；`funds_cny：120000`（全角冒号）。
    """,
)
declare(
    "R-duplicate-key",
    Severity.ERROR,
    "同一映射中不得有重复的键",
    "—",
    """
    通常的 YAML 读取器遇到重复的键只保留后一个，前一个值就悄悄丢失了。这里在第二个键处报错。

    PASS: 一个 `deadline:`。
    FAIL: 同一层级出现两次 `deadline:`。
    """,
)
declare(
    "R-date",
    Severity.ERROR,
    "日期必须真实存在",
    "—",
    """
    形如 `YYYY-MM-DD` 的值按日期读取为文本（不会被转换），但必须是日历上存在的日期。

    PASS: `date: 2023-08-28`
    FAIL: `date: 2023-02-30`
    """,
)
declare(
    "R-limits",
    Severity.ERROR,
    "文件大小与展开规模有上限",
    "—",
    """
    超过 1 MiB 的文件、展开后超过十万个值的别名（“billion laughs”别名炸弹）、嵌套过深或自引用的别名
    在占用内存之前就被拒绝。

    PASS: 普通记录。
    FAIL: `a: &a [x, x]`、`b: &b [*a, *a]` …… 层层翻倍的别名。
    """,
)
declare(
    "R-layout",
    Severity.ERROR,
    "记录须放在其类型的目录中",
    "—",
    """
    每条记录放在 `registry/<类型>/` 下（检查、隐患、处置再分年份目录）；`registry/` 根目录只放
    `jurisdiction.yaml` 和 `standards.yaml`。符号链接（无论指向仓库内外）、目录链接和命名管道等非普通文件
    一律拒绝：Git 历史中的链接只是一段路径文字，检查时却会跟随它读到别处的文件。

    PASS: `registry/hazards/2023/HAZ-2023-00017.yaml`
    FAIL: `registry/hazards/HAZ-2023-00017.yaml`（缺少年份目录）；`registry/misc/x.yaml`；指向 `docs/x.yaml` 的符号链接。
    """,
)
declare(
    "R-schema",
    Severity.ERROR,
    "记录须符合其类型的 JSON Schema",
    "—",
    """
    必填字段、字段类型、枚举取值、编号格式、日期格式均由 `schemas/` 中的 JSON Schema 规定；
    不认识的字段（多为拼写错误）同样报错。

    PASS: `status: open`
    FAIL: `status: opened`（可选值为 open、rectifying、awaiting_acceptance、closed）；`self_found: yes`。
    """,
)

declare(
    "R-bool-key",
    Severity.ERROR,
    "键不得是 YAML 1.1 读作布尔值的词",
    "—",
    """
    `on`、`off`、`yes`、`no`、`y`、`n`、`true`、`false`（不分大小写）作键时，YAML 1.1 的读取器（例如
    PyYAML 的 `yaml.safe_load`，大多数人写脚本时用的就是它）把它们读成布尔值：`on: 2023-09-12` 会变成
    `{True: '2023-09-12'}`。登记册在 YAML 1.1 和 1.2 下必须读出同样的数据，所以任何文件中都不接受这样的键
    （加引号的 `"on"` 两种版本读法相同，不在此列，但 schema 也不认识它）。日期一律用 `date`；
    `scripts/migrate_yaml11_keys.py` 可自动改名。报错之后，该值按建议的键名读入（schema 不再另报缺少字段），但和其他读取错误一样，这条记录不参加业务规则的检查。

    PASS: `found: {date: 2023-09-12, source: self_inspection}`
    FAIL: `found: {on: 2023-09-12, source: self_inspection}`（请改为 `date`）；`yes: true`。
    """,
)
