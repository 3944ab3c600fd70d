"""What a clerk is told when YAML cannot be read: libyaml's problems in Chinese (never its English),
and the usual typing slips — a full-width colon or space, no space after the colon, an English quote
closed by a Chinese one — named where they are, instead of the parser's error a line further on."""

from __future__ import annotations

import re

_YAML_PROBLEMS = [  # libyaml's problem strings (scanner, parser, composer), most specific first
    ("mapping values are not allowed", "此处不能出现“键: 值”（常见原因：值里有“: ”需要加引号，或缩进不对）"),
    ("mapping keys are not allowed", "此处不能出现键（常见原因：缩进不对）"),
    ("block sequence entries are not allowed", "此处不能出现列表项“- ”（常见原因：缩进不对）"),
    (
        "could not find expected ':'",
        "找不到应有的冒号“:”（常见原因：冒号写成了全角“：”、冒号后缺少空格、引号未闭合或缩进不对）",
    ),
    ("did not find expected key", "找不到应有的键（常见原因：缩进不对，或引号后还有多余的文字）"),
    ("did not find expected node content", "缺少应有的内容"),
    ("did not find expected '-' indicator", "列表项缩进不一致"),
    ("did not find expected ',' or ']'", "方括号列表未正确闭合"),
    ("did not find expected ',' or '}'", "花括号映射未正确闭合"),
    ("did not find expected <document start>", "文档结束标记“...”之后还有内容：请删除“...”这一行"),
    ("did not find expected comment or line break", "“|”或“>”之后只能换行（文本写在下一行，并缩进）"),
    ("found an indentation indicator equal to 0", "“|”或“>”后的缩进数字不能是 0"),
    ("found undefined alias", "引用了未定义的锚点（别名 *名称 前须有 &名称）"),
    ("found undefined tag handle", "使用了未定义的标签（以 ! 开头）：请去掉标签"),
    ("found duplicate anchor", "锚点名称重复"),
    ("second occurrence", "锚点名称重复：同一个 &名称 只能定义一次"),
    (
        "found character that cannot start any token",
        "遇到不能作为内容开头的字符（如 @、`、%，或制表符）：请给这个值加上英文引号",
    ),
    ("found unexpected end of stream", "文件意外结束（常见原因：引号或括号未闭合）"),
    ("found unexpected document indicator", "引号内出现了文档分隔符“---”或“...”"),
    ("found unknown escape character", "双引号内有未知的转义字符（如需反斜杠请改用单引号）"),
    ("found invalid Unicode character escape code", "双引号内的 \\u 转义不是有效字符"),
    ("did not find expected hexdecimal number", "双引号内的 \\x 或 \\u 转义后缺少十六进制数字"),
    ("found a tab character", "使用了制表符（Tab）：YAML 只能用空格缩进"),
    ("did not find expected whitespace or line break", "缺少空格或换行"),
    ("did not find expected alphabetic or numeric character", "锚点、别名或标签的名称只能用字母和数字"),
    ("did not find the expected '>'", "标签缺少结尾的“>”：请去掉标签"),
    ("did not find expected '!'", "标签格式不对：请去掉标签"),
    ("did not find URI escaped octet", "标签格式不对：请去掉标签"),
    ("incorrect leading UTF-8 octet", "文件中有无效的 UTF-8 字符"),
    ("incorrect trailing UTF-8 octet", "文件中有无效的 UTF-8 字符"),
    ("found unknown directive name", "以 % 开头的行不是有效的指令：请删除这一行，或给值加引号"),
    ("directive", "以 % 开头的指令有误：请删除这一行"),
    ("version number", "以 % 开头的指令有误：请删除这一行"),
    ("found incompatible YAML document", "YAML 版本声明不受支持：请删除 %YAML 这一行"),
    (
        "control characters are not allowed",
        "文件中有不可见的控制字符：请删除它（常从网页或 Word 复制时带入）",
    ),
    ("unacceptable character", "文件中有不可见的控制字符：请删除它（常从网页或 Word 复制时带入）"),
    ("did not find expected <stream-start>", "文件开头无法读取"),
]
GENERIC_PROBLEM = "这一处无法读取：请检查本行及上一行的冒号、引号、缩进和括号"


def translate(problem: str | None) -> str:
    """A Chinese sentence for libyaml's English problem; never the English itself."""
    problem = problem or ""
    for english, chinese in _YAML_PROBLEMS:
        if english in problem:
            return chinese
    return GENERIC_PROBLEM


_KEY = r"^(?P<lead>[ ]*(?:-[ ]+)?)(?P<key>[A-Za-z_][A-Za-z0-9_-]*)"
FULL_COLON = re.compile(_KEY + r"[ \u3000]*(?P<mark>：)")
NO_SPACE = re.compile(_KEY + r":(?P<mark>[^\s/#])")
WIDE_AFTER = re.compile(_KEY + r":(?P<mark>\u3000)")
FIELD_NAME = re.compile(r"[a-z][a-z0-9_]*")
# a full-width space where the indentation or the list dash's space belongs ("　key:", "-　item");
# after "- " it is the first character of the item's text, which YAML reads as such
_WIDE_INDENT = re.compile(r"^[ ]*-?(?P<mark>\u3000)")
_MIXED_QUOTES = re.compile(_KEY + r":[ ]+(?:\"[^\"]*(?P<mark>[”“])[ ]*$|(?P<mark2>[“”])[^\"]*\"[ ]*$)")


def slip_message(match: re.Match[str], pattern: re.Pattern[str]) -> tuple[int, int, str]:
    key, column = match["key"], match.start("mark") + 1
    if pattern is FULL_COLON:
        return 0, column, f"{key} 后面是全角冒号“：”：请改为半角冒号加空格，写成“{key}: ”"
    if pattern is WIDE_AFTER:
        return 0, column, f"{key}: 后面是全角空格“　”：请改为半角空格，写成“{key}: ”"
    return 0, column, f"{key}: 的冒号后缺少空格：请写成“{key}: ”再填值"


def typing_slips(text: str) -> list[tuple[int, int, str]]:
    """(line, column, message) of the usual typing slips that break YAML: a full-width colon or
    space, a missing space after the colon, an English quote closed by a Chinese one. Called only
    when a file does not parse (or holds a full-width space), so the cost is never paid twice."""
    out = []
    for number, line in enumerate(text.splitlines(), 1):
        if line.lstrip().startswith("#"):
            continue
        if match := _WIDE_INDENT.match(line):
            out.append((number, match.start("mark") + 1, "行首用了全角空格“　”：缩进只能用半角空格"))
        elif match := FULL_COLON.match(line):
            key = match["key"]
            out.append(
                (
                    number,
                    match.start("mark") + 1,
                    f"{key} 后面是全角冒号“：”：请改为半角冒号加空格，写成“{key}: ”",
                )
            )
        elif match := WIDE_AFTER.match(line):
            key = match["key"]
            out.append(
                (number, match.start("mark") + 1, f"{key}: 后面是全角空格“　”：请改为半角空格，写成“{key}: ”")
            )
        elif match := NO_SPACE.match(line):
            key = match["key"]
            out.append((number, match.start("mark") + 1, f"{key}: 的冒号后缺少空格：请写成“{key}: ”再填值"))
        elif match := _MIXED_QUOTES.match(line):
            column = (match.start("mark") if match["mark"] else match.start("mark2")) + 1
            out.append(
                (number, column, '引号不配对：中文引号“ ”不能代替英文引号 "：请两端都用英文引号，或都去掉')
            )
    return out
