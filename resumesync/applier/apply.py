"""apply_plan: images first, then every resume at once, each resume's phases in turn; the
hooks around a create and an upload."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Protocol

from resumesync.applier.calls import bind_pending, bind_uploads, create_path, send
from resumesync.applier.outcomes import (
    ApplyEvent,
    ApplyResult,
    ChangeOutcome,
    CreatedResume,
    EventKind,
    Outcome,
)
from resumesync.applier.stages import phases
from resumesync.apply_errors import LocalWriteError
from resumesync.client import ClientError, HaltedError, HHClient, PublishNotYet, gather_or_cancel
from resumesync.image_steps import ImageHooks, ImageSteps
from resumesync.interrupt import AbandonedInFlight, CallProbe, Interrupt
from resumesync.model import Action, Change, Plan, is_pending


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


IMAGE_ACTIONS = (Action.UPLOAD, Action.ADOPT_UPLOAD, Action.DESCRIBE)


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
