"""Constants and helpers shared by the sandbox tests."""

from __future__ import annotations

import httpx

TOKEN = "USERsandbox"
AGENT = "resumesync-tests/1.0 (tests@example.com)"
BACKEND = "7f3c9a1e5b2d4c6e8a0f1b3d5e7a9c2e4f6a8b"
DATA_ENGINEER = "2b4d6f8a0c1e3a5c7e9b1d3f5a7c9e1b3d5f7a"
SYSADMIN = "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e"
TEAM_LEAD = "5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1b"  # a draft: mandatory fields still empty


def make_client(
    url: str, token: str | None = TOKEN, agent: str | None = AGENT, **headers: str
) -> httpx.Client:
    """A client for the sandbox (plain HTTP: verify=False skips loading CA certificates)."""
    sent = dict(headers)
    if agent is not None:
        sent["HH-User-Agent"] = agent
    if token is not None:
        sent["Authorization"] = f"Bearer {token}"
    return httpx.Client(base_url=url, headers=sent, timeout=10, verify=False)


def error_pointers(response: httpx.Response) -> list[tuple[str, str]]:
    """(pointer, reason) of each bad_json_data error of a 400 answer."""
    assert response.status_code == 400, response.text
    return [(error["pointer"], error["reason"]) for error in response.json()["errors"]]
