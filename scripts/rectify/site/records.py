"""Record pages at scale: one lean HTML page per record (hazard, inspection, enterprise, campaign,
organization, case, consultation), written after the MkDocs build from a small Jinja2 template
(``templates/record.html``) instead of through the theme's page pipeline.

A theme page carries the whole navigation tree, its icons and its scripts (~19 KB before the
record's first word, 28 KB a hazard): 566 MB at 20,000 hazards. The lean page keeps what a visitor
uses: the site's own stylesheets and icon (read from the home page MkDocs just wrote, so a theme
override or palette applies here too), a header with the site name, the main sections and a search
box (a plain form: the home page opens the site search with ``?q=``), the record's breadcrumb and
body, and a footer. No script at all. The body is escaped HTML (:mod:`rectify.site.html`); the
template escapes everything else it is given (autoescape).

Pages are made one at a time while they are written: a record's body is rendered when its page is
written and dropped after, so memory does not grow with the pages' size. The records are added to
the search index (:mod:`rectify.site.search`) and to ``sitemap.xml``.
"""

from __future__ import annotations

import functools
import gzip
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import jinja2
from markupsafe import Markup

from rectify.site import search
from rectify.site.finish import FEEDS
from rectify.site.html import page_url

# the header's short menu: the pages of the main sections (labels come from mkdocs.yml's nav)
MAIN_SECTIONS = (
    "campaigns/index.md",
    "hazards/index.md",
    "organizations/index.md",
    "enterprises/index.md",
    "inspections/index.md",
    "duties.md",
    "downloads.md",
)
PAGE_BUDGET = 10_000  # bytes: a page of a record kind that numbers in the tens of thousands
OVERVIEW_BUDGET = (
    32_000  # bytes: a campaign's or a body's page (a few dozen; bounded lists of related records)
)


@dataclass(frozen=True, slots=True)
class RecordPage:
    """One record's page, made when it is written. ``title`` is plain text (see html.plain)."""

    title: str
    make_body: Callable[[], str]  # escaped HTML: breadcrumb, <h1>, the record
    make_search: Callable[[], str]  # plain sentences for the search index (title added)
    search_title: str = ""  # the title in search results, when it says more than the page's

    @property
    def body(self) -> str:
        return self.make_body()

    @property
    def search(self) -> str:
        return self.make_search()


@dataclass(frozen=True, slots=True)
class Frame:
    """What every lean page shares; paths are relative to the site root."""

    site_name: str
    stylesheets: tuple[str, ...]
    icon: str = ""
    body_attributes: tuple[tuple[str, str], ...] = ()
    sections: tuple[tuple[str, str], ...] = ()
    home: str = "index.html"
    downloads: str = "downloads.html"
    today: str = ""
    feeds: tuple[tuple[str, str, str], ...] = FEEDS


class _Head(HTMLParser):
    """The stylesheets, icon and <body> attributes of a page MkDocs wrote."""

    def __init__(self) -> None:
        super().__init__()
        self.stylesheets: list[str] = []
        self.icon = ""
        self.body: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "link" and found.get("rel") == "stylesheet" and found.get("href"):
            self.stylesheets.append(found["href"])
        elif tag == "link" and found.get("rel") in ("icon", "shortcut icon") and found.get("href"):
            self.icon = self.icon or found["href"]
        elif tag == "body":
            self.body = [(k, v) for k, v in found.items() if k.startswith("data-md-color-")]


def sections_of(nav: Any, directory_urls: bool) -> tuple[tuple[str, str], ...]:
    """(label, url) of :data:`MAIN_SECTIONS` as ``mkdocs.yml``'s nav names them: a page listed in
    a section takes the section's label."""

    def pages(item: Any) -> Iterable[str]:
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            for value in item.values():
                yield from pages(value)
        elif isinstance(item, list):
            for value in item:
                yield from pages(value)

    label_of: dict[str, str] = {}
    for entry in nav or []:
        if isinstance(entry, dict):
            for label, value in entry.items():
                for page in pages(value):
                    label_of.setdefault(page, str(label))
    return tuple(
        (label_of[page], page_url(page, directory_urls)) for page in MAIN_SECTIONS if page in label_of
    )


