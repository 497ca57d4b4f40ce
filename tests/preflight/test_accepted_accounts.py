"""Invariants over generated accounts, against the sandbox on 127.0.0.1 (issue 11 §2, §3).

- Whatever account the server accepts (drafts with mandatory fields still empty, published
  resumes, optional fields or not, long lists, contacts as the server stores them), `import`
  into an empty directory, then `validate` exits 0, then `plan --detailed-exitcode` exits 0
  and writes nothing: resumesync never refuses what hh.ru holds.
- Whatever valid resume the files declare, `apply` then `plan --detailed-exitcode` exits 0: a
  value the plan sends that the server drops or rewrites would be a perpetual diff.

Fixed seed, bounded examples: each example is one sandbox and a few CLI runs in process.
"""

from __future__ import annotations

import copy
import tempfile
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from resumesync.cli import cli
from resumesync.sandbox import Account, SandboxConfig, running_sandbox
from resumesync.sandbox.account import LIST_LIMIT

from .support import BACKEND, TOKEN

ENV = {"NO_COLOR": "1", "HH_TOKEN": None, "HH_API_URL": None}
TEMPLATE = Account.example().to_json()["resumes"][BACKEND]
# What progress.mandatory may name (the sandbox's required fields), and the others.
MANDATORY = (
    "last_name",
    "first_name",
    "gender",
    "area",
    "contact",
    "professional_roles",
    "education",
    "language",
    "experience",
    "citizenship",
    "resume_locale",
)
OPTIONAL = tuple(
    name for name in TEMPLATE if name not in MANDATORY and name not in ("title", "access")
)
SKILLS = ("Python", "SQL", "Go", "Kafka", "Docker", "Linux", "Redis", "gRPC")
ACCESS = ("no_one", "whitelist", "blacklist", "clients", "direct")
SETTINGS = settings(
    max_examples=12,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def run(command: str, directory: Path, url: str, *args: str) -> Result:
    connection = ("--api-url", url, "--token", TOKEN, "--max-rps", "100000")
    options = () if command == "validate" else connection
    return CliRunner().invoke(
        cli, [command, "--dir", str(directory), *options, *args], env=ENV, catch_exceptions=False
    )


@st.composite
def phones(draw: st.DrawFn) -> dict[str, Any]:
    """A phone as a client may send it: split, formatted only, or both."""
    number = draw(st.sampled_from(["1234567", "7654321"]))
    split = {"country": "7", "city": "999", "number": number}
    formatted = {"formatted": f"+7 (999) {number[:3]}-{number[3:5]}-{number[5:]}"}
    value = draw(st.sampled_from([split, formatted, {**split, **formatted}]))
    phone: dict[str, Any] = {"type": {"id": draw(st.sampled_from(["cell", "home", "work"]))}}
    phone["value"] = value
    if draw(st.booleans()):
        phone["comment"] = "Evenings"
    return phone


@st.composite
def resumes(draw: st.DrawFn, index: int) -> tuple[dict[str, Any], str]:
    """(a resume body the server accepts, its status)."""
    body = copy.deepcopy(TEMPLATE)
    body["title"] = f"Engineer {index}"
    for name in OPTIONAL:
        if draw(st.booleans()):
            body.pop(name, None)
    email = {"type": {"id": "email"}, "value": f"me{index}@example.com"}
    email["preferred"] = draw(st.booleans())
    body["contact"] = [email, draw(phones())]
    if "skill_set" in body:
        body["skill_set"] = draw(st.lists(st.sampled_from(SKILLS), unique=True, max_size=5))
    body["access"] = {"type": {"id": draw(st.sampled_from(ACCESS))}}
    draft = draw(st.booleans())
    if draft:  # saved step by step: some mandatory fields still empty
        for name in draw(st.lists(st.sampled_from(MANDATORY), unique=True, max_size=4)):
            body.pop(name, None)
    return body, "not_published" if draft else "published"


@st.composite
def accounts(draw: st.DrawFn) -> dict[str, Any]:
    count = draw(st.integers(1, 3))
    data: dict[str, Any] = {"resumes": {}, "resume_state": {}, "lists": {}}
    employer = iter(range(100_000, 10_000_000))
    for index in range(count):
        resume_id = f"{index + 1:02d}" + "ab" * 18
        body, status = draw(resumes(index))
        data["resumes"][resume_id] = body
        data["resume_state"][resume_id] = {"status": status, "created_at": 1.7e9}
        sizes = st.sampled_from([0, 1, 150, LIST_LIMIT])
        data["lists"][resume_id] = {
            kind: [str(next(employer)) for _ in range(draw(sizes))]
            for kind in ("blacklist", "whitelist")
        }
    return data


def accepted(data: dict[str, Any]) -> Account:
    try:
        return Account.from_json(data)
    except ValueError:  # not an account the server would hold: not this test's concern
        assume(False)
        raise


@SETTINGS
@given(accounts())
def test_an_imported_account_validates_and_plans_to_nothing(data: dict[str, Any]) -> None:
    account = accepted(data)
    with (
        running_sandbox(SandboxConfig(accounts={TOKEN: account})) as sandbox,
        tempfile.TemporaryDirectory() as temporary,
    ):
        directory = Path(temporary)
        imported = run("import", directory, sandbox.url)
        assert imported.exit_code == 0, imported.output
        validated = run("validate", directory, sandbox.url)
        assert validated.exit_code == 0, validated.output
        sandbox.clear_requests()
        planned = run("plan", directory, sandbox.url, "--detailed-exitcode")
        writes = [r for r in sandbox.requests if r.method != "GET"]
    assert planned.exit_code == 0, planned.output
    assert writes == []


def _ids_only(node: Any) -> Any:
    """Dictionary entries as a user writes them: the id alone (the server fills the rest)."""
    if isinstance(node, list):
        return [_ids_only(item) for item in node]
    if isinstance(node, dict):
        if "id" in node and set(node) <= {"id", "name", "url"}:
            return {"id": node["id"]}
        return {key: _ids_only(value) for key, value in node.items()}
    return node


@st.composite
def declared(draw: st.DrawFn, body: dict[str, Any]) -> dict[str, Any]:
    """`body` written the ways the docs say the server normalises on save."""
    body = copy.deepcopy(body)
    if draw(st.booleans()):
        body = _ids_only(body)
    if isinstance(body.get("experience"), list):  # stored newest first
        body["experience"] = draw(st.permutations(body["experience"]))
    if draw(st.booleans()):  # a comment on an email is not saved
        body["contact"][0]["comment"] = "not saved"
    education = body.get("education")
    if isinstance(education, dict) and draw(st.booleans()):  # only `level`'s kind is kept
        education["elementary"] = [{"name": "School 57", "year": 2005}]
    return body


@settings(SETTINGS, max_examples=8)
@given(accounts(), accounts(), st.data())
def test_applied_files_replan_to_nothing(
    live: dict[str, Any], files: dict[str, Any], data: st.DataObject
) -> None:
    """The files of one generated account applied to another account's resumes: whatever the
    server normalises, drops or reorders on save, the next plan is empty."""
    account = accepted(live)
    accepted(files)  # the declared resumes are ones the server accepts
    with (
        running_sandbox(SandboxConfig(accounts={TOKEN: account})) as sandbox,
        tempfile.TemporaryDirectory() as temporary,
    ):
        directory = Path(temporary)
        assert run("import", directory, sandbox.url).exit_code == 0
        paths = sorted((directory / "resumes").glob("*.yaml"))
        for path, body in zip(paths, files["resumes"].values(), strict=False):
            document = yaml.safe_load(path.read_text(encoding="utf-8"))
            fields = data.draw(declared({k: v for k, v in body.items() if k != "access"}))
            path.write_text(
                yaml.safe_dump({"id": document["id"], **fields}, allow_unicode=True),
                encoding="utf-8",
            )
        applied = run("apply", directory, sandbox.url, "--yes")
        again = run("plan", directory, sandbox.url, "--detailed-exitcode")
    assert applied.exit_code == 0, applied.output
    assert again.exit_code == 0, again.output
