"""Files without `id` create resumes, over real HTTP against the sandbox."""

from __future__ import annotations

from pathlib import Path

import yaml

from resumesync.sandbox import Account, SandboxConfig, running_sandbox

from .support import TOKEN, added_lines, repository_to_create, run


def writes(sandbox) -> list:
    return [r for r in sandbox.requests if r.method != "GET"]


def test_an_empty_account_reaches_the_files_state_and_the_replan_is_empty(tmp_path: Path) -> None:
    repo = repository_to_create(tmp_path / "repo")
    before = {p.name: p.read_bytes() for p in (repo / "resumes").glob("[!_]*.yaml")}
    with running_sandbox(SandboxConfig(accounts={TOKEN: Account()})) as sandbox:
        planned = run(sandbox.url, "plan", repo)
        assert writes(sandbox) == []  # a plan writes nothing
        applied = run(sandbox.url, "apply", repo, "--yes")
        account = sandbox.account(TOKEN)
        replan = run(sandbox.url, "plan", repo, "--detailed-exitcode")
        errors = sandbox.internal_errors

    assert planned.exit_code == 0, planned.output
    backend = planned.output.index("+ resume backend (new)")
    assert planned.output.index("+ create resume backend", backend) < planned.output.index(
        "+ blacklist 1455 (HeadHunter)", backend
    )
    assert "    publish (first publication)" in planned.output
    assert "Plan: 2 resumes to create, 0 resumes to update, 2 to publish" in planned.output
    assert applied.exit_code == 0, applied.output
    assert replan.exit_code == 0, replan.output
    assert "No changes" in replan.output
    assert errors == []
    assert len(account.resumes) == 2
    ids = {}
    for name, content in before.items():
        after = (repo / "resumes" / name).read_bytes()
        (line,) = added_lines(content, after)  # exactly one added line, nothing else moved
        resume_id = yaml.safe_load(line)["id"]
        ids[name] = resume_id
        assert f"wrote `id: {resume_id}` into resumes/{name}: commit it" in applied.output
    backend_resume = account.resumes[ids["backend.yaml"]]
    assert backend_resume.fields["title"] == "Senior Python developer"
    assert backend_resume.state.status == "published"
    assert backend_resume.blacklist == ["1455", "3529", "78638"]
    assert account.resumes[ids["data-engineer.yaml"]].whitelist == ["1740", "3776"]
    assert not (repo / ".resumesync" / "creating.json").exists()


def test_the_id_line_is_the_only_change_byte_for_byte(tmp_path: Path) -> None:
    repo = repository_to_create(tmp_path / "repo")
    (repo / "visibility.yaml").unlink()
    (repo / "resumes" / "data-engineer.yaml").unlink()
    path = repo / "resumes" / "backend.yaml"
    # comments, odd quoting, blank lines, CRLF line ends and no final newline-less tricks
    original = (
        b"# yaml-language-server: $schema=../../../schemas/resume.schema.json\r\n"
        b"\r\n"
        b"# my main resume\r\n"
        b"extends: '_base.yaml'   # shared\r\n"
        b'title: "Senior Python developer"\r\n'
        b"\r\n"
        b"salary: {amount: 350000,   currency: RUR}\r\n"
        b"skill_set:\r\n"
        b"  - Python    # first\r\n"
        b"  - 'asyncio'\r\n"
    )
    path.write_bytes(original)
    with running_sandbox(SandboxConfig(accounts={TOKEN: Account()})) as sandbox:
        applied = run(sandbox.url, "apply", repo, "--yes")
        (resume_id,) = sandbox.account(TOKEN).resumes
        replan = run(sandbox.url, "plan", repo, "--detailed-exitcode")
    assert applied.exit_code == 0, applied.output
    expected = original.replace(
        b"# my main resume\r\nextends",
        b"# my main resume\r\nid: " + resume_id.encode() + b"\r\nextends",
    )
    assert path.read_bytes() == expected
    assert replan.exit_code == 0, replan.output


