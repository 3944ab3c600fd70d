"""Record pages at scale. MkDocs renders one hidden *shell* page per folder (the theme's header,
search and footer around two markers); after the build each record's page is the shell with its
title and HTML body put in place: a string replacement per record instead of a full MkDocs page
render (which costs tens of milliseconds each and would make 20,000 hazards take many minutes).
The records are added to the search index (:mod:`rectify.site.search`) and to sitemap.xml.
:func:`finish_page` runs on every page MkDocs renders (shells included): feed auto-discovery in the
head, and the heavy scripts (ECharts, Tabulator) only on pages that draw a chart or a register."""

from __future__ import annotations

import json
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

from rectify.site import search
from rectify.site.context import SiteOptions
from rectify.site.html import page_url

SHELL_NAME = "_shell.md"
TITLE_MARK = "RECTIFYSHELLTITLE"
BODY_MARK = "RECTIFYSHELLBODY"
SHELL_SOURCE = (
    f"---\ntitle: {TITLE_MARK}\nsearch:\n  exclude: true\nhide:\n  - navigation\n  - toc\n---\n\n"
    # each record's body brings its breadcrumb and <h1>: the comment stops the theme adding a second one
    f'<!-- <h1> in the record body -->\n<div class="rectify-record">{BODY_MARK}</div>\n'
)
HEAVY = (
    # (marker of a page that needs it, the tags to drop from every other page)
    ("rectify-chart", re.compile(r'<script src="[^"]*assets/vendor/echarts/[^"]*"></script>\s*')),
    (
        "rectify-register",
        re.compile(
            r'<script src="[^"]*assets/vendor/tabulator/[^"]*"></script>\s*'
            r'|<link rel="stylesheet" href="[^"]*assets/vendor/tabulator/[^"]*">\s*'
        ),
    ),
)
FEEDS = (
    ("application/atom+xml", "downloads/changes.atom", "最新变化（Atom）"),
    ("application/rss+xml", "downloads/changes.rss", "最新变化（RSS）"),
)


@dataclass(frozen=True, slots=True)
class RecordPage:
    title: str  # plain text (see html.plain): safe anywhere in the theme
    body: str  # escaped HTML
    search: str  # plain text for the search index (title is added)
    search_title: str = ""  # the title in search results, when it says more than the page's


def shell_sources(records: dict[str, RecordPage]) -> dict[str, str]:
    """One shell source page per folder holding record pages."""
    folders = {posixpath.dirname(path) for path in records}
    return {posixpath.join(folder, SHELL_NAME): SHELL_SOURCE for folder in folders}


def finish_page(output: str, url: str, options: SiteOptions) -> str:
    """Feed auto-discovery links in the head; drop the scripts a page does not use. The links'
    ``rel`` is ``alternate feed``, not ``alternate`` alone: the theme takes every
    ``link[rel=alternate]`` for another language version of the site and fetches a sitemap.xml
    next to it on every page view (a 404 beside the feed); feed readers look for the
    ``alternate`` token and the feed type, which both stay."""
    up = "../" * url.count("/")
    links = "".join(
        f'<link rel="alternate feed" type="{kind}" title="{title}" href="{up}{path}">'
        for kind, path, title in FEEDS
    )
    return without_unused_scripts(output.replace("</head>", links + "</head>", 1))


def without_unused_scripts(output: str) -> str:
    for marker, tags in HEAVY:
        if f'class="{marker}' not in output:
            output = tags.sub("", output)
    return output


def write(site_dir: Path, records: dict[str, RecordPage], directory_urls: bool, site_url: str = "") -> int:
    """Write every record page from its folder's shell; add them to the search index. Returns bytes written."""
    shells: dict[str, tuple[str, str, str]] = {}
    written = 0
    for folder in sorted({posixpath.dirname(p) for p in records}):
        shell_file = site_dir / page_url(posixpath.join(folder, SHELL_NAME), directory_urls)
        if directory_urls:
            shell_file = shell_file / "index.html"
        text = shell_file.read_text(encoding="utf-8")
        head, _, tail = text.partition(BODY_MARK)
        if not tail:
            raise RuntimeError(f"shell page without body marker: {shell_file}")
        shells[folder] = (head, tail, shell_file.name if not directory_urls else "")
        shell_file.unlink()
        if directory_urls:
            shell_file.parent.rmdir()
    shell_url = "_shell.html"
    entries = []
    for src, record in records.items():
        head, tail, _ = shells[posixpath.dirname(src)]
        url = page_url(src, directory_urls)
        name = posixpath.basename(url.rstrip("/")) + ("/" if directory_urls else "")
        page = (
            head.replace(TITLE_MARK, record.title).replace(shell_url, name)
            + record.body
            + tail.replace(TITLE_MARK, record.title)
        )
        target = site_dir / url
        if directory_urls:
            target = target / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        data = page.encode("utf-8")
        target.write_bytes(data)
        written += len(data)
        entries.append((url, record.search_title or record.title, record.search))
    _add_to_search_index(site_dir, search.entries(entries, len(entries)))
    _update_sitemap(site_dir, [url for url, _, _ in entries], site_url)
    return written


def _add_to_search_index(site_dir: Path, entries: list[dict[str, str]]) -> None:
    index_file = site_dir / "search" / "search_index.json"
    if not index_file.is_file():
        return
    index = json.loads(index_file.read_text(encoding="utf-8"))
    index["docs"].extend(entries)
    index_file.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _update_sitemap(site_dir: Path, urls: list[str], base: str) -> None:
    """Shell pages are not pages: drop them from sitemap.xml (and its .gz); add every record page."""
    import gzip
    from xml.sax.saxutils import escape

    sitemap = site_dir / "sitemap.xml"
    if not sitemap.is_file():
        return
    text = re.sub(
        r"\s*<url>(?:(?!</url>).)*?_shell(?:(?!</url>).)*?</url>",
        "",
        sitemap.read_text(encoding="utf-8"),
        flags=re.S,
    )
    if base:
        added = "".join(f"\n    <url>\n         <loc>{escape(base + url)}</loc>\n    </url>" for url in urls)
        text = text.replace("</urlset>", added.lstrip("\n") + "\n</urlset>", 1)
    sitemap.write_text(text, encoding="utf-8")
    gz = site_dir / "sitemap.xml.gz"
    if gz.is_file():
        gz.write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
