"""§2 of issue 12: `${VAR}` cannot read credentials, and no output, plan file or request body
may contain a token value (checked before printing, saving and sending)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from resumesync.cli import Console, Target, render
from resumesync.client import ClientSettings, HHClient, SecretInRequestError
from resumesync.credentials import SecretLeakError, Secrets, is_credential
from resumesync.model import Action, Change, Plan
from resumesync.planfile import write_plan_file
from resumesync.sandbox import RunningSandbox
from resumesync.settings import resolve_settings

from .conftest import BACKEND, QUICK, TOKEN, invoke, writes


def set_title(repo: Path, title: str) -> int:
    """Replace the backend resume's title; the line it is on."""
    path = repo / "resumes" / "backend.yaml"
    lines = path.read_text().splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith("title:"))
    lines[index] = f"title: {json.dumps(title)}"
    path.write_text("\n".join(lines) + "\n")
    return index + 1


@pytest.mark.parametrize(
    "name",
    [
        "HH_TOKEN",
        "HH_TOKEN_ANNA",
        "HH_CLIENT_SECRET",
        "HH_REFRESH_TOKEN",
        "HH_REFRESH_TOKEN_ANNA",
        "HH_TOKEN:-x",
    ],
)
def test_interpolating_a_credential_is_an_error_at_its_line(repo: Path, name: str) -> None:
    line = set_title(repo, f"Dev ${{{name}}}")
    env = {
        "HH_TOKEN_ANNA": TOKEN,
        "HH_CLIENT_SECRET": TOKEN,
        "HH_REFRESH_TOKEN": TOKEN,
        "HH_REFRESH_TOKEN_ANNA": TOKEN,
    }
    result = invoke("validate", "--dir", str(repo), env=env)
    assert result.exit_code == 1
    variable = name.split(":")[0]
    assert f"resumes/backend.yaml:{line}: title: ${{{variable}}} would copy a credential" in (
        result.stderr
    )
    assert TOKEN not in result.output


def test_a_profiles_token_env_is_a_credential_too(tmp_path: Path) -> None:
    root = tmp_path
    (root / "resumesync.yaml").write_text("profiles:\n  me: {dir: me, token_env: HH_TOKEN_ME}\n")
    (root / "me" / "resumes").mkdir(parents=True)
    (root / "me" / "resumes" / "cv.yaml").write_text("id: r1\ntitle: ${HH_TOKEN_ME}\n")
    result = invoke("validate", "--dir", str(root), env={"HH_TOKEN_ME": TOKEN})
    assert result.exit_code == 1
    assert "resumes/cv.yaml:2: title: ${HH_TOKEN_ME} would copy a credential" in result.stderr
    assert is_credential("HH_TOKEN_ME") and is_credential("CUSTOM", extra=["CUSTOM"])
    assert not is_credential("HH_EMAIL")


def test_the_token_never_reaches_the_markdown_plan_or_plan_file(
    repo: Path, sandbox: RunningSandbox
) -> None:
    """Reproduction: `title: "Dev ${HH_TOKEN}"` put the token into the markdown plan (a PR
    comment), into plan.json, and would have put it into the public resume title."""
    set_title(repo, "Dev ${HH_TOKEN}")
    out = repo / "plan.json"
    common = ("--dir", str(repo), "--api-url", sandbox.url, *QUICK)
    result = invoke("plan", *common, "--format", "markdown", "--out", str(out))
    assert result.exit_code == 1
    assert TOKEN not in result.output
    assert not out.exists()
    assert sandbox.requests == []  # refused while reading the files
    applied = invoke("apply", *common, "--yes")
    assert applied.exit_code == 1
    assert writes(sandbox) == []
    assert TOKEN not in sandbox.account(TOKEN).resumes[BACKEND].fields["title"]


def test_a_pasted_token_value_is_refused_before_printing(
    repo: Path, sandbox: RunningSandbox
) -> None:
    """The second line of defence: the value itself, written into a file."""
    line = set_title(repo, f"Dev {TOKEN}")
    out = repo / "plan.json"
    common = ("--dir", str(repo), "--api-url", sandbox.url, *QUICK)
    for output_format in ("text", "markdown", "json"):
        result = invoke("plan", *common, "--format", output_format, "--out", str(out))
        assert result.exit_code == 1
        assert TOKEN not in result.output
        assert (
            f"resumes/backend.yaml:{line}: title: resume backend: the plan would contain the "
            "value of HH_TOKEN" in result.stderr
        )
        assert not out.exists()
    applied = invoke("apply", *common, "--yes")
    assert applied.exit_code == 1
    assert TOKEN not in applied.output
    assert writes(sandbox) == []


def leaky_plan() -> Plan:
    change = Change(
        Action.UPDATE,
        "backend",
        BACKEND,
        "PUT",
        f"/resumes/{BACKEND}",
        body={"title": f"Dev {TOKEN}"},
        diff={"title": {"old": "Dev", "new": f"Dev {TOKEN}"}},
    )
    return Plan(changes=[change], api_url="https://api.hh.ru")


def test_the_plan_writer_refuses_a_token_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "plan.json"
    with pytest.raises(SecretLeakError, match="the plan file contains the value of HH_TOKEN"):
        write_plan_file(out, leaky_plan(), Secrets.of({"HH_TOKEN": TOKEN}))
    assert not out.exists()


@pytest.mark.parametrize("output_format", ["text", "markdown", "json"])
def test_every_renderer_output_is_checked(tmp_path: Path, output_format: str) -> None:
    settings = resolve_settings(tmp_path, {"HH_TOKEN": TOKEN})
    target = Target("default", settings, None)
    with pytest.raises(SecretLeakError) as caught:
        render(leaky_plan(), output_format, Console(env={}), True, target)
    assert TOKEN not in str(caught.value)


def test_the_guard_finds_every_form_and_ignores_short_values() -> None:
    secrets = Secrets.of(
        {"HH_TOKEN": TOKEN, "HH_CLIENT_SECRET": "abc", "HH_REFRESH_TOKEN": 'q"uoted-refresh'},
        [("--token", "another-long-token")],
    )
    assert secrets.find({"a": [f"x{TOKEN}y"]}) == "HH_TOKEN"
    assert secrets.find({TOKEN: 1}) == "HH_TOKEN"  # keys too
    assert secrets.find(json.dumps({"t": 'q"uoted-refresh'})) == "HH_REFRESH_TOKEN"
    assert secrets.find("another-long-token") == "--token"
    assert secrets.find("abc abc") is None  # too short to be a credential
    assert TOKEN not in repr(secrets) and TOKEN not in repr(resolve_settings(Path("."), {}))


def test_the_clients_write_path_never_sends_the_token(sandbox: RunningSandbox) -> None:
    settings = ClientSettings(base_url=sandbox.url, token=TOKEN, max_rps=None, retries=0)

    async def main() -> None:
        async with HHClient(settings) as client:
            with pytest.raises(SecretInRequestError) as caught:
                await client.put_resume(BACKEND, {"title": f"Dev {TOKEN}"})
            assert TOKEN not in str(caught.value)
            with pytest.raises(SecretInRequestError):
                await client.remove_from_list(BACKEND, "blacklist", [TOKEN])
            await client.put_resume(BACKEND, {"title": "Dev"})  # an ordinary write goes out

    asyncio.run(main())
    assert writes(sandbox) == [f"PUT /resumes/{BACKEND}"]
