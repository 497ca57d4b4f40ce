"""Plan files: the plan as JSON (`schemas/plan.schema.json`), written and read back safely.

A saved plan is applied later, maybe on another machine, so reading one is strict: invalid JSON,
a schema violation, an unknown `format_version` or a checksum that does not match (an edited or
truncated file) are refused with a clear message. The checksum is "sha256:<hex>" over the
canonical JSON (sorted keys, no whitespace) of every other key.

The checksum has no key: anyone who can edit the file can recompute it, so it only catches
damage. What makes an edited file harmless is that a loaded plan is data: apply never sends
its methods, paths or bodies, but plans again and compares (applied.replan_saved).
"""

from __future__ import annotations

import json
import os
from typing import Any

from resumesync.credentials import Secrets
from resumesync.fingerprint import canonical_json, sha256
from resumesync.model import Action, Change, Notice, NoticeKind, Plan
from resumesync.problems import Problem, ProblemsError, dotted
from resumesync.resources import load_schema

FORMAT_VERSION = 1
SCHEMA = "plan.schema.json"


def plan_to_json(plan: Plan) -> dict[str, Any]:
    """The plan as JSON data, with its checksum."""
    data: dict[str, Any] = {
        "format_version": FORMAT_VERSION,
        "fingerprint": plan.fingerprint,
        "api_url": plan.api_url,
        "changes": [_change_to_json(change) for change in plan.changes],
        "notices": [_notice_to_json(notice) for notice in plan.notices],
        "employer_names": dict(sorted(plan.employer_names.items())),
    }
    data["checksum"] = checksum(data)
    return data


def dump_plan(plan: Plan) -> str:
    """The plan file's text (indented JSON, a final newline)."""
    return json.dumps(plan_to_json(plan), indent=2, ensure_ascii=False) + "\n"


def checksum(data: dict[str, Any]) -> str:
    return sha256(canonical_json({key: value for key, value in data.items() if key != "checksum"}))


def load_plan(text: str, source: str) -> Plan:
    """Read a plan file's text; `source` names it in error messages."""

    def refuse(message: str) -> ProblemsError:
        return ProblemsError([Problem(f"{source}: {message}")])

    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise refuse(
            f"not a plan file: invalid JSON at line {error.lineno} ({error.msg}); "
            "the file may be truncated"
        ) from None
    except RecursionError:  # a hostile file nested 100,000 deep
        raise refuse("not a plan file: JSON nested too deep") from None
    if not isinstance(data, dict):
        raise refuse("not a plan file: expected a JSON object")
    if "format_version" not in data:
        raise refuse("not a plan file: no format_version")
    version = data["format_version"]
    if version != FORMAT_VERSION:
        raise refuse(
            f"unsupported plan format_version {version!r}; this resumesync reads "
            f"format_version {FORMAT_VERSION}: run `resumesync plan --out` again"
        )
    if data.get("redacted") is True:
        raise refuse(
            "this plan was printed with contact values and birth date hidden "
            "(`plan --format json`), so it cannot be applied: save the plan with "
            "`resumesync plan --out FILE`"
        )
    import jsonschema  # only when a plan file is read: not on every plan's import path

    validator = jsonschema.Draft202012Validator(load_schema(SCHEMA))
    errors = sorted(validator.iter_errors(data), key=lambda error: str(list(error.absolute_path)))
    if errors:
        raise ProblemsError(
            [
                Problem(
                    f"{source}: not a valid plan: "
                    f"{dotted(tuple(error.absolute_path)) or '(top level)'}: {error.message}"
                )
                for error in errors
            ]
        )
    if checksum(data) != data["checksum"]:
        raise refuse(
            "the checksum does not match: the plan file was edited or damaged; "
            "run `resumesync plan --out` again"
        )
    return Plan(
        changes=[_change_from_json(item) for item in data["changes"]],
        notices=[_notice_from_json(item) for item in data["notices"]],
        fingerprint=data["fingerprint"],
        api_url=data["api_url"],
        employer_names=dict(data.get("employer_names") or {}),
    )


def write_plan_file(
    path: str | os.PathLike[str], plan: Plan, secrets: Secrets | None = None
) -> None:
    """Write the plan readable by its owner only (0600): it holds personal data.

    A new file renamed into place (safefs): a symlink at `path` is refused, never followed
    or chmodded. Raises safefs.UnsafePathError. A plan whose text holds one of `secrets` is
    refused (SecretLeakError) before anything is written.
    """
    from resumesync.safefs import atomic_write

    text = dump_plan(plan)
    if secrets is not None:
        secrets.check(text, "the plan file")
    atomic_write(path, text, mode=0o600)


def _change_to_json(change: Change) -> dict[str, Any]:
    data: dict[str, Any] = {
        "action": change.action.value,
        "resume": change.resume,
        "resume_id": change.resume_id,
        "method": change.method,
        "path": change.path,
    }
    if change.body is not None:
        data["body"] = change.body
    if change.diff is not None:
        data["diff"] = change.diff
    if change.list_kind is not None:
        data["list"] = change.list_kind
    if change.action in (Action.LIST_ADD, Action.LIST_REMOVE, Action.LIST_CLEAR):
        data["employers"] = list(change.employers)
    data["widens_visibility"] = change.widens_visibility
    if change.reason is not None:
        data["reason"] = change.reason
    for name in ("clone_of", "file", "title", "artifact_type", "sha256", "size"):
        if getattr(change, name) is not None:
            data[name] = getattr(change, name)
    return data


def _change_from_json(data: dict[str, Any]) -> Change:
    return Change(
        action=Action(data["action"]),
        resume=data["resume"],
        resume_id=data["resume_id"],
        method=data["method"],
        path=data["path"],
        body=data.get("body"),
        diff=data.get("diff"),
        list_kind=data.get("list"),
        employers=tuple(data.get("employers") or ()),
        widens_visibility=data["widens_visibility"],
        reason=data.get("reason"),
        clone_of=data.get("clone_of"),
        file=data.get("file"),
        title=data.get("title"),
        artifact_type=data.get("artifact_type"),
        sha256=data.get("sha256"),
        size=data.get("size"),
    )


def _notice_to_json(notice: Notice) -> dict[str, Any]:
    data: dict[str, Any] = {"kind": notice.kind.value, "message": notice.message}
    if notice.resume is not None:
        data["resume"] = notice.resume
    if notice.resume_id is not None:
        data["resume_id"] = notice.resume_id
    if notice.employers:
        data["employers"] = list(notice.employers)
    return data


def _notice_from_json(data: dict[str, Any]) -> Notice:
    return Notice(
        kind=NoticeKind(data["kind"]),
        message=data["message"],
        resume=data.get("resume"),
        resume_id=data.get("resume_id"),
        employers=tuple(data.get("employers") or ()),
    )
