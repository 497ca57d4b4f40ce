"""`plan` and `apply` against the sandbox: every kind of condition rule the server publishes
fails the plan before any write, at the YAML line of the offending field."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from resumesync.cli import cli as cli_command
from resumesync.sandbox import Account

from .support import BACKEND, DATA_ENGINEER, TEAM_LEAD, TOKEN, Cli, line_of, replace_in

BASE = "resumes/_base.yaml"
NO_ENV = {"NO_COLOR": "1", "HH_TOKEN": None, "HH_API_URL": None}
BACKEND_FILE = "resumes/backend.yaml"
SKILLS = "skill_set: [Python, asyncio, PostgreSQL, Kafka, Docker, Kubernetes]"


@dataclass(frozen=True)
class Case:
    file: str  # the file to edit, relative to the repository
    old: str
    new: str
    needle: str  # a text on the line the problem must name (after the edit)
    field: str
    message: str  # the start of the message
    conditions: dict[str, Any] = field(default_factory=dict)  # the account's own rules


CASES = {
    "required": Case(
        BASE,
        "gender: {id: male}",
        "gender: null",
        "gender: null",
        "gender",
        "must not be empty: the field is required",
    ),
    "min_length": Case(
        BACKEND_FILE,
        "title: Senior Python developer",
        "title: A",
        "title: A",
        "title",
        "must have at least 2 characters",
    ),
    "max_length": Case(
        BACKEND_FILE,
        "title: Senior Python developer",
        "title: " + "x" * 101,
        "title: x",
        "title",
        "must have at most 100 characters once trimmed",
    ),
    "not_in": Case(
        BACKEND_FILE,
        "title: Senior Python developer",
        "title: CV",
        "title: CV",
        "title",
        "not accepted: the server refuses Resume, CV",
    ),
    "min_count": Case(
        BACKEND_FILE,
        SKILLS,
        SKILLS,
        "skill_set:",
        "skill_set",
        "must have at least 8 items",
        conditions={"skill_set": {"required": False, "min_count": 8, "max_count": 30}},
    ),
    "max_count": Case(
        BACKEND_FILE,
        SKILLS,
        "skill_set: [" + ", ".join(f"skill{n}" for n in range(31)) + "]",
        "skill_set:",
        "skill_set",
        "must have at most 30 items",
    ),
    "min_value": Case(
        BACKEND_FILE,
        "salary: {amount: 350000, currency: RUR}",
        "salary: {amount: -1, currency: RUR}",
        "salary:",
        "salary.amount",
        "must be >= 0",
    ),
    "max_value": Case(
        BASE,
        "      year: 2012",
        "      year: 2100",
        "year: 2100",
        "education.primary[0].year",
        "must be <= ",
    ),
    "min_date": Case(
        BASE,
        'start: "2012-07-01"',
        'start: "1899-07-01"',
        "1899-07-01",
        "experience[2].start",
        "must be on or after 1900-01-01",
    ),
    "max_date": Case(
        BASE,
        'end: "2014-08-01"',
        'end: "2099-08-01"',
        "2099-08-01",
        "experience[2].end",
        "must be on or before ",
    ),
    "regexp": Case(
        BASE,
        "first_name: Ivan",
        "first_name: Iv4n",
        "first_name:",
        "first_name",
        "must match ^[^0-9@<>]+$",
    ),
    "nested fields": Case(
        BASE,
        "comment: After 10 am, please",
        "comment: " + "c" * 256,
        "comment:",
        "contact[1].comment",
        "must have at most 255 characters once trimmed",
    ),
}


def expected_line(cli: Cli, case: Case) -> str:
    line = line_of(cli.repo / case.file, case.needle)
    return f"{case.file}:{line}: {case.field}: {case.message}"


@pytest.mark.parametrize("case", CASES.values(), ids=list(CASES))
def test_each_rule_kind_fails_the_plan_at_its_line_before_any_write(
    case: Case, start: Callable[[Account], Cli]
) -> None:
    account = Account.example()
    account.conditions.update(case.conditions)  # rules the bundled conditions lack
    cli = start(account)
    replace_in(cli.repo / case.file, case.old, case.new)

    result = cli.run("plan")

    assert result.exit_code == 1, result.output
    problems = [line for line in result.output.splitlines() if "(server conditions)" in line]
    assert any(line.startswith(expected_line(cli, case)) for line in problems), result.output
    assert "nothing was written" in result.output
    assert cli.writes() == []
    # Conditions only of the resumes the plan writes: an edit of the base changes both.
    written = (BACKEND, TEAM_LEAD, DATA_ENGINEER) if case.file == BASE else (BACKEND, TEAM_LEAD)
    assert sorted(cli.conditions_reads()) == sorted(f"/resumes/{rid}/conditions" for rid in written)


def test_apply_plans_first_and_writes_nothing(cli: Cli) -> None:
    replace_in(cli.repo / BACKEND_FILE, "title: Senior Python developer", "title: CV")
    before = cli.sandbox.account().to_json()

    result = cli.run("apply", "--yes")

    assert result.exit_code == 1, result.output
    assert f"{BACKEND_FILE}:{line_of(cli.repo / BACKEND_FILE, 'title: CV')}: title:" in (
        result.output
    )
    assert cli.writes() == []
    assert cli.sandbox.account().to_json() == before


def test_the_example_passes_and_reads_only_the_written_resumes_conditions(cli: Cli) -> None:
    """data-engineer gets list changes and a publish but no PUT: nothing to check it against."""
    result = cli.run("plan")
    assert result.exit_code == 0, result.output
    assert "(server conditions)" not in result.output
    assert sorted(cli.conditions_reads()) == sorted(
        f"/resumes/{resume_id}/conditions" for resume_id in (BACKEND, TEAM_LEAD)
    )


def test_a_no_op_plan_reads_no_conditions_and_no_dictionaries(cli: Cli) -> None:
    assert cli.run("apply", "--yes").exit_code == 0
    before = len(cli.sandbox.requests)
    result = cli.run("plan", "--detailed-exitcode")
    assert result.exit_code == 0, result.output
    paths = [request.path for request in cli.sandbox.requests[before:]]
    # /resumes/mine, the four managed resumes (data-analyst was created) and their five
    # declared lists; and the photos, for backend's photo file (its upload conditions only
    # when an image is to be uploaded). No conditions, no dictionary, no metro directory.
    resumes = [path for path in paths if path.startswith("/resumes/")]
    assert len(resumes) == 1 + 4 + 5, paths
    assert not [path for path in resumes if path.endswith("/conditions")]
    assert sorted(set(paths) - set(resumes)) == ["/artifacts/photo"]


def test_a_required_field_the_files_leave_out_is_fine_when_the_live_resume_has_it(
    cli: Cli,
) -> None:
    """A file may leave a required field out: the PUT does not touch it, the live value stays."""
    replace_in(cli.repo / BASE, "gender: {id: male}\n", "")
    result = cli.run("plan")
    assert result.exit_code == 0, result.output
    assert cli.writes() == []


def test_a_required_field_empty_live_and_undeclared_is_not_judged(
    start: Callable[[Account], Cli],
) -> None:
    """Editing a draft whose mandatory fields are still empty works, as on hh.ru: `required`
    means "needed to publish" (the draft team-lead has no citizenship and no education)."""
    account = Account.example()
    del account.resumes[BACKEND].fields["gender"]  # data-engineer keeps its gender
    cli = start(account)
    replace_in(cli.repo / BASE, "gender: {id: male}\n", "")
    replace_in(cli.repo / BACKEND_FILE, "publish: renew", "publish: false")

    result = cli.run("apply", "--yes")

    assert result.exit_code == 0, result.output
    assert "required" not in result.output
    stored = cli.sandbox.account().resumes
    assert stored[TEAM_LEAD].fields["title"] == "Python team lead"
    assert "citizenship" not in stored[TEAM_LEAD].fields
    assert "gender" not in stored[BACKEND].fields
    assert cli.run("plan", "--detailed-exitcode").exit_code == 0


def test_the_sandbox_enforces_an_accounts_own_conditions_as_it_publishes_them(
    start: Callable[[Account], Cli],
) -> None:
    """What the preflight refuses, the server refuses too: here an account's own rule."""
    account = Account.example()
    account.conditions["skill_set"] = {"required": False, "min_count": 8, "max_count": 30}
    seed = {**Account.example().to_json(), "conditions": {"skill_set": {"max_count": 30}}}
    assert Account.from_json(seed).to_json()["conditions"] == seed["conditions"]
    cli = start(account)
    headers = {"Authorization": f"Bearer {TOKEN}", "HH-User-Agent": "preflight-tests"}
    with httpx.Client(base_url=cli.sandbox.url, headers=headers) as client:
        published = client.get(f"/resumes/{BACKEND}/conditions").json()
        refused = client.put(f"/resumes/{BACKEND}", json={"skill_set": [f"s{n}" for n in range(6)]})
        accepted = client.put(
            f"/resumes/{BACKEND}", json={"skill_set": [f"s{n}" for n in range(8)]}
        )
    assert published["skill_set"]["min_count"] == 8
    assert published["title"]["max_length"] == 100  # the bundled rules stay for the rest
    assert refused.status_code == 400
    assert [(e["pointer"], e["reason"]) for e in refused.json()["errors"]] == [
        ("/skill_set", "wrong_size")
    ]
    assert accepted.status_code == 204


