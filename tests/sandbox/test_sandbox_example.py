"""The bundled example account is the live side of examples/basic: same resume ids, and
only the intended differences from the files once the server has normalised them."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import httpx
import yaml

from resumesync.sandbox import Account, RunningSandbox

from .support import BACKEND, DATA_ENGINEER, SYSADMIN, TEAM_LEAD

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "basic"
NOT_FIELDS = ("id", "publish", "extends")


def merged(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    result = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = merged(result[key], value)
        else:
            result[key] = copy.deepcopy(value)
    return result


def with_defaults(node: Any) -> Any:
    """${VAR:-default} as it reads with no variables set."""
    if isinstance(node, str):
        return re.sub(r"\$\{\w+:-([^}]*)\}", r"\1", node)
    if isinstance(node, list):
        return [with_defaults(item) for item in node]
    if isinstance(node, dict):
        return {key: with_defaults(value) for key, value in node.items()}
    return node


def resume_files() -> dict[str, dict[str, Any]]:
    """The example's files of resumes that exist (those without `id` are to be created)."""
    base = yaml.safe_load((EXAMPLE / "resumes" / "_base.yaml").read_text())
    files = {}
    for path in sorted((EXAMPLE / "resumes").glob("[!_]*.yaml")):
        document = yaml.safe_load(path.read_text())
        if "id" in document:
            bases = merged(base, document) if "extends" in document else document
            files[path.stem] = with_defaults(bases)
    return files


def test_the_example_has_a_resume_to_create_that_the_account_lacks() -> None:
    document = yaml.safe_load((EXAMPLE / "resumes" / "data-analyst.yaml").read_text())
    assert "id" not in document and document["clone"] == "data-engineer"


def is_local_image(value: Any) -> bool:
    """`photo: {file: ...}`: uploaded by apply, not a field the sandbox is sent as is."""
    return isinstance(value, dict) and "file" in value


def test_resume_ids_match_the_files(example_account: Account) -> None:
    ids = {name: document["id"] for name, document in resume_files().items()}
    assert ids == {"backend": BACKEND, "data-engineer": DATA_ENGINEER, "team-lead": TEAM_LEAD}
    assert list(example_account.resumes) == [BACKEND, DATA_ENGINEER, TEAM_LEAD, SYSADMIN]
    assert example_account.resumes[SYSADMIN].fields["title"] == "System administrator"


def test_only_the_intended_fields_differ_from_the_files(
    client: httpx.Client, sandbox: RunningSandbox
) -> None:
    intended = {
        BACKEND: {"title", "salary", "skill_set"},
        DATA_ENGINEER: set(),
        TEAM_LEAD: {"title", "salary"},
    }
    for document in resume_files().values():
        resume_id = document["id"]
        before = sandbox.account().resumes[resume_id].fields
        body = {
            key: value
            for key, value in document.items()
            if key not in NOT_FIELDS and not is_local_image(value)
        }
        assert client.put(f"/resumes/{resume_id}", json=body).status_code == 204
        after = sandbox.account().resumes[resume_id].fields
        changed = {key for key in set(before) | set(after) if before.get(key) != after.get(key)}
        assert changed == intended[resume_id]


def test_visibility_starts_where_the_quick_start_expects(example_account: Account) -> None:
    backend, data_engineer = (
        example_account.resumes[BACKEND],
        example_account.resumes[DATA_ENGINEER],
    )
    assert backend.fields["access"]["type"]["id"] == "clients"
    assert backend.blacklist == []
    assert (backend.state.status, backend.state.next_publish_at is not None) == ("published", True)
    assert data_engineer.fields["access"]["type"]["id"] == "whitelist"
    assert data_engineer.whitelist == ["1740", "4181"]
    assert data_engineer.blacklist == []
    assert data_engineer.state.status == "not_published"
    assert backend.fields["contact"][0]["value"] == "ivan.petrov@example.com"
    assert backend.fields["contact"][1]["value"]["formatted"] == "+7 (999) 123-45-67"


def test_round_trip_through_json_changes_nothing(example_account: Account) -> None:
    again = Account.from_json(example_account.to_json())
    assert again.to_json() == example_account.to_json()


def test_synthetic_accounts_are_deterministic_and_valid(client: httpx.Client) -> None:
    first = Account.synthetic(n_resumes=3, list_size=20, seed=5)
    assert first.to_json() == Account.synthetic(n_resumes=3, list_size=20, seed=5).to_json()
    assert list(first.resumes) != list(Account.synthetic(n_resumes=3, list_size=20, seed=6).resumes)
    for resume in first.resumes.values():
        assert len(resume.id) == 38
        assert (len(resume.blacklist), len(resume.whitelist)) == (20, 20)
        assert not set(resume.blacklist) & set(resume.whitelist)
        assert resume.state.status == "published"


def test_a_get_document_can_seed_an_account(client: httpx.Client, sandbox: RunningSandbox) -> None:
    document = client.get(f"/resumes/{BACKEND}").json()
    seeded = Account.from_json({"resumes": {BACKEND: document}})
    resume = seeded.resumes[BACKEND]

    def filled(fields: dict[str, Any]) -> dict[str, Any]:  # GET shows absent fields as empty
        return {key: value for key, value in fields.items() if value not in (None, [], {})}

    assert filled(resume.fields) == filled(sandbox.account().resumes[BACKEND].fields)
    assert resume.fields["metro"] is None
    assert resume.state.status == "published"
    assert resume.state.next_publish_at == sandbox.account().resumes[BACKEND].state.next_publish_at


def test_the_draft_is_not_published_and_lacks_mandatory_fields(client: httpx.Client) -> None:
    """team-lead is what a real account often holds: a draft saved step by step."""
    document = client.get(f"/resumes/{TEAM_LEAD}").json()
    assert document["status"]["id"] == "not_published"
    assert [item["id"] for item in document["progress"]["mandatory"]] == [
        "education",
        "citizenship",
    ]
    assert document["can_publish_or_update"] is False
    assert client.post(f"/resumes/{TEAM_LEAD}/publish").status_code == 400
