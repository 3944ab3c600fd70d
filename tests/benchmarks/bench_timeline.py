"""Site timeline benchmark: the history the record pages show, read for the whole registry in one
pass (rectify.site.history.read: one ``git log``, one ``git cat-file`` for the commits, one streamed
``git cat-file`` for the versions), on a generated history.

    .venv/bin/python tests/benchmarks/bench_timeline.py 10000:2000 100000:1000

Each ``N:C`` is a synthetic registry of N hazards (tests/benchmarks/synthetic.py) committed at once,
then C commits each editing one hazard (its title and status), written with ``git fast-import``. It
prints the time and peak memory of reading the history, the commits and file revisions read, and the
field changes found — linear in the registry's files plus its revisions, never per record.
(Writing the history is the slow part at 100,000: every commit rewrites the 100,000-entry tree of
``hazards/2023/``, which is Git's cost, not the reader's.)
"""

from __future__ import annotations

import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))

import synthetic  # noqa: E402

STATUSES = ("open", "rectifying", "awaiting_acceptance")


def _data(payload: bytes) -> bytes:
    return b"data %d\n" % len(payload) + payload + b"\n"


def history(root: Path, edits: int, seed: int = 11) -> int:
    """Commit the registry, then ``edits`` one-hazard commits; returns the commits written."""
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    files = sorted((root / "registry").rglob("*.yaml"))
    hazards = [f for f in files if f.parent.name == "2023" and f.name.startswith("HAZ-")]
    stream = bytearray()
    when = 1_690_000_000

    def commit(message: str, changes: list[tuple[str, bytes]]) -> None:
        nonlocal when
        when += 600
        stream.extend(b"commit refs/heads/main\n")
        stream.extend(b"committer Clerk <clerk@example.cn> %d +0800\n" % when)
        stream.extend(_data(message.encode()))
        for path, content in changes:
            stream.extend(b"M 100644 inline " + path.encode() + b"\n" + _data(content))

    commit("登记册", [(f.relative_to(root).as_posix(), f.read_bytes()) for f in files])
    rng = random.Random(seed)
    current = {f: f.read_text(encoding="utf-8") for f in hazards}
    for k in range(edits):
        file = hazards[rng.randrange(len(hazards))]
        lines = current[file].splitlines()
        lines = [
            f"{line} 修订{k}"
            if line.startswith("title: ")
            else f"status: {STATUSES[k % 3]}"
            if line.startswith("status: ")
            else line
            for line in lines
        ]
        current[file] = "\n".join(lines) + "\n"
        commit(f"修改 {file.stem}", [(file.relative_to(root).as_posix(), current[file].encode())])
    subprocess.run(["git", "-C", str(root), "fast-import", "--quiet"], input=bytes(stream), check=True)
    subprocess.run(["git", "-C", str(root), "reset", "-q", "--hard", "main"], check=True)
    return edits + 1


def measure(hazards: int, edits: int) -> None:
    from rectify.site.history import read
    from rectify.site.plugin import _timeline_kind

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        synthetic.write(root, hazards, REPO / "schemas")
        commits = history(root, edits)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        start = time.perf_counter()
        found = read(root, "registry", kind_of=_timeline_kind("registry"))
        elapsed = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        revisions = len(found.revisions)
        changes = sum(len(r.changes or ()) for r in found.revisions.values())
        assert found.available and len(found.commits()) == commits
        print(
            f"{hazards:>8,} hazards {commits:>7,} commits: {elapsed:6.1f} s, {revisions:,} file revisions,"
            f" {changes:,} field changes, peak memory {peak / 1024:.0f} MB (+{(peak - before) / 1024:.0f} MB)",
            flush=True,
        )


def main() -> None:
    for arg in sys.argv[1:] or ["10000:2000"]:
        hazards, _, edits = arg.partition(":")
        measure(int(hazards), int(edits or 0))


if __name__ == "__main__":
    main()