@pytest.mark.parametrize("mode", ["true", "renew"])
def test_a_publish_with_mandatory_fields_left_empty_fails_at_the_publish_line(
    cli: Cli, mode: str
) -> None:
    """progress.mandatory (education, citizenship) minus what the PUT fills (title, salary):
    the server would refuse the publish after the PUT, so the plan fails before any write."""
    draft = cli.repo / "resumes/team-lead.yaml"
    replace_in(draft, "\npublish: false\n", f"\npublish: {mode}\n")

    result = cli.run("apply", "--yes")

    assert result.exit_code == 1, result.output
    lines = draft.read_text().splitlines()
    line = 1 + lines.index(f"publish: {mode}")
    assert (
        f"resumes/team-lead.yaml:{line}: cannot publish: mandatory fields are empty: "
        "education, citizenship (declare them, or set publish: false)"
    ) in result.output.splitlines()
    assert cli.writes() == []


def test_a_publish_whose_put_fills_the_mandatory_fields_goes_ahead(cli: Cli) -> None:
    draft = cli.repo / "resumes/team-lead.yaml"
    replace_in(draft, "\npublish: false\n", "\npublish: true\n")
    education = "education: {level: {id: higher}, primary: [{name: MSU, year: 2010}]}"
    draft.write_text(draft.read_text() + f'citizenship: [{{id: "113"}}]\n{education}\n')
    # published, it must stay hidden from the protected employer: not `clients`
    visibility = cli.repo / "visibility.yaml"
    visibility.write_text(visibility.read_text() + "  team-lead:\n    access: blacklist\n")

    result = cli.run("apply", "--yes")

    assert result.exit_code == 0, result.output
    assert cli.sandbox.account().resumes[TEAM_LEAD].state.status == "published"
    assert cli.run("plan", "--detailed-exitcode").exit_code == 0


