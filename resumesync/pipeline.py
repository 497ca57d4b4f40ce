"""The library's front door: load a directory, plan, apply. Usable from Python without click.

from resumesync import pipeline
desired = pipeline.load(Path("."), os.environ)
result = pipeline.plan(desired, settings)          # PlanResult(plan, live)
outcome = pipeline.apply(result.plan, desired, settings)
"""

from __future__ import annotations

import asyncio
import dataclasses
import ssl
from collections.abc import Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from resumesync import files
from resumesync.applied import StalePlanError as StalePlanError  # re-exported
from resumesync.applied import checked_plan, replan_saved
from resumesync.applier import ApplyEvent, ApplyResult, CreatedResume, apply_plan
from resumesync.artifacts import LockEntry
from resumesync.client import ClientSettings, HHClient, RetryEvent, new_ssl_context
from resumesync.creations import adopt
from resumesync.credentials import Secrets
from resumesync.interrupt import Interrupt
from resumesync.live import read_live_state, summaries
from resumesync.lockfile import read_lock
from resumesync.model import Action, DesiredState, LiveState, Plan
from resumesync.planner import build_plan
from resumesync.preflight import Preflight
from resumesync.problems import Problem, ProblemsError
from resumesync.server_errors import problems_from_apply
from resumesync.settings import Settings
from resumesync.writeback import RepositoryHooks

T = TypeVar("T")


@dataclass
class PlanResult:
    plan: Plan
    live: LiveState
    desired: DesiredState | None = None  # the files as planned (with adopted resumes bound)


def load(directory: Path, env: Mapping[str, str]) -> DesiredState:
    """Files -> desired state; raises ProblemsError with every problem found."""
    return files.load_repository(directory, env)


def client_settings(
    settings: Settings, on_retry: Callable[[RetryEvent], None] | None = None
) -> ClientSettings:
    provider = None
    if not settings.token:
        from resumesync.auth.provider import provider_for

        provider = provider_for(settings)  # the pair `resumesync login` stored, if any
    if not settings.token and provider is None:
        raise ProblemsError(
            [
                Problem(
                    f"no token: set {settings.token_env} or pass --token, or run "
                    "`resumesync login` (or try --sandbox, no account needed)"
                )
            ]
        )
    return ClientSettings.from_settings(
        settings, token=settings.token, token_provider=provider, on_retry=on_retry
    )


async def plan_async(
    desired: DesiredState,
    client: HHClient,
    *,
    force: bool = False,
    now: datetime | None = None,
    with_fingerprint: bool = True,
    secrets: Secrets | None = None,
) -> PlanResult:
    """Reads the live state and plans. `with_fingerprint=False` when the plan will not be
    saved (see planner.build_plan); a plan that would print, save or send one of `secrets`
    (the credentials of the environment) is refused (SecretLeakError)."""
    if any(resume.key in desired.intents for resume in desired.resumes if resume.to_create):
        # an earlier apply died while creating: find what it created before planning anew
        desired = adopt(desired, summaries(await client.get_mine()))
    preflight = Preflight(desired)  # the server's own rules, checked as each resume comes in
    live = await read_live_state(desired, client, sent=preflight.sent, on_resume=preflight.check)
    preflight.raise_if_violations(live)  # refused before any write
    plan = checked_plan(desired, live, force, now, secrets, with_fingerprint=with_fingerprint)
    return PlanResult(plan=plan, live=live, desired=desired)


async def apply_async(
    plan: Plan,
    desired: DesiredState,
    client: HHClient,
    *,
    check_fingerprint: bool = False,
    force: bool = False,
    on_event: Callable[[ApplyEvent], None] | None = None,
    secrets: Secrets | None = None,
    interrupt: Interrupt | None = None,
) -> ApplyResult:
    """Executes `plan` (`interrupt`: see applier.apply_plan). With `check_fingerprint` (the
    plan was read from a file, which is data: see `replan_saved`; the name is historical) the
    files and the live account are planned again, and only that new plan, when it makes
    exactly the saved changes, is applied; otherwise nothing is written."""
    if check_fingerprint:
        if any(change.action is Action.ADOPT for change in plan.changes) or desired.intents:
            desired = adopt(desired, summaries(await client.get_mine()))
        plan = await replan_saved(plan, desired, client, force=force, secrets=secrets)
    hooks = RepositoryHooks(
        Path(desired.root),
        {resume.key: resume.file for resume in desired.resumes},
        api=client.api_name,
    )
    return await apply_plan(plan, client, on_event=on_event, hooks=hooks, interrupt=interrupt)


