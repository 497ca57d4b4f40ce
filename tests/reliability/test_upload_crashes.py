"""A crash while uploading an image never leaves a second artifact: `resumesync apply --yes`
killed with SIGKILL before the POST /artifacts, after it (applied, answer not yet received),
while hh.ru is still processing the image (the POST had answered), and after the lock
write. The next plan uploads only what was never uploaded and adopts what was
(`+ adopt photo ...`); the next apply finishes with exactly one artifact, the lock names it,
the resume shows it, and the plan after it is empty.

The kill points are exact: a hold in the sandbox stops the request inside the server.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import httpx
import pytest

from resumesync.sandbox import Account, SandboxConfig, running_sandbox
from resumesync.sandbox.holds import Arrival

from .support import (
    HOLD_WAIT,
    PROCESS_TIMEOUT,
    TOKEN,
    apply_args,
    invoke,
    kill_apply_when_held,
    replan_exit_code,
    start_cli,
)

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "basic"
BACKEND = "7f3c9a1e5b2d4c6e8a0f1b3d5e7a9c2e4f6a8b"
WAIT = HOLD_WAIT
INTENTS = Path(".resumesync") / "uploading.json"
LOCK = Path("resumesync.lock")
ELSEWHERE = "elsewhere/1.0"  # another client of the account (hh.ru's own site)


def repository(directory: Path) -> Path:
    """examples/basic without the resume to create: backend shows images/me.png, which the
    account does not have yet."""
    shutil.copytree(EXAMPLE, directory)
    (directory / "resumes" / "data-analyst.yaml").unlink()
    return directory


def is_upload(arrival: Arrival) -> bool:
    return arrival.method == "POST" and arrival.path == "/artifacts"


def is_poll(arrival: Arrival) -> bool:
    return arrival.method == "GET" and arrival.path == "/artifacts/photo"


def is_resume_write(arrival: Arrival) -> bool:
    return arrival.is_write and arrival.path.startswith("/resumes/")


# point -> (what to hold, stage, which of them)
POINTS = {
    "before-post": (is_upload, "before", 1),
    "after-post-before-answer": (is_upload, "after", 1),
    "while-processing": (is_poll, "before", 2),  # the plan's read, then the apply's poll
    "after-lock-write": (is_resume_write, "before", 1),
}


def kill_at(sandbox, repo: Path, point: str) -> None:
    match, stage, nth = POINTS[point]
    kill_apply_when_held(sandbox, repo, nth, stage, match)


def intent(repo: Path) -> dict:
    (item,) = json.loads((repo / INTENTS).read_text(encoding="utf-8"))["uploading"].values()
    return item


@pytest.mark.parametrize("point", list(POINTS))
def test_an_upload_killed_anywhere_is_finished_by_the_next_apply_without_a_second_artifact(
    tmp_path: Path, point: str
) -> None:
    repo = repository(tmp_path / "repo")
    account = Account.example()
    account.artifact_polls = 1 if point == "while-processing" else 0  # one poll: processing
    with running_sandbox(SandboxConfig(accounts={TOKEN: account})) as sandbox:
        kill_at(sandbox, repo, point)
        killed = sandbox.account(TOKEN)
        intent_left = intent(repo) if (repo / INTENTS).exists() else None
        lock_after_kill = (repo / LOCK).exists()
        planned = invoke(sandbox.url, "plan", "--dir", str(repo), "--max-rps", "1000")
        sandbox.clear_requests()
        again = invoke(sandbox.url, *apply_args(repo))
        uploads = [r for r in sandbox.requests if r.method == "POST" and r.path == "/artifacts"]
        converged = sandbox.account(TOKEN)
        replan, replan_output = replan_exit_code(sandbox.url, repo)
        errors = sandbox.internal_errors

    assert len(killed.artifacts) == (0 if point == "before-post" else 1)
    if point == "after-lock-write":
        assert lock_after_kill and intent_left is None  # locked: the record is gone
    else:
        assert not lock_after_kill
        assert intent_left is not None  # recorded before the POST
        assert intent_left["known_ids"] == []  # the account had no photo before
        # the POST's answer, once it came, is in the record: no guessing then
        (made,) = killed.artifacts or [""]
        assert intent_left["artifact_id"] == (made if point == "while-processing" else "")
    if point in ("after-post-before-answer", "while-processing"):
        (artifact_id,) = killed.artifacts
        assert (
            f"+ adopt photo resumes/images/me.png (artifact {artifact_id}): an earlier apply "
            "uploaded this image and stopped before writing resumesync.lock; apply writes it "
            "into resumesync.lock"
        ) in planned.output
        assert "+ upload photo" not in planned.output
        assert uploads == []
    if point == "before-post":
        assert "+ upload photo resumes/images/me.png" in planned.output
        assert len(uploads) == 1
    if point == "after-lock-write":
        assert "+ upload photo" not in planned.output and "+ adopt photo" not in planned.output
        assert uploads == []
    assert again.exit_code == 0, again.output
    (artifact_id,) = converged.artifacts  # exactly one artifact: never a second upload
    assert converged.artifacts[artifact_id].state == "ok"
    assert converged.resumes[BACKEND].fields["photo"]["id"] == artifact_id
    lock = json.loads((repo / LOCK).read_text(encoding="utf-8"))["artifacts"]
    assert [entry["id"] for entry in lock.values()] == [artifact_id]
    assert not (repo / INTENTS).exists()
    assert replan == 0, replan_output
    assert errors == []


def test_an_upload_whose_answer_is_lost_is_not_sent_twice_and_the_next_apply_adopts_it(
    tmp_path: Path,
) -> None:
    """POST /artifacts is never retried once it may have reached the server; the lost answer
    leaves the intent record, and the next plan adopts the artifact."""
    repo = repository(tmp_path / "repo")
    with running_sandbox(SandboxConfig(accounts={TOKEN: Account.example()})) as sandbox:
        hold = sandbox.hold(1, stage="after", match=is_upload)
        hold.drop()  # applied, then the connection closes without an answer
        failed = invoke(sandbox.url, *apply_args(repo))
        posts = [r for r in sandbox.requests if r.method == "POST" and r.path == "/artifacts"]
        planned = invoke(sandbox.url, "plan", "--dir", str(repo), "--max-rps", "1000")
        again = invoke(sandbox.url, *apply_args(repo))
        account = sandbox.account(TOKEN)
    assert failed.exit_code == 1, failed.output
    assert len(posts) == 1, failed.output  # not retried
    assert "+ adopt photo resumes/images/me.png" in planned.output
    assert again.exit_code == 0, again.output
    assert len(account.artifacts) == 1


def test_a_refused_upload_leaves_no_record(tmp_path: Path) -> None:
    """A 4xx answer made nothing: the record goes (a record left behind could later adopt
    an image uploaded on hh.ru itself)."""
    repo = repository(tmp_path / "repo")
    image = (repo / "resumes" / "images" / "me.png").read_bytes()
    headers = {"Authorization": f"Bearer {TOKEN}", "HH-User-Agent": ELSEWHERE}
    with running_sandbox(SandboxConfig(accounts={TOKEN: Account.example()})) as sandbox:
        gate = sandbox.gate(match=lambda a: is_upload(a) and a.user_agent != ELSEWHERE)
        process = start_cli(sandbox.url, *apply_args(repo))
        try:
            assert gate.wait_for(lambda waiting: len(waiting) == 1, WAIT)
            recorded = (repo / INTENTS).exists()
            # meanwhile the user fills the account's room for photos on hh.ru
            for _ in range(50):  # the sandbox holds up to 50 of a type
                httpx.post(
                    f"{sandbox.url}/artifacts",
                    data={"type": "photo"},
                    files={"file": ("x.png", image, "image/png")},
                    headers=headers,
                ).raise_for_status()
        finally:
            gate.open()
        out, err = process.communicate(timeout=PROCESS_TIMEOUT)
    assert recorded  # before the POST
    assert process.returncode == 1, out + err
    assert "HTTP 400" in out + err, out + err
    assert not (repo / INTENTS).exists()


def test_a_saved_plan_adopts_what_an_interrupted_apply_uploaded(tmp_path: Path) -> None:
    repo = repository(tmp_path / "repo")
    plan_file = tmp_path / "plan.json"
    with running_sandbox(SandboxConfig(accounts={TOKEN: Account.example()})) as sandbox:
        kill_at(sandbox, repo, "after-post-before-answer")
        (artifact_id,) = sandbox.account(TOKEN).artifacts
        saved = invoke(sandbox.url, "plan", "--dir", str(repo), "--out", str(plan_file))
        sandbox.clear_requests()
        applied = invoke(sandbox.url, "apply", "--dir", str(repo), str(plan_file))
        uploads = [r for r in sandbox.requests if r.method == "POST" and r.path == "/artifacts"]
        account = sandbox.account(TOKEN)
    assert saved.exit_code == 0, saved.output
    (adopt,) = [c for c in json.loads(plan_file.read_text())["changes"] if c["method"] == ""]
    assert adopt["action"] == "adopt_upload" and adopt["path"] == f"/artifacts/{artifact_id}"
    assert applied.exit_code == 0, applied.output
    assert uploads == []
    assert list(account.artifacts) == [artifact_id]
    assert account.resumes[BACKEND].fields["photo"]["id"] == artifact_id


def test_a_portfolio_upload_killed_after_an_earlier_one_is_matched_by_its_description(
    tmp_path: Path,
) -> None:
    """Two portfolio images in one apply: the second POST is applied and the apply killed.
    Its record knows the first one's artifact (POSTs of a type go one at a time), and the
    description it sent: the next plan adopts exactly the second artifact."""
    repo = repository(tmp_path / "repo")
    images = repo / "resumes" / "images"
    (images / "board.png").write_bytes((images / "me.png").read_bytes() + b"board")
    (images / "chart.png").write_bytes((images / "me.png").read_bytes() + b"chart")
    engineer = repo / "resumes" / "data-engineer.yaml"
    engineer.write_text(
        engineer.read_text(encoding="utf-8")
        + "portfolio:\n"
        + "  - {file: images/board.png, description: A Grafana board}\n"
        + "  - {file: images/chart.png, description: A ClickHouse chart}\n",
        encoding="utf-8",
    )

    # no photo: every upload is a portfolio one, so the second POST is the chart's
    backend = repo / "resumes" / "backend.yaml"
    text = backend.read_text(encoding="utf-8")
    backend.write_text(text.replace("photo: {file: images/me.png}", "photo: null"), "utf-8")
    with running_sandbox(SandboxConfig(accounts={TOKEN: Account.example()})) as sandbox:
        kill_apply_when_held(sandbox, repo, 2, "after", is_upload)
        killed = dict(sandbox.account(TOKEN).artifacts)
        planned = invoke(sandbox.url, "plan", "--dir", str(repo), "--max-rps", "1000")
        sandbox.clear_requests()
        again = invoke(sandbox.url, *apply_args(repo))
        uploads = [r for r in sandbox.requests if r.method == "POST" and r.path == "/artifacts"]
        account = sandbox.account(TOKEN)
        replan, replan_output = replan_exit_code(sandbox.url, repo)

    assert len(killed) == 2  # both portfolio images: the second one unanswered
    assert planned.output.count("+ adopt ") == 1, planned.output
    assert "+ upload" not in planned.output, planned.output
    assert again.exit_code == 0, again.output
    assert uploads == []
    assert set(account.artifacts) == set(killed)  # no second artifact of anything
    portfolio = account.resumes["2b4d6f8a0c1e3a5c7e9b1d3f5a7c9e1b3d5f7a"].fields["portfolio"]
    assert [entry["description"] for entry in portfolio] == [
        "A Grafana board",
        "A ClickHouse chart",
    ]
    lock = json.loads((repo / LOCK).read_text(encoding="utf-8"))["artifacts"]
    assert sorted(entry["id"] for entry in lock.values()) == sorted(killed)
    assert replan == 0, replan_output


def test_no_upload_of_a_type_follows_one_whose_answer_was_lost(tmp_path: Path) -> None:
    """Two photos: the first POST's answer is lost. The second is not sent in that apply (its
    record could not list the first one's artifact among those before it, and two records
    would then claim one artifact); the next apply adopts the first and uploads the second,
    and each resume shows its own photo."""
    repo = repository(tmp_path / "repo")
    images = repo / "resumes" / "images"
    (images / "other.png").write_bytes((images / "me.png").read_bytes() + b"other")
    engineer = repo / "resumes" / "data-engineer.yaml"
    text = engineer.read_text(encoding="utf-8")
    engineer.write_text(text + "photo: {file: images/other.png}\n", encoding="utf-8")
    with running_sandbox(SandboxConfig(accounts={TOKEN: Account.example()})) as sandbox:
        hold = sandbox.hold(1, stage="after", match=is_upload)
        hold.drop()  # the first upload is made, then its connection closes without an answer
        failed = invoke(sandbox.url, *apply_args(repo))
        first_posts = [r for r in sandbox.requests if r.method == "POST" and r.path == "/artifacts"]
        records = json.loads((repo / INTENTS).read_text(encoding="utf-8"))["uploading"]
        (first,) = sandbox.account(TOKEN).artifacts
        planned = invoke(sandbox.url, "plan", "--dir", str(repo), "--max-rps", "1000")
        again = invoke(sandbox.url, *apply_args(repo))
        account = sandbox.account(TOKEN)
        replan, replan_output = replan_exit_code(sandbox.url, repo)
    assert failed.exit_code == 1, failed.output
    assert len(first_posts) == 1, failed.output
    assert "was not uploaded: an earlier photo upload of this apply got no answer" in (
        failed.output
    )
    (record,) = records.values()  # the one whose outcome is unknown
    assert planned.output.count("+ adopt photo") == 1 and planned.output.count("+ upload") == 1
    assert again.exit_code == 0, again.output
    assert len(account.artifacts) == 2
    shown = {
        key: account.resumes[resume_id].fields["photo"]["id"]
        for key, resume_id in (
            ("backend", BACKEND),
            ("data-engineer", "2b4d6f8a0c1e3a5c7e9b1d3f5a7c9e1b3d5f7a"),
        )
    }
    lock = json.loads((repo / LOCK).read_text(encoding="utf-8"))["artifacts"]
    by_file = {entry["file"]: entry["id"] for entry in lock.values()}
    assert by_file[record["file"]] == first
    assert shown == {
        "backend": by_file["resumes/images/me.png"],
        "data-engineer": by_file["resumes/images/other.png"],
    }
    assert replan == 0, replan_output
