"""Renderers: text, markdown, json."""

from __future__ import annotations

import json

from resumesync.model import Plan, PublishMode, ResumeSummary
from resumesync.planfile import load_plan
from resumesync.planner import build_plan
from resumesync.render.common import summary_line
from resumesync.render.fielddiff import field_diff_lines
from resumesync.render.jsonplan import render_json
from resumesync.render.markdown import GITHUB_LIMIT, render_markdown
from resumesync.render.text import render_text

from .builders import BACKEND, DATA, desired, desired_state, dlist, live, live_state

EMAIL = "ivan.petrov@example.com"
PHONE = {"country": "7", "city": "999", "number": "1234567"}


def example_plan() -> Plan:
    return build_plan(
        desired_state(
            desired(
                fields={
                    "title": "Senior Python developer",
                    "birth_date": "1990-04-17",
                    "contact": [
                        {"type": {"id": "email"}, "value": EMAIL},
                        {"type": {"id": "cell"}, "value": PHONE, "comment": "After 10 am"},
                    ],
                    "experience": [{"position": "B", "start": "2019-03-01", "company": "Horns"}],
                },
                publish=PublishMode.RENEW,
                lists=[
                    dlist("blacklist", ["1455", "3529"], names={"1455": "HeadHunter"}),
                    dlist("whitelist", []),
                ],
            ),
            desired("data-engineer", DATA, access="blacklist"),
        ),
        live_state(
            live(
                BACKEND,
                can_publish_or_update=True,
                blacklist=["3529", "77"],
                whitelist=["3776"],
                birth_date="1989-01-01",
                contact=[{"type": {"id": "email"}, "value": "old@example.com"}],
                experience=[{"position": "A", "start": "2019-03-01", "company": "Horns"}],
            ),
            live(DATA, access="whitelist"),
            extra_account=(ResumeSummary("ffff0000", "QA engineer"),),
        ),
    )


def test_text_shows_every_kind_of_change() -> None:
    text = render_text(example_plan())
    lines = [line.strip() for line in text.splitlines()]
    assert "~ resume backend (7f3c…)" in lines
    assert "+ blacklist 1455 (HeadHunter)" in lines
    assert "- whitelist (clear, 1 employer)" in lines
    assert '~ title: "Python developer" -> "Senior Python developer"' in lines
    assert '~ experience[0].position: "A" -> "B"' in lines
    assert "- blacklist 77 (Employer 77) (widens visibility)" in lines
    assert '~ access: "whitelist" -> "blacklist" (widens visibility)' in lines
    assert "publish (renew)" in lines
    assert any("QA engineer" in line and line.startswith("!") for line in lines)
    assert lines[-1] == "Plan: 2 resumes to update, 1 to publish, 1 employer to add, 2 to remove."


def test_text_hides_sensitive_values_unless_asked() -> None:
    hidden = render_text(example_plan())
    for secret in (EMAIL, "old@example.com", "9991234567", "After 10 am", "1990-04-17"):
        assert secret not in hidden
    assert "~ birth_date: (sensitive)" in hidden
    assert '"type": {"id": "cell"}' in hidden  # contact types stay visible
    shown = render_text(example_plan(), show_sensitive=True)
    for secret in (EMAIL, "79991234567", "After 10 am", "1990-04-17"):
        assert secret in shown


def test_text_colour_only_when_asked() -> None:
    assert "\x1b[" not in render_text(example_plan())
    colored = render_text(example_plan(), color=True)
    assert "\x1b[32m+ blacklist 1455 (HeadHunter)\x1b[0m" in colored
    assert "\x1b[31m- blacklist 77" in colored


def test_no_changes_summary() -> None:
    plan = build_plan(desired_state(desired()), live_state(live()))
    assert summary_line(plan) == "No changes. The account matches the files."
    assert render_text(plan).strip() == (
        "API: api.hh.example\n\nNo changes. The account matches the files."
    )


def test_text_lists_every_employer() -> None:
    ids = [str(item) for item in range(250)]
    plan = build_plan(desired_state(desired(lists=[dlist("blacklist", ids)])), live_state(live()))
    text = render_text(plan)
    assert sum(1 for line in text.splitlines() if line.strip().startswith("+ blacklist")) == 250
    assert text.rstrip().endswith(
        "Plan: 1 resume to update, 0 to publish, 250 employers to add, 0 to remove."
    )


def test_field_diff_lines() -> None:
    assert field_diff_lines("skill_set", ["Python", "Kafka"], ["Python", "Kafka", "Go"]) == [
        '+ skill_set[2]: "Go"'
    ]
    assert field_diff_lines("title", "A", "B") == ['~ title: "A" -> "B"']
    assert field_diff_lines("area", {"id": "1"}, {"id": "1", "name": "Moscow"}) == []
    lines = field_diff_lines(
        "contact",
        [{"type": {"id": "email"}, "value": "a@b.c"}],
        [{"type": {"id": "email"}, "value": "x@y.z"}],
    )
    assert lines == ["~ contact[0].value: (sensitive)"]


def test_markdown_sections_summary_and_warning() -> None:
    text = render_markdown(example_plan())
    assert text.startswith("## resumesync plan")
    assert "**Plan: 2 resumes to update, 1 to publish, 1 employer to add, 2 to remove.**" in text
    assert "### ~ resume backend (7f3c…)" in text
    assert "```diff" in text
    assert "⚠️" in text
    assert EMAIL not in text and "1990-04-17" not in text


def test_markdown_folds_long_lists() -> None:
    ids = [str(item) for item in range(250)]
    plan = build_plan(desired_state(desired(lists=[dlist("blacklist", ids)])), live_state(live()))
    text = render_markdown(plan)
    assert text.count("<details>") == 1
    assert "<summary>+ blacklist: 250 employers</summary>" in text
    assert "+ blacklist 249" in text


def test_markdown_stays_under_the_github_limit_with_5000_employers() -> None:
    blacklist = [str(item) for item in range(5000)]
    resumes = [
        desired(
            f"resume-{n}",
            f"{n:04d}" + "a" * 34,
            fields={"title": f"Title {n}"},
            lists=[dlist("blacklist", blacklist[n * 1000 : (n + 1) * 1000])],
        )
        for n in range(5)
    ]
    state = live_state(*(live(resume.resume_id) for resume in resumes))
    plan = build_plan(desired_state(*resumes), state)
    assert sum(len(change.employers) for change in plan.changes) == 5000
    full = render_text(plan)
    assert len(full) > GITHUB_LIMIT
    text = render_markdown(plan)
    assert len(text) <= GITHUB_LIMIT
    assert "shortened to fit 65,536 characters" in text
    assert "employer lines" in text
    for resume in resumes:
        assert f"resume {resume.key} " in text


def test_markdown_cuts_whole_sections_when_lists_are_not_enough() -> None:
    resumes = [
        desired(f"r{n}", f"{n:04d}" + "b" * 34, fields={"skills": "x" * 20_000}) for n in range(6)
    ]
    plan = build_plan(
        desired_state(*resumes), live_state(*(live(resume.resume_id) for resume in resumes))
    )
    text = render_markdown(plan)
    assert len(text) <= GITHUB_LIMIT
    assert "section(s):" in text and "r5" in text.split("shortened")[1]


def test_json_is_the_plan_file() -> None:
    plan = example_plan()
    text = render_json(plan)
    assert json.loads(text)["format_version"] == 1
    assert load_plan(text, "stdout") == plan
