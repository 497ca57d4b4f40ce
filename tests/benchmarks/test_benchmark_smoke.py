"""The benchmark stays runnable: `python -m benchmarks.run --smoke` (tiny sizes, one run of
every kind of row, no latency) from this test; its times are never asserted.

No __init__.py here on purpose: as a package this directory would be called `benchmarks`
and could shadow the top-level benchmarks package it tests.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def bench(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """The benchmarks package (at the repository root, which plain `pytest` may not have on
    sys.path)."""
    monkeypatch.syspath_prepend(str(ROOT))
    import benchmarks.process
    import benchmarks.run
    import benchmarks.workloads

    return benchmarks


def test_the_smoke_run_prints_every_kind_of_row(
    bench: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "rows.json"
    rows = bench.run.main(["--smoke", "--json", str(out)])
    printed = capsys.readouterr().out
    document = json.loads(out.read_text())
    names = [row.name for row in rows]
    assert names == [
        "resumesync --help",
        "resumesync validate examples/basic",
        "smoke: no-op plan, 3 x (150 + 150)",
        "smoke: apply +150 / -60, one field",
        "planner only: 10 x (200 + 200), in memory (peak: tracemalloc)",
    ]
    for row in rows[:4]:  # whole processes, compared with a bound measured in the same run
        assert row.bound and row.bound > 0 and row.ratio and row.ratio > 0
        assert row.imports is not None and row.imports > 0
        assert row.peak_mb and row.peak_mb > 5  # the process's own VmHWM, reported at exit
        assert row.cpu and row.cpu > 0
    plan, apply = rows[2], rows[3]
    # a plan may not need fewer requests than the floor from first principles
    assert plan.requests >= plan.floor == 1 + 3 + 3 * 2 * 2
    assert apply.requests >= apply.floor == (1 + 2 + 1 + 1 + 2) + (2 + 1 + 1)
    assert [layer["layer"] for layer in document["client"]] == [
        "bare asyncio streams + json.loads",
        "httpcore pool (anyio, h11)",
        "httpx.AsyncClient",
        "resumesync HHClient.request",
    ]
    assert "HHClient CPU per request" in printed
    assert "start-up of a bare interpreter" in printed


@pytest.mark.parametrize(
    ("key", "requests", "chain"),
    [
        # 1 GET /resumes/mine + 20 resumes + 20 x 2 lists of 20 pages; no conditions
        ("noop", 1 + 20 + 20 * 2 * 20, 2),
        # reads 1 + 2 resumes + (1 + 20 pages); writes 20 POSTs + 15 DELETEs;
        # chain: 2 reads + 2 stages (additions, removals... one resume each)
        ("apply", 24 + 35, 3),
        # 5 pages of /resumes/mine + 500 resumes + 500 x 2 lists of 2 pages
        ("agency-500", 5 + 500 + 500 * 2 * 2, 2),
        # a field change: its resume's conditions are read (after the resume: 2 steps)
        ("smoke-apply", (1 + 2 + 1 + 1 + 2) + (2 + 1 + 1), 2 + 2),
    ],
)
def test_lower_bounds_from_first_principles(
    bench: ModuleType, key: str, requests: int, chain: int
) -> None:
    from benchmarks import scenarios

    scenario = scenarios.SCENARIOS[key]
    bounds = bench.workloads.bounds(
        scenario.accounts, apply=scenario.apply, parallelism=8, max_rps=None
    )
    assert (bounds.requests, bounds.chain) == (requests, chain)


def test_importtime_sums_top_level_imports_only(bench: ModuleType) -> None:
    stderr = "\n".join(
        [
            "import time: self [us] | cumulative | imported package",
            "import time:       100 |        100 |   encodings.aliases",
            "import time:       200 |        300 | encodings",
            "import time:        50 |        500 | click",
            "noise",
        ]
    )
    assert bench.process.sum_importtime(stderr) == pytest.approx(800e-6)
