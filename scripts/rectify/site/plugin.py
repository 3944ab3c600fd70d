"""The thin MkDocs layer: read the registry, run the pure generation step, hand its pages and data
files to MkDocs as virtual files (nothing is written into ``docs/``), watch ``registry/`` under
``mkdocs serve``, and in the public build refuse personal data typed into free text (before any
page is made) and any output that holds a private value. A failed public build leaves nothing in
the site folder: MkDocs empties it before it writes, and the plugin empties it again on failure
(``rectify build`` also builds into a temporary folder and moves it into place on success).

Settings (``mkdocs.yml`` ``plugins: - rectify: {profile, today}``, or the environment, which wins):
``RECTIFY_PROFILE`` = ``public`` | ``internal``; ``RECTIFY_TODAY`` = ``YYYY-MM-DD`` (default: today
in Asia/Shanghai); ``RECTIFY_ROOT`` = the repository holding ``registry/``.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.utils import clean_directory

from rectify.clock import today_in_shanghai
from rectify.evidence import FOLDER as EVIDENCE
from rectify.history.keys import key_owners
from rectify.site import evidence, finish, records
from rectify.site.context import INTERNAL, PROFILE_LABELS, PUBLIC, SiteOptions
from rectify.site.generate import RULES_PLACEHOLDER, generate
from rectify.site.privacy import private_values, scan
from rectify.site.records import RecordPage

log = logging.getLogger("mkdocs.plugins.rectify")
MAX_LEAKS_SHOWN = 20


def refuse_personal_data(registry: Any) -> None:
    """The public build publishes no identity number, phone number or e-mail address typed into
    free text (rule R-personal): fail, naming each file, line and field, before any page is made."""
    from rectify.rules.privacy import personal_data

    found = [f for f in personal_data(registry) if f.doc.file not in registry.invalid]
    if not found:
        return
    lines = []
    for finding in found[:MAX_LEAKS_SHOWN]:
        line, _column = finding.doc.locate(list(finding.path))
        field = registry.schemas.describe(finding.doc.kind, list(finding.path))
        lines.append(f"  {finding.doc.file} 第 {line} 行 {field}：疑似{finding.what}“{finding.masked}”")
    more = f"\n  ……另有 {len(found) - MAX_LEAKS_SHOWN} 处" if len(found) > MAX_LEAKS_SHOWN else ""
    raise PluginError(
        f"公开版站点不能发布自由文本中的个人信息，构建失败（{len(found)} 处）：\n"
        + "\n".join(lines)
        + more
        + "\n请删去这些信息，或改写入不公开的联系方式字段；运行 rectify check 可逐条查看（规则 R-personal）。"
    )


# the web form and its editor: internal build only (a public site must not ship an editing tool
# nor make visitors' browsers probe a local backend)
EDITING_ONLY = ("admin/", "assets/vendor/decap-cms/")

TIMELINE_KINDS = frozenset({"hazard"})  # record kinds whose pages show what each commit changed


def _timeline_kind(folder: str) -> Callable[[str], str | None]:
    """File (relative to the repository) → its kind when its page shows field changes, else None."""
    from rectify.load import _kind_for

    prefix = folder.rstrip("/") + "/"

    def kind_of(file: str) -> str | None:
        if not file.startswith(prefix) or not file.endswith((".yaml", ".yml")):
            return None
        kind, _problem = _kind_for(tuple(file[len(prefix) :].split("/")))
        return kind if kind in TIMELINE_KINDS else None

    return kind_of


class RectifyConfig(Config):  # type: ignore[no-untyped-call]
    profile = opt.Choice((PUBLIC, INTERNAL), default=PUBLIC)
    today = opt.Optional(opt.Type(str))
    root = opt.Optional(opt.Type(str))


def published_url(root: Path) -> str:
    """``site.url`` of the registry's ``jurisdiction.yaml`` (the schema checks its form), or ''."""
    import yaml

    from rectify.paths import PathsError, find

    try:
        file = find(root).registry / "jurisdiction.yaml"
        data = yaml.safe_load(file.read_text(encoding="utf-8")) if file.is_file() else None
    except (PathsError, OSError, yaml.YAMLError):
        return ""
    site = data.get("site") if isinstance(data, dict) else None
    url = site.get("url") if isinstance(site, dict) else None
    return url if isinstance(url, str) and url.startswith(("https://", "http://")) else ""