def test_a_typo_inside_a_field_fails_validate_and_plan_and_drops_nothing(cli: Cli) -> None:
    """`company_ulr` in an experience entry: sent, the whole `experience` would replace the
    live one and the server would drop the live `company_url` (issue 11 §3)."""
    replace_in(cli.repo / BASE, "    company_url: https://", "    company_ulr: https://")
    line = line_of(cli.repo / BASE, "company_ulr:")
    expected = (
        f"{BASE}:{line}: experience[0].company_ulr: unknown field: not part of the API's "
        "shape; did you mean `company_url`?"
    )

    validated = CliRunner().invoke(cli_command, ["validate", "--dir", str(cli.repo)], env=NO_ENV)
    planned = cli.run("plan")

    assert validated.exit_code == 1 and expected in validated.output.splitlines()
    assert planned.exit_code == 1 and expected in planned.output.splitlines()
    assert cli.sandbox.requests == []  # refused before any read, so before any write


def test_a_documented_rule_is_a_warning_offline_and_an_error_for_what_the_plan_sends(
    cli: Cli,
) -> None:
    skills = "skill_set: [Python, asyncio, PostgreSQL, Python]"
    replace_in(cli.repo / BACKEND_FILE, SKILLS, skills)
    line = line_of(cli.repo / BACKEND_FILE, skills)
    problem = f"{BACKEND_FILE}:{line}: skill_set[3]: duplicate skill (also at position 0)"

    validated = CliRunner().invoke(cli_command, ["validate", "--dir", str(cli.repo)], env=NO_ENV)
    planned = cli.run("plan")

    assert validated.exit_code == 0, validated.output
    assert f"warning: {problem}" in validated.output.splitlines()
    assert planned.exit_code == 1, planned.output
    assert f"{problem} (documented rule)" in planned.output.splitlines()
    assert f"warning: {problem}" not in planned.output  # said once, as the error it is here
    assert cli.writes() == []


