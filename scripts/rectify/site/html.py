"""Registry text is data, never markup. Every value that reaches a page passes through :func:`esc`
(for HTML and Markdown) or :func:`plain` (for page titles, which themes print unescaped).

:func:`esc` turns HTML's special characters into entities and every ASCII character Markdown or
its extensions could act on (``*_`[]{}()#!|~^=:\\``) into numeric character references: the browser
shows them as the same characters, and neither Markdown nor a template engine sees syntax. Control
characters (not allowed in HTML) become U+FFFD.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

_ESCAPES = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    '"': "&quot;",
    "'": "&#39;",
    **{c: f"&#{ord(c)};" for c in "*_`[]{}()#!|~^=:\\+$%"},
    **{chr(c): "\ufffd" for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F]},
    "\r": "",
    "\n": "<br>",
    "\t": " ",
}
_TABLE = str.maketrans(_ESCAPES)
_PLAIN = str.maketrans(
    {"<": "＜", ">": "＞", "&": "＆", '"': "＂", "'": "＇", "{": "｛", "}": "｝", "\n": " ", "\r": " "}
)


def esc(value: object) -> str:
    """Any value as inert text for an HTML or Markdown context; ``None`` becomes empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value).translate(_TABLE)


def plain(value: object) -> str:
    """Text for a page title: no character a theme or a tag stripper could turn into markup."""
    return "" if value is None else str(value).translate(_PLAIN).strip()


def safe_url(url: object) -> str | None:
    """An external link target only when it is plainly http(s); anything else stays text."""
    if (
        isinstance(url, str)
        and url.startswith(("https://", "http://"))
        and not any(c in url for c in "<>\"' ")
    ):
        return url
    return None


def page_url(src: str, directory_urls: bool) -> str:
    """The output path of a page's source path (``a/b.md`` → ``a/b.html`` or ``a/b/``)."""
    stem = src[:-3]
    if not directory_urls:
        return stem + ".html"
    if stem == "index" or stem.endswith("/index"):
        return stem[:-5]
    return stem + "/"


def relative(target: str, source_page: str, directory_urls: bool) -> str:
    """Link from the page ``source_page`` (a source path) to ``target`` (a source path or a file):
    up to the site root, then down (cheap and linear: called for every link of every page)."""
    path, sep, anchor = target.partition("#")
    target_url = (page_url(path, directory_urls) if path.endswith(".md") else path) + sep + anchor
    depth = page_url(source_page, directory_urls).count("/")
    return ("../" * depth + target_url) or "./"


def table(headers: Sequence[str], rows: Iterable[Sequence[str]], css: str = "", caption: str = "") -> str:
    """A raw HTML table block; cells are already-escaped HTML, ``caption`` is plain text (a screen
    reader announces it with the table: a chart's companion table names its chart)."""
    head = "".join(f"<th>{h}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    cls = f' class="{css}"' if css else ""
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return f"<table{cls}>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>\n\n"


def dl(items: Iterable[tuple[str, str]]) -> str:
    """A definition list of (label, escaped HTML value), skipping empty values."""
    body = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in items if v)
    return f'<dl class="rectify-fields">{body}</dl>\n\n'


def ul(items: Iterable[str]) -> str:
    body = "".join(f"<li>{item}</li>" for item in items)
    return f"<ul>{body}</ul>\n\n" if body else "<p>（无）</p>\n\n"


def h2(text: str) -> str:
    """A section heading in raw HTML (record pages are HTML only: they skip Markdown)."""
    return f"<h2>{esc(text)}</h2>\n\n"
