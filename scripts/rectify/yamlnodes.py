"""libyaml's parser and composer under YAML-1.2-like core rules: text → node tree (with marks).

Shared by the loader (which builds values from the nodes) and :class:`rectify.model.Document`
(which composes a file again only when a finding needs a line and column)."""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.cyaml import CParser  # type: ignore[attr-defined]

STR = "tag:yaml.org,2002:str"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"
BOOL = "tag:yaml.org,2002:bool"
NULL = "tag:yaml.org,2002:null"
SEQ = "tag:yaml.org,2002:seq"
MAP = "tag:yaml.org,2002:map"

_PLAIN_TYPED = re.compile(
    r"(?P<bool>true|True|TRUE|false|False|FALSE)"
    r"|(?P<null>~|null|Null|NULL)"
    r"|(?P<int>[-+]?(?:0|[1-9][0-9]*))"
    r"|(?P<float>[-+]?(?:0|[1-9][0-9]*)(?:\.[0-9]+(?:[eE][-+]?[0-9]+)?|[eE][-+]?[0-9]+))"
)
_TYPED_FIRST = frozenset("tTfFnN~-+0123456789")
_GROUP_TAG = {"bool": BOOL, "null": NULL, "int": INT, "float": FLOAT}


class _CoreResolver(yaml.resolver.BaseResolver):
    """Plain scalars resolve as in YAML 1.2's core schema, minus the traps: no octal, no
    sexagesimal, no ``yes``/``no``/``on``/``off`` booleans, no timestamps (dates stay strings).
    One regular expression instead of PyYAML's per-character resolver lists: this is the hot path."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is yaml.ScalarNode:
            if implicit[0]:
                if value == "":
                    return NULL
                if value[0] in _TYPED_FIRST:
                    match = _PLAIN_TYPED.fullmatch(value)
                    if match:
                        return _GROUP_TAG[match.lastgroup or ""]
            return STR
        return SEQ if kind is yaml.SequenceNode else MAP

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        """No path-based resolvers here; skipping the bookkeeping saves a call per node."""

    def ascend_resolver(self) -> None:
        """See :meth:`descend_resolver`."""


class NodeLoader(CParser, _CoreResolver):
    """libyaml's parser and composer with the core resolver: produces nodes, builds nothing."""

    def __init__(self, stream: str) -> None:
        CParser.__init__(self, stream)
        _CoreResolver.__init__(self)


def compose(text: str) -> yaml.Node | None:
    """The node tree of ``text`` (None when empty); raises :class:`yaml.YAMLError`."""
    loader = NodeLoader(text)
    try:
        node: yaml.Node | None = loader.get_single_node()
        return node
    finally:
        loader.dispose()
