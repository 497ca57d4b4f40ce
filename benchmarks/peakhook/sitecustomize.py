"""Loaded by `site` in every process the benchmark measures (benchmarks/peakhook is on their
PYTHONPATH): at exit, the process writes its own peak RSS (the VmHWM line of
/proc/self/status) to the file named by RESUMESYNC_BENCH_PEAK_FILE.

The driver cannot read it with wait4: Linux carries the high-water mark across `exec`, so a
child would report the driver's RSS (it holds the sandbox's accounts). The bare-interpreter
bounds load this module too, so its tiny cost is on both sides of every ratio.
"""

import atexit
import os

_OUT = os.environ.get("RESUMESYNC_BENCH_PEAK_FILE")


def _report() -> None:
    with open("/proc/self/status") as status, open(_OUT, "w") as report:  # type: ignore[arg-type]
        report.write("".join(line for line in status if line.startswith("VmHWM")))


if _OUT and os.path.exists("/proc/self/status"):
    atexit.register(_report)
