"""Fault injection: 429 with Retry-After, 5xx with nothing applied, connections dropped
after a write was applied, latency; reproducible with a seed."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from resumesync.sandbox import SandboxConfig

from .support import BACKEND


def statuses(client: httpx.Client, count: int) -> list[int]:
    return [client.get("/resumes/mine").status_code for _ in range(count)]


def test_the_same_seed_gives_the_same_faults(start: Any) -> None:
    runs = []
    for seed in (7, 7, 8):
        _, client = start(seed=seed, error_rate=0.3, rate_limit_rate=0.3)
        runs.append(statuses(client, 40))
    assert runs[0] == runs[1]
    assert runs[0] != runs[2]
    assert {200, 429} <= set(runs[0])
    assert set(runs[0]) & {500, 503}


def test_429_carries_retry_after(start: Any) -> None:
    _, client = start(rate_limit_rate=1.0)
    response = client.get("/resumes/mine")
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "1"
    _, quick = start(rate_limit_rate=1.0, retry_after=0.25)
    assert quick.get("/resumes/mine").headers["Retry-After"] == "0.25"


def test_a_5xx_applies_nothing(start: Any) -> None:
    sandbox, client = start(error_rate=1.0)
    seen = set()
    for _ in range(12):
        response = client.put(f"/resumes/{BACKEND}", json={"title": "Never saved"})
        seen.add(response.status_code)
        if response.status_code == 503:
            assert response.json()["errors"] == [{"type": "service_unavailable"}]
    assert seen == {500, 503}
    assert sandbox.account().resumes[BACKEND].fields["title"] == "Python developer"
    assert {entry.fault for entry in sandbox.requests} == {"error"}


def test_dropped_connection_after_an_applied_write(start: Any) -> None:
    sandbox, client = start(drop_rate=1.0)
    assert client.get(f"/resumes/{BACKEND}").status_code == 200  # reads are never dropped
    with pytest.raises(httpx.TransportError):
        client.put(f"/resumes/{BACKEND}", json={"title": "Saved anyway"})
    assert sandbox.account().resumes[BACKEND].fields["title"] == "Saved anyway"
    assert sandbox.requests[-1].dropped
    assert sandbox.requests[-1].status == 204
    refused = client.put(f"/resumes/{BACKEND}", json={"title": 1})  # not applied: answered
    assert refused.status_code == 400


def test_faults_change_at_run_time(start: Any) -> None:
    sandbox, client = start()
    assert client.get("/resumes/mine").status_code == 200
    sandbox.set_faults(rate_limit_rate=1.0)
    assert client.get("/resumes/mine").status_code == 429
    client.post(f"{sandbox.url}/_sandbox/faults", json={"rate_limit_rate": 0.0, "latency": 0.01})
    assert client.get("/resumes/mine").status_code == 200
    assert client.get(f"{sandbox.url}/_sandbox/faults").json()["latency"] == 0.01
    with pytest.raises(ValueError):
        sandbox.set_faults(error_rate=2.0)


def test_faults_from_the_environment() -> None:
    config = SandboxConfig(latency=0.5).with_env(
        {
            "HH_SANDBOX_ERROR_RATE": "0.25",
            "HH_SANDBOX_429_RATE": "0.1",
            "HH_SANDBOX_DROP_RATE": "0.05",
            "HH_SANDBOX_SEED": "42",
            "HH_SANDBOX_LATENCY": "",
        }
    )
    assert (
        config.error_rate,
        config.rate_limit_rate,
        config.drop_rate,
        config.seed,
        config.latency,
    ) == (0.25, 0.1, 0.05, 42, 0.5)
    with pytest.raises(ValueError):
        SandboxConfig().with_env({"HH_SANDBOX_ERROR_RATE": "often"})
    with pytest.raises(ValueError):
        SandboxConfig(drop_rate=1.5)
