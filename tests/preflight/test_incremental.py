"""The preflight of one plan: conditions compiled once per distinct document, resumes checked
as their reads arrive (in any order), problems still in file order."""

from __future__ import annotations

import asyncio
import copy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from resumesync import preflight
from resumesync.client import ClientSettings, HHClient
from resumesync.live import read_live_state
from resumesync.model import (
    DesiredList,
    DesiredResume,
    DesiredState,
    LiveResume,
    LiveState,
    Location,
    SourceMap,
)
from resumesync.preflight import EMPTY, Preflight, is_empty, preflight_problems, schema_errors
from resumesync.sandbox import Account, SandboxConfig, running_sandbox
from resumesync.sandbox.synthetic import resume_id

from .support import TOKEN

BASE = "resumes/_base.yaml"
CONDITIONS: dict[str, Any] = {"title": {"required": True, "min_length": 2, "not_in": ["CV"]}}
LIVE = {"title": "Developer"}


def resume(key: str, rid: str, title: str, source: SourceMap | None = None) -> DesiredResume:
    file = f"resumes/{key}.yaml"
    source = source or SourceMap({("title",): Location(file, 3)}, default=Location(file, 1))
    return DesiredResume(key, rid, file, fields={"title": title}, source=source)


def live_state(conditions: dict[str, dict[str, Any]]) -> LiveState:
    """Each resume's own copy of its conditions, as the client parses each response."""
    return LiveState(
        api_url="http://sandbox",
        resumes={
            rid: LiveResume(rid, dict(LIVE), conditions=copy.deepcopy(rules))
            for rid, rules in conditions.items()
        },
    )


@pytest.fixture
def compilations(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts conditions_schema calls (one per compilation), where the validator calls it."""
    calls: list[int] = []
    original = preflight.conditions_schema

    def counted(conditions: Any) -> dict[str, Any]:
        calls.append(1)
        return original(conditions)

    monkeypatch.setattr(preflight.validator, "conditions_schema", counted)
    return calls


def test_equal_conditions_are_compiled_once_for_every_resume(compilations: list[int]) -> None:
    ids = [f"r{n}" for n in range(6)]
    desired = DesiredState(".", [resume(f"k{n}", rid, "CV") for n, rid in enumerate(ids)])
    state = live_state({rid: CONDITIONS for rid in ids})
    checker = Preflight(desired)
    problems = checker.problems(state)
    assert (len(compilations), checker.compiled) == (1, 1)
    assert [problem.location.file for problem in problems if problem.location] == [
        f"resumes/k{n}.yaml" for n in range(6)
    ]


def test_distinct_conditions_are_compiled_apart(compilations: list[int]) -> None:
    stricter = {"title": {**CONDITIONS["title"], "min_length": 20}}
    titles = ("Lead developer", "Lead developer")  # not the live title: the plan sends them
    desired = DesiredState(".", [resume("a", "r1", titles[0]), resume("b", "r2", titles[1])])
    checker = Preflight(desired)
    problems = checker.problems(live_state({"r1": CONDITIONS, "r2": stricter}))
    assert checker.compiled == 2
    assert [str(problem) for problem in problems] == [
        f"resumes/b.yaml:3: title: must have at least 20 characters{preflight.SUFFIX}"
    ]


def test_checked_as_they_arrive_the_problems_are_in_file_order() -> None:
    """Two resumes' problems at one line of a shared base: a tie that only the order of the
    files decides, whatever order their reads arrived in."""
    shared = SourceMap({("title",): Location(BASE, 3)}, default=Location(BASE, 1))
    files = [resume("a", "r1", "CV", shared), resume("b", "r2", "X", shared), resume("c", "r3", "")]
    desired = DesiredState(".", files)
    state = live_state({"r1": CONDITIONS, "r2": CONDITIONS, "r3": CONDITIONS})
    checker = Preflight(desired)
    for rid in ("r3", "r2", "r1"):  # the reverse of file order
        checker.check(state.resumes[rid])
    expected = [
        f"{BASE}:3: title: not accepted: the server refuses CV{preflight.SUFFIX}",
        f"{BASE}:3: title: must have at least 2 characters{preflight.SUFFIX}",
        f"resumes/c.yaml:3: title: must not be empty: the field is required{preflight.SUFFIX}",
    ]
    assert [str(problem) for problem in checker.problems(state)] == expected
    assert [str(problem) for problem in preflight_problems(desired, state)] == expected


def test_a_resume_checked_while_reading_is_not_checked_again(compilations: list[int]) -> None:
    desired = DesiredState(".", [resume("a", "r1", "CV")])
    state = live_state({"r1": CONDITIONS})
    checker = Preflight(desired)
    checker.check(state.resumes["r1"])
    # What `problems` is given no longer violates anything: the problems found on arrival stay.
    unchanged = LiveState(api_url=state.api_url, resumes={"r1": LiveResume("r1", dict(LIVE))})
    assert [problem.field for problem in checker.problems(unchanged)] == ["title"]


def test_read_live_state_hands_over_each_resume_once_with_everything_read() -> None:
    account = Account.synthetic(n_resumes=4, list_size=3, seed=5)
    ids = [resume_id(5, index) for index in range(4)]
    desired = DesiredState(".", [resume(f"k{n}", rid, "Developer") for n, rid in enumerate(ids)])
    for item in desired.resumes:
        item.lists = {"blacklist": DesiredList("blacklist", (), exact=True)}
    handed: list[LiveResume] = []

    async def read(url: str) -> LiveState:
        async with HHClient(ClientSettings(base_url=url, token=TOKEN, max_rps=1e6)) as client:
            return await read_live_state(desired, client, sent=sent, on_resume=handed.append)

    def sent(resume: DesiredResume, document: dict[str, Any]) -> dict[str, Any]:
        return {"title": "Developer"}  # every resume is written: its conditions are read

    with running_sandbox(SandboxConfig(accounts={TOKEN: account})) as sandbox:
        state = asyncio.run(read(sandbox.url))
    assert sorted(live.resume_id for live in handed) == sorted(ids)
    for live in handed:
        assert live is state.resumes[live.resume_id]
        assert live.conditions and set(live.lists) == {"blacklist"}
    checker = Preflight(desired)
    checker.problems(state)
    assert checker.compiled == 1  # one account: one conditions document


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=3),
    lambda inner: st.lists(inner, max_size=2) | st.dictionaries(st.text(max_size=2), inner),
    max_leaves=4,
)


@settings(max_examples=200, deadline=None)
@given(JSON)
def test_is_empty_is_what_enum_empty_accepts(value: Any) -> None:
    enum = Draft202012Validator({"enum": list(EMPTY)})
    assert is_empty(value) == enum.is_valid(value)


@pytest.mark.parametrize(("instance", "errors"), [("ab", 1), ("a", 0), (["ab"], 0)])
def test_an_if_other_than_every_fields_works_as_the_standard_one(
    instance: Any, errors: int
) -> None:
    schema = {"if": {"type": "string"}, "then": {"maxLength": 1}, "else": {"type": "array"}}
    assert len(schema_errors(schema, instance)) == errors
    assert len(list(Draft202012Validator(schema).iter_errors(instance))) == errors
