"""The request log and the reserved /_sandbox/ endpoints (never showing tokens)."""

from __future__ import annotations

import threading

import httpx

from resumesync.sandbox import RunningSandbox, SandboxConfig, running_sandbox

from .support import BACKEND, TOKEN, make_client


def test_the_log_records_method_path_query_status_body_and_token(
    client: httpx.Client, sandbox: RunningSandbox
) -> None:
    client.get("/resumes/mine", params={"page": 0, "per_page": 5})
    client.put(f"/resumes/{BACKEND}", json={"title": "Backend developer"})
    read, write = sandbox.requests
    assert (read.method, read.path, read.query, read.status) == (
        "GET",
        "/resumes/mine",
        {"page": ["0"], "per_page": ["5"]},
        200,
    )
    assert (write.method, write.status, write.body) == ("PUT", 204, {"title": "Backend developer"})
    assert write.token == TOKEN
    assert TOKEN not in repr(write)
    sandbox.clear_requests()
    assert sandbox.requests == []


def test_the_http_log_and_state_never_show_tokens(
    client: httpx.Client, sandbox: RunningSandbox
) -> None:
    client.post(f"/resumes/{BACKEND}/blacklist", json={"items": [{"id": "1455"}]})
    log = client.get("/_sandbox/requests")
    assert log.json()["requests"][0]["path"] == f"/resumes/{BACKEND}/blacklist"
    assert log.json()["requests"][0]["account"] == 0
    state = client.get("/_sandbox/state")
    assert state.json()["accounts"][0]["lists"][BACKEND]["blacklist"] == ["1455"]
    assert TOKEN not in log.text and TOKEN not in state.text
    assert len(sandbox.requests) == 1  # the control endpoints are not logged


def test_reset_restores_the_seed_and_empties_the_log(
    client: httpx.Client, sandbox: RunningSandbox
) -> None:
    client.put(f"/resumes/{BACKEND}", json={"title": "Backend developer"})
    assert client.post("/_sandbox/reset").status_code == 204
    assert client.get(f"/resumes/{BACKEND}").json()["title"] == "Python developer"
    assert [entry.method for entry in sandbox.requests] == ["GET"]
    assert client.get("/_sandbox/nothing").status_code == 404


def test_stopping_leaves_no_threads_behind_even_with_open_connections() -> None:
    with running_sandbox(SandboxConfig()) as sandbox:
        idle = make_client(sandbox.url)
        assert idle.get("/resumes/mine").status_code == 200  # a keep-alive connection
    names = [thread.name for thread in threading.enumerate()]
    assert not [name for name in names if name.startswith("resumesync-sandbox")]
    idle.close()