def test_a_clone_copies_its_source_then_sends_only_what_differs(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repository_to_create(repo)
    example = Path(__file__).resolve().parents[2] / "examples" / "basic" / "resumes"
    for name in ("backend.yaml", "data-engineer.yaml"):
        (repo / "resumes" / name).write_bytes((example / name).read_bytes())
    (repo / "resumes" / "team-lead.yaml").write_text(
        "clone: backend\nextends: _base.yaml\ntitle: Python team lead\n", encoding="utf-8"
    )
    with running_sandbox(SandboxConfig(accounts={TOKEN: Account.example()})) as sandbox:
        planned = run(sandbox.url, "plan", repo)
        sandbox.clear_requests()
        applied = run(sandbox.url, "apply", repo, "--yes")
        log = [r for r in sandbox.requests if r.method != "GET"]
        account = sandbox.account(TOKEN)
        replan = run(sandbox.url, "plan", repo, "--detailed-exitcode")

    assert planned.exit_code == 0, planned.output
    section = planned.output[planned.output.index("+ resume team-lead (new)") :]
    assert section.splitlines()[1] == "    + create resume team-lead as a copy of backend"
    assert '~ title: "Python developer" -> "Python team lead"' in section
    assert applied.exit_code == 0, applied.output
    (created,) = [r for r in log if r.path == "/resumes"]
    assert created.query == {"source_resume_id": ["7f3c9a1e5b2d4c6e8a0f1b3d5e7a9c2e4f6a8b"]}
    new_id = next(rid for rid in account.resumes if rid not in Account.example().resumes)
    (put,) = [r for r in log if r.method == "PUT" and r.path == f"/resumes/{new_id}"]
    # the base's fields are the copy's already: only the title differs from the source
    assert put.body == {"title": "Python team lead"}
    assert "experience" not in put.body and "contact" not in put.body
    assert account.resumes[new_id].fields["title"] == "Python team lead"
    text = (repo / "resumes" / "team-lead.yaml").read_text(encoding="utf-8")
    assert text == f"id: {new_id}\nclone: backend\nextends: _base.yaml\ntitle: Python team lead\n"
    assert replan.exit_code == 0, replan.output


def test_creating_more_resumes_than_the_account_may_hold_is_refused(tmp_path: Path) -> None:
    repo = repository_to_create(tmp_path / "repo")
    account = Account(max_resumes=1)
    with running_sandbox(SandboxConfig(accounts={TOKEN: account})) as sandbox:
        planned = run(sandbox.url, "plan", repo)
        applied = run(sandbox.url, "apply", repo, "--yes")
        reads = [r.path for r in sandbox.requests]
        written = writes(sandbox)
    for result in (planned, applied):
        assert result.exit_code == 1
        assert (
            "resumes/backend.yaml:2: 2 resumes to create, but the account may create 1 more "
            "(at most 1 resumes)" in result.output
        )
    assert written == []
    assert "/resumes/creation_availability" in reads and "/resume_conditions" in reads


def test_plans_without_new_resumes_do_not_ask_about_creation(tmp_path: Path) -> None:
    import shutil

    from .support import EXAMPLES

    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLES / "basic", repo)
    (repo / "resumes" / "data-analyst.yaml").unlink()
    with running_sandbox(SandboxConfig(accounts={TOKEN: Account.example()})) as sandbox:
        planned = run(sandbox.url, "plan", repo)
        reads = [r.path for r in sandbox.requests]
    assert planned.exit_code == 0, planned.output
    assert "/resumes/creation_availability" not in reads and "/resume_conditions" not in reads


def test_clone_must_name_an_existing_resume_file(tmp_path: Path) -> None:
    repo = repository_to_create(tmp_path / "repo")
    (repo / "resumes" / "lead.yaml").write_text("clone: backnd\ntitle: Lead\n", encoding="utf-8")
    (repo / "resumes" / "copy.yaml").write_text("clone: backend\ntitle: Copy\n", encoding="utf-8")
    with running_sandbox(SandboxConfig(accounts={TOKEN: Account()})) as sandbox:
        planned = run(sandbox.url, "plan", repo)
        requests = sandbox.requests
    assert planned.exit_code == 1
    assert (
        "resumes/lead.yaml:1: clone: no other resume file has the key `backnd`; "
        "did you mean `backend`?" in planned.output
    )
    assert (
        "resumes/copy.yaml:1: clone: `backend` is itself a resume to create: clone a resume "
        "that exists (apply once, then add `clone`)"
    ) in planned.output
    assert requests == []


