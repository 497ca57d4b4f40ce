"""What a check of one document collects: its problems, and the paths a specific message
explains already (so the schema's generic message is not added for them)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from resumesync.model import JsonPath, Location, SourceMap
from resumesync.problems import Problem, RuleWarning, dotted


@dataclass
class Findings:
    """Errors stop the run; warnings are shown and the run goes on."""

    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


@dataclass
class Report:
    """Problems of one document, and the paths already explained by a specific message."""

    source: SourceMap
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    handled: list[JsonPath] = field(default_factory=list)

    def where(self, path: JsonPath) -> Location | None:
        return self.source.locate(path)

    def error(self, path: JsonPath, message: str, handled: bool = False) -> None:
        self.errors.append(Problem(message, self.where(path), dotted(path)))
        if handled:
            self.handled.append(path)

    def line_of(self, path: JsonPath) -> str:
        location = self.where(path)
        return str(location.line) if location else "?"

    def warn(self, path: JsonPath, message: str) -> None:
        self.warnings.append(Problem(message, self.where(path), dotted(path)))

    # resume_rules.Report: what `validate` makes of the documented rules
    def shape(self, path: JsonPath, message: str) -> None:
        self.error(path, message, handled=True)

    def rule(self, path: JsonPath, message: str) -> None:
        self.warnings.append(RuleWarning(message, self.where(path), dotted(path)))

    def note(self, path: JsonPath, message: str) -> None:
        self.warn(path, message)

    def is_handled(self, path: JsonPath) -> bool:
        return any(path[: len(done)] == done for done in self.handled)

    def findings(self) -> Findings:
        return Findings(sort_problems(self.errors), sort_problems(self.warnings))


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Unique problems, in file and line order (a base shared by variants reports once)."""
    unique = list(dict.fromkeys(problems))
    return sorted(
        unique, key=lambda p: (p.location.file, p.location.line) if p.location else ("", 0)
    )
