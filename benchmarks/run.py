"""resumesync's benchmark: `python -m benchmarks.run [--latency 0.05] [--runs 3] [--only ...]`.

Every row times whole cold processes from exec to exit, as `time resumesync plan` would, and
compares them with a bound measured in the same run, side by side (the runs of a row and of
its bound are interleaved): a bare interpreter (`python -c pass`) plus the network floor for
the rows that talk to the API, `python -c "import click"` for `--help`, and
`python -c "import yaml, jsonschema, click"` for `validate`. Import time is its own column
(from one more run under `-X importtime`). See benchmarks/README.md.
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
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):  # `python benchmarks/run.py`: make the package importable
    sys.path.insert(0, str(ROOT))

from benchmarks import process, scenarios, workloads  # noqa: E402
from benchmarks.process import PYTHON, Child, resumesync_command  # noqa: E402

UNLIMITED_RPS = 1e6  # "rate limit lifted": the client's own speed is measured
DEFAULT_RPS = 10.0  # the client's default rate limit
PARALLELISM = 8  # the client's default
PLAN_RATIO = 1.3  # no-op plan and apply: wall <= 1.3 x (python -c pass + network floor)
VALIDATE_RATIO = 1.5  # validate examples/basic <= 1.5 x python -c "import yaml, jsonschema, click"
HELP_RATIO = 1.2  # --help <= 1.2 x python -c "import click"
RATE_RATIO = 1.05  # at the default rate limit: wall = requests / rate (within 5 %)
LOAD_SECONDS = 1.0  # agency scale: files loaded in under 1 s
PEAK_MB = 150.0  # agency scale: peak RSS
LINEAR = 1.15  # agency scale: CPU per request at 500 resumes <= 1.15 x at 100
CLIENT_MS = 1.0  # CPU per request of HHClient at zero latency
EXAMPLE = ROOT / "examples" / "basic"
BOOT = (
    f"import sys; sys.path.append({str(ROOT)!r}); "  # after site-packages: resumesync as installed
    "from benchmarks.{module} import main; main(sys.argv[1:])"
)


def boot(module: str) -> list[str]:
    return [PYTHON, "-c", BOOT.format(module=module)]


@dataclass
class Row:
    name: str
    walls: list[float]  # every measured run
    bound: float | None = None  # seconds
    bound_of: str = ""
    target: float | None = None  # the largest acceptable wall / bound
    imports: float | None = None  # seconds spent importing (one -X importtime run)
    cpu: float | None = None  # of the best run
    peak_mb: float | None = None  # the largest of every run
    requests: int | None = None
    floor: int | None = None
    load: float | None = None  # wall seconds of files.read_repository in a fresh process
    load_cpu: float | None = None  # its CPU seconds (what the target judges: see legend)
    misses: list[str] = field(default_factory=list)

    @property
    def wall(self) -> float:
        return min(self.walls)

    @property
    def ratio(self) -> float | None:
        return self.wall / self.bound if self.bound else None

    @property
    def spread(self) -> str:
        if not self.bound or len(self.walls) < 2:
            return "-"
        return f"{min(self.walls) / self.bound:.2f}-{max(self.walls) / self.bound:.2f}"

    def check(self, ok: bool, miss: str) -> None:
        if not ok:
            self.misses.append(miss)

    def check_ratio(self) -> None:
        if self.target is not None and self.ratio is not None:
            self.check(self.ratio <= self.target, f"wall {self.ratio:.2f}x > {self.target}x")


def best(children: list[Child]) -> Child:
    return min(children, key=lambda child: child.wall)


# --- cold commands without the network ----------------------------------------------------------


def bare(code: str) -> list[str]:
    return [PYTHON, "-c", code]


def cold_row(name: str, argv: list[str], bound_code: str, target: float, runs: int) -> Row:
    """`argv` and its bound, interleaved `runs` times each; the best of each is compared."""
    rows, bounds = [], []
    for _ in range(runs):
        bounds.append(process.run(bare(bound_code)))
        rows.append(process.run(argv))
    top = best(rows)
    row = Row(
        name,
        [child.wall for child in rows],
        bound=best(bounds).wall,
        bound_of=f'python -c "{bound_code}"',
        target=target,
        imports=process.import_seconds(argv),
        cpu=top.cpu,
        peak_mb=max(child.peak_mb for child in rows),
    )
    row.check_ratio()
    return row


# --- commands against the sandbox ---------------------------------------------------------------


@dataclass(frozen=True)
class Prepared:
    scenario: scenarios.Scenario
    built: scenarios.BuiltAccount
    directory: Path

    @property
    def token(self) -> str:
        return self.built.work.token


def prepare(key: str, temp: Path) -> Prepared:
    scenario = scenarios.SCENARIOS[key]
    (work,) = scenario.accounts  # one account per scenario: one token, one `resumesync` run
    built = scenarios.build_account(work)
    directory = scenarios.write_repository(built, temp / key)
    return Prepared(scenario, built, directory)


def command(prepared: Prepared, max_rps: float) -> list[str]:
    scenario = prepared.scenario
    verb = ["apply", "--yes"] if scenario.apply else ["plan"]
    force = ["--force"] if scenario.force else []
    rate = ["--max-rps", f"{max_rps:g}"]
    return [*resumesync_command(), *verb, *force, "--dir", str(prepared.directory), *rate]


@contextmanager
def sandboxed(prepared: Prepared, latency: float) -> Iterator[Any]:
    """A fresh sandbox (applies change its account), serving from this process's threads."""
    from resumesync.sandbox import SandboxConfig, running_sandbox

    config = SandboxConfig(accounts={prepared.token: prepared.built.account}, latency=latency)
    with running_sandbox(config) as sandbox:
        yield sandbox
        if sandbox.internal_errors:
            raise RuntimeError(f"sandbox error: {sandbox.internal_errors[0]}")


