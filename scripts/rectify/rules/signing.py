"""R-signing-key: one signing key, one person."""

from __future__ import annotations

from collections.abc import Iterator

from rectify.diagnostics import Diagnostic, Severity
from rectify.history.keys import fingerprint
from rectify.model import Document, Registry
from rectify.rules import Context, Reads, rule


@rule(
    "R-signing-key",
    Severity.ERROR,
    "一把签名公钥只登记给一个人",
    depends=Reads(on=("person",), kinds=("person",)),
)
def check_signing_keys(registry: Registry, context: Context) -> Iterator[Diagnostic]:
    """
    签名公钥（`signing_keys`）是核验提交签名（G-signed）时认定“谁签的名”的依据。同一把公钥
    登记给两个人，就无法分辨提交出自谁手：这样的公钥在签名核验中不代表任何人。公钥按指纹
    （`SHA256:…`）比较，与备注、空白和写法无关。同一个人重复登记同一把公钥不算错误。

    PASS: 孙浩与王强各自登记自己的 `ssh-ed25519 AAAA…` 公钥。
    FAIL: 王强的 `signing_keys` 中登记了孙浩的公钥（备注不同，指纹相同）。
    """
    holders: dict[str, list[tuple[Document, int]]] = {}
    for doc in registry.records("person"):
        keys = doc.data.get("signing_keys")
        for index, line in enumerate(keys if isinstance(keys, list) else []):
            key = fingerprint(line) if isinstance(line, str) else None
            if key is not None:
                holders.setdefault(key, []).append((doc, index))
    for key, entries in holders.items():
        people = {doc.id for doc, _ in entries}
        if len(people) < 2:
            continue
        for doc, index in entries:
            others = "；".join(
                f"{other.id}（{other.file} 第 {other.locate(['signing_keys', i])[0]} 行）"
                for other, i in entries
                if other.id != doc.id
            )
            yield doc.diagnostic(
                "R-signing-key",
                Severity.ERROR,
                ["signing_keys", index],
                f"签名公钥 {key} 同时登记给了 {others}：一把公钥只能属于一个人，重复登记的公钥在签名核验中"
                "不代表任何人；请删除登记错的一条",
            )
