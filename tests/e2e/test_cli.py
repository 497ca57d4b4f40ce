"""Every command end to end: the CLI, over real HTTP, against the sandbox."""

from __future__ import annotations

import json
import signal
import stat
import subprocess
import sys
from pathlib import Path

import httpx
import jsonschema
from click.testing import CliRunner

from resumesync.cli import cli
from resumesync.resources import load_schema
from resumesync.sandbox import Account

from .conftest import EXAMPLES, TOKEN, Harness

BACKEND = "7f3c9a1e5b2d4c6e8a0f1b3d5e7a9c2e4f6a8b"
DATA_ENGINEER = "2b4d6f8a0c1e3a5c7e9b1d3f5a7c9e1b3d5f7a"
TEAM_LEAD = "5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1b"


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def test_validate_accepts_the_example(harness: Harness) -> None:
    result = harness.run("validate")
    assert result.exit_code == 0, result.output
    assert "4 resumes valid" in result.output


def test_plan_shows_the_example_changes_and_writes_nothing(harness: Harness) -> None:
    result = harness.run("plan")
    assert result.exit_code == 0, result.output
    assert '~ title: "Python developer" -> "Senior Python developer"' in result.output
    assert "+ blacklist 1455 (HeadHunter)" in result.output
    assert "publish" in result.output
    assert "+ create resume data-analyst as a copy of data-engineer" in result.output
    assert "Plan: 1 resume to create, 3 resumes to update" in result.output
    assert harness.writes() == []


def test_plan_apply_plan_ends_in_no_changes(harness: Harness) -> None:
    assert harness.run("plan", "--detailed-exitcode").exit_code == 2
    applied = harness.run("apply", "--yes")
    assert applied.exit_code == 0, applied.output
    account = harness.account()
    assert account.to_json()["resumes"][BACKEND]["title"] == "Senior Python developer"
    assert {"1455", "3529", "78638"} <= set(account.to_json()["lists"][BACKEND]["blacklist"])

    harness.sandbox.clear_requests()
    again = harness.run("plan", "--detailed-exitcode")
    assert again.exit_code == 0, again.output
    assert "No changes" in again.output
    assert harness.writes() == []


def test_apply_reads_once_then_writes_each_change_once(harness: Harness) -> None:
    """`apply --yes` plans and applies in one session: 15 reads (mine; per resume the resume
    and each managed list; the conditions of the two resumes it PUTs and /dictionaries once for
    their salaries' currency; creation_availability and resume_conditions for the resume to
    create; the photos and their conditions for backend's photo file), then one call per
    change, nothing read again."""
    changes = json.loads(harness.run("plan", "--format", "json").output)["changes"]
    harness.sandbox.clear_requests()
    assert harness.run("apply", "--yes").exit_code == 0
    log = harness.sandbox.requests
    (new_id,) = set(harness.account().resumes) - set(Account.example().resumes)
    assert [entry.method for entry in log[:15]] == ["GET"] * 15
    assert [entry.path for entry in log[:15] if entry.path.endswith("/conditions")] != []
    assert [entry.path for entry in log[:15] if entry.path == "/dictionaries"] == ["/dictionaries"]
    polls = [entry for entry in log[15:] if entry.method == "GET"]
    assert [entry.path for entry in polls] == []  # the photo is ready at once in the sandbox
    assert sorted((entry.method, entry.path) for entry in log[15:]) == sorted(
        (change["method"], change["path"].split("?")[0].replace("new%3Adata-analyst", new_id))
        for change in changes
    )
    assert len(log) == 15 + 11


def test_put_bodies_carry_only_changed_fields(harness: Harness) -> None:
    plan = json.loads(harness.run("plan", "--format", "json").output)
    assert harness.run("apply", "--yes").exit_code == 0
    puts = [r for r in harness.sandbox.requests if r.method == "PUT"]
    updates = [c for c in plan["changes"] if c["action"] == "update"]
    (new_id,) = set(harness.account().resumes) - set(Account.example().resumes)
    written = [f"/resumes/{BACKEND}", f"/resumes/{new_id}", f"/resumes/{TEAM_LEAD}"]
    assert sorted(r.path for r in puts) == sorted(written)
    assert sorted(c["path"] for c in updates) == [
        f"/resumes/{TEAM_LEAD}",
        f"/resumes/{BACKEND}",
        "/resumes/new%3Adata-analyst",
    ]
    for request in puts:
        resume_id = request.path.rsplit("/", 1)[1]
        planned = next(
            c
            for c in plan["changes"]
            if c["action"] == "update"
            and c["resume_id"] == (resume_id if resume_id != new_id else "new:data-analyst")
        )
        assert set(request.body) == set(planned["diff"])
        assert "contact" not in request.body  # unchanged fields are never sent