def test_a_value_the_server_already_holds_is_not_refused_even_if_it_breaks_a_rule(
    start: Callable[[Account], Cli],
) -> None:
    """hh.ru's rules change and old resumes keep old values: the file may declare the value
    the server holds; it is not sent, so it is not judged."""
    account = Account.example()
    old = ["Python", "asyncio", "PostgreSQL", "Python"]  # saved before the rule existed
    account.resumes[BACKEND].fields["skill_set"] = list(old)
    cli = start(account)
    replace_in(cli.repo / BACKEND_FILE, SKILLS, "skill_set: [Python, asyncio, PostgreSQL, Python]")

    result = cli.run("apply", "--yes")

    assert result.exit_code == 0, result.output
    puts = [r for r in cli.writes() if r.method == "PUT" and r.path == f"/resumes/{BACKEND}"]
    assert len(puts) == 1 and "skill_set" not in puts[0].body  # the title went, the skills stay
    assert cli.sandbox.account().resumes[BACKEND].fields["skill_set"] == old


@pytest.mark.parametrize("clone", [False, True], ids=["created", "cloned"])
def test_an_unknown_dictionary_id_of_a_resume_to_create_fails_the_plan(
    cli: Cli, clone: bool
) -> None:
    """data-analyst has no `id` yet. Not a clone, its POST sends every declared field; a clone
    of data-engineer, its POST sends nothing and the PUT after it the fields that differ from
    the source. Either way the ids are checked before any write."""
    analyst = cli.repo / "resumes/data-analyst.yaml"
    if not clone:
        replace_in(analyst, "clone: data-engineer\n", "")
    replace_in(analyst, "currency: RUR", "currency: RUB")

    result = cli.run("apply", "--yes")

    assert result.exit_code == 1, result.output
    line = line_of(analyst, "currency: RUB")
    assert (
        f"resumes/data-analyst.yaml:{line}: salary.currency: unknown id 'RUB': not in the "
        "currency dictionary; did you mean 'RUR'? (server dictionaries)"
    ) in result.output.splitlines()
    assert cli.writes() == []


def test_a_clone_is_not_judged_on_what_it_keeps_from_its_source(
    start: Callable[[Account], Cli],
) -> None:
    """An old id the source holds and the clone's file repeats is not sent by the PUT: not
    refused."""
    account = Account.example()
    account.resumes[DATA_ENGINEER].fields["salary"] = {"amount": 250000, "currency": "OLD"}
    cli = start(account)
    analyst = cli.repo / "resumes/data-analyst.yaml"
    replace_in(analyst, "currency: RUR", "currency: OLD")

    result = cli.run("plan")

    assert result.exit_code == 0, result.output
    assert "create resume data-analyst" in result.output
