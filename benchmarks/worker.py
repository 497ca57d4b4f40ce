"""In-process measurements, each in a fresh process: `python -m benchmarks.worker MODE SPEC`.

The driver (benchmarks.run) times whole `resumesync` commands from outside; what it cannot see
from there is measured here, in a process of its own so that its CPU time and peak memory are
resumesync's alone. One line of JSON on stdout says what was measured, with the process's peak
RSS (`process_peak_mb`, see benchmarks.peak).

    load     {"directory"}: files.read_repository (reading, parsing, validating the files),
             after the imports: its wall and CPU time
    planner  {"resumes", "size"}: planner.build_plan on scenarios.planner_work(...), built
             in memory: its CPU time, then its tracemalloc peak (a second call, as tracing slows it)
    client   {"url", "requests", "rounds", "profile"}: CPU per request of each layer of the
             HTTP stack against benchmarks.clientcpu's server (and a profile of HHClient's)
"""

from __future__ import annotations

import json
import sys
import time
import tracemalloc
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.peak import own_peak_mb


@dataclass(frozen=True)
class LoadResult:
    load_seconds: float
    load_cpu_seconds: float
    resumes: int


def run_load(directory: Path) -> LoadResult:
    from resumesync import files

    started, cpu = time.perf_counter(), time.process_time()
    repository = files.read_repository(directory, {})
    cpu, wall = time.process_time() - cpu, time.perf_counter() - started
    return LoadResult(wall, cpu, len(repository.state.resumes))


@dataclass(frozen=True)
class PlannerResult:
    cpu_seconds: float
    wall_seconds: float
    changes: int
    inputs_mb: float  # the two states, as tracemalloc counts them
    traced_peak_mb: float  # tracemalloc's peak while planning: inputs + what planning allocates


def run_planner(resumes: int = 100, size: int = 2000) -> PlannerResult:
    """build_plan timed untraced, then again under tracemalloc (which slows it) for memory."""
    from benchmarks import scenarios
    from resumesync.planner import build_plan

    built = scenarios.build_account(scenarios.planner_work(resumes, size))
    now = datetime.now(UTC)
    desired, live = scenarios.in_memory_states(built)
    started, cpu = time.perf_counter(), time.process_time()
    plan = build_plan(desired, live, now=now)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - started
    del desired, live
    tracemalloc.start()
    try:
        desired, live = scenarios.in_memory_states(built)
        inputs, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        build_plan(desired, live, now=now)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return PlannerResult(
        cpu_seconds=cpu,
        wall_seconds=wall,
        changes=len(plan.changes),
        inputs_mb=inputs / 2**20,
        traced_peak_mb=peak / 2**20,
    )


def main(argv: list[str]) -> None:
    mode, text = argv
    data = json.loads(text)
    result: dict[str, Any]
    if mode == "load":
        result = asdict(run_load(Path(data["directory"])))
    elif mode == "planner":
        result = asdict(run_planner(data.get("resumes", 100), data.get("size", 2000)))
    elif mode == "client":
        from benchmarks import clientcpu

        layers = clientcpu.measure(data["url"], data["requests"], rounds=data.get("rounds", 3))
        result = {"layers": [asdict(layer) for layer in layers]}
        if data.get("profile"):
            result["profile"] = clientcpu.profile(data["url"], data["requests"])
    else:
        raise SystemExit(f"unknown mode {mode!r}")
    print(json.dumps({**result, "process_peak_mb": own_peak_mb()}), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
