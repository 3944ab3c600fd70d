"""Item 4 of issue 9: a hazard is closed by what its YAML *says*. Every spelling that the project's
loader reads as ``status: closed`` — spacing, quoting, escapes, tags, block scalars, flow and JSON
forms, explicit keys, anchors — needs the acceptor's signature; the same text signed by the
acceptor passes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rectify.load import parse
from tests.security.signed_repo import HAZ, Signed, located

STATUS = "status: rectifying\n"


def _replace(text: str, line: str) -> str:
    assert STATUS in text
    return text.replace(STATUS, line)


def _flow(text: str) -> str:
    data, _root, _ = parse(text, HAZ)
    assert data is not None
    data["status"] = "closed"
    return json.dumps(data, ensure_ascii=False, separators=(", ", ": "))  # one line of flow YAML


def _anchored(text: str) -> str:
    text = text.replace(STATUS, "")
    return text.replace("    note: 已订购防爆除尘器\n", "    note: &done closed\n") + "status: *done\n"


SPELLINGS = {
    "space-before-colon": lambda t: _replace(t, "status : closed\n"),
    "double-quoted-key": lambda t: _replace(t, '"status": closed\n'),
    "single-quoted-both": lambda t: _replace(t, "'status': 'closed'\n"),
    "escaped-key": lambda t: _replace(t, '"st\\x61tus": "clo\\u0073ed"\n'),
    "str-tag": lambda t: _replace(t, "status: !!str closed\n"),
    "verbatim-tag": lambda t: _replace(t, "status: !<tag:yaml.org,2002:str> closed\n"),
    "folded-block": lambda t: _replace(t, "status: >-\n  closed\n"),
    "literal-block": lambda t: _replace(t, "status: |-\n  closed\n"),
    "explicit-key": lambda t: _replace(t, "? status\n: closed\n"),
    "comment-between": lambda t: _replace(t, "status: # 验收通过\n  closed\n"),
    "value-on-next-line": lambda t: _replace(t, "status:\n  closed\n"),
    "json-flow-document": _flow,
    "anchor-and-alias": _anchored,
}


@pytest.mark.parametrize("spelling", sorted(SPELLINGS))
def test_every_spelling_of_closed_needs_the_acceptor(spelling: str, tmp_path: Path) -> None:
    repo = Signed(tmp_path)
    closed = SPELLINGS[spelling](repo.text())
    data, _root, problems = parse(closed, HAZ)
    assert data is not None and data["status"] == "closed" and not problems, "该写法应被读作 closed"
    repo.write_text(closed)
    repo.commit("wang-qiang-qy", "企业自行销号")
    found = repo.verify()
    assert located(found) == [("G-signed", HAZ, "status")], [d.message for d in found]
    assert "验收人 sun-hao-yjj 本人" in found[0].message and "wang-qiang-qy" in found[0].message


@pytest.mark.parametrize("spelling", ["str-tag", "folded-block", "json-flow-document", "anchor-and-alias"])
def test_the_same_spelling_signed_by_the_acceptor_passes(spelling: str, tmp_path: Path) -> None:
    repo = Signed(tmp_path)
    repo.write_text(SPELLINGS[spelling](repo.text()))
    repo.commit("sun-hao-yjj", "验收销号")
    assert repo.verify() == []


def test_closed_spelled_in_the_base_and_respelled_is_no_new_closure(tmp_path: Path) -> None:
    """Only what the values say counts: re-spelling an already closed status is no act."""
    repo = Signed(tmp_path)
    repo.write_text(SPELLINGS["folded-block"](repo.text()))
    repo.commit("sun-hao-yjj", "验收销号")
    repo.base = repo.repo.git("rev-parse", "HEAD")
    repo.write_text(SPELLINGS["double-quoted-key"](repo.text().replace("status: >-\n  closed\n", STATUS)))
    repo.commit("wang-qiang-qy", "改写法")
    assert repo.verify() == []


def test_spelling_that_reads_as_another_value_is_not_a_closure(tmp_path: Path) -> None:
    """``closed`` inside another field or a longer value does not close the hazard."""
    repo = Signed(tmp_path)
    text = repo.text().replace("    note: 已订购防爆除尘器\n", "    note: |\n      status: closed\n")
    repo.write_text(_replace(text, "status: 'closed '\n".replace("'closed '", "awaiting_acceptance")))
    repo.commit("wang-qiang-qy", "进展")
    assert repo.verify() == []
