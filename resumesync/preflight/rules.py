"""The rules the conditions do not carry, judged on what the plan sends: the documented rules
(resume_rules.py) and the metro directory of the resume's area."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from resumesync.model import DesiredResume, JsonPath, LiveResume
from resumesync.normalize import metro_to_check
from resumesync.problems import Problem, dotted
from resumesync.resume_rules import documented_rules

RULE_SUFFIX = " (documented rule)"


class _SentRules:
    """resume_rules.Report for a plan: a documented rule broken by a field the plan sends is
    an error at its line; one the live resume breaks in a field it keeps is not ours."""

    def __init__(self, resume: DesiredResume, body: Mapping[str, Any]) -> None:
        self._resume = resume
        self._body = body
        self.problems: list[Problem] = []

    def rule(self, path: JsonPath, message: str) -> None:
        if path and path[0] in self._body:
            where = self._resume.source.locate(path)
            self.problems.append(Problem(message + RULE_SUFFIX, where, dotted(path)))

    def shape(self, path: JsonPath, message: str) -> None:
        self.rule(path, message)  # validate refused it already; a live value is not ours

    def note(self, path: JsonPath, message: str) -> None:
        pass  # validate said it; the normaliser keeps it from being a diff

    def line_of(self, path: JsonPath) -> str:
        location = self._resume.source.locate(path)
        return str(location.line) if location else "?"


def rule_problems(
    resume: DesiredResume, body: Mapping[str, Any], document: Mapping[str, Any]
) -> list[Problem]:
    """The documented rules (resume_rules.py) broken by what the plan sends: judged on the
    resume as the PUT leaves it (the live document with the body over it), reported only for
    the fields of the body."""
    if not body:
        return []
    report = _SentRules(resume, body)
    documented_rules({**document, **body}, report)
    return report.problems


def metro_problems(
    resume: DesiredResume, live_resume: LiveResume, stations: Mapping[str, frozenset[str]]
) -> list[Problem]:
    """A declared metro station that is not in its area's metro directory (`stations`: area
    id -> station ids, as read by live/gates.py), which the server would drop on save."""
    check = metro_to_check(resume.fields, live_resume.document)
    if check is None:
        return []
    station, area = check
    if area not in stations or station in stations[area]:
        return []  # the directory was not read (no preflight), or the station is in the area
    return [
        Problem(
            f"station {station} is not in area {area}; the server would drop it",
            resume.source.locate(("metro",)),
            "metro",
        )
    ]
