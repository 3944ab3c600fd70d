"""Benchmark: ``rectify verify-signatures`` over a range of N signed commits that all change
``registry/``: one ``git log`` pass for metadata and changed files, one ``git cat-file --batch`` for
the commit objects, every SSH signature checked in-process (no ``ssh-keygen`` per commit).

    python tests/benchmarks/bench_signatures.py [N ...]        (default N = 500)

Builds a real repository with real ed25519 keys (the build is not timed), then prints per N: the
``git log`` pass alone, the whole check in-process, the command in a fresh process (each the best
of three runs), and for comparison the former way, one ``git log`` with ``%G?`` in which git runs
``ssh-keygen`` for every signature (run once: it is the slow one).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(REPO))

from tests.conftest import make_registry  # noqa: E402
from tests.git.repo import GIT_ENV, Repo, keygen  # noqa: E402

from rectify.history.signatures import verify  # noqa: E402
from rectify.paths import find  # noqa: E402

HAZ = "registry/hazards/2023/HAZ-2023-00001.yaml"


def build(root: Path, keys_dir: Path, count: int) -> str:
    repo = Repo(make_registry(root))
    keys = {"wang-qiang-qy": keygen(keys_dir, "wang"), "sun-hao-yjj": keygen(keys_dir, "sun")}
    for person, key in keys.items():
        repo.register(person, key)
    base = repo.commit("基准")
    text = (root / HAZ).read_text(encoding="utf-8")
    for n in range(count):
        text += f"  - date: 2023-10-11\n    note: 第 {n + 1} 次进展\n    by: wang-qiang-qy\n"
        (root / HAZ).write_text(text, encoding="utf-8")
        repo.commit(f"进展 {n + 1}", keys["wang-qiang-qy"], repo.author("wang-qiang-qy"))
    return base


def best(fn: object, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times)


def measure(root: Path, base: str, allowed: Path) -> tuple[float, float, float, float]:
    git_log = best(
        lambda: subprocess.run(
            ["git", "-C", str(root), "log", "--format=%H %P %an %ae %s", "--raw", "--no-abbrev",
             f"{base}..HEAD"],
            check=True, capture_output=True, env=GIT_ENV,
        )
    )  # fmt: skip
    in_process = best(lambda: verify(find(root), base))
    command = best(
        lambda: subprocess.run(
            [sys.executable, "-m", "rectify", "verify-signatures", "--base", base],
            cwd=root, check=True, capture_output=True, env=GIT_ENV,
        )
    )  # fmt: skip
    git_verifies = best(
        lambda: subprocess.run(
            ["git", "-C", str(root), "-c", f"gpg.ssh.allowedSignersFile={allowed}", "log",
             "--format=%H %G? %GK %GS", "--raw", f"{base}..HEAD"],
            check=True, capture_output=True, env=GIT_ENV,
        ),
        runs=1,
    )  # fmt: skip
    return git_log, in_process, command, git_verifies


def main(sizes: list[int]) -> None:
    print(
        f"{'提交数':>6} {'git log':>9} {'核验(进程内)':>12} {'rectify 命令':>12} {'对照：git 核验(%G?)':>18}"
    )
    for count in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            root, keys = Path(tmp) / "repo", Path(tmp) / "keys"
            started = time.perf_counter()
            base = build(root, keys, count)
            built = time.perf_counter() - started
            allowed = Path(tmp) / "allowed"
            allowed.write_text(
                "".join(
                    f'{p} namespaces="git" {keygen(keys, k).public}\n'
                    for p, k in (("wang-qiang-qy", "wang"), ("sun-hao-yjj", "sun"))
                )
            )
            result = verify(find(root), base)
            assert result.checked == count and not result.diagnostics, result.diagnostics[:3]
            git_log, in_process, command, git_verifies = measure(root, base, allowed)
            print(
                f"{count:>6} {git_log:>8.2f}s {in_process:>11.2f}s {command:>11.2f}s {git_verifies:>17.2f}s"
                f"   （构造仓库 {built:.1f}s）"
            )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [500])
