"""What an apply reports: an event per change and state (for the CLI's progress), the
outcome of each change, the resumes it created, and how a change is named in a few words."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from resumesync.applier.fielderrors import ServerFieldError, field_error
from resumesync.client import ApiError, BadJsonDataError, ClientError, NotFoundError, RetryEvent
from resumesync.model import Action, Change


class Outcome(enum.Enum):
    DONE = "done"
    FAILED = "failed"
    SKIPPED = "skipped"  # an earlier change of the same resume failed
    NOT_YET = "not_yet"  # publish answered 429: hh.ru does not allow renewing yet
    NOT_STARTED = "not_started"  # interrupted (SIGTERM, SIGINT) before it was sent
    MAYBE_APPLIED = "maybe_applied"  # in flight when interrupted, abandoned after the grace


class EventKind(enum.Enum):
    STARTED = "started"
    DONE = "done"
    FAILED = "failed"
    SKIPPED = "skipped"
    NOT_YET = "not_yet"
    NOT_STARTED = "not_started"
    MAYBE_APPLIED = "maybe_applied"


@dataclass(frozen=True)
class ApplyEvent:
    """Progress for the CLI: one per change and state."""

    kind: EventKind
    change: Change
    index: int  # position of the change in plan.changes
    total: int  # len(plan.changes)
    error: ClientError | None = None

    @property
    def finished(self) -> bool:
        """Every change gets exactly one finishing event (done, failed, skipped, not yet)."""
        return self.kind is not EventKind.STARTED

    def describe(self) -> str:
        """One line: `done: list_add backend blacklist (100 employers)`, failures with the error."""
        text = f"{self.kind.value.replace('_', ' ')}: {describe_change(self.change)}"
        return f"{text}: {self.error}" if self.kind is EventKind.FAILED and self.error else text


@dataclass(frozen=True)
class ChangeOutcome:
    change: Change
    outcome: Outcome
    error: ClientError | None = None

    @property
    def message(self) -> str:
        if self.outcome is Outcome.SKIPPED:
            return "skipped: an earlier change of this resume failed"
        if self.outcome is Outcome.NOT_YET:
            return "publish not yet: hh.ru does not allow renewing this resume yet"
        if isinstance(self.error, NotFoundError):
            return f"resume {self.change.resume_id} is not in this account ({self.error})"
        return str(self.error) if self.error else self.outcome.value

    def line(self) -> str:
        """One line for a summary: what the change was and what became of it."""
        return f"{describe_change(self.change)}: {self.message}"

    @property
    def field_errors(self) -> list[ServerFieldError]:
        """The server's per-field errors (400 bad_json_data), for mapping to YAML lines."""
        if not isinstance(self.error, BadJsonDataError):
            return []
        return [field_error(raw) for raw in self.error.field_errors]


@dataclass(frozen=True)
class CreatedResume:
    key: str
    file: str
    resume_id: str
    written: bool  # the id line is in the file; False: the user must add it (see `problem`)
    problem: str = ""

    @property
    def id_line(self) -> str:
        from resumesync.yamlwrite import id_line

        return id_line(self.resume_id)


def rerun_may_help(failed: list[ChangeOutcome]) -> bool:
    """Whether running the apply again may get further: not when hh.ru refused every failed
    call as a bad request (400: the same body is refused again until the files change)."""
    return not failed or any(
        not (isinstance(item.error, ApiError) and item.error.status == 400) for item in failed
    )


@dataclass
class ApplyResult:
    outcomes: list[ChangeOutcome]  # one per change, in plan order
    retries: list[RetryEvent] = field(default_factory=list)  # retried attempts during the apply
    created: list[CreatedResume] = field(default_factory=list)  # new and adopted resumes
    interrupted: str | None = None  # the signal that interrupted the apply, if one did
    uploaded: list[tuple[str, str, str]] = field(default_factory=list)  # (file, type, id)

    def _with(self, outcome: Outcome) -> list[ChangeOutcome]:
        return [item for item in self.outcomes if item.outcome is outcome]

    @property
    def succeeded(self) -> list[ChangeOutcome]:
        return self._with(Outcome.DONE)

    @property
    def failed(self) -> list[ChangeOutcome]:
        return self._with(Outcome.FAILED)

    @property
    def skipped(self) -> list[ChangeOutcome]:
        return self._with(Outcome.SKIPPED)

    @property
    def not_yet(self) -> list[ChangeOutcome]:
        return self._with(Outcome.NOT_YET)

    @property
    def not_started(self) -> list[ChangeOutcome]:
        return self._with(Outcome.NOT_STARTED)

    @property
    def maybe_applied(self) -> list[ChangeOutcome]:
        return self._with(Outcome.MAYBE_APPLIED)

    @property
    def ok(self) -> bool:
        """True when nothing failed ("publish not yet" is not a failure) and the apply was
        not interrupted."""
        return not (self.failed or self.skipped or self.not_started or self.maybe_applied)

    def failure_lines(self) -> list[str]:
        return [item.line() for item in self.failed]

    def skipped_lines(self) -> list[str]:
        return [item.line() for item in self.skipped]

    def not_yet_lines(self) -> list[str]:
        return [describe_change(item.change) for item in self.not_yet]

    def retry_lines(self) -> list[str]:
        return [str(event) for event in self.retries]


def describe_change(change: Change) -> str:
    """A change in a few words: `update backend (title, salary)`, `publish backend`.

    Names fields and counts employers, never values: a diff may hold personal data.
    """
    text = f"{change.action.value} {change.resume}"
    if change.list_kind:
        text += f" {change.list_kind}"
    if change.employers:
        count = len(change.employers)
        text += f" ({count} employer{'s' if count != 1 else ''})"
    elif change.action is Action.UPDATE and change.body:
        text += f" ({', '.join(change.body)})"
    return text