def test_json_plan_matches_the_schema_and_saved_file_is_private(harness: Harness) -> None:
    out = harness.repo / "plan.json"
    result = harness.run("plan", "--format", "json", "--out", str(out))
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    jsonschema.validate(document, load_schema("plan.schema.json"))
    assert document["format_version"] == 1
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert TOKEN not in out.read_text()


def test_saved_plan_applies_exactly_its_changes(harness: Harness) -> None:
    out = harness.repo / "plan.json"
    assert harness.run("plan", "--out", str(out)).exit_code == 0
    planned = len(json.loads(out.read_text())["changes"])
    result = harness.run("apply", str(out))
    assert result.exit_code == 0, result.output
    assert len(harness.writes()) == planned
    assert "No changes" in harness.run("plan").output


def test_stale_plan_is_refused_and_nothing_is_written(harness: Harness) -> None:
    out = harness.repo / "plan.json"
    assert harness.run("plan", "--out", str(out)).exit_code == 0
    httpx.post(  # someone changes the account between plan and apply
        f"{harness.sandbox.url}/resumes/{BACKEND}/blacklist",
        json={"items": [{"id": "2180"}]},
        headers={"Authorization": f"Bearer {TOKEN}", "HH-User-Agent": "test"},
    ).raise_for_status()
    harness.sandbox.clear_requests()
    result = harness.run("apply", str(out))
    assert result.exit_code == 1
    assert "stale" in result.output
    assert harness.writes() == []


def test_invalid_input_writes_nothing_and_names_the_line(harness: Harness) -> None:
    backend = harness.repo / "resumes" / "backend.yaml"
    backend.write_text(backend.read_text().replace("amount: 350000", "amount: lots"))
    result = harness.run("apply", "--yes")
    assert result.exit_code == 1
    line = line_of(backend, "amount: lots")
    assert f"resumes/backend.yaml:{line}: salary.amount" in result.output
    assert harness.sandbox.requests == []  # not even a read


def test_apply_without_yes_and_without_a_terminal_refuses(harness: Harness) -> None:
    result = harness.run("apply")
    assert result.exit_code == 1
    assert "--yes" in result.output
    assert harness.writes() == []


def test_250_employers_go_out_in_batches_of_100(harness: Harness) -> None:
    employers = [str(100000 + n) for n in range(250)]
    visibility = harness.repo / "visibility.yaml"
    visibility.write_text(
        "resumes:\n  backend:\n    access: blacklist\n    blacklist:\n"
        + "".join(f"      - {employer}\n" for employer in employers)
    )
    result = harness.run("apply", "--yes")
    assert result.exit_code == 0, result.output
    posts = [
        r
        for r in harness.sandbox.requests
        if r.method == "POST" and r.path == f"/resumes/{BACKEND}/blacklist"
    ]
    assert sorted(len(r.body["items"]) for r in posts) == [50, 100, 100]
    assert set(harness.account().to_json()["lists"][BACKEND]["blacklist"]) == set(employers)


def test_a_failing_resume_does_not_stop_the_others(harness: Harness) -> None:
    variant = harness.repo / "resumes" / "data-engineer.yaml"
    # hh.ru refuses a title another resume of the account has: no preflight rule knows it.
    text = variant.read_text().replace("title: Data engineer", "title: System administrator")
    variant.write_text(text)
    result = harness.run("apply", "--yes")
    assert result.exit_code == 1
    line = line_of(variant, "title: System administrator")
    assert f"resumes/data-engineer.yaml:{line}: title" in result.output
    assert "continues from here" not in result.output  # a 400: running again cannot fix it
    document = harness.account().to_json()["resumes"][BACKEND]
    assert document["title"] == "Senior Python developer"  # the other resume went through


def test_an_unknown_dictionary_id_fails_the_plan_at_its_line_before_any_write(
    harness: Harness,
) -> None:
    variant = harness.repo / "resumes" / "data-engineer.yaml"
    variant.write_text(variant.read_text() + 'area: {id: "424242"}\n')  # not in hh.ru's dictionary
    result = harness.run("apply", "--yes")
    assert result.exit_code == 1
    line = line_of(variant, "424242")
    assert (
        f"resumes/data-engineer.yaml:{line}: area.id: unknown id '424242': not in the area "
        "(server dictionaries)"
    ) in result.output
    assert harness.writes() == []


def test_sensitive_values_and_the_token_stay_hidden(harness: Harness) -> None:
    env = {"HH_EMAIL": "new.address@example.com"}
    hidden = harness.run("plan", env=env)
    assert "(sensitive)" in hidden.output
    assert "new.address@example.com" not in hidden.output
    shown = harness.run("plan", "--show-sensitive", env=env)
    assert "new.address@example.com" in shown.output
    for output in (hidden.output, shown.output, harness.run("apply", "--yes", env=env).output):
        assert TOKEN not in output


