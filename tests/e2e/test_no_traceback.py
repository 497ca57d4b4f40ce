"""Issue 12 §7: each of these printed a Python traceback; now each is one clear error line,
exit code 1, nothing sent that should not be, and the token never shown."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from resumesync.cli import cli

from .conftest import Harness

SECRET = "USERsecret-value-0123456789"


def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(
        cli,
        list(args),
        env={"NO_COLOR": "1", "HH_TOKEN": None, "HH_API_URL": None, **(env or {})},
        catch_exceptions=False,
    )


def one_clear_error(result: Result, expected: str) -> None:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert expected in result.output, result.output


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("тест", "the token contains characters an OAuth token cannot have"),
        (f"{SECRET}\r\nX-Injected: 1", "the token contains characters an OAuth token cannot have"),
        (f"{SECRET}\n", "the token contains characters an OAuth token cannot have"),
        ("    ", "the token is empty (only spaces)"),
    ],
)
def test_a_token_that_cannot_be_sent(harness: Harness, token: str, expected: str) -> None:
    result = invoke(
        "plan", "--dir", str(harness.repo), "--api-url", harness.sandbox.url,
        env={"HH_TOKEN": token},
    )  # fmt: skip
    one_clear_error(result, expected)
    assert SECRET not in result.output and repr(token)[1:-1] not in result.output
    assert harness.sandbox.requests == []  # refused before anything was sent


def test_a_user_agent_that_cannot_be_sent(harness: Harness) -> None:
    result = harness.run("plan", "--user-agent", "Мой агент/1.0")
    one_clear_error(result, "the user agent must be printable ASCII text")
    assert harness.sandbox.requests == []


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://[::1", "invalid API URL 'http://[::1'"),
        ("http://127.0.0.1:99999", "port 99999 is not between 1 and 65535"),
    ],
)
def test_api_urls_that_cannot_be_used(repo: Path, url: str, expected: str) -> None:
    result = invoke("plan", "--dir", str(repo), "--api-url", url, "--token", "USERx")
    one_clear_error(result, expected)


@pytest.mark.parametrize(
    ("option", "expected"),
    [
        ("--timeout", "--timeout must be a positive number of seconds, not nan"),
        ("--connect-timeout", "--connect-timeout must be a positive number of seconds"),
        ("--max-rps", "--max-rps must be a number of requests per second, not nan"),
        ("--retry-wait", "--retry-wait must be a number of seconds, not nan"),
    ],
)
def test_nan_options(harness: Harness, option: str, expected: str) -> None:
    result = harness.run("plan", option, "nan")
    one_clear_error(result, expected)
    assert harness.sandbox.requests == []


def test_nan_interrupt_grace(harness: Harness) -> None:
    result = harness.run("apply", "--yes", "--interrupt-grace", "nan")
    one_clear_error(result, "--interrupt-grace must be a number of seconds, not nan")
    assert harness.writes() == []


def test_a_plan_file_nested_100000_deep(harness: Harness, tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text('{"format_version": 1, "changes": ' + "[" * 100_000 + "]" * 100_000 + "}")
    result = harness.run("apply", str(deep))
    one_clear_error(result, "not a plan file: JSON nested too deep")
    assert harness.writes() == []


def test_sandbox_on_a_port_in_use() -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        result = invoke("sandbox", "--port", str(port))
    one_clear_error(result, f"cannot listen on 127.0.0.1:{port}: Address already in use")


def test_a_resume_body_that_is_a_list_writes_nothing(repo: Path) -> None:
    """A hostile API: /resumes/mine is fine, the resume document is a JSON array."""
    from tests.client.hostile import hostile_server

    backend = "7f3c9a1e5b2d4c6e8a0f1b3d5e7a9c2e4f6a8b"
    data = "2b4d6f8a0c1e3a5c7e9b1d3f5a7c9e1b3d5f7a"

    def route(method: str, path: str) -> object:
        if path == "/resumes/mine":
            return {"pages": 1, "items": [{"id": backend}, {"id": data}]}
        if path.endswith(("/whitelist", "/blacklist")):
            return {"items": [{"id": True}], "limit": 2000, "can_add": 1999}
        return [{"id": backend}]

    with hostile_server(route) as server:
        result = invoke(
            "apply", "--yes", "--dir", str(repo), "--api-url", server.url, "--token", "USERx"
        )
    one_clear_error(result, "unexpected answer")
    assert [m for m, _ in server.requests if m != "GET"] == []
    assert json.dumps(result.output).count("Traceback") == 0


def test_a_plan_file_that_is_a_fifo_or_too_large(
    harness: Harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    from resumesync import cli as cli_module

    fifo = tmp_path / "plan.json"
    os.mkfifo(fifo)
    one_clear_error(harness.run("apply", str(fifo)), "not a regular file")
    monkeypatch.setattr(cli_module, "MAX_PLAN_FILE_BYTES", 100)
    big = tmp_path / "big.json"
    big.write_text(" " * 200)
    one_clear_error(harness.run("apply", str(big)), "not a plan file: larger than")
    assert harness.writes() == []


def test_import_checks_the_servers_ids_before_writing_files(tmp_path: Path) -> None:
    from tests.client.hostile import hostile_server

    backend = "7f3c9a1e5b2d4c6e8a0f1b3d5e7a9c2e4f6a8b"

    def route(method: str, path: str) -> object:
        if path == "/resumes/mine":
            return {"pages": 1, "items": [{"id": backend, "title": "T"}]}
        if path.endswith(("/whitelist", "/blacklist")):
            return {"items": [{"id": 3529.0}], "limit": 2000, "can_add": 1999}
        return {"id": backend, "title": "T"}

    target = tmp_path / "imported"
    target.mkdir()
    with hostile_server(route) as server:
        result = invoke("import", "--dir", str(target), "--api-url", server.url, "--token", "USERx")
    one_clear_error(result, "items[0].id is not a string of digits (number 3529.0)")
    assert list(target.iterdir()) == []
