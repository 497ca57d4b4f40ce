"""Plan files: round trip, schema validity, refusal of damaged files, mode 0600."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import jsonschema
import pytest

from resumesync.model import Plan, PublishMode, ResumeSummary
from resumesync.planfile import dump_plan, load_plan, plan_to_json, write_plan_file
from resumesync.planner import build_plan
from resumesync.problems import ProblemsError
from resumesync.resources import load_schema

from .builders import BACKEND, DATA, desired, desired_state, dlist, live, live_state


def rich_plan() -> Plan:
    return build_plan(
        desired_state(
            desired(
                fields={"title": "Senior", "skill_set": ["Python", "Go"]},
                access="clients",
                publish=PublishMode.ONCE,
                lists=[
                    dlist("blacklist", [str(i) for i in range(250)], names={"0": "Zero"}),
                    dlist("whitelist", []),
                ],
            ),
            desired(
                "data-engineer",
                DATA,
                lists=[dlist("whitelist", ["1"], exact=False)],
                publish=PublishMode.RENEW,
            ),
        ),
        live_state(
            live(BACKEND, status="not_published", whitelist=["5", "6"]),
            live(DATA, whitelist=["7"]),
            extra_account=(ResumeSummary("ffff", "QA"),),
        ),
    )


def test_round_trip() -> None:
    plan = rich_plan()
    assert {change.action.value for change in plan.changes} == {
        "update",
        "list_add",
        "list_clear",
        "publish",
    }
    assert load_plan(dump_plan(plan), "plan.json") == plan


def test_every_plan_json_is_schema_valid() -> None:
    schema = load_schema("plan.schema.json")
    jsonschema.Draft202012Validator.check_schema(schema)
    for plan in (rich_plan(), build_plan(desired_state(desired()), live_state(live()))):
        jsonschema.validate(plan_to_json(plan), schema)


def test_shape_follows_the_design() -> None:
    data = plan_to_json(rich_plan())
    assert data["format_version"] == 1
    assert data["fingerprint"].startswith("sha256:")
    assert data["checksum"].startswith("sha256:")
    update = next(c for c in data["changes"] if c["action"] == "update")
    assert update["method"] == "PUT" and update["path"] == f"/resumes/{BACKEND}"
    assert update["diff"]["title"] == {"old": "Python developer", "new": "Senior"}
    add = next(c for c in data["changes"] if c["action"] == "list_add")
    assert add["list"] == "blacklist" and add["body"]["items"][0] == {"id": "0"}


def test_tampered_file_is_refused() -> None:
    data = json.loads(dump_plan(rich_plan()))
    update = next(c for c in data["changes"] if c["action"] == "update")
    update["body"]["title"] = "Something else"
    with pytest.raises(ProblemsError, match="checksum does not match"):
        load_plan(json.dumps(data), "plan.json")


def test_truncated_file_is_refused() -> None:
    text = dump_plan(rich_plan())
    with pytest.raises(ProblemsError, match=r"plan\.json: .*invalid JSON"):
        load_plan(text[: len(text) // 2], "plan.json")


def test_wrong_format_version_is_refused() -> None:
    data = json.loads(dump_plan(rich_plan()))
    data["format_version"] = 2
    with pytest.raises(ProblemsError, match="format_version 2"):
        load_plan(json.dumps(data), "plan.json")


def test_missing_format_version_is_refused() -> None:
    with pytest.raises(ProblemsError, match="no format_version"):
        load_plan('{"changes": []}', "plan.json")


def test_schema_violation_is_refused_with_its_path() -> None:
    data = json.loads(dump_plan(rich_plan()))
    data["changes"][0]["action"] = "delete_everything"
    with pytest.raises(ProblemsError, match=r"changes\[0\]\.action"):
        load_plan(json.dumps(data), "plan.json")


def test_not_an_object_is_refused() -> None:
    with pytest.raises(ProblemsError, match="expected a JSON object"):
        load_plan("[]", "plan.json")


def test_written_with_mode_0600(tmp_path: Path) -> None:
    target = tmp_path / "plan.json"
    target.write_text("old")
    os.chmod(target, 0o644)
    plan = rich_plan()
    write_plan_file(target, plan)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert load_plan(target.read_text(encoding="utf-8"), str(target)) == plan
