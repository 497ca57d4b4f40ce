"""`plan --format json` on stdout hides personal data as text and markdown do (issue 11 §7);
the plan file keeps what apply needs."""

from __future__ import annotations

import json
import shutil
import stat
from pathlib import Path

import jsonschema
from click.testing import CliRunner

from resumesync.cli import cli
from resumesync.render.redact import SENSITIVE, redact_plan_json
from resumesync.resources import load_schema

from .conftest import EXAMPLES, Harness

EMAIL = "new.address@example.com"
PHONE = "7654321"
BIRTH_DATE = "1991-05-18"


def changed_personal_data(harness: Harness) -> dict[str, str]:
    """A birth date and contacts that differ from the sandbox account's."""
    base = harness.repo / "resumes" / "_base.yaml"
    base.write_text(
        base.read_text().replace('birth_date: "1990-04-17"', f'birth_date: "{BIRTH_DATE}"')
    )
    return {"HH_EMAIL": EMAIL, "HH_PHONE_NUMBER": PHONE}


def test_json_on_stdout_redacts_contacts_and_birth_date(harness: Harness) -> None:
    env = changed_personal_data(harness)
    result = harness.run("plan", "--format", "json", env=env)
    assert result.exit_code == 0, result.output
    for secret in (EMAIL, PHONE, BIRTH_DATE, "1990-04-17", "ivan.petrov@example.com", "1234567"):
        assert secret not in result.stdout
    document = json.loads(result.stdout)
    jsonschema.validate(document, load_schema("plan.schema.json"))
    assert document["redacted"] is True
    # every resume but the draft team-lead extends the base; data-analyst is updated right
    # after its creation
    updates = [
        c for c in document["changes"] if c["action"] == "update" and c["resume"] != "team-lead"
    ]
    assert len(updates) == 3
    for update in updates:
        assert update["body"]["birth_date"] == SENSITIVE
        assert update["diff"]["birth_date"] == {"old": SENSITIVE, "new": SENSITIVE}
        contacts = update["body"]["contact"]
        assert {c["type"]["id"] for c in contacts} == {"email", "cell"}  # types stay visible
        assert all(c["value"] == SENSITIVE for c in contacts)
        for side in ("old", "new"):
            assert all(c["value"] == SENSITIVE for c in update["diff"]["contact"][side])
    assert any("title" in update["body"] for update in updates)  # the rest is shown


def test_show_sensitive_prints_the_values(harness: Harness) -> None:
    env = changed_personal_data(harness)
    result = harness.run("plan", "--format", "json", "--show-sensitive", env=env)
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert "redacted" not in document
    assert EMAIL in result.stdout and BIRTH_DATE in result.stdout


def test_the_plan_file_keeps_the_values_and_applies(harness: Harness) -> None:
    env = changed_personal_data(harness)
    out = harness.repo / "plan.json"
    result = harness.run("plan", "--format", "json", "--out", str(out), env=env)
    assert result.exit_code == 0, result.output
    assert EMAIL not in result.stdout
    saved = out.read_text()
    assert EMAIL in saved and BIRTH_DATE in saved and "redacted" not in json.loads(saved)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    applied = harness.run("apply", str(out), env=env)
    assert applied.exit_code == 0, applied.output
    resume = next(r for r in harness.account().to_json()["resumes"].values() if r.get("birth_date"))
    assert resume["birth_date"] == BIRTH_DATE


def test_a_redacted_plan_cannot_be_applied(harness: Harness) -> None:
    env = changed_personal_data(harness)
    printed = harness.repo / "printed.json"
    printed.write_text(harness.run("plan", "--format", "json", env=env).stdout)
    result = harness.run("apply", str(printed), env=env)
    assert result.exit_code == 1
    assert "cannot be applied" in result.output
    assert "plan --out" in result.output
    assert harness.writes() == []


def test_redaction_keeps_nulls_and_other_fields() -> None:
    data = {
        "changes": [
            {
                "body": {
                    "birth_date": None,
                    "contact": [{"type": {"id": "email"}, "value": "a@b"}],
                },
                "diff": {
                    "birth_date": {"old": "2000-01-01", "new": None},
                    "title": {"old": "A", "new": "B"},
                },
            }
        ]
    }
    redacted = redact_plan_json(data)
    change = redacted["changes"][0]
    assert change["body"] == {
        "birth_date": None,
        "contact": [{"type": {"id": "email"}, "value": SENSITIVE}],
    }
    assert change["diff"]["birth_date"] == {"old": SENSITIVE, "new": None}
    assert change["diff"]["title"] == {"old": "A", "new": "B"}
    assert data["changes"][0]["body"]["contact"][0]["value"] == "a@b"  # the input is untouched


def test_every_profile_of_a_json_plan_is_redacted(tmp_path: Path) -> None:
    team = shutil.copytree(EXAMPLES / "team", tmp_path / "team")
    result = CliRunner().invoke(
        cli,
        ["plan", "--sandbox", "--dir", str(team), "--format", "json"],
        env={"NO_COLOR": "1", "HH_TOKEN": None, "HH_EMAIL": EMAIL},
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert set(document) == {"anna", "boris"}
    assert all(plan["redacted"] is True for plan in document.values())
    assert EMAIL not in result.stdout and "ivan.petrov@example.com" not in result.stdout
