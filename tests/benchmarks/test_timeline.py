"""`python -m benchmarks.timeline ROW` stays runnable (tiny row, no latency; times are never
asserted), and its rounds are requests that were in flight together.

No __init__.py here: see test_benchmark_smoke.py."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def timeline(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.syspath_prepend(str(ROOT))
    import benchmarks.timeline

    return benchmarks.timeline


def test_requests_in_flight_together_make_one_round(timeline: ModuleType) -> None:
    served = [
        timeline.Served(0.10, 0.15, "GET"),
        timeline.Served(0.11, 0.16, "GET"),  # started before the first answer: same round
        timeline.Served(0.16, 0.21, "GET"),  # after it: the next round
        timeline.Served(0.23, 0.28, "POST"),
    ]
    found = timeline.rounds(served)
    assert [r.methods for r in found] == [["GET", "GET"], ["GET"], ["POST"]]
    assert (found[0].start, found[0].first_end, found[0].end) == (0.10, 0.15, 0.16)
    text = timeline.describe(served, 0.30)
    assert text.splitlines()[0].startswith("round  1: 2 GET")
    assert text.splitlines()[-1] == "exit at 300.0 ms (20.0 ms after the last answer)"


def test_the_smoke_apply_row_prints_its_rounds(
    timeline: ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    timeline.main(["smoke-apply", "--latency", "0"])
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("smoke: apply +150 / -60, one field: ")
    assert lines[1].startswith("round  1: ")
    assert any("POST" in line for line in lines[1:-1])
    assert lines[-1].startswith("exit at ")