def against_sandbox(
    prepared: Prepared, argv: list[str], latency: float, *, importtime: bool = False
) -> tuple[Child, int, float]:
    """One run: the child, the requests the sandbox served, seconds spent importing."""
    with sandboxed(prepared, latency) as sandbox:
        env = {"HH_TOKEN": prepared.token, "HH_API_URL": sandbox.url}
        if importtime:
            child = process.run([argv[0], "-X", "importtime", *argv[1:]], env=env)
        else:
            child = process.run(argv, env=env)
        served = sandbox.requests
    writes = sum(entry.method != "GET" for entry in served)
    expected = prepared.built.work.writes()
    if writes != expected or (not prepared.scenario.apply and "No changes" not in child.stdout):
        raise RuntimeError(f"{writes} writes, expected {expected}:\n{child.stdout[-2000:]}")
    imports = process.sum_importtime(child.stderr) if importtime else 0.0
    return child, len(served), imports


def network_row(
    prepared: Prepared,
    *,
    latency: float,
    max_rps: float,
    runs: int,
    startup: float,
    target: float,
    name: str | None = None,
) -> Row:
    scenario = prepared.scenario
    rate = max_rps if max_rps < UNLIMITED_RPS else None
    bounds = workloads.bounds(
        scenario.accounts, apply=scenario.apply, parallelism=PARALLELISM, max_rps=rate
    )
    argv = command(prepared, max_rps)
    results = [against_sandbox(prepared, argv, latency) for _ in range(runs)]
    top = best([child for child, _, _ in results])
    row = Row(
        name or scenario.title,
        [child.wall for child, _, _ in results],
        bound=startup + bounds.network_seconds(latency),
        bound_of="python -c pass + network floor",
        target=target,
        cpu=top.cpu,
        peak_mb=max(child.peak_mb for child, _, _ in results),
        requests=max(served for _, served, _ in results),
        floor=bounds.requests,
    )
    if rate is None:  # imports do not depend on the pace: one run under -X importtime
        row.imports = against_sandbox(prepared, argv, latency, importtime=True)[2]
    counts = sorted({served for _, served, _ in results})
    row.check(counts == [bounds.requests], f"requests {counts} != floor {bounds.requests}")
    row.check_ratio()
    return row


