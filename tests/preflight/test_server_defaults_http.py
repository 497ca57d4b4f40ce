"""A nested field the server fills with a documented default is not demanded by the preflight.

The official spec's example conditions mark `contact[].preferred` required; the docs say "if
preferred flag is not sent default value for this parameter is `false`" (resumes.en.md). The
docs are the truth about behaviour: the example's phone has no `preferred`, and both the
preflight and the sandbox accept it under such conditions.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from resumesync.sandbox import Account

from .support import BACKEND, DATA_ENGINEER, TOKEN, Cli, replace_in

BASE = "resumes/_base.yaml"
REQUIRED = {"required": True}
# The contact rules of the spec's example conditions (openapi.yml, get-resume-conditions).
CONTACT_RULES: dict[str, Any] = {
    "required": True,
    "min_count": 1,
    "max_count": 4,
    "fields": {
        "comment": {"required": False, "min_length": 1, "max_length": 255},
        "preferred": REQUIRED,
        "type": REQUIRED,
        "value": REQUIRED,
    },
}


def account_requiring_preferred() -> Account:
    account = Account.example()
    account.conditions["contact"] = CONTACT_RULES
    return account


def test_a_contact_without_preferred_passes_the_preflight_and_the_server_defaults_it(
    start: Callable[[Account], Cli],
) -> None:
    cli = start(account_requiring_preferred())
    # A new phone comment: the plan PUTs `contact`, whose phone has no `preferred`.
    replace_in(cli.repo / BASE, "comment: After 10 am, please", "comment: After 11 am, please")

    planned = cli.run("plan")
    assert planned.exit_code == 0, planned.output
    assert "(server conditions)" not in planned.output
    assert cli.writes() == []

    applied = cli.run("apply", "--yes")
    assert applied.exit_code == 0, applied.output
    # the PUTs that carry `contact` (the draft team-lead's carries only its title and salary)
    puts = [r for r in cli.writes() if r.method == "PUT" and "contact" in (r.body or {})]
    (created,) = set(cli.sandbox.account().resumes) - set(Account.example().resumes)
    assert {request.path for request in puts} == {
        f"/resumes/{BACKEND}",
        f"/resumes/{DATA_ENGINEER}",
        f"/resumes/{created}",  # data-analyst, a copy of data-engineer, right after its POST
    }
    assert all(
        "preferred" not in contact for request in puts for contact in request.body["contact"][1:]
    )
    for resume_id in (BACKEND, DATA_ENGINEER):
        contacts = cli.sandbox.account().resumes[resume_id].fields["contact"]
        assert [contact["preferred"] for contact in contacts] == [True, False]
        assert contacts[1]["comment"] == "After 11 am, please"

    cli.sandbox.clear_requests()
    again = cli.run("plan")
    assert again.exit_code == 0, again.output
    assert "No changes" in again.output


def test_the_sandbox_publishes_the_rule_and_saves_a_contact_without_preferred(
    start: Callable[[Account], Cli],
) -> None:
    cli = start(account_requiring_preferred())
    contacts = [
        {"type": {"id": "email"}, "value": "someone@example.com", "preferred": True},
        {"type": {"id": "cell"}, "value": {"country": "7", "city": "999", "number": "7654321"}},
    ]
    headers = {"Authorization": f"Bearer {TOKEN}", "HH-User-Agent": "preflight-tests"}
    with httpx.Client(base_url=cli.sandbox.url, headers=headers) as client:
        published = client.get(f"/resumes/{BACKEND}/conditions").json()
        saved = client.put(f"/resumes/{BACKEND}", json={"contact": contacts})
        stored = client.get(f"/resumes/{BACKEND}").json()["contact"]
        empty_type = client.put(
            f"/resumes/{BACKEND}", json={"contact": [contacts[0], {**contacts[1], "type": None}]}
        )
    assert published["contact"]["fields"]["preferred"] == REQUIRED
    assert saved.status_code == 204, saved.text
    assert [contact["preferred"] for contact in stored] == [True, False]
    # The other required parts of a contact are still enforced.
    assert empty_type.status_code == 400
    assert "/contact/1/type" in [error.get("pointer") for error in empty_type.json()["errors"]]
