"""One measured run, in a process of its own: `python -m benchmarks.worker MODE SPEC_JSON`.

The driver (benchmarks.run) starts this process per run so that its CPU time and peak memory
are those of resumesync alone: the sandbox serves from the driver's process, on another core
and under another GIL. One line of JSON on stdout says what was measured, with the process's
peak RSS (`process_peak_mb`, see benchmarks.peak).

    targets  {"url", "targets": [{"token", "directory"}], "apply", "force", "max_rps",
              "parallelism"}: load every repository, then plan (and apply) every account
              concurrently, one HHClient each, in one event loop
    planner  {}: planner.build_plan on scenarios.PLANNER_WORK, built in memory: its CPU
              time, then its tracemalloc peak (a second call, as tracing slows it)
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
import tracemalloc
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.peak import own_peak_mb
from resumesync import pipeline
from resumesync.applier import Outcome
from resumesync.client import ClientSettings, HHClient
from resumesync.model import DesiredState
from resumesync.planner import build_plan


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


@dataclass(frozen=True)
class _Account:
    requests: int
    attempts: int
    changes: int
    failed: list[str]


async def _run_account(spec: TargetsSpec, token: str, desired: DesiredState) -> _Account:
    """Plan, then apply, with one client (as pipeline.apply_async is meant to be used; the
    command line's `apply` opens a second client for the apply)."""
    settings = ClientSettings(
        base_url=spec.url, token=token, max_rps=spec.max_rps, parallelism=spec.parallelism
    )
    async with HHClient(settings) as client:
        result = await pipeline.plan_async(desired, client, force=spec.force)
        failed: list[str] = []
        if spec.apply and result.plan.has_changes:
            outcome = await pipeline.apply_async(result.plan, desired, client)
            failed = [item.line() for item in outcome.outcomes if item.outcome is not Outcome.DONE]
        return _Account(
            client.request_count, client.attempt_count, len(result.plan.changes), failed
        )


async def run_targets(spec: TargetsSpec) -> TargetsResult:
    """What the driver measures; also called in-process by the smoke test."""
    started = time.perf_counter()
    states = [pipeline.load(Path(target.directory), {}) for target in spec.targets]
    loaded = time.perf_counter()
    cpu = time.process_time()
    accounts = await asyncio.gather(
        *(_run_account(spec, t.token, d) for t, d in zip(spec.targets, states, strict=True))
    )
    cpu = time.process_time() - cpu
    finished = time.perf_counter()
    return TargetsResult(
        load_seconds=loaded - started,
        wall_seconds=finished - loaded,
        cpu_seconds=cpu,
        client_requests=sum(account.requests for account in accounts),
        client_attempts=sum(account.attempts for account in accounts),
        changes=sum(account.changes for account in accounts),
        failed=[line for account in accounts for line in account.failed],
    )


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
        result: Any = asyncio.run(run_targets(TargetsSpec.from_json(data)))
    elif mode == "planner":
        result = run_planner()
    else:
        raise SystemExit(f"unknown mode {mode!r}")
    print(json.dumps({**asdict(result), "process_peak_mb": own_peak_mb()}), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
