"""Problems found in the user's files, the server's rules or the server's answers.

Every problem points at the user's line when it can: `resumes/backend.yaml:14: salary.amount: ...`.
"""

from __future__ import annotations

from dataclasses import dataclass

from resumesync.model import JsonPath, Location


def dotted(path: JsonPath) -> str:
    """("experience", 0, "start") -> "experience[0].start"."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


@dataclass(frozen=True)
class Problem:
    message: str
    location: Location | None = None
    field: str = ""  # dotted path inside the document, "" when the problem is the whole file

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        what = f"{self.field}: " if self.field else ""
        return f"{where}{what}{self.message}"


@dataclass(frozen=True)
class RuleWarning(Problem):
    """A documented rule broken in the files, found offline: `validate` shows it; `plan`
    judges the rule itself on what it sends (preflight.rule_problems), so it does not repeat
    this one."""


class ProblemsError(Exception):
    """Raised with every problem of one run, so that all are reported at once."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems
