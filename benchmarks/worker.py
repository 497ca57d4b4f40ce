"""One measured run, in a process of its own: `python -m benchmarks.worker MODE SPEC_JSON`.

The driver (benchmarks.run) starts this process per run so that its CPU time and peak memory
are those of resumesync alone: the sandbox serves from the driver's process, on another core
and under another GIL. One line of JSON on stdout says what was measured, with the process's
peak RSS (`process_peak_mb`, see benchmarks.peak).

    targets  {"url", "targets": [{"token", "directory"}], "apply", "force", "max_rps",
              "parallelism"}: load every repository, then plan (and apply) every account
              concurrently, one HHClient each, in one pipeline.Session (one event loop), as
              `resumesync apply --yes` does
    planner  {}: planner.build_plan on scenarios.PLANNER_WORK, built in memory: its CPU
              time, then its tracemalloc peak (a second call, as tracing slows it)
"""

from __future__ import annotations

import json
import sys
import time
import tracemalloc
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from benchmarks.peak import own_peak_mb
from resumesync import pipeline
from resumesync.applier import Outcome
from resumesync.planner import build_plan
from resumesync.settings import Settings

T = TypeVar("T")


@dataclass(frozen=True)
class Target:
    token: str
    directory: str


@dataclass(frozen=True)
class TargetsSpec:
    url: str
    targets: list[Target]
    apply: bool
    force: bool
    max_rps: float
    parallelism: int

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TargetsSpec:
        return cls(**{**data, "targets": [Target(**item) for item in data["targets"]]})


@dataclass(frozen=True)
class TargetsResult:
    load_seconds: float  # reading and validating the files (before the first request)
    wall_seconds: float  # plan (and apply) of every account, clients opened and closed
    cpu_seconds: float  # CPU time of this process during that
    client_requests: int  # the clients' own count (HHClient.request_count)
    client_attempts: int  # retries included
    changes: int  # changes planned, over every account
    failed: list[str]  # apply outcomes that are not "done", described


def run_targets(spec: TargetsSpec) -> TargetsResult:
    """What the driver measures; also called in-process by the smoke test.

    As `resumesync apply --yes` runs profiles: one pipeline.Session, every account planned
    concurrently (one HHClient each), then every plan with changes applied with the same
    clients."""
    started = time.perf_counter()
    jobs = [
        (pipeline.load(Path(target.directory), {}), _settings(spec, target))
        for target in spec.targets
    ]
    loaded = time.perf_counter()
    cpu = time.process_time()
    failed: list[str] = []
    with pipeline.Session() as session:
        planned = [_ok(result) for result in session.plan(jobs, force=spec.force)]
        if spec.apply:
            changed = [
                (result.plan, desired, settings)
                for result, (desired, settings) in zip(planned, jobs, strict=True)
                if result.plan.has_changes
            ]
            for outcome in session.apply(changed):
                failed += [
                    item.line()
                    for item in _ok(outcome).outcomes
                    if item.outcome is not Outcome.DONE
                ]
        clients = [session.client(settings) for _, settings in jobs]
    cpu = time.process_time() - cpu
    finished = time.perf_counter()
    return TargetsResult(
        load_seconds=loaded - started,
        wall_seconds=finished - loaded,
        cpu_seconds=cpu,
        client_requests=sum(client.request_count for client in clients),
        client_attempts=sum(client.attempt_count for client in clients),
        changes=sum(len(result.plan.changes) for result in planned),
        failed=failed,
    )


def _settings(spec: TargetsSpec, target: Target) -> Settings:
    return Settings(
        directory=Path(target.directory),
        token=target.token,
        api_url=spec.url,
        max_rps=spec.max_rps,
        parallelism=spec.parallelism,
    )


def _ok(result: T | Exception) -> T:
    if isinstance(result, Exception):
        raise result
    return result


@dataclass(frozen=True)
class PlannerResult:
    cpu_seconds: float
    wall_seconds: float
    changes: int
    inputs_mb: float  # the two states, as tracemalloc counts them
    traced_peak_mb: float  # tracemalloc's peak while planning: inputs + what planning allocates


def run_planner() -> PlannerResult:
    """build_plan timed untraced, then again under tracemalloc (which slows it) for memory."""
    from benchmarks import scenarios  # it imports the sandbox: not in the `targets` runs

    built = scenarios.build_account(scenarios.PLANNER_WORK)
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
    if mode == "targets":
        result: Any = run_targets(TargetsSpec.from_json(data))
    elif mode == "planner":
        result = run_planner()
    else:
        raise SystemExit(f"unknown mode {mode!r}")
    print(json.dumps({**asdict(result), "process_peak_mb": own_peak_mb()}), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
