"""The preflight of one plan: each resume checked as its reads arrive, then every problem of
the plan in file order."""

from __future__ import annotations

from typing import Any

from resumesync import dictionaries
from resumesync.model import DesiredResume, DesiredState, LiveResume, LiveState
from resumesync.preflight.bodies import clone_put_body, new_resume_body, sent_fields
from resumesync.preflight.rules import metro_problems, rule_problems
from resumesync.preflight.validator import CompiledConditions
from resumesync.preflight.violations import resume_problems
from resumesync.problems import Problem, ProblemsError
from resumesync.validation import sort_problems


class Preflight:
    """The preflight of one plan, resume by resume as the reads arrive.

    read_live_state calls `check` (its `on_resume`) as soon as a resume's own reads are in,
    so that the checking overlaps the reads still in flight instead of following the last
    one; `problems` then adds the metro checks, which need every area's directory, and checks
    whatever was not checked yet. Problems come in file order, however the reads arrived.
    """

    def __init__(self, desired: DesiredState) -> None:
        self._desired = desired
        self._compiled = CompiledConditions()
        self._indexes: dict[str, list[int]] = {}  # resume id -> its files in desired.resumes
        for index, resume in enumerate(desired.resumes):
            self._indexes.setdefault(resume.resume_id, []).append(index)
        self._found: dict[int, list[Problem]] = {}  # index in desired.resumes -> its problems
        # id(file) -> (file, live document, the PUT body): see `sent`
        self._sent: dict[int, tuple[DesiredResume, dict[str, Any], dict[str, Any]]] = {}

    def sent(self, resume: DesiredResume, document: dict[str, Any]) -> dict[str, Any]:
        """sent_fields(resume, document), computed once per file and live document: the reads
        (which ask it what gates the writes), `check` and `problems` all need it, and at
        agency scale each costs the normalizing of every declared field."""
        known = self._sent.get(id(resume))
        if known is not None and known[0] is resume and known[1] is document:
            return known[2]
        body = sent_fields(resume, document)
        self._sent[id(resume)] = (resume, document, body)
        return body

    @property
    def compiled(self) -> int:
        """How many distinct conditions documents were compiled."""
        return len(self._compiled)

    def check(self, live_resume: LiveResume) -> None:
        """Checks what the plan sends each file of one resume against the resume's conditions
        (its lists are not needed)."""
        for index in self._indexes.get(live_resume.resume_id, []):
            resume = self._desired.resumes[index]
            body = self.sent(resume, live_resume.document)
            self._found[index] = resume_problems(
                resume, body, live_resume.conditions, self._compiled
            )

    def problems(self, live: LiveState) -> list[Problem]:
        """The violations of what the plan sends each managed resume: its conditions (when
        read), the dictionaries and the metro directory, in file order."""
        problems: list[Problem] = []
        for index, resume in enumerate(self._desired.resumes):
            if resume.to_create:  # its POST sends the declared fields; a clone's PUT some
                created = new_resume_body(resume)
                if resume.clone is not None:
                    created = clone_put_body(resume, self._desired, live.resumes)
                problems.extend(dictionaries.problems(resume, created, live.dictionaries))
                continue
            live_resume = live.resumes.get(resume.resume_id)
            if live_resume is None:
                continue
            if index not in self._found:
                self.check(live_resume)
            problems.extend(self._found[index])
            body = self.sent(resume, live_resume.document)
            problems.extend(rule_problems(resume, body, live_resume.document))
            problems.extend(dictionaries.problems(resume, body, live.dictionaries))
            problems.extend(metro_problems(resume, live_resume, live.metro))
        return sort_problems(problems)

    def raise_if_violations(self, live: LiveState) -> None:
        """ProblemsError with every violation: the plan must not be made, nothing written."""
        problems = self.problems(live)
        if problems:
            raise ProblemsError(problems)


def preflight_problems(desired: DesiredState, live: LiveState) -> list[Problem]:
    """Preflight.problems of a live state read without checking as it arrived."""
    return Preflight(desired).problems(live)
