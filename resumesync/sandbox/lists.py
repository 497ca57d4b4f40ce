"""Resume visibility lists (resume_visibility.ru.md), access types, and employers.

Lists hold employer ids: positive integers written as strings. Any such id is accepted
(an unknown one gets a generated name, so benchmarks can fill 2,000-employer lists).
POST adds at most 100 employers per call, all or nothing, idempotently, up to the limit.
"""

from __future__ import annotations

from typing import Any

from resumesync.sandbox import errors
from resumesync.sandbox.account import LIST_LIMIT, LIST_TYPES, Account
from resumesync.sandbox.calls import Call
from resumesync.sandbox.render import access_types, employer_info, visibility_list
from resumesync.sandbox.state import Response

MAX_PER_CALL = 100


def is_employer_id(value: Any) -> bool:
    return isinstance(value, str) and value.isascii() and value.isdigit() and int(value) > 0


def _list_type(call: Call) -> str:
    list_type = call.params["list_type"]
    if list_type not in LIST_TYPES:
        raise errors.not_found()
    return list_type


def get_list(call: Call) -> Response:
    list_type = _list_type(call)
    resume = call.resume()
    page, per_page = call.page()
    return Response(
        200, visibility_list(resume, list_type, call.account, call.view, page, per_page)
    )


def add_to_list(call: Call) -> Response:
    list_type = _list_type(call)
    resume = call.resume()
    body = call.json_body()
    items = body.get("items") if isinstance(body, dict) else None
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise errors.bad_request('the body must be {"items": [{"id": ...}, ...]}')
    if len(items) > MAX_PER_CALL:
        raise errors.visibility_error("too_many_employers")
    ids = [item.get("id") for item in items]  # other keys of an item are ignored (docs)
    if not all(is_employer_id(employer_id) for employer_id in ids):
        raise errors.visibility_error("unknown_employer")
    employers = resume.employers(list_type)
    present = set(employers)
    new = [employer_id for employer_id in dict.fromkeys(ids) if employer_id not in present]
    if len(employers) + len(new) > LIST_LIMIT:
        raise errors.visibility_error("limit_exceeded")
    employers.extend(new)
    return Response(204, headers={"Location": f"/resumes/{resume.id}/{list_type}"})


def remove_from_list(call: Call) -> Response:
    list_type = _list_type(call)
    resume = call.resume()
    ids = call.request.query.get("id", [])
    if len(ids) > MAX_PER_CALL:
        raise errors.visibility_error("too_many_employers")
    gone = set(ids)  # unknown or absent ids are ignored, as documented
    employers = resume.employers(list_type)
    employers[:] = [employer_id for employer_id in employers if employer_id not in gone]
    return Response(204)


def clear_list(call: Call) -> Response:
    list_type = _list_type(call)
    resume = call.resume()
    resume.employers(list_type).clear()
    return Response(204)


def access_types_of(call: Call) -> Response:
    return Response(200, access_types(call.resume(), call.view))


def employer(call: Call) -> Response:
    employer_id = call.params["employer_id"]
    if not is_employer_id(employer_id):
        raise errors.not_found()
    # Employers are public: the caller may have no account here.
    account = call.account if call.token else Account()
    return Response(200, employer_info(employer_id, account, call.view))
