"""Executes a Plan: resumes concurrently, each resume's changes in the plan's (privacy) order.

Within one resume, consecutive changes of one privacy stage go out together as one phase:
tightening (blacklist additions, whitelist removals or clear: both only narrow who may see
the resume, whatever its access type, so any mix of them is never wider than before), the
PUT, loosening (blacklist removals or clear, whitelist additions: each only widens towards
the final state, so any mix of them is never wider than after), publish. The next phase
starts only when the previous one fully succeeded, so a failed tightening is never followed
by a loosening. A failure stops that resume only. No rollback: the next run converges, since
every call is idempotent. The resumes with the most phases are started first: they are the
longest chains of calls that wait for one another.
"""

from __future__ import annotations

import asyncio
import enum
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from itertools import groupby
from typing import Any, Protocol

from resumesync.apply_errors import ImageError, LocalWriteError, RefusedCallError
from resumesync.artifacts import is_pending_artifact
from resumesync.client import (
    ApiError,
    BadJsonDataError,
    ClientError,
    HaltedError,
    HHClient,
    NotFoundError,
    PublishNotYet,
    RetryEvent,
    gather_or_cancel,
)
from resumesync.endpoints import resume_path
from resumesync.image_steps import ImageHooks, ImageSteps
from resumesync.interrupt import AbandonedInFlight, CallProbe, Interrupt
from resumesync.model import LIST_KINDS, Action, Change, JsonPath, Plan, is_pending
from resumesync.problems import dotted


class CreationHooks(ImageHooks, Protocol):
    """What happens around a create besides the HTTP call (pipeline.py: files, `.resumesync/`),
    and around an upload (ImageHooks, image_steps.py).

    `before_create` runs before the POST (it records the intent: an exception there means
    no POST); `created` runs once the new id is known (it writes the id into the file and
    clears the intent) and `adopted` for an ADOPT change. Their exceptions after the POST
    are reported, but the resume is created and the rest of its changes go on."""

    def before_create(self, change: Change, account_ids: tuple[str, ...]) -> None: ...

    def created(self, change: Change, resume_id: str) -> None: ...

    def adopted(self, change: Change) -> None: ...


_INDEX = re.compile(r"0|[1-9][0-9]*")


IMAGE_ACTIONS = (Action.UPLOAD, Action.ADOPT_UPLOAD, Action.DESCRIBE)


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
class ServerFieldError:
    """One `bad_json_data` error of the server, with its pointer as a path into the document."""

    pointer: str
    path: JsonPath
    reason: str = ""
    value: str = ""  # the field the server names
    description: str = ""

    def __str__(self) -> str:
        where = dotted(self.path) or self.value or "(body)"
        return f"{where}: {self.description or self.reason or 'rejected by the server'}"


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
        return [_field_error(raw) for raw in self.error.field_errors]


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


