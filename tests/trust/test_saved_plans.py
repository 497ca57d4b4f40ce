"""§3 of issue 12: a plan file is data, not instructions.

`apply plan.json` rebuilds every call from the change's meaning with the code `plan` uses, and
applies only when the files and the live account produce exactly the same changes now. Each
reproduction edits a saved plan the way an attacker with write access to the file would,
recomputing its (unkeyed) checksum, and checks what reached the sandbox.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from resumesync.planfile import checksum
from resumesync.sandbox import RunningSandbox

from .conftest import BACKEND, DATA_ENGINEER, QUICK, invoke

SYSADMIN = "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e"  # on the account; no file manages it
MANY = [str(item) for item in range(2000, 2012)]


def common(repo: Path, sandbox: RunningSandbox) -> tuple[str, ...]:
    return ("--dir", str(repo), "--api-url", sandbox.url, *QUICK)


def set_visibility(repo: Path, edit: Callable[[dict[str, Any]], None]) -> None:
    path = repo / "visibility.yaml"
    data = yaml.safe_load(path.read_text())
    edit(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def save_plan(repo: Path, sandbox: RunningSandbox) -> Path:
    out = repo / "plan.json"
    result = invoke("plan", *common(repo, sandbox), "--out", str(out))
    assert result.exit_code == 0, result.output
    return out


def tamper(plan_file: Path, edit: Callable[[dict[str, Any]], None]) -> None:
    """Edit the plan and recompute its checksum, as anyone can."""
    data = json.loads(plan_file.read_text())
    edit(data)
    data["checksum"] = checksum(data)
    plan_file.write_text(json.dumps(data))


def calls(sandbox: RunningSandbox) -> list[tuple[str, str, dict[str, list[str]]]]:
    return [(r.method, r.path, r.query) for r in sandbox.requests if r.method != "GET"]


def long_blacklist(repo: Path, sandbox: RunningSandbox) -> None:
    """The backend resume's blacklist holds 15 employers, live and in the files."""

    def edit(data: dict[str, Any]) -> None:
        data["resumes"]["backend"]["blacklist"] += MANY

    set_visibility(repo, edit)
    result = invoke("apply", *common(repo, sandbox), "--yes")
    assert result.exit_code == 0, result.output
    assert len(sandbox.account().resumes[BACKEND].blacklist) == 15
    sandbox.clear_requests()


def test_an_edited_plan_cannot_clear_a_long_blacklist(repo: Path, sandbox: RunningSandbox) -> None:
    """Reproduction: a list_clear naming no employers cleared a 15-employer blacklist without
    --force (the guard counted `employers`, not what the path deletes)."""
    long_blacklist(repo, sandbox)
    plan_file = save_plan(repo, sandbox)
    clear = {
        "action": "list_clear",
        "resume": "backend",
        "resume_id": BACKEND,
        "method": "DELETE",
        "path": f"/resumes/{BACKEND}/blacklist",
        "list": "blacklist",
        "employers": [],
        "widens_visibility": True,
    }
    tamper(plan_file, lambda data: data["changes"].append(clear))
    result = invoke("apply", *common(repo, sandbox), str(plan_file))
    assert result.exit_code == 1
    assert "the plan is stale" in result.stderr
    assert calls(sandbox) == []
    assert len(sandbox.account().resumes[BACKEND].blacklist) == 15


def test_ids_hidden_in_a_query_string_are_not_removed(repo: Path, sandbox: RunningSandbox) -> None:
    """Reproduction: the path of a one-employer removal carried two more ids."""
    long_blacklist(repo, sandbox)

    def drop_one(data: dict[str, Any]) -> None:
        data["resumes"]["backend"]["blacklist"].remove(MANY[0])

    set_visibility(repo, drop_one)
    plan_file = save_plan(repo, sandbox)

    def hide(data: dict[str, Any]) -> None:
        (change,) = [c for c in data["changes"] if c["action"] == "list_remove"]
        assert change["employers"] == [MANY[0]]
        change["path"] += f"&id={MANY[1]}&id={MANY[2]}"

    tamper(plan_file, hide)
    sandbox.clear_requests()
    result = invoke("apply", *common(repo, sandbox), str(plan_file))
    assert result.exit_code == 0, result.output
    assert calls(sandbox) == [
        ("DELETE", f"/resumes/{BACKEND}/blacklist/employer", {"id": [MANY[0]]})
    ]
    blacklist = sandbox.account().resumes[BACKEND].blacklist
    assert MANY[0] not in blacklist and {MANY[1], MANY[2]} <= set(blacklist)


