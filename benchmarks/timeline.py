"""Where a row's wall goes, seen from the server: `python -m benchmarks.timeline apply`.

Runs a network row's command once (cold, as benchmarks.run does) against a sandbox that notes
when each request arrived and was answered, and prints the rounds: requests that were in
flight together, how long after a connection was free each started (the client's CPU between
an answer and the next request), the time before the first request (start-up: imports,
loading the files) and after the last answer (output, exit). The latency is the benchmark's.
"""

from __future__ import annotations

import argparse
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks import process
from benchmarks.run import UNLIMITED_RPS, command, prepare, sandboxed


@dataclass(frozen=True)
class Served:
    start: float  # seconds since the command started
    end: float
    method: str


@dataclass
class Round:
    """Requests that overlapped: each started before the first of them was answered."""

    start: float
    first_end: float
    end: float
    methods: list[str]


@contextmanager
def noting(into: list[tuple[float, float, str]]) -> Iterator[None]:
    """Every answer of the sandbox (in this process) noted as (arrival, answered, method)."""
    from resumesync.sandbox.handler import SandboxHandler

    original = SandboxHandler.respond
    lock = threading.Lock()

    def respond(self: Any, request: Any, *args: Any) -> None:
        arrived = time.perf_counter()
        try:
            original(self, request, *args)
        finally:
            with lock:
                into.append((arrived, time.perf_counter(), request.method))

    SandboxHandler.respond = respond  # type: ignore[method-assign]
    try:
        yield
    finally:
        SandboxHandler.respond = original  # type: ignore[method-assign]


def rounds(served: Sequence[Served]) -> list[Round]:
    found: list[Round] = []
    for item in sorted(served, key=lambda s: s.start):
        last = found[-1] if found else None
        if last is not None and item.start < last.first_end:
            last.end = max(last.end, item.end)
            last.methods.append(item.method)
        else:
            found.append(Round(item.start, item.end, item.end, [item.method]))
    return found


def describe(served: Sequence[Served], wall: float) -> str:
    """One line per round: when it started, how long after the previous round's first answer
    (a free connection) it did, when its last answer came."""
    lines = []
    freed = 0.0
    last = 0.0
    for number, found in enumerate(rounds(served), 1):
        counts = {m: found.methods.count(m) for m in dict.fromkeys(found.methods)}
        what = ", ".join(f"{count} {method}" for method, count in counts.items())
        lines.append(
            f"round {number:2d}: {what:<16} starts {found.start * 1000:7.1f} ms "
            f"({(found.start - freed) * 1000:5.1f} ms after a connection was free), "
            f"last answer {found.end * 1000:7.1f} ms"
        )
        freed, last = found.first_end, found.end
    after = (wall - last) * 1000
    lines.append(f"exit at {wall * 1000:.1f} ms ({after:.1f} ms after the last answer)")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.timeline", description=__doc__)
    parser.add_argument("row", help="a network row: noop, apply, agency-100, smoke-apply, ...")
    parser.add_argument("--latency", type=float, default=0.05, help="seconds per request")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="resumesync-timeline-") as temp:
        prepared = prepare(args.row, Path(temp))
        argv_ = command(prepared, UNLIMITED_RPS)
        noted: list[tuple[float, float, str]] = []
        with sandboxed(prepared, args.latency) as sandbox, noting(noted):
            env = {"HH_TOKEN": prepared.token, "HH_API_URL": sandbox.url}
            started = time.perf_counter()
            child = process.run(argv_, env=env)
    served = [Served(a - started, b - started, method) for a, b, method in noted]
    print(f"{prepared.scenario.title}: {len(served)} requests, wall {child.wall:.3f} s")
    print(describe(served, child.wall))


if __name__ == "__main__":
    main()