class RectifyPlugin(BasePlugin[RectifyConfig]):  # type: ignore[no-untyped-call]
    """Generates the registry's pages at build time (``rectify`` in ``mkdocs.yml``'s plugins)."""

    def __init__(self) -> None:
        self.root = Path.cwd()
        self.options = SiteOptions()
        self.registry: Any = None
        self.records: dict[str, RecordPage] = {}
        self.search_pointers: list[tuple[str, str, str]] = []
        self.handwritten: frozenset[str] = frozenset()
        self.site_dir: Path | None = None
        self.evidence_root = Path()
        self.evidence_published: set[str] = set()

    @event_priority(100)  # before the search plugin reads its jieba dictionary
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Settle profile, today and root; make the search plugin's jieba dictionary path absolute."""
        profile = os.environ.get("RECTIFY_PROFILE") or self.config.profile
        if profile not in (PUBLIC, INTERNAL):
            raise PluginError(f"RECTIFY_PROFILE 应为 public 或 internal，实为 {profile!r}")
        today_text = os.environ.get("RECTIFY_TODAY") or self.config.today
        try:
            today = dt.date.fromisoformat(today_text) if today_text else today_in_shanghai()
        except ValueError:
            raise PluginError(f"RECTIFY_TODAY 应为 YYYY-MM-DD，实为 {today_text!r}") from None
        config_dir = Path(config.config_file_path or "mkdocs.yml").resolve().parent
        self.site_dir = Path(config.site_dir)
        self.root = Path(os.environ.get("RECTIFY_ROOT") or self.config.root or config_dir).resolve()
        declared = published_url(self.root)
        if declared:
            config.site_url = declared
        self.options = SiteOptions(
            profile=profile,
            today=today,
            directory_urls=bool(config.use_directory_urls),
            site_url=config.site_url or "",
        )
        config.site_name = (
            f"{config.site_name}（{PROFILE_LABELS[profile]}）" if profile == INTERNAL else config.site_name
        )
        search = config.plugins.get("material/search") or config.plugins.get("search")
        if search is not None:
            for key in ("jieba_dict", "jieba_dict_user"):
                value = search.config.get(key)
                if value and not os.path.isabs(value):
                    search.config[key] = str(config_dir / value)
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Read the registry and add every generated page and data file as a virtual file."""
        from rectify.check import build_registry
        from rectify.paths import PathsError, find
        from rectify.site.history import read

        try:
            paths = find(self.root)
            registry, _diagnostics, _count = build_registry(paths)
        except PathsError as exc:
            raise PluginError(f"无法读取登记册：{exc}") from exc
        self.registry = registry
        if self.options.public:
            refuse_personal_data(registry)
        if registry.invalid:
            log.warning(
                "登记册中有 %d 个文件未通过校验，站点略过这些记录；运行 rectify check 查看。",
                len(registry.invalid),
            )
        folder = paths.relative(paths.registry)
        history = read(paths.root, folder, kind_of=_timeline_kind(folder))
        owners = key_owners(registry)  # signed by whom: the key's holder in registry/people/
        history.signer_of = lambda commit: owners.get(commit.key)
        content = generate(registry, self.options, history)
        if files.get_file_from_path("rules.md") is None:
            content.pages.setdefault("rules.md", RULES_PLACEHOLDER)
        generated = set(content.pages)
        self.handwritten = frozenset(
            f.dest_uri for f in files.documentation_pages() if f.src_uri not in generated
        )
        for path, markdown in content.pages.items():
            existing = files.get_file_from_path(path)
            if existing is not None:
                files.remove(existing)
            files.append(File.generated(config, path, content=markdown))
        self.records = content.records
        self.search_pointers = content.search_pointers
        for path, data in content.files.items():
            if self.options.public and path.startswith(EDITING_ONLY):
                continue
            files.append(File.generated(config, path, content=data))
        self.evidence_root = paths.registry
        self.evidence_published = set(evidence.site_files(registry, internal=not self.options.public))
        for key in sorted(self.evidence_published):  # attachments are copied as they are
            files.append(
                File(f"{EVIDENCE}/{key}", str(paths.registry), config.site_dir, config.use_directory_urls)
            )
        if self.options.public:
            for file in [f for f in files if f.src_uri.startswith(EDITING_ONLY)]:
                files.remove(file)
        log.info(
            "rectify：生成 %d 个页面、%d 个数据文件（%s，截至 %s）",
            len(content.pages),
            len(content.files),
            PROFILE_LABELS[self.options.profile],
            self.options.today,
        )
        return files

    def on_post_page(self, output: str, *, page: Any, config: MkDocsConfig) -> str:
        """Feed auto-discovery in every page's head; heavy scripts only on pages that use them."""
        return finish.finish_page(output, page.url, self.options)

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
        """The theme's 404 page draws no chart and no register either."""
        return (
            finish.without_unused_scripts(output_content)
            if template_name.endswith(".html")
            else output_content
        )

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        """Rebuild when a registry file or a schema changes."""
        for folder in ("registry", "schemas"):
            if (self.root / folder).is_dir():
                server.watch(str(self.root / folder))
        return server

    def on_build_error(self, *, error: Exception) -> None:
        """A failed public build must not leave pages behind that someone could publish."""
        if self.options.public and self.site_dir is not None and self.site_dir.is_dir():
            clean_directory(str(self.site_dir))
            log.error("rectify：公开版构建失败，已清空输出目录 %s", self.site_dir)

    @event_priority(-100)  # after every other plugin has written its output (the search index)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Write the lean record pages (records.py); public build: fail if any private value of
        the registry reached the output."""
        if self.records:
            site_dir = Path(config.site_dir)
            frame = records.frame_of(
                site_dir,
                config.site_name,
                config.nav,
                self.options.directory_urls,
                self.options.today.isoformat(),
            )
            size, largest = records.write(
                site_dir,
                self.records,
                frame,
                self.options.directory_urls,
                config.site_url or "",
                self.search_pointers,
            )
            log.info(
                "rectify：写出 %d 个记录页面（%.1f MB，最大 %.1f KB）",
                len(self.records),
                size / 1e6,
                largest / 1e3,
            )
        if not self.options.public or self.registry is None:
            return
        leaks = scan(Path(config.site_dir), private_values(self.registry), self.handwritten)
        hidden = evidence.leaks(Path(config.site_dir), self.evidence_root, self.evidence_published)
        if hidden:  # a non-public attachment, found by its bytes' hash
            raise PluginError("公开版站点包含不公开的佐证材料，构建失败：\n  " + "\n  ".join(hidden))
        if leaks:
            shown = "\n".join(
                f"  {leak.file}：{leak.value!r}（来自 {leak.source}）" for leak in leaks[:MAX_LEAKS_SHOWN]
            )
            more = f"\n  ……另有 {len(leaks) - MAX_LEAKS_SHOWN} 处" if len(leaks) > MAX_LEAKS_SHOWN else ""
            raise PluginError(f"公开版站点包含不应公开的信息，构建失败（{len(leaks)} 处）：\n{shown}{more}")
        log.info("rectify：公开版输出已核查，未发现不公开的信息")
