"""Creating resumes: POST /resumes (a copy with ?source_resume_id=), how many more the
account may create, and the rules for a new resume (resumes.en.md, "Creating and editing",
"Cloning", "Checking for the ability to create a resume", "Conditions ... of a new resume")."""

from __future__ import annotations

import copy
import hashlib

from resumesync.sandbox import errors
from resumesync.sandbox.account import Resume, ResumeState
from resumesync.sandbox.calls import Call
from resumesync.sandbox.conditions import resume_conditions
from resumesync.sandbox.saving import check_body, saved_fields
from resumesync.sandbox.state import Response


def new_resume_id(number: int) -> str:
    """38 hex digits, like hh.ru's, deterministic so that tests can name them."""
    return hashlib.sha1(f"sandbox-resume-{number}".encode()).hexdigest()[:38]


def creation_availability(call: Call) -> Response:
    account = call.account
    created = len(account.resumes)
    remaining = max(0, account.max_resumes - created)
    return Response(
        200,
        {
            "is_creation_available": remaining > 0,
            "max": account.max_resumes,
            "created": created,
            "remaining": remaining,
        },
    )


def new_conditions(call: Call) -> Response:
    return Response(200, resume_conditions(call.state.today(), call.account.conditions))


def create_resume(call: Call) -> Response:
    account = call.account
    if len(account.resumes) >= account.max_resumes:
        raise errors.ApiError(400, [{"type": "resumes", "value": "total_limit_exceeded"}])
    source_ids = call.request.query.get("source_resume_id")
    now = call.state.now()
    if source_ids:
        source = account.resumes.get(source_ids[-1])
        if source is None:
            raise errors.not_found()
        fields = copy.deepcopy(source.fields)  # a copy: not published, empty lists
    else:
        body = call.json_body() if call.request.body else {}
        if not isinstance(body, dict):
            raise errors.bad_request("the body must be a JSON object")
        context = account.save_context(None, call.state.dictionaries, call.state.today())
        problems = check_body(body, context)
        if problems:
            raise errors.bad_json_data(problems)
        fields = saved_fields(body, context)
        fields.setdefault("access", {"type": {"id": "clients"}})
    account.next_resume_number += 1
    resume_id = new_resume_id(account.next_resume_number)
    while resume_id in account.resumes:
        account.next_resume_number += 1
        resume_id = new_resume_id(account.next_resume_number)
    account.resumes[resume_id] = Resume(
        id=resume_id, fields=fields, state=ResumeState(created_at=now, updated_at=now)
    )
    return Response(201, None, {"Location": f"/resumes/{resume_id}"})
