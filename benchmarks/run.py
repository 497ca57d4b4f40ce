"""resumesync's benchmark: `python -m benchmarks.run [--latency 0.05] [--runs 3]`.

Runs the scenarios of benchmarks.scenarios against the sandbox with injected latency and
prints one table: requests made and their lower bound, wall time and its latency bound, CPU
time and peak memory, and whether each row meets its targets (see benchmarks/README.md).

Each measured run is a fresh process (benchmarks.worker, or the `resumesync` command for the
cold rows): its CPU time (getrusage via wait4) and peak RSS (its VmHWM, see benchmarks.peak)
are resumesync's alone.
The sandbox serves from this process, in threads, with a fresh copy of the accounts per run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):  # `python benchmarks/run.py`: make the package importable
    sys.path.insert(0, str(ROOT))

from benchmarks import scenarios, workloads  # noqa: E402
from benchmarks.peak import RUN_AND_REPORT, parse_vmhwm  # noqa: E402
from resumesync.sandbox import (  # noqa: E402
    SandboxConfig,
    running_sandbox,
)

UNLIMITED_RPS = 1e6  # "rate limit lifted": the client's own speed is measured
DEFAULT_RPS = 10.0  # the client's default rate limit
PARALLELISM = 8  # the client's default
WALL_RATIO = 1.3  # plans and applies: wall time at most 1.3 x the latency bound (at 50 ms)
HELP_SECONDS = 0.150
VALIDATE_SECONDS = 0.400
PLANNER_CPU_SECONDS = 1.0
PEAK_MB = 100.0
EXAMPLE = ROOT / "examples" / "basic"
WORKER = [sys.executable, "-m", "benchmarks.worker"]


@dataclass
class Row:
    name: str
    wall: float
    cpu: float
    peak_mb: float
    requests: int | None = None
    lower: int | None = None
    chain: int | None = None
    bound: float | None = None  # seconds: start-up + network floor
    load: float | None = None
    sandbox_cpu: float | None = None
    misses: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float | None:
        return self.wall / self.bound if self.bound else None

    def check(self, ok: bool, miss: str) -> None:
        if not ok:
            self.misses.append(miss)


@dataclass(frozen=True)
class Child:
    """A finished child process: its stdout, wall time and CPU time (user + system)."""

    stdout: str
    wall: float
    cpu: float


def run_child(argv: Sequence[str], *, capture: bool = True) -> Child:
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    started = time.perf_counter()
    process = subprocess.Popen(
        argv,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": path},
        stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
    )
    stdout = process.stdout.read().decode() if process.stdout else ""
    _, status, usage = os.wait4(process.pid, 0)  # this child's own rusage, not the sum
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(argv[:5])} ... exited with {process.returncode}")
    return Child(stdout, wall, usage.ru_utime + usage.ru_stime)


def best_of(runs: int, argv: Sequence[str]) -> Child:
    return min((run_child(argv, capture=False) for _ in range(runs)), key=lambda c: c.wall)


def peak_of(argv: Sequence[str]) -> float:
    """Peak RSS (MiB) of `python SCRIPT ARGS...` (argv), run once more under RUN_AND_REPORT."""
    with tempfile.TemporaryDirectory() as temp:
        out = Path(temp) / "vmhwm"
        run_child([sys.executable, "-c", RUN_AND_REPORT, str(out), *argv[1:]], capture=False)
        peak = parse_vmhwm(out.read_text())
    if peak is None:
        raise RuntimeError("no VmHWM in /proc/self/status")
    return peak


# --- the rows -----------------------------------------------------------------------------------


START_UP = [sys.executable, "-c", "import resumesync.cli"]
PLAN_IMPORTS = "import resumesync.cli, resumesync.pipeline"


def startup_seconds(runs: int) -> float:
    """Process start-up, measured once per benchmark (best of `runs`)."""
    return best_of(runs, START_UP).wall


@dataclass(frozen=True)
class NetworkRun:
    result: dict[str, Any]  # worker.TargetsResult as JSON
    child: Child
    served: int  # requests the sandbox answered
    sandbox_cpu: float  # CPU time of this process (the sandbox's threads) meanwhile


def run_targets(
    scenario: scenarios.Scenario,
    built: list[scenarios.BuiltAccount],
    directory: Path,
    *,
    latency: float,
    max_rps: float,
) -> NetworkRun:
    """One run in a fresh worker against a fresh sandbox (applies change the accounts)."""
    config = SandboxConfig(
        accounts={item.work.token: item.account for item in built}, latency=latency, seed=0
    )
    with running_sandbox(config) as sandbox:
        spec = {
            "url": sandbox.url,
            "targets": [
                {"token": item.work.token, "directory": str(directory / f"account-{index}")}
                for index, item in enumerate(built)
            ],
            "apply": scenario.apply,
            "force": scenario.force,
            "max_rps": max_rps,
            "parallelism": PARALLELISM,
        }
        cpu = time.process_time()
        child = run_child([*WORKER, "targets", json.dumps(spec)])
        sandbox_cpu = time.process_time() - cpu
        served = len(sandbox.requests)
        if sandbox.internal_errors:
            raise RuntimeError(f"sandbox error: {sandbox.internal_errors[0]}")
    result = json.loads(child.stdout)
    if result["failed"]:
        raise RuntimeError(f"changes did not apply: {result['failed'][:3]}")
    expected = sum(work.writes() for work in scenario.accounts)
    if result["changes"] != expected:
        raise RuntimeError(f"the plan has {result['changes']} changes, expected {expected}")
    return NetworkRun(result, child, served, sandbox_cpu)


def network_row(
    name: str,
    scenario: scenarios.Scenario,
    runs: list[NetworkRun],
    *,
    latency: float,
    startup: float,
    max_rps: float | None,
) -> Row:
    bounds = workloads.bounds(
        scenario.accounts, apply=scenario.apply, parallelism=PARALLELISM, max_rps=max_rps
    )
    best = min(runs, key=lambda run: run.result["wall_seconds"])
    row = Row(
        name=name,
        wall=startup + best.result["wall_seconds"],
        cpu=best.result["cpu_seconds"],
        peak_mb=max(run.result["process_peak_mb"] for run in runs),
        requests=max(run.served for run in runs),
        lower=bounds.requests,
        chain=bounds.chain,
        bound=startup + bounds.network_seconds(latency),
        load=best.result["load_seconds"],
        sandbox_cpu=best.sandbox_cpu,
    )
    counts = {run.served for run in runs} | {run.result["client_requests"] for run in runs}
    row.check(counts == {bounds.requests}, f"requests {sorted(counts)} != {bounds.requests}")
    ratio = row.ratio or 0.0
    row.check(ratio <= WALL_RATIO, f"wall {ratio:.2f}x > {WALL_RATIO}x")
    check_memory(row)
    return row


def cold_row(name: str, argv: list[str], limit: float, runs: int) -> Row:
    """`python SCRIPT ARGS` (argv): best wall of `runs` cold runs; peak from one more run."""
    child = best_of(runs, argv)
    row = Row(name=name, wall=child.wall, cpu=child.cpu, peak_mb=peak_of(argv))
    row.check(child.wall < limit, f"wall {child.wall * 1000:.0f} ms >= {limit * 1000:.0f} ms")
    check_memory(row)
    return row


def planner_row(runs: int) -> Row:
    """Peak memory here is tracemalloc's while planning (inputs included): the worker's RSS
    would mostly be the synthetic account it renders the live documents from."""
    results = [json.loads(run_child([*WORKER, "planner", "{}"]).stdout) for _ in range(runs)]
    best = min(results, key=lambda result: result["cpu_seconds"])
    expected = scenarios.PLANNER_WORK.writes()
    row = Row(
        name="planner only: 100 resumes x 2 lists of 2000 (peak: tracemalloc)",
        wall=best["wall_seconds"],
        cpu=best["cpu_seconds"],
        peak_mb=max(result["traced_peak_mb"] for result in results),
    )
    row.check(best["changes"] == expected, f"{best['changes']} changes, expected {expected}")
    row.check(
        row.cpu < PLANNER_CPU_SECONDS,
        f"CPU {row.cpu:.2f} s >= {PLANNER_CPU_SECONDS:.0f} s",
    )
    check_memory(row)
    return row


def check_memory(row: Row) -> None:
    row.check(row.peak_mb < PEAK_MB, f"peak {row.peak_mb:.0f} MB >= {PEAK_MB:.0f} MB")


# --- output -------------------------------------------------------------------------------------

HEADER = (
    "scenario",
    "requests",
    "lower",
    "chain",
    "wall s",
    "bound s",
    "ratio",
    "CPU s",
    "peak MB",
    "load s",
    "sbx CPU s",
    "targets",
)


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs ({model}), Python {platform.python_version()}"


def table(rows: list[Row]) -> str:
    def number(value: float | None, spec: str) -> str:
        return "-" if value is None else format(value, spec)

    cells = [
        (
            row.name,
            number(row.requests, "d"),
            number(row.lower, "d"),
            number(row.chain, "d"),
            number(row.wall, ".3f"),
            number(row.bound, ".3f"),
            number(row.ratio, ".2f"),
            number(row.cpu, ".3f"),
            number(row.peak_mb, ".1f"),
            number(row.load, ".3f"),
            number(row.sandbox_cpu, ".3f"),
            "PASS" if not row.misses else "MISS: " + "; ".join(row.misses),
        )
        for row in rows
    ]
    widths = [max(len(line[i]) for line in [HEADER, *cells]) for i in range(len(HEADER))]
    last = len(HEADER) - 1

    def line(values: Sequence[str]) -> str:
        padded = [
            value.ljust(width) if i in (0, last) else value.rjust(width)
            for i, (value, width) in enumerate(zip(values, widths, strict=True))
        ]
        return "  ".join(padded).rstrip()

    return "\n".join([line(HEADER), "-" * len(line(HEADER)), *(line(c) for c in cells)])


def legend(runs: int, cold_runs: int) -> list[str]:
    return [
        f"best of {runs} runs per row ({cold_runs} for cold commands and start-up, 1 at the "
        "default rate limit); requests: what the sandbox served (every run, and the clients' "
        "own count, agree unless the row says so)",
        "chain: the longest run of requests that wait for one another (from first principles, "
        "see benchmarks/workloads.py)",
        "wall: start-up + the plan / apply phase (clients opened, every request, clients "
        "closed); load: reading and validating the files before it, not in wall",
        "bound: start-up + max(latency x chain, latency x requests / parallelism"
        "[, requests / rate]); target: wall <= 1.3 x bound (defined at 50 ms)",
        "CPU: the worker process's CPU time in the phase (cold rows: the whole process); "
        "sbx CPU: the sandbox's CPU time meanwhile (it shares one GIL, see README)",
        "peak: the measured process's peak RSS (its own VmHWM, interpreter included; the "
        f"planner row: tracemalloc); targets: requests = lower, peak < {PEAK_MB:.0f} MB, --help < "
        f"{HELP_SECONDS * 1000:.0f} ms, validate < {VALIDATE_SECONDS * 1000:.0f} ms, "
        f"planner CPU < {PLANNER_CPU_SECONDS:.0f} s",
    ]


# --- main ---------------------------------------------------------------------------------------

ROWS = ("1", "2", "rate", "3", "4", "5", "planner")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run", description="resumesync's benchmark (see README)."
    )
    parser.add_argument(
        "--latency",
        type=float,
        default=0.05,
        help="seconds the sandbox adds to every request (default 0.05)",
    )
    parser.add_argument(
        "--runs", type=int, default=3, help="runs per row, the best is shown (default 3)"
    )
    parser.add_argument(
        "--cold-runs",
        type=int,
        default=5,
        help="runs of each cold command and of the start-up (default 5)",
    )
    parser.add_argument(
        "--only",
        default=",".join(ROWS),
        help=f"rows to run, comma-separated (default: all of {','.join(ROWS)}); "
        "`rate` is scenario 2 at the default rate limit (about 85 s)",
    )
    parser.add_argument(
        "--json", type=Path, help="also write the rows to this file as JSON (for comparisons)"
    )
    args = parser.parse_args(argv)
    unknown = set(args.only.split(",")) - set(ROWS)
    if unknown:
        parser.error(f"unknown rows: {', '.join(sorted(unknown))}")
    return args


def network_rows(
    chosen: set[str], args: argparse.Namespace, startup: float, temp: Path
) -> tuple[list[Row], list[str]]:
    rows: list[Row] = []
    notes: list[str] = []
    for key, scenario in scenarios.SCENARIOS.items():
        wanted: list[tuple[str, float | None]] = []
        if key in chosen:
            wanted.append((f"{key}. {scenario.title}", None))
        if key == "2" and "rate" in chosen:
            wanted.append((f"{key}. same, default rate limit ({DEFAULT_RPS:g} rps)", DEFAULT_RPS))
        if not wanted:
            continue
        built = [scenarios.build_account(work) for work in scenario.accounts]
        directory = temp / f"scenario-{key}"
        for index, item in enumerate(built):
            scenarios.write_repository(item, directory / f"account-{index}")
        for name, max_rps in wanted:
            print(f"running {name} ...", flush=True)
            runs = [
                run_targets(
                    scenario,
                    built,
                    directory,
                    latency=args.latency,
                    max_rps=max_rps or UNLIMITED_RPS,
                )
                for _ in range(1 if max_rps else args.runs)
            ]
            rows.append(
                network_row(
                    name, scenario, runs, latency=args.latency, startup=startup, max_rps=max_rps
                )
            )
        if scenario.note:
            notes.append(f"scenario {key}: {scenario.note}")
    return rows, notes


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    chosen = set(args.only.split(","))
    started = time.perf_counter()
    print(f"machine: {machine()}")
    startup = startup_seconds(args.cold_runs)
    print(
        f"process start-up (python -c 'import resumesync.cli', best of {args.cold_runs}): "
        f"{startup * 1000:.0f} ms"
    )
    imports = best_of(args.cold_runs, [*START_UP[:2], PLAN_IMPORTS]).wall - startup
    print(
        f"(plan and apply also import resumesync.pipeline: {imports * 1000:+.0f} ms more, "
        "counted in neither wall nor bound)"
    )
    print(
        f"sandbox latency {args.latency * 1000:g} ms per request; client parallelism "
        f"{PARALLELISM}; rate limit lifted (max_rps {UNLIMITED_RPS:g}) unless the row says",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="resumesync-bench-") as temp:
        rows, notes = network_rows(chosen, args, startup, Path(temp))
    if "5" in chosen:
        print("running 5. cold commands ...", flush=True)
        command = resumesync_command()
        rows.append(
            cold_row(
                "5a. resumesync --help (cold)", [*command, "--help"], HELP_SECONDS, args.cold_runs
            )
        )
        validate = [*command, "validate", "--dir", str(EXAMPLE)]
        rows.append(
            cold_row(
                "5b. resumesync validate examples/basic (cold)",
                validate,
                VALIDATE_SECONDS,
                args.cold_runs,
            )
        )
    if "planner" in chosen:
        print("running planner only ...", flush=True)
        rows.append(planner_row(args.runs))
    print()
    print(table(rows))
    print()
    for note in [*notes, *legend(args.runs, args.cold_runs)]:
        print(f"* {note}")
    if args.json:
        document = {
            "machine": machine(),
            "latency": args.latency,
            "startup_seconds": startup,
            "rows": [{**asdict(row), "ratio": row.ratio} for row in rows],
        }
        args.json.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    missed = [row.name for row in rows if row.misses]
    print(f"\n{len(rows) - len(missed)} of {len(rows)} rows meet their targets", end="")
    print(f" (took {time.perf_counter() - started:.0f} s)")


def resumesync_command() -> list[str]:
    """`python SCRIPT`: the `resumesync` script of this interpreter's environment (what users
    run, without a version manager's shim in front), or resumesync/cli.py if not installed."""
    script = Path(sys.executable).parent / "resumesync"
    if not script.is_file():
        script = ROOT / "resumesync" / "cli.py"
    return [sys.executable, str(script)]


if __name__ == "__main__":
    main()