def test_markdown_plan_for_pull_requests(harness: Harness) -> None:
    result = harness.run("plan", "--format", "markdown")
    assert result.exit_code == 0
    assert result.output.lstrip().startswith("#")
    assert "backend" in result.output
    assert len(result.output) < 65536


def test_sandbox_flag_runs_a_persistent_cycle(repo: Path) -> None:
    def run(*args: str):
        return CliRunner().invoke(
            cli,
            [*args, "--dir", str(repo), "--sandbox"],
            env={"NO_COLOR": "1", "HH_TOKEN": None},
            catch_exceptions=False,
        )

    first = run("plan")
    assert first.exit_code == 0, first.output
    assert "Plan:" in first.output
    assert run("apply", "--yes").exit_code == 0
    assert (repo / ".resumesync" / "sandbox.json").exists()
    assert "No changes" in run("plan").output
    created = repo / "resumes" / "data-analyst.yaml"
    assert (
        created.read_bytes() != (EXAMPLES / "basic" / "resumes" / "data-analyst.yaml").read_bytes()
    )
    reset = CliRunner().invoke(cli, ["sandbox", "--reset", "--dir", str(repo)])
    assert reset.exit_code == 0
    # the resume the sandbox created is gone with the reset: so is its id line in the file
    assert (
        created.read_bytes() == (EXAMPLES / "basic" / "resumes" / "data-analyst.yaml").read_bytes()
    )
    assert "+ create resume data-analyst" in run("plan").output


def test_a_plan_saved_with_sandbox_applies_with_sandbox(repo: Path) -> None:
    """Every --sandbox run listens on a new port: the plan names the sandbox, not the port."""

    def run(*args: str):
        return CliRunner().invoke(
            cli,
            [*args, "--dir", str(repo)],
            env={"NO_COLOR": "1", "HH_TOKEN": None, "HH_API_URL": None},
            catch_exceptions=False,
        )

    plan_file = repo / "plan.json"
    assert run("plan", "--sandbox", "--out", str(plan_file)).exit_code == 0
    assert json.loads(plan_file.read_text())["api_url"] == "sandbox"
    applied = run("apply", "--sandbox", str(plan_file))
    assert applied.exit_code == 0, applied.output
    assert "Applied 11 of 11 changes." in applied.output
    assert "No changes" in run("plan", "--sandbox").output

    assert run("plan", "--sandbox", "--out", str(plan_file)).exit_code == 0
    elsewhere = run("apply", "--token", "USERx", "--api-url", "http://127.0.0.1:9", str(plan_file))
    assert elsewhere.exit_code == 1
    assert "the plan was made for sandbox, not http://127.0.0.1:9" in elsewhere.output


def test_a_damaged_sandbox_state_is_a_clear_error(repo: Path) -> None:
    state = repo / ".resumesync" / "sandbox.json"
    state.parent.mkdir()
    state.write_text("{broken")
    result = CliRunner().invoke(cli, ["plan", "--dir", str(repo), "--sandbox"])
    assert result.exit_code == 1
    assert "sandbox --reset" in result.output
    assert "Traceback" not in result.output


def test_sandbox_command_serves_the_api_until_interrupted() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "resumesync.cli", "sandbox", "--token", "USERcli"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in range(4)]
        url = next(line.split("=", 1)[1].strip() for line in lines if "HH_API_URL=" in line)
        assert any("HH_TOKEN=USERcli" in line for line in lines)
        answer = httpx.get(
            f"{url}/resumes/mine",
            headers={"Authorization": "Bearer USERcli", "HH-User-Agent": "test/1.0"},
        )
        assert answer.status_code == 200
        assert answer.json()["found"] == 4
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0


def test_import_then_plan_is_empty_and_import_refuses_to_overwrite(harness: Harness) -> None:
    target = harness.repo.parent / "imported"
    target.mkdir()
    harness.repo = target
    imported = harness.run("import")
    assert imported.exit_code == 0, imported.output
    assert (target / "visibility.yaml").exists()
    assert harness.writes() == []
    assert harness.run("plan", "--detailed-exitcode").exit_code == 0
    again = harness.run("import")
    assert again.exit_code == 1
    assert "--force" in again.output
    assert harness.run("import", "--force").exit_code == 0


def test_import_takes_the_api_url_from_the_environment_before_resumesync_yaml(
    harness: Harness,
) -> None:
    target = harness.repo.parent / "imported"
    target.mkdir()
    (target / "resumesync.yaml").write_text("api_url: http://127.0.0.1:9\n")  # nothing listens
    result = CliRunner().invoke(
        cli,
        ["import", "--dir", str(target)],
        env={"HH_API_URL": harness.sandbox.url, "HH_TOKEN": TOKEN, "NO_COLOR": "1"},
    )
    assert result.exit_code == 0, result.output
    assert (target / "visibility.yaml").exists()
