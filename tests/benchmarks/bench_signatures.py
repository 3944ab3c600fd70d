"""Benchmark: ``rectify verify-signatures`` over a range of N signed commits that all change
``registry/``: one ``git log`` pass for metadata and changed files, one ``git cat-file --batch`` for
the commit objects, every SSH signature checked in-process (no ``ssh-keygen`` per commit).

    python tests/benchmarks/bench_signatures.py [N ...]        (default N = 500)

Builds a real repository with real ed25519 keys (the build is not timed; its commits are signed
in-process in git's exact format, see ``signed_history.py``, and ``git verify-commit`` spot-checks
them), then prints per N: the ``git log`` pass alone, the whole check in-process, the command in a
fresh process (each the best of three runs), the site's history read in one pass (``site.history.read``,
the timeline's input), and for comparison the former way, one ``git log`` with ``%G?`` in which git
runs ``ssh-keygen`` for every signature (run once, and only up to 2,000 commits: it is the slow one).
Goal (issue 13): ``verify-signatures`` over 10,000 commits in under 10 s.
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

from tests.benchmarks.signed_history import append_commits, spot_check  # noqa: E402
from tests.conftest import make_registry  # noqa: E402
from tests.git.repo import GIT_ENV, Repo, keygen  # noqa: E402

from rectify.history.signatures import verify  # noqa: E402
from rectify.paths import find  # noqa: E402
from rectify.site.history import read as read_history  # noqa: E402

HAZ = "registry/hazards/2023/HAZ-2023-00001.yaml"


def build(root: Path, keys_dir: Path, count: int) -> str:
    repo = Repo(make_registry(root))
    keys = {"wang-qiang-qy": keygen(keys_dir, "wang"), "sun-hao-yjj": keygen(keys_dir, "sun")}
    for person, key in keys.items():
        repo.register(person, key)
    base = repo.commit("基准")
    text = (root / HAZ).read_text(encoding="utf-8")
    texts = [
        text + f"  - date: 2023-10-11\n    note: 第 {n + 1} 次进展\n    by: wang-qiang-qy\n"
        for n in range(count)
    ]
    append_commits(root, HAZ, texts, keys["wang-qiang-qy"], repo.author("wang-qiang-qy"))
    return base


def best(fn: object, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times)


def measure(
    root: Path, base: str, allowed: Path, count: int
) -> tuple[float, float, float, float, float | None]:
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
    timeline = best(lambda: read_history(root), runs=1)
    if count > 2000:
        return git_log, in_process, command, timeline, None
    git_verifies = best(
        lambda: subprocess.run(
            ["git", "-C", str(root), "-c", f"gpg.ssh.allowedSignersFile={allowed}", "log",
             "--format=%H %G? %GK %GS", "--raw", f"{base}..HEAD"],
            check=True, capture_output=True, env=GIT_ENV,
        ),
        runs=1,
    )  # fmt: skip
    return git_log, in_process, command, timeline, git_verifies


def main(sizes: list[int]) -> None:
    print(
        f"{'提交数':>6} {'git log':>9} {'核验(进程内)':>12} {'rectify 命令':>12} {'网站历史':>9}"
        f" {'对照：git 核验(%G?)':>18}"
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
            shas = subprocess.run(
                ["git", "-C", str(root), "rev-list", f"{base}..HEAD"],
                check=True, capture_output=True, text=True, env=GIT_ENV,
            ).stdout.split()  # fmt: skip
            assert len(shas) == count
            spot_check(root, allowed, [shas[0], shas[len(shas) // 2], shas[-1]])
            result = verify(find(root), base)
            assert result.checked == count and not result.diagnostics, result.diagnostics[:3]
            git_log, in_process, command, timeline, git_verifies = measure(root, base, allowed, count)
            compared = f"{git_verifies:>17.2f}s" if git_verifies is not None else f"{'（未测）':>16}"
            print(
                f"{count:>6} {git_log:>8.2f}s {in_process:>11.2f}s {command:>11.2f}s {timeline:>8.2f}s"
                f" {compared}   （构造仓库 {built:.1f}s）"
            )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [500])
