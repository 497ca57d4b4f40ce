"""Issue 12 §6: a server's `regexp` runs in a linear-time engine (RE2). The review saw plan
spend 60 s and more of CPU on one pattern with catastrophic backtracking."""

from __future__ import annotations

from resumesync.model import DesiredResume, LiveResume, Location, SourceMap
from resumesync.preflight import resume_problems, sent_fields
from resumesync.serverregex import compile_server_regexp, regexp_problem


def problems(regexp: str, title: str) -> list[str]:
    resume = DesiredResume(
        key="a",
        resume_id="r1",
        file="resumes/a.yaml",
        fields={"title": title},
        source=SourceMap({("title",): Location("resumes/a.yaml", 3)}),
    )
    live = LiveResume(
        resume_id="r1",
        document={"id": "r1", "title": "old"},
        conditions={"title": {"required": True, "regexp": regexp}},
    )
    body = sent_fields(resume, live.document)
    return [str(problem) for problem in resume_problems(resume, body, live.conditions)]


def test_catastrophic_backtracking_is_linear() -> None:
    # Python's re needs about 2**40 steps for this (hours); RE2 answers at once.
    assert problems("^(a+)+$", "a" * 40 + "!") == [
        "resumes/a.yaml:3: title: must match ^(a+)+$ (server conditions)"
    ]
    assert problems("^(a|aa)+$", "a" * 5000) == []


def test_a_pattern_that_needs_backtracking_is_reported_as_such() -> None:
    found = problems(r"^(?=.*\d)(a)\1$", "anything")
    assert len(found) == 1
    assert found[0].startswith("resumes/a.yaml:3: title: cannot be checked: the server's regexp")
    assert "needs a backtracking engine" in found[0]


def test_the_sandbox_patterns_still_apply() -> None:
    name = r"^[^0-9@<>]+$"
    assert regexp_problem(name, "Иван") is None
    assert regexp_problem(name, "Ivan2") == f"must match {name}"


def test_huge_patterns_are_not_compiled() -> None:
    compiled, reason = compile_server_regexp("a" * 20_000)
    assert compiled is None and reason is not None and "longer than" in reason
