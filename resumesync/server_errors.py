"""The server's answers to a failed apply, pointed back at the user's YAML lines."""

from __future__ import annotations

from resumesync.applier import ApplyResult
from resumesync.model import DesiredState
from resumesync.problems import Problem, dotted


def problems_from_apply(result: ApplyResult, desired: DesiredState) -> list[Problem]:
    """One Problem per server error: `400 bad_json_data` pointers become FILE:LINE: field."""
    resumes = {resume.key: resume for resume in desired.resumes}
    problems: list[Problem] = []
    for outcome in result.failed:
        resume = resumes.get(outcome.change.resume)
        source = resume.source if resume else None
        field_errors = outcome.field_errors
        if not field_errors:
            location = source.default if source else None
            problems.append(Problem(f"{outcome.message}", location=location))
            continue
        for error in field_errors:
            path = error.path or ((error.value,) if error.value else ())
            location = source.locate(path) if source else None
            message = error.description or error.reason or "rejected by the server"
            problems.append(Problem(f"{message} (server)", location=location, field=dotted(path)))
    return problems
