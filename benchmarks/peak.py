"""Peak memory of a measured process: VmHWM of /proc/self/status, read by the process itself.

Not getrusage's ru_maxrss of the child: Linux carries the high-water mark over `exec`, so a
child forked from the driver (which holds the sandbox's accounts) would report the driver's
RSS. VmHWM belongs to the memory map that `exec` created, so it is the process's own.
"""

from __future__ import annotations

import resource
import sys
from pathlib import Path

STATUS = Path("/proc/self/status")

# `python -c RUN_AND_REPORT OUT SCRIPT ARGS...`: runs SCRIPT as `python SCRIPT ARGS...` would,
# then writes its VmHWM line to OUT (also when the script exits with SystemExit, as click does).
RUN_AND_REPORT = """
import runpy, sys
out, sys.argv = sys.argv[1], sys.argv[2:]
try:
    runpy.run_path(sys.argv[0], run_name="__main__")
finally:
    with open("/proc/self/status") as status, open(out, "w") as report:
        report.write("".join(line for line in status if line.startswith("VmHWM")))
"""


def parse_vmhwm(text: str) -> float | None:
    """MiB from a `VmHWM:  12345 kB` line; None when there is none."""
    for line in text.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return None


def own_peak_mb() -> float:
    """This process's peak RSS in MiB (ru_maxrss where /proc is missing)."""
    try:
        peak = parse_vmhwm(STATUS.read_text())
    except OSError:
        peak = None
    if peak is not None:
        return peak
    divisor = 2**20 if sys.platform == "darwin" else 2**10  # bytes on macOS, KiB elsewhere
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / divisor