async def remaining_async(
    applied: Plan,
    desired: DesiredState,
    client: HHClient,
    *,
    now: datetime | None = None,
    created: Sequence[CreatedResume] = (),
) -> Plan:
    """What would still change after `applied` was applied: drift, as a second plan would
    see it, without a second full read. Only the resumes the plan changed can differ from
    what the first read saw (the plan was made from it), so only they are read again, with
    their declared lists, and planned again. A plan with no changes leaves nothing to read.
    The resumes the apply `created` (or adopted) are read again under their new ids."""
    changed = {change.resume for change in applied.changes}
    new_ids = {resume.key: resume.resume_id for resume in created}
    touched = []
    for resume in desired.resumes:
        if resume.key not in changed:
            continue
        if resume.key in new_ids:  # now a resume like any other
            resume = dataclasses.replace(resume, resume_id=new_ids[resume.key], adopted=False)
        elif resume.to_create:
            continue  # its create failed: nothing on the account to read
        touched.append(resume)
    if not touched:
        return Plan(api_url=applied.api_url)
    # the apply recorded its uploads in resumesync.lock: the files as they are now say so
    subset = DesiredState(root=desired.root, resumes=touched, lock=_current_lock(desired))
    live = await read_live_state(subset, client)
    # force: what remains is reported, not refused (it was applied once already)
    return build_plan(
        subset, live, force=True, now=now or datetime.now(UTC), with_fingerprint=False
    )


def _current_lock(desired: DesiredState) -> dict[str, LockEntry]:
    try:
        return read_lock(Path(desired.root))
    except ProblemsError:
        return desired.lock


def plan(
    desired: DesiredState,
    settings: Settings,
    *,
    force: bool = False,
    on_retry: Callable[[RetryEvent], None] | None = None,
) -> PlanResult:
    return _raise_first(plan_many([(desired, settings)], force=force, on_retry=on_retry))


def apply(
    plan_: Plan,
    desired: DesiredState,
    settings: Settings,
    *,
    check_fingerprint: bool = False,
    force: bool = False,
    on_event: Callable[[ApplyEvent], None] | None = None,
    on_retry: Callable[[RetryEvent], None] | None = None,
) -> ApplyResult:
    return _raise_first(
        apply_many(
            [(plan_, desired, settings)],
            check_fingerprint=check_fingerprint,
            force=force,
            on_event=on_event,
            on_retry=on_retry,
        )
    )


def plan_many(
    jobs: Sequence[tuple[DesiredState, Settings]],
    *,
    force: bool = False,
    on_retry: Callable[[RetryEvent], None] | None = None,
) -> list[PlanResult | Exception]:
    """Plans several accounts concurrently, each with its own client (and token); a failure
    in one is returned in its place and does not stop the others."""
    with Session(on_retry=on_retry) as session:
        return session.plan(jobs, force=force)


def apply_many(
    jobs: Sequence[tuple[Plan, DesiredState, Settings]],
    *,
    check_fingerprint: bool = False,
    force: bool = False,
    on_event: Callable[[ApplyEvent], None] | None = None,
    on_retry: Callable[[RetryEvent], None] | None = None,
) -> list[ApplyResult | Exception]:
    """Applies several accounts' plans concurrently, each with its own client (and token)."""
    with Session(on_retry=on_retry) as session:
        return session.apply(
            jobs, check_fingerprint=check_fingerprint, force=force, on_event=on_event
        )


_NOT_OPEN = "the session is not open: use `with Session() as session`"


