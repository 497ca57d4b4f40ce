"""The resume endpoints: the list of mine, one resume, editing, publishing, conditions."""

from __future__ import annotations

from resumesync.sandbox import errors
from resumesync.sandbox.calls import Call
from resumesync.sandbox.conditions import missing_mandatory, resume_conditions
from resumesync.sandbox.render import full_resume, page_of, summary_resume
from resumesync.sandbox.saving import check_body, saved_fields
from resumesync.sandbox.state import Response


def mine(call: Call) -> Response:
    page, per_page = call.page()
    view = call.view
    items = [summary_resume(resume, view) for resume in call.account.resumes.values()]
    return Response(200, page_of(items, page, per_page))


def get_resume(call: Call) -> Response:
    return Response(200, full_resume(call.resume(), call.view))


def edit_resume(call: Call) -> Response:
    resume = call.resume()
    body = call.json_body()
    if not isinstance(body, dict):
        raise errors.bad_request("the body must be a JSON object")
    context = call.account.save_context(resume.id, call.state.dictionaries, call.state.today())
    problems = check_body(body, context)
    if problems:
        raise errors.bad_json_data(problems)
    resume.fields = saved_fields(body, context)
    resume.state.updated_at = call.state.now()
    return Response(204)


def publish(call: Call) -> Response:
    resume = call.resume()
    now = call.state.now()
    if resume.state.blocked:
        raise errors.bad_request("the resume is blocked by a moderator")
    mandatory = missing_mandatory(resume.fields, resume_conditions(call.state.today()))
    if mandatory:
        raise errors.bad_request("mandatory fields are empty: " + ", ".join(mandatory))
    if resume.state.next_publish_at is not None and now < resume.state.next_publish_at:
        raise errors.touch_limit_exceeded()
    resume.state.status = "published"
    resume.state.next_publish_at = now + call.state.publish_interval
    resume.state.updated_at = now
    return Response(204)


def conditions(call: Call) -> Response:
    call.resume()
    return Response(200, resume_conditions(call.state.today(), call.account.conditions))