def frame_of(site_dir: Path, site_name: str, nav: Any, directory_urls: bool, today: str = "") -> Frame:
    """The frame from the home page MkDocs built (its stylesheets and icon, the heavy vendor
    styles left out) and the nav."""
    home = page_url("index.md", directory_urls)
    home_file = site_dir / home / "index.html" if directory_urls else site_dir / home
    head = _Head()
    if home_file.is_file():
        text = home_file.read_text(encoding="utf-8")
        head.feed(text[: text.find("</header>") if "</header>" in text else len(text)])
    own = [css for css in head.stylesheets if "//" not in css and "/vendor/" not in css]
    return Frame(
        site_name=site_name,
        stylesheets=(*own, "assets/site/record.css"),
        icon=head.icon if "//" not in head.icon else "",
        body_attributes=tuple(head.body),
        sections=sections_of(nav, directory_urls),
        home=home,
        downloads=page_url("downloads.md", directory_urls),
        today=today,
    )


@functools.cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("rectify.site", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    return env.get_template("record.html")


def render(frame: Frame, title: str, body: str, url: str, site_url: str = "") -> str:
    """A record's lean page at ``url`` (relative to the site root)."""
    return _template().render(
        frame=frame,
        title=title,
        body=Markup(body),  # escaped by the page generators, field by field
        root="../" * url.count("/"),
        canonical=site_url + url if site_url else "",
    )


def write(
    site_dir: Path,
    records: dict[str, RecordPage],
    frame: Frame,
    directory_urls: bool,
    site_url: str = "",
    pointers: list[tuple[str, str, str]] | None = None,
) -> tuple[int, int]:
    """Write every record page; add them to the search index (with ``pointers`` to the filtered
    registers when the hazard pages are not in it) and to the sitemap. Returns (pages' bytes,
    largest page's bytes)."""
    written = largest = 0
    urls = []
    counts = Counter(search.kind_of(src) for src in records)
    indexed = search.indexed_kinds(counts)
    entries = []
    made: set[Path] = set()
    for src, record in records.items():
        url = page_url(src, directory_urls)
        target = site_dir / url / "index.html" if directory_urls else site_dir / url
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        data = render(frame, record.title, record.body, url, site_url).encode("utf-8")
        target.write_bytes(data)
        written += len(data)
        largest = max(largest, len(data))
        urls.append(url)
        if search.kind_of(url) in indexed:
            entries.append((url, record.search_title or record.title, record.search))
    left_out = set(counts) - indexed
    _add_to_search_index(site_dir, search.entries(entries, left_out, directory_urls, pointers or []))
    _update_sitemap(site_dir, urls, site_url)
    return written, largest


def _add_to_search_index(site_dir: Path, entries: list[dict[str, str]]) -> None:
    index_file = site_dir / "search" / "search_index.json"
    if not index_file.is_file():
        return
    index = json.loads(index_file.read_text(encoding="utf-8"))
    for doc in index["docs"]:  # the theme's entries of the generated list pages, bounded
        doc["text"] = search.trimmed(doc.get("text") or "")
    index["docs"].extend(entries)
    index_file.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _update_sitemap(site_dir: Path, urls: list[str], base: str) -> None:
    """Add every record page to sitemap.xml (and its .gz), in the records' order."""
    sitemap = site_dir / "sitemap.xml"
    if not sitemap.is_file() or not base:
        return
    text = sitemap.read_text(encoding="utf-8")
    added = "".join(f"    <url>\n         <loc>{escape(base + url)}</loc>\n    </url>\n" for url in urls)
    text = re.sub(r"\s*</urlset>", lambda _m: "\n" + added + "</urlset>", text, count=1)
    sitemap.write_text(text, encoding="utf-8")
    gz = site_dir / "sitemap.xml.gz"
    if gz.is_file():
        gz.write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