class Session:
    """One event loop and one open client per account, from the plan to the apply.

        with pipeline.Session(on_retry=...) as session:
            planned = session.plan([(desired, settings), ...])
            ...  # show the plans, ask
            applied = session.apply([(plan, desired, settings), ...])

    An apply after a plan of the same account (same Settings) reuses that plan's client and
    its open connections: no second client, no second TCP and TLS handshakes. As with
    plan_many / apply_many, each account's failure is returned in its place.
    """

    def __init__(self, *, on_retry: Callable[[RetryEvent], None] | None = None) -> None:
        self._on_retry = on_retry
        self._runner: asyncio.Runner | None = None
        self._clients: dict[Settings, HHClient] = {}
        # each account's last apply: `remaining` reads again the resumes it created
        self._created: dict[Settings, list[CreatedResume]] = {}
        self._ssl_context: ssl.SSLContext | None = None  # one for every https client

    def __enter__(self) -> Session:
        self._runner = asyncio.Runner()
        return self

    def __exit__(self, *exc_info: object) -> None:
        runner, self._runner = self._runner, None
        if runner is None:
            return
        try:
            if self._clients:
                runner.run(self._close())
        finally:
            runner.close()

    def plan(
        self,
        jobs: Sequence[tuple[DesiredState, Settings]],
        *,
        force: bool = False,
        with_fingerprint: bool = True,
    ) -> list[PlanResult | Exception]:
        """`with_fingerprint=False` when no plan will be saved (see planner.build_plan)."""

        async def one(desired: DesiredState, settings: Settings) -> PlanResult:
            return await plan_async(
                desired,
                self.client(settings),
                force=force,
                with_fingerprint=with_fingerprint,
                secrets=settings.secrets,
            )

        return self._run([one(desired, settings) for desired, settings in jobs])

    def apply(
        self,
        jobs: Sequence[tuple[Plan, DesiredState, Settings]],
        *,
        check_fingerprint: bool = False,
        force: bool = False,
        on_event: Callable[[ApplyEvent], None] | None = None,
        interrupt: Interrupt | None = None,
    ) -> list[ApplyResult | Exception]:
        async def one(plan_: Plan, desired: DesiredState, settings: Settings) -> ApplyResult:
            result = await apply_async(
                plan_,
                desired,
                self.client(settings),
                check_fingerprint=check_fingerprint,
                force=force,
                on_event=on_event,
                secrets=settings.secrets,
                interrupt=interrupt,
            )
            self._created[settings] = list(result.created)
            return result

        return self._run([one(*job) for job in jobs])

    def remaining(
        self, jobs: Sequence[tuple[Plan, DesiredState, Settings]]
    ) -> list[Plan | Exception]:
        """After `apply`: what would still change, per account (see remaining_async),
        including the resumes that apply created or adopted."""

        async def one(plan_: Plan, desired: DesiredState, settings: Settings) -> Plan:
            created = self._created.get(settings, ())
            return await remaining_async(plan_, desired, self.client(settings), created=created)

        return self._run([one(*job) for job in jobs])

    def retries(self, settings: Settings) -> list[RetryEvent]:
        """Every retry of the account's client so far: the plan's reads and the apply's
        calls (empty when it made no request)."""
        client = self._clients.get(settings)
        return list(client.retry_events) if client is not None else []

    def client(self, settings: Settings) -> HHClient:
        """The account's open client, opened on first use (opening does no I/O)."""
        self._check_open()
        client = self._clients.get(settings)
        if client is None:
            context = None
            if not settings.api_url.startswith("http://"):
                if self._ssl_context is None:  # certifi's bundle is loaded once per run
                    self._ssl_context = new_ssl_context()
                context = self._ssl_context
            client = HHClient(client_settings(settings, self._on_retry), ssl_context=context)
            self._clients[settings] = client.open()
        return client

    def _run(self, coroutines: list[Coroutine[Any, Any, T]]) -> list[T | Exception]:
        runner = self._runner
        if runner is None:
            for coroutine in coroutines:
                coroutine.close()  # never awaited: no "was never awaited" warning
            raise RuntimeError(_NOT_OPEN)
        results: list[T | Exception] = []

        async def main() -> None:
            # The main task returns nothing: after each run, asyncio.Runner calls
            # signal.getsignal(SIGINT), which formats the repr of its handler (trying it as an
            # enum value), and the handler holds the main task, whose repr shows its result:
            # every plan's live state (megabytes of text, tens of ms, for long lists).
            results.extend(await _gather(coroutines))

        runner.run(main())
        return results

    def _check_open(self) -> None:
        if self._runner is None:
            raise RuntimeError(_NOT_OPEN)

    async def _close(self) -> None:
        clients, self._clients = list(self._clients.values()), {}
        await asyncio.gather(*(client.aclose() for client in clients), return_exceptions=True)


async def _gather(coroutines: list[Coroutine[Any, Any, T]]) -> list[T | Exception]:
    results = await asyncio.gather(*coroutines, return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException) and not isinstance(result, Exception):
            raise result  # KeyboardInterrupt, cancellation: not a per-account failure
    return list(results)


def _raise_first(results: list[T | Exception]) -> T:
    (result,) = results
    if isinstance(result, Exception):
        raise result
    return result


def apply_problems(result: ApplyResult, desired: DesiredState) -> list[Problem]:
    """The server's errors of a failed apply, pointed at the user's YAML lines."""
    return problems_from_apply(result, desired)