async def apply_plan(
    plan: Plan,
    client: HHClient,
    *,
    on_event: Callable[[ApplyEvent], None] | None = None,
    hooks: CreationHooks | None = None,
    interrupt: Interrupt | None = None,
) -> ApplyResult:
    """Executes every change of `plan`; never raises for an API failure (see ApplyResult).

    Once `interrupt` is requested no change starts (NOT_STARTED); a change in flight gets
    the interrupt's grace period, then is abandoned (MAYBE_APPLIED)."""
    total = len(plan.changes)
    outcomes: dict[int, ChangeOutcome] = {}
    ids: dict[str, str] = {}  # pending id of a resume to create -> the id the POST gave it
    images = ImageSteps(client, plan, hooks)  # uploads: stand-in id -> artifact id
    created: list[CreatedResume] = []

    async def call(change: Change) -> None:
        if change.action is Action.UPLOAD:
            await images.upload(change)
            return
        if change.action is Action.ADOPT_UPLOAD:
            await images.adopt(change)
            return
        if change.action is Action.DESCRIBE:
            await images.describe(change)
            return
        change = bind_uploads(change, images.uploads)
        if change.action is Action.CREATE:
            if hooks is not None:
                try:
                    hooks.before_create(change, plan.account_ids)
                except OSError as error:
                    raise LocalWriteError(f"cannot record the creation: {error}") from None
            resume_id = await client.create(create_path(change), change.body)
            ids[change.resume_id] = resume_id
            problem = ""
            try:
                if hooks is not None:
                    hooks.created(change, resume_id)
            except (OSError, ValueError) as error:
                problem = str(error) or type(error).__name__
            created.append(
                CreatedResume(change.resume, change.file or "", resume_id, not problem, problem)
            )
            return
        if change.action is Action.ADOPT:
            problem = ""
            try:
                if hooks is not None:
                    hooks.adopted(change)
            except (OSError, ValueError) as error:
                problem = str(error) or type(error).__name__
            created.append(
                CreatedResume(
                    change.resume, change.file or "", change.resume_id, not problem, problem
                )
            )
            return
        await send(client, bind_pending(change, ids))

    def emit(
        kind: EventKind,
        index: int,
        error: ClientError | None = None,
        change: Change | None = None,
    ) -> None:
        if on_event is not None:
            shown = change or plan.changes[index]
            on_event(ApplyEvent(kind, shown, index, total, error))

    async def run(index: int) -> ChangeOutcome:
        change = plan.changes[index]
        if is_pending(change.resume_id) and change.resume_id in ids:
            change = bind_pending(change, ids)  # events and outcomes name the real id
        if interrupt is not None and interrupt.requested:
            outcomes[index] = ChangeOutcome(change, Outcome.NOT_STARTED)
            emit(EventKind.NOT_STARTED, index, change=change)
            return outcomes[index]
        emit(EventKind.STARTED, index, change=change)
        probe = CallProbe(interrupt) if interrupt is not None else None
        try:
            if interrupt is None or probe is None:
                await call(change)
            else:
                await interrupt.guard(call(change), probe)
        except (AbandonedInFlight, HaltedError):
            # Interrupted: nothing of it went out (not started), or something did and its
            # answer never came (it may have been applied).
            sent = probe is not None and probe.sent
            kind = Outcome.MAYBE_APPLIED if sent else Outcome.NOT_STARTED
            result = ChangeOutcome(change, kind)
            emit(EventKind(kind.value), index, change=change)
        except PublishNotYet as error:
            if error.maybe_applied:  # our own earlier attempt published it, then the line dropped
                result = ChangeOutcome(change, Outcome.DONE)
                emit(EventKind.DONE, index, change=change)
            else:
                result = ChangeOutcome(change, Outcome.NOT_YET, error)
                emit(EventKind.NOT_YET, index, error, change)
        except ClientError as error:
            result = ChangeOutcome(change, Outcome.FAILED, error)
            emit(EventKind.FAILED, index, error, change)
        else:
            result = ChangeOutcome(change, Outcome.DONE)
            emit(EventKind.DONE, index, change=change)
        outcomes[index] = result
        return result

    async def apply_resume(ordered: list[list[int]]) -> None:
        for number, phase in enumerate(ordered):
            results = await asyncio.gather(*(run(index) for index in phase))
            if interrupt is not None and interrupt.requested:
                for later in ordered[number + 1 :]:
                    for index in later:
                        await run(index)  # each one: not started
                return
            if any(result.outcome is Outcome.FAILED for result in results):
                for later in ordered[number + 1 :]:
                    for index in later:
                        outcomes[index] = ChangeOutcome(plan.changes[index], Outcome.SKIPPED)
                        emit(EventKind.SKIPPED, index)
                return

    retried_before = len(client.retry_events)
    # Images first, all of them: resumes of any file may show them (one upload per content).
    image_changes = [i for i, c in enumerate(plan.changes) if c.action in IMAGE_ACTIONS]
    await gather_or_cancel(run(index) for index in image_changes)
    by_resume: dict[str, list[int]] = {}
    for index, change in enumerate(plan.changes):
        if change.action not in IMAGE_ACTIONS:
            by_resume.setdefault(change.resume_id, []).append(index)
    resumes = [list(phases(plan.changes, indexes)) for indexes in by_resume.values()]
    # Longest chain first: a resume's later phases wait for its earlier ones, so the first
    # calls of the resumes with the most phases must not queue behind one-phase batches.
    resumes.sort(key=len, reverse=True)
    await gather_or_cancel(apply_resume(ordered) for ordered in resumes)
    return ApplyResult(
        [outcomes[index] for index in range(total)],
        retries=client.retry_events[retried_before:],
        created=created,
        interrupted=interrupt.reason if interrupt is not None else None,
        uploaded=images.uploaded,
    )


def bind_uploads(change: Change, uploads: dict[str, str]) -> Change:
    """`change` with the artifact ids of this apply's uploads in place of their stand-ins
    (`upload:TYPE:SHA256` in the body); ImageError naming the image if one is missing."""
    missing: list[str] = []

    def bound(value: Any) -> Any:
        if isinstance(value, dict):
            return {key: bound(item) for key, item in value.items()}
        if isinstance(value, list):
            return [bound(item) for item in value]
        if is_pending_artifact(value):
            if value in uploads:
                return uploads[value]
            missing.append(value)
        return value

    if change.body is None:
        return change
    body = bound(change.body)
    if missing:
        raise ImageError("an image this change shows was not uploaded (see the upload above)")
    return replace(change, body=body)