def load_seconds(prepared: Prepared, runs: int) -> tuple[float, float]:
    """files.read_repository of the scenario's repository in a fresh process (after imports),
    best of `runs`: (wall seconds, CPU seconds)."""
    spec = json.dumps({"directory": str(prepared.directory)})
    results = [json.loads(process.run([*boot("worker"), "load", spec]).stdout) for _ in range(runs)]
    return (
        min(result["load_seconds"] for result in results),
        min(result["load_cpu_seconds"] for result in results),
    )


# --- in-process rows ----------------------------------------------------------------------------


def planner_row(runs: int, resumes: int = 100, size: int = 2000) -> Row:
    """build_plan alone; peak is tracemalloc's while planning (inputs included)."""
    spec = json.dumps({"resumes": resumes, "size": size})
    results = [
        json.loads(process.run([*boot("worker"), "planner", spec]).stdout) for _ in range(runs)
    ]
    top = min(results, key=lambda result: result["cpu_seconds"])
    row = Row(
        f"planner only: {resumes} x ({size} + {size}), in memory (peak: tracemalloc)",
        [result["wall_seconds"] for result in results],
        cpu=top["cpu_seconds"],
        peak_mb=max(result["traced_peak_mb"] for result in results),
    )
    expected = scenarios.planner_work(resumes, size).writes()
    row.check(top["changes"] == expected, f"{top['changes']} changes, expected {expected}")
    return row


@contextmanager
def fast_server() -> Iterator[str]:
    server = subprocess.Popen(
        [*boot("clientcpu"), "serve"],
        stdout=subprocess.PIPE,
        env=process.child_env(),
        cwd=tempfile.gettempdir(),
    )
    try:
        assert server.stdout is not None
        yield server.stdout.readline().decode().strip()
    finally:
        server.terminate()
        server.wait()


def client_rows(requests: int, *, rounds: int, profile: bool) -> tuple[list[dict[str, Any]], str]:
    with fast_server() as url:
        spec = json.dumps({"url": url, "requests": requests, "rounds": rounds, "profile": profile})
        result = json.loads(process.run([*boot("worker"), "client", spec]).stdout)
    return result["layers"], result.get("profile", "")


# --- output -------------------------------------------------------------------------------------

HEADER = (
    "row",
    "requests",
    "floor",
    "wall s",
    "bound s",
    "ratio",
    "spread",
    "imports s",
    "CPU s",
    "peak MB",
    "load s (CPU)",
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
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"{os.cpu_count()} CPUs ({model}), Python {platform.python_version()}, "
        f"load average {load:.2f} at the start"
    )


