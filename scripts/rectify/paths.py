"""Where the registry, the schemas and the docs live. The repository root is the nearest folder
upwards that holds ``registry/``; every location can be overridden."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path


class PathsError(Exception):
    """The registry or the schemas cannot be found (a usage problem, exit code 2)."""


@dataclass(frozen=True, slots=True)
class Paths:
    root: Path
    registry: Path
    schemas: Path
    docs: Path

    def relative(self, path: Path) -> str:
        """POSIX path relative to the repository root, as messages and annotations show it."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()


def _schema_candidates(root: Path) -> list[Path]:
    here = Path(__file__).resolve().parent
    return [
        root / "schemas",
        here.parent.parent / "schemas",  # a source checkout or editable install
        Path(sys.prefix) / "share" / "rectify" / "schemas",  # installed by pip (pre-commit)
    ]


def packaged_schemas() -> Path | None:
    """The schemas that ship with rectify itself (for output that is the same for every registry)."""
    return next((p for p in _schema_candidates(Path.cwd())[1:] if (p / "hazard.schema.json").is_file()), None)


def find(root: Path | None = None) -> Paths:
    """Locate the repository from ``root`` (default: ``$RECTIFY_ROOT`` or the working folder)."""
    start = Path(root or os.environ.get("RECTIFY_ROOT") or Path.cwd()).resolve()
    for candidate in (start, *start.parents):
        if (candidate / "registry").is_dir():
            top = candidate
            break
    else:
        raise PathsError(
            f"在 {start} 及其上级目录中找不到 registry/ 目录：请在登记册仓库内运行，或用 --root 指定"
        )
    schemas = next((p for p in _schema_candidates(top) if (p / "hazard.schema.json").is_file()), None)
    if schemas is None:
        raise PathsError(f"找不到 schemas/ 目录（应包含 hazard.schema.json 等文件）：{top / 'schemas'}")
    return Paths(root=top, registry=top / "registry", schemas=schemas, docs=top / "docs")
