"""Employer search: the public `GET /employers?text=` (search-employer) and the applicant's
`GET /resumes/{id}/{list_type}/search?text=` (employers to add to a visibility list).

The sandbox's employers are those of its dictionary plus the names the account knows.
Public search finds the text anywhere in the name (hh.ru also searches descriptions, which the
sandbox has none of); the visibility search finds names that start with it, as documented.
Both sort by name and cap the depth of results at 5,000 (page x per_page), as the spec says.
"""

from __future__ import annotations

from typing import Any

from resumesync.sandbox import errors
from resumesync.sandbox.account import LIST_TYPES, Account
from resumesync.sandbox.calls import Call
from resumesync.sandbox.dictionaries import SITE_ROOT
from resumesync.sandbox.render import employer_brief, page_of
from resumesync.sandbox.state import Response

MAX_DEPTH = 5000
MAX_PER_PAGE = 100


def search(call: Call) -> Response:
    """GET /employers: `text` (optional), `area` (repeatable), `page`, `per_page`."""
    account = call.account if call.token else Account()
    text = _text(call, required=False)
    areas = set(call.request.query.get("area", []))
    found = [
        employer_id
        for employer_id, name in _employers(call, account)
        if text.casefold() in name.casefold()
        and (not areas or call.view.dictionaries.employer_area(employer_id) in areas)
    ]
    page, per_page = _page(call)
    shown = page_of(found, page, per_page)
    shown["items"] = [_public_item(employer_id, account, call) for employer_id in shown["items"]]
    return Response(200, shown)


def visibility_search(call: Call) -> Response:
    """GET /resumes/{id}/{list_type}/search: `text` (required), `page`, `per_page`."""
    list_type = call.params["list_type"]
    if list_type not in LIST_TYPES:
        raise errors.not_found()
    resume = call.resume()
    text = _text(call, required=True)
    selected = set(resume.employers(list_type))
    found = [
        employer_id
        for employer_id, name in _employers(call, call.account)
        if name.casefold().startswith(text.casefold())
    ]
    page, per_page = _page(call, default_per_page=MAX_PER_PAGE)
    shown = page_of(found, page, per_page)
    shown["items"] = [
        {
            **employer_brief(employer_id, call.account, call.view),
            "logo_urls": {"90": f"{SITE_ROOT}/employer-logo/{employer_id}-90.png"},
            "selected": employer_id in selected,
        }
        for employer_id in shown["items"]
    ]
    return Response(200, shown)


def _employers(call: Call, account: Account) -> list[tuple[str, str]]:
    """(id, name) of every employer the sandbox knows, by name."""
    ids = {*call.view.dictionaries.data["employers"], *account.employers}
    named = [
        (employer_id, account.employer_name(employer_id, call.view.dictionaries))
        for employer_id in ids
    ]
    return sorted(named, key=lambda item: (item[1].casefold(), int(item[0])))


def _text(call: Call, *, required: bool) -> str:
    values = call.request.query.get("text") or []
    text = values[-1].strip() if values else ""
    if required and not text:
        raise errors.bad_argument("text")
    return text


def _page(call: Call, default_per_page: int = 20) -> tuple[int, int]:
    page, per_page = call.page(default_per_page)
    if (page + 1) * per_page > MAX_DEPTH:
        raise errors.bad_argument("page")
    return page, per_page


def _public_item(employer_id: str, account: Account, call: Call) -> dict[str, Any]:
    base = call.view.base_url
    return {
        **employer_brief(employer_id, account, call.view),
        "vacancies_url": f"{base}/vacancies?employer_id={employer_id}",
        "logo_urls": None,
        "open_vacancies": 0,
    }