def test_an_edited_plan_cannot_touch_a_resume_no_file_manages(
    repo: Path, sandbox: RunningSandbox
) -> None:
    plan_file = save_plan(repo, sandbox)
    title_before = sandbox.account().resumes[SYSADMIN].fields["title"]
    intruder = {
        "action": "update",
        "resume": "backend",
        "resume_id": SYSADMIN,
        "method": "PUT",
        "path": f"/resumes/{SYSADMIN}",
        "body": {"title": "Hired elsewhere, call me"},
        "diff": {"title": {"old": title_before, "new": "Hired elsewhere, call me"}},
        "widens_visibility": False,
    }
    tamper(plan_file, lambda data: data["changes"].append(intruder))
    sandbox.clear_requests()
    result = invoke("apply", *common(repo, sandbox), str(plan_file))
    assert result.exit_code == 1
    assert "the plan is stale" in result.stderr
    assert calls(sandbox) == []
    assert sandbox.account().resumes[SYSADMIN].fields["title"] == title_before


def test_paths_in_the_file_are_never_sent(repo: Path, sandbox: RunningSandbox) -> None:
    """Reproduction: `..` in a path reached `PUT /me` and `POST /negotiations`, and `#` turned
    a list call into `DELETE /resumes/{id}` (which deletes a resume on hh.ru)."""

    def clear_whitelist(data: dict[str, Any]) -> None:
        data["resumes"]["data-engineer"]["whitelist"] = []

    set_visibility(repo, clear_whitelist)
    plan_file = save_plan(repo, sandbox)

    def redirect(data: dict[str, Any]) -> None:
        for change in data["changes"]:
            rid = change["resume_id"]
            if change["action"] == "update":
                change["path"] = f"/resumes/{rid}/../../me"
            elif change["action"] == "list_add":
                change["path"] = f"/resumes/{rid}/../../negotiations"
            elif change["action"] == "list_clear":
                change["path"] = f"/resumes/{rid}#/whitelist"

    tamper(plan_file, redirect)
    sandbox.clear_requests()
    result = invoke("apply", *common(repo, sandbox), str(plan_file))
    assert result.exit_code == 0, result.output
    sent = {(method, path) for method, path, _ in calls(sandbox)}
    assert not {path for _, path in sent} & {"/me", "/negotiations"}
    assert ("DELETE", f"/resumes/{DATA_ENGINEER}") not in sent
    assert ("DELETE", f"/resumes/{DATA_ENGINEER}/whitelist") in sent
    assert ("PUT", f"/resumes/{BACKEND}") in sent
    assert ("POST", f"/resumes/{BACKEND}/blacklist") in sent
    assert DATA_ENGINEER in sandbox.account().resumes


def test_a_plan_is_stale_when_the_files_changed(repo: Path, sandbox: RunningSandbox) -> None:
    """The files, not only the live account, must still produce the saved changes."""
    plan_file = save_plan(repo, sandbox)
    backend = repo / "resumes" / "backend.yaml"
    backend.write_text(backend.read_text().replace("Senior Python developer", "Staff engineer"))
    sandbox.clear_requests()
    result = invoke("apply", *common(repo, sandbox), str(plan_file))
    assert result.exit_code == 1
    assert "the plan is stale" in result.stderr
    assert calls(sandbox) == []


def test_an_edited_update_body_is_refused(repo: Path, sandbox: RunningSandbox) -> None:
    """A field the files do not declare (or a read-only one) never rides along in a PUT."""
    plan_file = save_plan(repo, sandbox)

    def add_field(data: dict[str, Any]) -> None:
        (update,) = [
            c for c in data["changes"] if c["action"] == "update" and c["resume"] == "backend"
        ]
        update["body"]["status"] = {"id": "published"}
        update["body"]["birth_date"] = "1970-01-01"

    tamper(plan_file, add_field)
    sandbox.clear_requests()
    result = invoke("apply", *common(repo, sandbox), str(plan_file))
    assert result.exit_code == 1
    assert "the plan is stale" in result.stderr
    assert calls(sandbox) == []


def test_policy_runs_on_what_will_be_sent(repo: Path, sandbox: RunningSandbox) -> None:
    """A plan saved before `protect` named an employer is refused once it does."""
    assert invoke("apply", *common(repo, sandbox), "--yes").exit_code == 0

    def expose(data: dict[str, Any]) -> None:
        data["protect"] = []
        del data["defaults"]

    set_visibility(repo, expose)
    plan_file = save_plan(repo, sandbox)  # removes 1455 from the backend blacklist
    set_visibility(repo, lambda data: data.update(protect=["1455"]))
    sandbox.clear_requests()
    result = invoke("apply", *common(repo, sandbox), str(plan_file), "--force")
    assert result.exit_code == 1
    assert "protected employer 1455 could find it" in result.stderr
    assert calls(sandbox) == []