def test_a_create_whose_answer_is_lost_is_not_sent_twice_and_the_next_apply_adopts_it(
    tmp_path: Path,
) -> None:
    """Every other write is idempotent and retried after a dropped connection; a second POST
    /resumes would be a second resume. The lost answer leaves the intent record instead."""
    repo = repository_to_create(tmp_path / "repo")
    (repo / "resumes" / "data-engineer.yaml").unlink()
    (repo / "visibility.yaml").unlink()
    with running_sandbox(SandboxConfig(accounts={TOKEN: Account()})) as sandbox:
        hold = sandbox.hold(1, stage="after", match=lambda a: a.path == "/resumes")
        hold.drop()  # applied, then the connection closes without an answer
        failed = run(sandbox.url, "apply", repo, "--yes")
        posts = [r for r in sandbox.requests if r.path == "/resumes"]
        planned = run(sandbox.url, "plan", repo)
        again = run(sandbox.url, "apply", repo, "--yes")
        account = sandbox.account(TOKEN)
    assert failed.exit_code == 1, failed.output
    assert len(posts) == 1, failed.output  # not retried
    assert "+ adopt resume backend" in planned.output
    assert again.exit_code == 0, again.output
    assert len(account.resumes) == 1


def test_a_saved_plan_creates_the_resumes_it_was_made_with(tmp_path: Path) -> None:
    repo = repository_to_create(tmp_path / "repo")
    plan_file = tmp_path / "plan.json"
    with running_sandbox(SandboxConfig(accounts={TOKEN: Account()})) as sandbox:
        saved = run(sandbox.url, "plan", repo, "--out", str(plan_file))
        applied = run(sandbox.url, "apply", repo, str(plan_file))
        count = len(sandbox.account(TOKEN).resumes)
        replan = run(sandbox.url, "plan", repo, "--detailed-exitcode")
    assert saved.exit_code == 0, saved.output
    assert applied.exit_code == 0, applied.output
    assert count == 2
    assert replan.exit_code == 0, replan.output


def test_a_new_resume_that_cannot_be_published_yet_is_saved_as_a_draft(tmp_path: Path) -> None:
    """The rules of a new resume (GET /resume_conditions) decide what it lacks to be
    published: `publish: true` is refused at plan time, naming the field; as a draft
    (`publish: false`) a saved plan of it creates it, read again the same way (not stale)."""
    repo = repository_to_create(tmp_path / "repo")
    (repo / "resumes" / "data-engineer.yaml").unlink()
    (repo / "visibility.yaml").unlink()
    backend = repo / "resumes" / "backend.yaml"
    backend.write_text(backend.read_text().replace("publish: renew", "publish: true"), "utf-8")
    base = repo / "resumes" / "_base.yaml"  # professional_roles (needed to publish) is gone
    base.write_text(
        "".join(
            line
            for line in base.read_text(encoding="utf-8").splitlines(keepends=True)
            if not line.startswith("professional_roles:")
        ),
        encoding="utf-8",
    )
    plan_file = tmp_path / "plan.json"
    with running_sandbox(SandboxConfig(accounts={TOKEN: Account()})) as sandbox:
        refused = run(sandbox.url, "plan", repo)
        backend.write_text(backend.read_text().replace("publish: true", "publish: false"), "utf-8")
        saved = run(sandbox.url, "plan", repo, "--out", str(plan_file))
        applied = run(sandbox.url, "apply", repo, str(plan_file))
        account = sandbox.account(TOKEN)
    assert refused.exit_code == 1
    assert "mandatory fields are empty: professional_roles" in refused.output
    assert saved.exit_code == 0, saved.output
    assert "publish (first publication)" not in saved.output
    assert applied.exit_code == 0, applied.output
    (resume,) = account.resumes.values()
    assert resume.state.status == "not_published"
    assert backend.read_text(encoding="utf-8").count("\nid: ") == 1


def test_the_markdown_plan_shows_a_new_resume_as_one_to_create(tmp_path: Path) -> None:
    repo = repository_to_create(tmp_path / "repo")
    with running_sandbox(SandboxConfig(accounts={TOKEN: Account()})) as sandbox:
        planned = run(sandbox.url, "plan", repo, "--format", "markdown")
    assert planned.exit_code == 0, planned.output
    assert "### + resume backend (new)" in planned.output
    assert "+ create resume backend" in planned.output