def table(rows: list[Row]) -> str:
    def number(value: float | None, spec: str) -> str:
        return "-" if value is None else format(value, spec)

    cells = [
        (
            row.name,
            number(row.requests, "d"),
            number(row.floor, "d"),
            number(row.wall, ".3f"),
            number(row.bound, ".3f"),
            number(row.ratio, ".2f"),
            row.spread,
            number(row.imports, ".3f"),
            number(row.cpu, ".3f"),
            number(row.peak_mb, ".1f"),
            "-" if row.load is None else f"{row.load:.2f} ({row.load_cpu:.2f})",
            ("PASS" if not row.misses else "MISS: " + "; ".join(row.misses))
            + (f" (<= {row.target}x {row.bound_of})" if row.target else ""),
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


def client_table(layers: list[dict[str, Any]]) -> str:
    lines = [f"{'layer (zero latency, 8 at a time)':<40} {'CPU ms/request':>15} {'+ layer':>8}"]
    previous = None
    for layer in layers:
        cpu = layer["cpu_ms_per_request"]
        added = "-" if previous is None else f"{cpu - previous:+.3f}"
        lines.append(f"{layer['layer']:<40} {cpu:>15.3f} {added:>8}")
        previous = cpu
    return "\n".join(lines)


# --- main ---------------------------------------------------------------------------------------

ROWS = ("help", "validate", "noop", "apply", "agency", "agency-rate", "client", "planner")
SMOKE = ("help", "validate", "smoke-plan", "smoke-apply", "client", "planner")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run", description="resumesync's benchmark (see README)."
    )
    parser.add_argument("--latency", type=float, default=0.05, help="seconds per request")
    parser.add_argument("--runs", type=int, default=3, help="runs per row (default 3)")
    parser.add_argument(
        "--cold-runs", type=int, default=7, help="runs of each command without network (7)"
    )
    parser.add_argument(
        "--only",
        help=f"rows, comma-separated, of {','.join(ROWS)} (default: all; "
        "agency-rate takes about 4 minutes)",
    )
    parser.add_argument(
        "--smoke", action="store_true", help="tiny sizes, one run each (the CI smoke test)"
    )
    parser.add_argument("--client-requests", type=int, default=2000)
    parser.add_argument("--profile", action="store_true", help="print HHClient's profile")
    parser.add_argument("--json", type=Path, help="also write the rows to this file as JSON")
    args = parser.parse_args(argv)
    if args.smoke:
        args.only = args.only or ",".join(SMOKE)
        args.runs = args.cold_runs = 1
        args.latency = 0.0
        args.client_requests = 50
    chosen = (args.only or ",".join(ROWS)).split(",")
    unknown = set(chosen) - set(ROWS) - set(SMOKE)
    if unknown:
        parser.error(f"unknown rows: {', '.join(sorted(unknown))}")
    args.chosen = chosen
    return args


def main(argv: Sequence[str] | None = None) -> list[Row]:
    args = parse_args(argv)
    started = time.perf_counter()
    print(f"machine: {machine()}", flush=True)
    startup = best([process.run(bare("pass")) for _ in range(args.cold_runs)]).wall
    print(
        f"start-up of a bare interpreter (python -c pass, best of {args.cold_runs}): "
        f"{startup * 1000:.1f} ms"
    )
    print(
        f"sandbox latency {args.latency * 1000:g} ms per request; client parallelism "
        f"{PARALLELISM}; rate limit lifted (--max-rps {UNLIMITED_RPS:g}) unless the row says",
        flush=True,
    )
    rows: list[Row] = []
    notes: list[str] = []
    layers: list[dict[str, Any]] = []
    profile_text = ""
    command_ = resumesync_command()
    with tempfile.TemporaryDirectory(prefix="resumesync-bench-") as temp_name:
        temp = Path(temp_name)
        for key in args.chosen:
            print(f"running {key} ...", flush=True)
            if key == "help":
                rows.append(
                    cold_row(
                        "resumesync --help",
                        [*command_, "--help"],
                        "import click",
                        HELP_RATIO,
                        args.cold_runs,
                    )
                )
            elif key == "validate":
                argv = [*command_, "validate", "--dir", str(EXAMPLE)]
                rows.append(
                    cold_row(
                        "resumesync validate examples/basic",
                        argv,
                        "import yaml, jsonschema, click",
                        VALIDATE_RATIO,
                        args.cold_runs,
                    )
                )
            elif key in ("noop", "apply", "smoke-plan", "smoke-apply"):
                prepared = prepare(key, temp)
                rows.append(
                    network_row(
                        prepared,
                        latency=args.latency,
                        max_rps=UNLIMITED_RPS,
                        runs=args.runs,
                        startup=startup,
                        target=PLAN_RATIO,
                    )
                )
                if prepared.scenario.note:
                    notes.append(f"{key}: {prepared.scenario.note}")
            elif key == "agency":
                rows.extend(agency_rows(args, temp, startup))
            elif key == "agency-rate":
                prepared = prepare("agency-500", temp)
                rows.append(
                    network_row(
                        prepared,
                        latency=args.latency,
                        max_rps=DEFAULT_RPS,
                        runs=1,
                        startup=startup,
                        target=RATE_RATIO,
                        name=f"{prepared.scenario.title}, default rate limit (10 rps)",
                    )
                )
            elif key == "client":
                layers, profile_text = client_rows(
                    args.client_requests, rounds=args.runs, profile=args.profile
                )
            elif key == "planner":
                rows.append(planner_row(args.runs, *((10, 200) if args.smoke else ())))
    print()
    print(table(rows))
    if layers:
        print()
        print(client_table(layers))
        ours = layers[-1]["cpu_ms_per_request"]
        verdict = "PASS" if ours <= CLIENT_MS else f"MISS: {ours:.2f} ms > {CLIENT_MS} ms"
        print(f"HHClient CPU per request: {ours:.3f} ms (target <= {CLIENT_MS} ms): {verdict}")
    if profile_text:
        print(profile_text)
    print()
    for note in [*notes, *legend()]:
        print(f"* {note}")
    if args.json:
        document = {
            "machine": machine(),
            "latency": args.latency,
            "startup_seconds": startup,
            "rows": [{**asdict(row), "ratio": row.ratio, "wall": row.wall} for row in rows],
            "client": layers,
        }
        args.json.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    missed = [row.name for row in rows if row.misses]
    print(f"\n{len(rows) - len(missed)} of {len(rows)} rows meet their targets", end="")
    print(f" (took {time.perf_counter() - started:.0f} s)")
    return rows


def agency_rows(args: argparse.Namespace, temp: Path, startup: float) -> list[Row]:
    """100 and 500 resumes x (200 + 200), no-op plans with the rate limit lifted: load time,
    peak memory, and CPU per request at both sizes (it must not grow with the size)."""
    rows = []
    for key in ("agency-100", "agency-500"):
        prepared = prepare(key, temp)
        row = network_row(
            prepared,
            latency=args.latency,
            max_rps=UNLIMITED_RPS,
            runs=args.runs,
            startup=startup,
            target=None,
        )
        row.load, row.load_cpu = load_seconds(prepared, args.runs)
        row.check(
            row.load_cpu < LOAD_SECONDS,
            f"load {row.load_cpu:.2f} s of CPU >= {LOAD_SECONDS:g} s",
        )
        row.check((row.peak_mb or 0) < PEAK_MB, f"peak {row.peak_mb:.0f} MB >= {PEAK_MB:g} MB")
        rows.append(row)
    small, large = rows
    per = [(row.cpu or 0) / (row.requests or 1) * 1000 for row in rows]
    large.check(
        per[1] <= LINEAR * per[0],
        f"CPU/request {per[1]:.2f} ms > {LINEAR}x the 100-resume row's {per[0]:.2f} ms",
    )
    small.name += f" [CPU {per[0]:.2f} ms/request]"
    large.name += f" [CPU {per[1]:.2f} ms/request]"
    return rows


def legend() -> list[str]:
    return [
        "wall: the best of the row's runs, a whole cold process from exec to exit (as `time` "
        "would); spread: every run's wall / bound; the runs of a row and of its bound are "
        "interleaved",
        "bound: `python -c pass` (a bare interpreter, same run) + max(latency x chain, latency "
        "x requests / parallelism[, requests / rate]) for the rows that talk to the sandbox; "
        "the cold commands name theirs",
        "imports: seconds spent importing in one more run under -X importtime (interpreter "
        "start-up imports included: site, encodings)",
        "floor: the fewest requests any client needs (benchmarks/workloads.py); requests: "
        "what the sandbox served (every run agrees unless the row says so)",
        "CPU: the process's user + system time (wait4); peak: its own VmHWM "
        "(benchmarks/peakhook); load: files.read_repository in a fresh process, wall and (CPU) "
        f"seconds; agency targets: load < {LOAD_SECONDS:g} s, judged on CPU time (the wall "
        "of a shared machine is mostly waiting for a core), peak < "
        f"{PEAK_MB:g} MB, CPU per request at 500 resumes <= {LINEAR}x that at 100",
    ]


if __name__ == "__main__":
    main()
