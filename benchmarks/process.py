"""Cold processes, measured from outside as `time` would: wall from exec to exit, CPU time
(user + system, from wait4), peak RSS (reported by the process itself, see
benchmarks/peakhook) and, in a separate run under `-X importtime`, the time spent importing.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmarks.peak import parse_vmhwm

ROOT = Path(__file__).resolve().parent.parent
PEAK_HOOK = Path(__file__).resolve().parent / "peakhook"
PYTHON = sys.executable


@dataclass(frozen=True)
class Child:
    """A finished child process."""

    stdout: str
    stderr: str
    wall: float  # seconds from exec to exit
    cpu: float  # user + system seconds
    peak_mb: float  # its own VmHWM, MiB
    code: int


def resumesync_command() -> list[str]:
    """`python SCRIPT`: the `resumesync` script of this interpreter's environment (what users
    run, without a version manager's shim in front), or resumesync/cli.py if not installed."""
    script = Path(PYTHON).parent / "resumesync"
    if not script.is_file():
        script = ROOT / "resumesync" / "cli.py"
    return [PYTHON, str(script)]


def child_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of a measured process: no PYTHONPATH of ours (it imports resumesync as
    installed), no HH_* settings from the caller's shell, the peak hook on the path."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("HH_", "PYTHON")) and key != "NO_COLOR"
    }
    env["PYTHONPATH"] = str(PEAK_HOOK)
    env.update(extra or {})
    return env


def run(
    argv: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    expect: Sequence[int] = (0,),
) -> Child:
    """Runs `argv` to its end; its output goes to files (not pipes the driver would have to
    drain while timing), its rusage comes from wait4 (this child's own, not a sum)."""
    with tempfile.TemporaryDirectory(prefix="resumesync-run-") as temp:
        folder = Path(temp)
        peak_file = folder / "vmhwm"
        full_env = child_env({**(env or {}), "RESUMESYNC_BENCH_PEAK_FILE": str(peak_file)})
        with open(folder / "out", "wb") as out, open(folder / "err", "wb") as err:
            started = time.perf_counter()
            process = subprocess.Popen(
                argv, cwd=cwd or folder, env=full_env, stdout=out, stderr=err
            )
            _, status, usage = os.wait4(process.pid, 0)
            wall = time.perf_counter() - started
        process.returncode = code = os.waitstatus_to_exitcode(status)
        stdout = (folder / "out").read_text(errors="replace")
        stderr = (folder / "err").read_text(errors="replace")
        peak = parse_vmhwm(peak_file.read_text()) if peak_file.exists() else None
    if code not in expect:
        raise RuntimeError(f"{' '.join(argv[:6])} ... exited with {code}:\n{stderr[-2000:]}")
    return Child(stdout, stderr, wall, usage.ru_utime + usage.ru_stime, peak or 0.0, code)


def import_seconds(
    argv: Sequence[str], *, env: Mapping[str, str] | None = None, expect: Sequence[int] = (0,)
) -> float:
    """Seconds spent importing in one run of `argv` (a Python command), from `-X importtime`:
    the cumulative time of every top-level import, the interpreter's own start-up imports
    (site, encodings) included."""
    child = run([argv[0], "-X", "importtime", *argv[1:]], env=env, expect=expect)
    return sum_importtime(child.stderr)


def sum_importtime(stderr: str) -> float:
    total = 0
    for line in stderr.splitlines():
        if not line.startswith("import time:"):
            continue
        parts = line.split("|")
        if len(parts) != 3 or not parts[1].strip().isdigit():
            continue  # the header line
        name = parts[2]
        if name.startswith(" ") and not name.startswith("  "):  # a top-level import
            total += int(parts[1])
    return total / 1e6