def bind_pending(change: Change, ids: dict[str, str]) -> Change:
    """`change` with the id of the resume created earlier in this apply in place of its
    pending id (in `resume_id` and the path); a change of no pending resume as it is."""
    if not is_pending(change.resume_id):
        return change
    new_id = ids.get(change.resume_id)
    if new_id is None:
        raise RuntimeError(f"{change.resume}: its resume was not created first")
    old_prefix, new_prefix = resume_path(change.resume_id), resume_path(new_id)
    if change.path != old_prefix and not change.path.startswith(old_prefix + "/"):
        raise RuntimeError(f"{change.resume}: a change of a new resume with another path")
    return replace(change, resume_id=new_id, path=new_prefix + change.path[len(old_prefix) :])


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


class Stage(enum.IntEnum):
    """The privacy stages of one resume's changes, in the order the planner emits them."""

    CREATE = 0  # the POST of a new resume, or the adoption of one; everything else follows
    TIGHTENING = 1
    UPDATE = 2
    LOOSENING = 3
    PUBLISH = 4


# Which list changes narrow who may see a resume (whatever its access type) and which widen it.
_TIGHTENING = {
    (Action.LIST_ADD, "blacklist"),
    (Action.LIST_REMOVE, "whitelist"),
    (Action.LIST_CLEAR, "whitelist"),
}


def stage(change: Change) -> Stage:
    if change.action in (Action.CREATE, Action.ADOPT):
        return Stage.CREATE
    if change.action is Action.UPDATE:
        return Stage.UPDATE
    if change.action is Action.PUBLISH:
        return Stage.PUBLISH
    if (change.action, change.list_kind) in _TIGHTENING:
        return Stage.TIGHTENING
    return Stage.LOOSENING


def phases(changes: list[Change], indexes: list[int]) -> Iterator[list[int]]:
    """Runs of consecutive changes (of one resume) in one privacy stage: they may go out
    together. A plan out of stage order still runs in its own order, one run at a time."""
    for _, run in groupby(indexes, key=lambda i: stage(changes[i])):
        yield list(run)


async def send(client: HHClient, change: Change) -> None:
    """The one call of `change`, rebuilt from its meaning (action, resume id, list kind,
    employer ids, fields) by the client's own endpoint code: a change's `method`, `path` and
    list `body` are for people and plan files, never sent as written (a saved plan is applied
    only as the plan made again now, see applied.replan_saved)."""
    resume_id, kind = change.resume_id, change.list_kind
    if change.action is Action.UPDATE:
        await client.put_resume(resume_id, dict(change.body or {}))
    elif change.action is Action.PUBLISH:
        await client.publish(resume_id)
    elif kind not in LIST_KINDS:
        raise RefusedCallError(f"{change.action.value} of an unknown list {kind!r}: not sent")
    elif change.action is Action.LIST_ADD:
        await client.add_to_list(resume_id, kind, change.employers)
    elif change.action is Action.LIST_REMOVE:
        await client.remove_from_list(resume_id, kind, change.employers)
    elif change.action is Action.LIST_CLEAR:
        await client.clear_list(resume_id, kind)
    else:
        raise RefusedCallError(f"{change.action.value}: not a call resumesync makes")


_CREATE_PATH = re.compile(r"/resumes(?:\?source_resume_id=[0-9A-Za-z]+)?")


def create_path(change: Change) -> str:
    """A create's path: POST /resumes, or a copy of one resume; anything else is refused."""
    if not _CREATE_PATH.fullmatch(change.path):
        raise RefusedCallError(f"create {change.resume}: not a create call: not sent")
    return change.path


def _field_error(raw: dict[str, Any]) -> ServerFieldError:
    pointer = str(raw.get("pointer") or "")
    value = str(raw.get("value") or "")
    path = pointer_to_path(pointer) if pointer else ((value,) if value else ())
    return ServerFieldError(
        pointer=pointer,
        path=path,
        reason=str(raw.get("reason") or ""),
        value=value,
        description=str(raw.get("description") or ""),
    )


def pointer_to_path(pointer: str) -> JsonPath:
    """RFC 6901: "/education/additional/1/year" -> ("education", "additional", 1, "year").

    Array indexes become ints; "~1" and "~0" unescape to "/" and "~" (in that order, as the
    RFC requires). A pointer without the leading "/" is read as if it had one.
    """
    if pointer == "":
        return ()
    body = pointer[1:] if pointer.startswith("/") else pointer
    path: list[str | int] = []
    for token in body.split("/"):
        text = token.replace("~1", "/").replace("~0", "~")
        path.append(int(text) if _INDEX.fullmatch(text) else text)
    return tuple(path)


def path_to_pointer(path: JsonPath) -> str:
    """The inverse of pointer_to_path: ("a/b", 0) -> "/a~1b/0"."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)
