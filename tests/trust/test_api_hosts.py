"""§1 of issue 12: the token goes only to an hh.ru API host.

A URL from repository files (resumesync.yaml's `api_url`, a profile's `api_url`) may only be
https on hh.ru's API hosts or loopback; any other server must come from the operator. A
profile's `token_env` must name an HH_TOKEN* variable. Every plan names the API it read.

The hostile server listens on 127.0.0.1 and is named as `http://0.0.0.0:PORT`: Linux connects
that to this machine, but it is not a loopback address, so it stands in for a foreign host.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from resumesync.hosts import HH_API_HOSTS, repository_url_problem
from resumesync.problems import ProblemsError
from resumesync.sandbox import RunningSandbox
from resumesync.settings import DEFAULT_API_URL, resolve_settings

from .conftest import QUICK, TOKEN, HostileServer, invoke


@pytest.mark.parametrize(
    "url",
    [
        "https://api.hh.ru",
        "https://api.hh.ru/",
        "https://API.HH.RU:443/",
        "https://hh.ru",
        "http://127.0.0.1:8080",
        "https://127.0.0.2",
        "http://localhost:1",
        "http://[::1]:5000",
    ],
)
def test_repository_urls_that_may_receive_the_token(url: str) -> None:
    assert repository_url_problem(url) is None


@pytest.mark.parametrize(
    "url",
    [
        "http://api.hh.ru",  # not https
        "https://api.hh.ru.evil.example",
        "https://evilapi.hh.ru.example",
        "https://api.hh.ru@evil.example",  # the host is evil.example
        "https://user:pass@api.hh.ru",
        "https://api.hh.ru:8443",
        "https://api.hh.kz",  # every site's API is api.hh.ru (openapi.yml, "Выбор сайта")
        "http://0.0.0.0:1",
        "ftp://api.hh.ru",
        "http://[::1",
        "https://api.hh.ru:99999",
        "api.hh.ru",
    ],
)
def test_repository_urls_that_may_not(url: str) -> None:
    assert repository_url_problem(url)


def test_the_host_list_is_the_specs_servers() -> None:
    assert HH_API_HOSTS == ("api.hh.ru", "hh.ru")


def foreign(hostile: HostileServer) -> str:
    return f"http://0.0.0.0:{hostile.port}"


def test_a_config_api_url_never_receives_the_token(repo: Path, hostile: HostileServer) -> None:
    """Reproduction: `api_url: http://<not hh.ru>` made plan send `Bearer $HH_TOKEN` there."""
    (repo / "resumesync.yaml").write_text(f"api_url: {foreign(hostile)}\n")
    result = invoke("plan", "--dir", str(repo), *QUICK)
    assert result.exit_code == 1
    assert "resumesync.yaml:1: api_url: a URL in a repository file may only be https" in (
        result.stderr
    )
    assert hostile.requests == []
    assert TOKEN not in result.output


def test_a_profile_api_url_never_receives_the_token(repo: Path, hostile: HostileServer) -> None:
    (repo / "resumesync.yaml").write_text(
        f"profiles:\n  me:\n    dir: .\n    token_env: HH_TOKEN\n    api_url: {foreign(hostile)}\n"
    )
    result = invoke("plan", "--dir", str(repo), *QUICK)
    assert result.exit_code == 1
    assert "resumesync.yaml:5: profiles.me.api_url:" in result.stderr
    assert hostile.requests == []


def test_an_empty_hh_api_url_does_not_fall_through_to_the_file(
    repo: Path, hostile: HostileServer
) -> None:
    """Reproduction: the example workflow passes `HH_API_URL: ""` when the repository
    variable is unset; that fell through to the file's URL."""
    (repo / "resumesync.yaml").write_text(f"api_url: {foreign(hostile)}\n")
    result = invoke("plan", "--dir", str(repo), *QUICK, env={"HH_API_URL": ""})
    assert result.exit_code == 1
    assert hostile.requests == []
    settings = resolve_settings(repo, {"HH_API_URL": "  "}, token=TOKEN)
    assert settings.api_url == DEFAULT_API_URL


def test_the_last_check_before_use_refuses_a_config_url(tmp_path: Path) -> None:
    with pytest.raises(ProblemsError, match=r"api_url https://evil\.example"):
        resolve_settings(tmp_path, {}, config_api_url="https://evil.example")
    # The operator's URL wins and is not the file's: no refusal.
    settings = resolve_settings(
        tmp_path, {"HH_API_URL": "https://proxy.example"}, config_api_url="https://evil.example"
    )
    assert settings.api_url == "https://proxy.example"


@pytest.mark.parametrize("how", ["option", "env"])
def test_the_operator_may_name_any_server(repo: Path, hostile: HostileServer, how: str) -> None:
    url = foreign(hostile)
    args = ("--api-url", url) if how == "option" else ()
    env = {"HH_API_URL": url} if how == "env" else {}
    result = invoke("plan", "--dir", str(repo), *QUICK, *args, env=env)
    assert hostile.requests, result.output  # it was asked, with the token
    assert hostile.tokens == {f"Bearer {TOKEN}"}


def test_a_loopback_config_url_is_the_sandbox(repo: Path, sandbox: RunningSandbox) -> None:
    (repo / "resumesync.yaml").write_text(f"api_url: {sandbox.url}\n")
    result = invoke("plan", "--dir", str(repo), *QUICK)
    assert result.exit_code == 0, result.output
    assert sandbox.requests


def test_token_env_must_name_an_hh_token_variable(repo: Path, hostile: HostileServer) -> None:
    """Reproduction: `token_env: AWS_SECRET_ACCESS_KEY` sent that variable as the token."""
    secret = "aws-secret-value-0123456789"
    (repo / "resumesync.yaml").write_text(
        "profiles:\n  me:\n    dir: .\n    token_env: AWS_SECRET_ACCESS_KEY\n"
    )
    result = invoke(
        "plan",
        "--dir",
        str(repo),
        "--api-url",
        foreign(hostile),
        *QUICK,
        env={"AWS_SECRET_ACCESS_KEY": secret},
    )
    assert result.exit_code == 1
    assert "resumesync.yaml:4: profiles.me.token_env: token_env must name a variable" in (
        result.stderr
    )
    assert hostile.requests == []
    assert secret not in result.output
    with pytest.raises(ProblemsError, match="token_env must name"):
        resolve_settings(repo, {}, token_env="AWS_SECRET_ACCESS_KEY")


def test_every_plan_names_the_api_it_read(repo: Path, sandbox: RunningSandbox) -> None:
    host = sandbox.url.removeprefix("http://")
    common = ("--dir", str(repo), "--api-url", sandbox.url, *QUICK)
    text = invoke("plan", *common)
    assert text.exit_code == 0, text.output
    assert text.stdout.splitlines()[0] == f"API: {host}"
    markdown = invoke("plan", *common, "--format", "markdown")
    assert f"API: `{host}`" in markdown.stdout
    as_json = invoke("plan", *common, "--format", "json")
    assert json.loads(as_json.stdout)["api_url"] == sandbox.url
    saved = repo / "plan.json"
    assert invoke("plan", *common, "--out", str(saved)).exit_code == 0
    assert json.loads(saved.read_text())["api_url"] == sandbox.url


def test_a_sandbox_plan_says_so(repo: Path) -> None:
    result = invoke("plan", "--dir", str(repo), "--sandbox", env={"HH_TOKEN": None})
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "API: the built-in sandbox"
