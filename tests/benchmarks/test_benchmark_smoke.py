"""The benchmark's smallest scenario, run in-process with no latency: request counts only
(they are exact); times are never asserted.

No __init__.py here on purpose: as a package this directory would be called `benchmarks`
and could shadow the top-level benchmarks package it tests.
"""

from __future__ import annotations

import collections
from pathlib import Path
from types import ModuleType

import pytest

from resumesync.sandbox import SandboxConfig

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def bench(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """The benchmarks package (at the repository root, which plain `pytest` may not have on
    sys.path)."""
    monkeypatch.syspath_prepend(str(ROOT))
    import benchmarks.scenarios
    import benchmarks.worker
    import benchmarks.workloads

    return benchmarks


def test_smallest_scenario_makes_exactly_the_lower_bound_of_requests(
    bench: ModuleType, tmp_path: Path
) -> None:
    from resumesync.sandbox import running_sandbox

    scenario = bench.scenarios.SCENARIOS["1"]
    built = [bench.scenarios.build_account(work) for work in scenario.accounts]
    targets = [
        bench.worker.Target(item.work.token, str(tmp_path / f"account-{index}"))
        for index, item in enumerate(built)
    ]
    for item, target in zip(built, targets, strict=True):
        bench.scenarios.write_repository(item, Path(target.directory))
    bounds = bench.workloads.bounds(
        scenario.accounts, apply=scenario.apply, parallelism=8, max_rps=None
    )
    config = SandboxConfig(accounts={item.work.token: item.account for item in built})
    with running_sandbox(config) as sandbox:
        spec = bench.worker.TargetsSpec(
            url=sandbox.url,
            targets=targets,
            apply=scenario.apply,
            force=scenario.force,
            max_rps=1e6,
            parallelism=8,
        )
        result = bench.worker.run_targets(spec)
        served = sandbox.requests
        assert sandbox.internal_errors == []

    # 1 GET /resumes/mine + 20 resumes + 20 x 2 lists of 50 employers (one page each); no
    # conditions: a no-op plan writes nothing, so nothing gates a write.
    assert (bounds.requests, bounds.chain) == (61, 1)
    assert len(served) == bounds.requests
    assert result.client_requests == result.client_attempts == bounds.requests
    kinds = collections.Counter(
        "mine" if entry.path == "/resumes/mine" else entry.path.count("/") for entry in served
    )
    assert kinds == {"mine": 1, 2: 20, 3: 40}
    assert sum(entry.path.endswith("/conditions") for entry in served) == 0
    assert all(entry.method == "GET" and entry.status == 200 for entry in served)
    assert result.changes == 0  # a no-op: the files match the account
    assert result.failed == []


@pytest.mark.parametrize(
    ("key", "requests", "chain"),
    [
        ("1", 61, 1),
        ("2", 1 + 20 + 20 * 2 * 20, 2),
        # reads 1 + 2 + (1 + 20 pages), no conditions (no PUT); writes 20 POSTs + 15 DELETEs;
        # chain: 2 reads + 1 write
        ("3", 24 + 35, 3),
        # per account: reads 1 + 10 + 8 conditions (the resumes with a PUT) + 1 /dictionaries
        # (a salary's currency) + 10 x 2 x 3 pages; writes 28; chain 2 + 4 stages
        ("4", 5 * (80 + 28), 6),
    ],
)
def test_lower_bounds_from_first_principles(
    bench: ModuleType, key: str, requests: int, chain: int
) -> None:
    scenario = bench.scenarios.SCENARIOS[key]
    bounds = bench.workloads.bounds(
        scenario.accounts, apply=scenario.apply, parallelism=8, max_rps=None
    )
    assert (bounds.requests, bounds.chain) == (requests, chain)
