"""`resumesync employers search TEXT` over real HTTP to the sandbox (issue 15 §3)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import given, settings
from hypothesis import strategies as st

from resumesync.cli import cli
from resumesync.employers import Employer, flow_scalar, yaml_entry
from resumesync.sandbox import SandboxConfig, running_sandbox
from resumesync.yamlfile import parse_yaml
from tests.client.hostile import json_body


@pytest.fixture
def sandbox() -> Iterator[object]:
    with running_sandbox(SandboxConfig()) as running:
        yield running


def search(*args: str, cwd: Path | None = None) -> Result:
    return CliRunner().invoke(
        cli,
        ["employers", "search", *args],
        env={"NO_COLOR": "1", "HH_TOKEN": "USERsecret-token", "HH_API_URL": None},
        catch_exceptions=False,
    )


def test_prints_id_name_and_area(sandbox, tmp_path: Path) -> None:
    result = search("headhunter", "--api-url", sandbox.url, "--dir", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "1455   HeadHunter              Moscow",
        "87891  HeadHunter: Kazakhstan  Almaty",
    ]
    paths = [request.path for request in sandbox.requests]
    assert paths == ["/employers", "/employers/1455", "/employers/87891"] or sorted(paths[1:]) == [
        "/employers/1455",
        "/employers/87891",
    ]
    assert {request.token for request in sandbox.requests} == {None}  # public: no token sent


def test_yaml_entries_paste_into_visibility_yaml(sandbox, tmp_path: Path) -> None:
    result = search("head", "--format", "yaml", "--api-url", sandbox.url, "--dir", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert '- {id: "1455", name: HeadHunter}  # Moscow' in result.stdout
    document = parse_yaml("blacklist:\n" + result.stdout, "visibility.yaml")
    assert document.data == {
        "blacklist": [
            {"id": "1455", "name": "HeadHunter"},
            {"id": "87891", "name": "HeadHunter: Kazakhstan"},
        ]
    }


def test_area_limit_and_the_rest_said(sandbox, tmp_path: Path) -> None:
    almaty = search("head", "--area", "160", "--api-url", sandbox.url, "--dir", str(tmp_path))
    assert almaty.stdout.split() == ["87891", "HeadHunter:", "Kazakhstan", "Almaty"]
    few = search("", "--limit", "2", "--api-url", sandbox.url, "--dir", str(tmp_path))
    assert len(few.stdout.splitlines()) == 2
    assert "Showing 2 of 16 found" in few.stderr
    none = search("no such company", "--api-url", sandbox.url, "--dir", str(tmp_path))
    assert none.exit_code == 0
    assert "No employer found for 'no such company'." in none.stderr


def test_works_with_sandbox_in_an_empty_directory(tmp_path: Path) -> None:
    result = search("Yandex", "--sandbox", "--dir", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert result.stdout.split() == ["1740", "Yandex", "Moscow"]
    assert list(tmp_path.iterdir()) == []  # a search writes nothing


def test_an_unreachable_api_is_one_clear_error(tmp_path: Path) -> None:
    result = search(
        "x", "--api-url", "http://127.0.0.1:9", "--retries", "0", "--dir", str(tmp_path)
    )
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "127.0.0.1:9" in result.output or "connect" in result.output.lower()


@settings(derandomize=True, max_examples=200)
@given(st.text(min_size=1, max_size=30))
def test_every_name_reads_back_from_its_entry(name: str) -> None:
    line = yaml_entry(Employer("1455", name, None))
    assert parse_yaml(line, "v.yaml").data == [{"id": "1455", "name": name}]


def test_plain_names_stay_plain() -> None:
    assert flow_scalar("HeadHunter") == "HeadHunter"
    assert flow_scalar("T-Bank") == "T-Bank"
    assert flow_scalar("Сбер") == "Сбер"
    assert flow_scalar("true") == '"true"'
    assert flow_scalar("a, b") == '"a, b"'


class HostileEmployers(BaseHTTPRequestHandler):
    """Search results with names and ids that try to break the output, an employer that is
    gone by the time it is looked up, and junk in the list."""

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        if path == "/employers":
            items = [
                {"id": '1" ]}\n- {id: "2', "name": "Evil\x1b[31m: Corp\n# not a comment"},
                {"id": "404", "name": "Gone"},
                "not an employer",
            ]
            json_body(
                self, status=200, body={"found": "many", "items": items, "page": 0, "pages": 1}
            )
        elif path == "/employers/404":
            json_body(self, status=404, body={"errors": [{"type": "not_found"}]})
        else:
            json_body(
                self, status=200, body={"id": "x", "area": {"id": "1", "name": "Moscow\r\nX"}}
            )

    def log_message(self, *args: object) -> None:  # quiet
        pass


@pytest.fixture
def hostile() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), HostileEmployers)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_hostile_server_cannot_break_the_output(hostile: str, tmp_path: Path) -> None:
    text = search("e", "--api-url", hostile, "--dir", str(tmp_path))
    assert text.exit_code == 0, text.output
    assert "\x1b" not in text.stdout
    rows = text.stdout.splitlines()
    assert len(rows) == 2 and rows[1].split() == ["404", "Gone", "-"]
    yaml_out = search("e", "--format", "yaml", "--api-url", hostile, "--dir", str(tmp_path))
    assert yaml_out.exit_code == 0, yaml_out.output
    entries = parse_yaml(yaml_out.stdout, "v.yaml").data
    assert entries == [
        {"id": '1" ]}\n- {id: "2', "name": "Evil\x1b[31m: Corp\n# not a comment"},
        {"id": "404", "name": "Gone"},
    ]
