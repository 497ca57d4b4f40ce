"""Property tests: plan -> apply on an in-memory API -> the files' state, an empty re-plan, and
no employer hidden before and after ever sees the resume in between."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from resumesync.applier import Stage, phases, stage
from resumesync.model import (
    ACCESS_TYPES,
    Action,
    Change,
    DesiredList,
    DesiredResume,
    DesiredState,
    ListKind,
    PublishMode,
)
from resumesync.normalize import normalize_field, server_ignores
from resumesync.planfile import dump_plan, load_plan, plan_to_json
from resumesync.planner import build_plan
from resumesync.render.markdown import render_markdown
from resumesync.render.text import render_text
from resumesync.resources import load_schema

from .fake_api import METRO_AREAS, NOW, FakeApi

EMPLOYERS = [str(item) for item in range(301)]
RESUME_IDS = ["aaaa0001", "bbbb0002"]

# --- a small, realistic space of field values -------------------------------------------------


def entry(ident: str, *names: str) -> st.SearchStrategy[dict[str, Any]]:
    """A dictionary entry written with or without a (possibly stale) name."""
    return st.sampled_from([{"id": ident}, *({"id": ident, "name": name} for name in names)])


def entries(*idents: str) -> st.SearchStrategy[list[dict[str, Any]]]:
    return st.lists(st.sampled_from(idents).flatmap(entry), unique_by=lambda e: e["id"], max_size=3)


dates = (
    st.sampled_from(["2012-07-01", "2014-09-01", "2019-03-01"])
    .map(lambda text: st.sampled_from([text, dt.date.fromisoformat(text)]))
    .flatmap(lambda strategy: strategy)
)

experience_entry = st.fixed_dictionaries(
    {
        "position": st.sampled_from(["Developer", "Senior developer"]),
        "start": dates,
        "industries": entries("7.540", "7.541"),
    },
    optional={
        "company": st.sampled_from(["Horns and Hooves", "Roga Labs"]),
        "company_id": st.sampled_from([None, "1455", "3529"]),
        "area": st.sampled_from(["1", "2"]).flatmap(lambda i: entry(i, "Moscow")),
        "end": st.sampled_from([None, "2020-01-01"]),
        "description": st.sampled_from([None, "Payments", "Internal tools"]),
    },
)

email = st.fixed_dictionaries(
    {"type": entry("email", "Email"), "value": st.sampled_from(["a@example.com", "b@example.com"])},
    optional={"comment": st.sampled_from(["any time", None]), "preferred": st.booleans()},
)
phone_value = st.sampled_from(
    [
        {"country": "7", "city": "999", "number": "1234567"},
        {"formatted": "+7 (999) 123-45-67"},
        {"country": "7", "city": "999", "number": "1234567", "formatted": "+7 999 000"},
        {"formatted": "+7 (916) 555-00-11"},
    ]
)
phone = st.fixed_dictionaries(
    {"type": entry("cell", "Mobile phone"), "value": phone_value},
    optional={"comment": st.sampled_from(["after 10", None]), "preferred": st.booleans()},
)

school = st.sampled_from([{"name": "School 57", "year": 2007}])
university = st.sampled_from(
    [{"name": "MSU", "organization": "CS", "year": 2012}, {"name": "Bauman", "year": 2012}]
)
education = st.fixed_dictionaries(
    {"level": st.sampled_from(["higher", "secondary", "bachelor"]).flatmap(entry)},
    optional={
        "primary": st.lists(university, max_size=2),
        "elementary": st.lists(school, max_size=1),
        "additional": st.lists(
            st.sampled_from([{"name": "DDIA", "organization": "Online", "year": 2020}]), max_size=1
        ),
    },
)

FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "title": st.sampled_from(["Python developer", "Senior Python developer", "Data engineer"]),
    "area": st.sampled_from(["1", "2"]).flatmap(lambda i: entry(i, "Moscow", "Saint Petersburg")),
    "metro": st.one_of(st.none(), st.sampled_from(sorted(METRO_AREAS)).flatmap(entry)),
    "birth_date": st.sampled_from([None, "1990-04-17", dt.date(1991, 1, 2)]),
    "gender": st.sampled_from(["male", "female"]).flatmap(lambda i: entry(i, "Male")),
    "salary": st.one_of(
        st.none(),
        st.fixed_dictionaries(
            {"amount": st.sampled_from([300000, 350000, 350000.0]), "currency": st.just("RUR")}
        ),
    ),
    "skill_set": st.lists(st.sampled_from(["Python", "SQL", "Go", "Kafka"]), unique=True),
    "skills": st.sampled_from([None, "", "Ten years of Python."]),
    "schedules": entries("fullDay", "remote", "flexible"),
    "citizenship": entries("113", "5"),
    "language": st.lists(
        st.fixed_dictionaries(
            {"id": st.sampled_from(["rus", "eng"]), "level": entry("b2", "Upper intermediate")},
            optional={"name": st.just("Some language")},
        ),
        unique_by=lambda item: item["id"],
        max_size=2,
    ),
    "experience": st.lists(experience_entry, max_size=3),
    "contact": st.tuples(st.lists(email, max_size=1), st.lists(phone, max_size=1)).map(
        lambda parts: parts[0] + parts[1]
    ),
    "education": education,
    "relocation": st.one_of(
        st.none(),
        st.fixed_dictionaries(
            {"type": entry("relocation_possible", "ready")}, optional={"area": entries("2", "3")}
        ),
    ),
    "photo": st.one_of(st.none(), st.sampled_from(["1337", "42"]).flatmap(entry)),
    "has_vehicle": st.one_of(st.none(), st.booleans()),
}

some_fields = st.fixed_dictionaries({}, optional=FIELDS)
employer_sets = st.lists(st.sampled_from(EMPLOYERS), unique=True, max_size=40)


@st.composite
def desired_list(draw: st.DrawFn, kind: ListKind) -> DesiredList | None:
    if draw(st.booleans()):
        return None  # unmanaged
    ids = draw(employer_sets)
    return DesiredList(kind=kind, employers=tuple(ids), exact=draw(st.booleans()))


@st.composite
def scenario(draw: st.DrawFn) -> tuple[FakeApi, DesiredState]:
    api = FakeApi()
    resumes = []
    for n, resume_id in enumerate(RESUME_IDS[: draw(st.integers(1, 2))]):
        status = draw(st.sampled_from(["not_published", "published"]))
        publish = draw(st.sampled_from(list(PublishMode)))
        # A publish with mandatory fields left empty fails the plan (tests/planner/
        # test_planner.py): here only resumes that are never published may lack some.
        mandatory = st.lists(st.sampled_from(["skills", "area"]), unique=True)
        api.add_resume(
            resume_id,
            draw(some_fields),
            access=draw(st.sampled_from(ACCESS_TYPES)),
            status=status,
            blocked=draw(st.booleans()) and draw(st.booleans()),
            can_publish_or_update=draw(st.booleans()),
            next_publish_at=NOW + dt.timedelta(hours=draw(st.sampled_from([-2, 2]))),
            mandatory=tuple(draw(mandatory)) if publish is PublishMode.NEVER else (),
            blacklist=tuple(draw(employer_sets)),
            whitelist=tuple(draw(employer_sets)),
        )
        lists = {}
        for kind in ("blacklist", "whitelist"):
            chosen = draw(desired_list(kind))
            if chosen is not None:
                lists[kind] = chosen
        resumes.append(
            DesiredResume(
                key=f"resume-{n}",
                resume_id=resume_id,
                file=f"resumes/resume-{n}.yaml",
                publish=publish,
                fields=draw(some_fields),
                access=draw(st.one_of(st.none(), st.sampled_from(ACCESS_TYPES))),
                lists=lists,  # type: ignore[arg-type]
            )
        )
    return api, DesiredState(root=".", resumes=resumes)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(scenario())
def test_apply_reaches_the_desired_state_privately_and_replans_empty(
    case: tuple[FakeApi, DesiredState],
) -> None:
    api, desired = case
    before = {rid: {e for e in EMPLOYERS if not api.visible(rid, e)} for rid in api.resumes}
    live = api.live_state()
    plan = build_plan(desired, live, force=True, now=NOW, metro_areas=METRO_AREAS)

    trace = []
    for change in plan.changes:
        api.apply(change)
        trace.append({rid: {e for e in EMPLOYERS if api.visible(rid, e)} for rid in api.resumes})

    # An employer hidden before and after the apply never saw the resume in between.
    for resume_id, hidden_before in before.items():
        hidden_both = hidden_before - {e for e in EMPLOYERS if api.visible(resume_id, e)}
        for step, visible in enumerate(trace):
            leaked = hidden_both & visible[resume_id]
            assert not leaked, f"step {step} ({plan.changes[step].path}) showed it to {leaked}"

    # The account now holds what the files say.
    after = api.live_state()
    for resume in desired.resumes:
        document = after.resumes[resume.resume_id].document
        for name, value in resume.fields.items():
            if server_ignores(name, resume.fields, document, METRO_AREAS):
                continue
            assert normalize_field(name, value) == normalize_field(name, document.get(name)), name
        if resume.access is not None:
            assert after.resumes[resume.resume_id].access == resume.access
        for kind, wanted in resume.lists.items():
            now_there = set(after.resumes[resume.resume_id].lists[kind].employers)
            old = set(live.resumes[resume.resume_id].lists[kind].employers)
            if wanted.exact:
                assert now_there == set(wanted.employers)
            else:
                assert now_there == old | set(wanted.employers)

    # And planning again finds nothing to do.
    again = build_plan(desired, after, force=True, now=NOW, metro_areas=METRO_AREAS)
    assert again.changes == [], [c.path for c in again.changes]


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(scenario(), st.randoms(use_true_random=False))
def test_the_calls_of_one_phase_may_land_in_any_order_privately(
    case: tuple[FakeApi, DesiredState], rng: random.Random
) -> None:
    """The applier sends a phase's calls (applier.phases) at once, so the server may apply
    them in any order: every order keeps hidden employers hidden and ends in the same state."""
    api, desired = case
    before = {rid: {e for e in EMPLOYERS if not api.visible(rid, e)} for rid in api.resumes}
    plan = build_plan(desired, api.live_state(), force=True, now=NOW, metro_areas=METRO_AREAS)
    by_resume: dict[str, list[int]] = {}
    for index, change in enumerate(plan.changes):
        by_resume.setdefault(change.resume_id, []).append(index)
    trace = []
    for indexes in by_resume.values():
        for phase in phases(plan.changes, indexes):
            assert len({stage(plan.changes[index]) for index in phase}) == 1
            rng.shuffle(phase)
            for index in phase:
                api.apply(plan.changes[index])
                trace.append(
                    {rid: {e for e in EMPLOYERS if api.visible(rid, e)} for rid in api.resumes}
                )
    for resume_id, hidden_before in before.items():
        hidden_both = hidden_before - {e for e in EMPLOYERS if api.visible(resume_id, e)}
        for step, visible in enumerate(trace):
            assert not hidden_both & visible[resume_id], f"step {step} leaked"
    again = build_plan(desired, api.live_state(), force=True, now=NOW, metro_areas=METRO_AREAS)
    assert again.changes == [], [c.path for c in again.changes]


def test_each_action_has_its_privacy_stage() -> None:
    def change(action: Action, kind: ListKind | None = None) -> Change:
        return Change(action, "r", "r1", "POST", "/resumes/r1", list_kind=kind)

    assert [
        stage(change(Action.LIST_ADD, "blacklist")),
        stage(change(Action.LIST_REMOVE, "whitelist")),
        stage(change(Action.LIST_CLEAR, "whitelist")),
        stage(change(Action.UPDATE)),
        stage(change(Action.LIST_REMOVE, "blacklist")),
        stage(change(Action.LIST_CLEAR, "blacklist")),
        stage(change(Action.LIST_ADD, "whitelist")),
        stage(change(Action.PUBLISH)),
    ] == [Stage.TIGHTENING] * 3 + [Stage.UPDATE] + [Stage.LOOSENING] * 3 + [Stage.PUBLISH]
    # runs of one stage form one phase; a plan out of stage order keeps its own order
    changes = [
        change(Action.LIST_ADD, "blacklist"),
        change(Action.LIST_REMOVE, "whitelist"),
        change(Action.UPDATE),
        change(Action.LIST_ADD, "whitelist"),
        change(Action.LIST_REMOVE, "blacklist"),
        change(Action.LIST_ADD, "blacklist"),
        change(Action.PUBLISH),
    ]
    assert list(phases(changes, list(range(7)))) == [[0, 1], [2], [3, 4], [5], [6]]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario())
def test_plans_are_deterministic_valid_files_and_render(case: tuple[FakeApi, DesiredState]) -> None:
    api, desired = case
    first = build_plan(desired, api.live_state(), force=True, now=NOW)
    second = build_plan(desired, api.live_state(), force=True, now=NOW)
    assert first.fingerprint == second.fingerprint
    assert first == second
    jsonschema.validate(plan_to_json(first), load_schema("plan.schema.json"))
    assert load_plan(dump_plan(first), "plan.json") == first
    text = render_text(first)
    assert text.rstrip().splitlines()[-1].startswith(("Plan: ", "No changes."))
    assert len(render_markdown(first, max_chars=4_000)) <= 4_000
