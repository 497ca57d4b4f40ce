"""Authorization and user agent: the checks every call goes through."""

from __future__ import annotations

from resumesync.sandbox import Account, RunningSandbox

from .support import AGENT, BACKEND, TOKEN, make_client


def test_missing_user_agent_is_400_unset(sandbox: RunningSandbox) -> None:
    with make_client(sandbox.url, agent=None, **{"User-Agent": ""}) as client:
        response = client.get("/resumes/mine")
    assert response.status_code == 400
    assert response.json()["errors"] == [{"type": "bad_user_agent", "value": "unset"}]


def test_library_default_agent_is_refused_but_hh_user_agent_wins(sandbox: RunningSandbox) -> None:
    with make_client(sandbox.url, agent=None) as client:  # sends User-Agent: python-httpx/x.y
        library_only = client.get("/resumes/mine")
        assert library_only.status_code == 400
        assert library_only.json()["errors"][0]["value"] == "blacklisted"
        both = client.get("/resumes/mine", headers={"HH-User-Agent": AGENT})
        assert both.status_code == 200
        plain = client.get("/resumes/mine", headers={"User-Agent": AGENT})
        assert plain.status_code == 200
    assert sandbox.requests[-2].user_agent == AGENT


def test_missing_or_unknown_token_is_403_bad_authorization(sandbox: RunningSandbox) -> None:
    expected = [{"type": "oauth", "value": "bad_authorization"}]
    for token in (None, "USERsomeoneelse"):
        with make_client(sandbox.url, token=token) as client:
            response = client.get(f"/resumes/{BACKEND}")
        assert response.status_code == 403
        assert response.json()["errors"] == expected
    with make_client(sandbox.url, token=None, Authorization=f"Basic {TOKEN}") as client:
        assert client.get("/resumes/mine").status_code == 403


def test_each_token_has_its_own_account(start, example_account: Account) -> None:
    second = Account.synthetic(n_resumes=2, list_size=1, seed=3)
    sandbox, first_client = start(accounts={TOKEN: example_account.copy(), "USERteam": second})
    with make_client(sandbox.url, token="USERteam") as team_client:
        team_ids = [item["id"] for item in team_client.get("/resumes/mine").json()["items"]]
        assert team_ids == list(second.resumes)
        assert team_client.get(f"/resumes/{BACKEND}").status_code == 404
        team_client.put(f"/resumes/{team_ids[0]}", json={"title": "Team lead"})
    assert first_client.get(f"/resumes/{team_ids[0]}").status_code == 404
    assert sandbox.account("USERteam").resumes[team_ids[0]].fields["title"] == "Team lead"
    assert [entry.token for entry in sandbox.requests] == ["USERteam"] * 3 + [TOKEN]
    assert [entry.account_index for entry in sandbox.requests] == [1, 1, 1, 0]


def test_employers_are_public_and_unknown_paths_are_404(sandbox: RunningSandbox) -> None:
    with make_client(sandbox.url, token=None) as anonymous:
        assert anonymous.get("/employers/1455").json()["name"] == "HeadHunter"
        assert anonymous.get("/nothing/here").status_code == 404
    with make_client(sandbox.url) as client:
        response = client.patch(f"/resumes/{BACKEND}", json={})
        assert response.status_code == 405
