"""What every page MkDocs renders gets on its way out: feed auto-discovery in the head, and the
heavy scripts (ECharts, Tabulator) only on pages that draw a chart or a register. Record pages are
not MkDocs pages: :mod:`rectify.site.records` writes them, with the same feed links and no script."""

from __future__ import annotations

import re

from rectify.site.context import SiteOptions

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
