"""The library's front door: load a directory, plan, apply. Usable from Python without click.

from resumesync import pipeline
desired = pipeline.load(Path("."), os.environ)
result = pipeline.plan(desired, settings)          # PlanResult(plan, live)
outcome = pipeline.apply(result.plan, desired, settings)
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from resumesync import files
from resumesync.applier import ApplyEvent, ApplyResult, apply_plan
from resumesync.client import ClientSettings, HHClient, RetryEvent
from resumesync.fingerprint import fingerprint
from resumesync.live import read_live_state
from resumesync.model import DesiredState, LiveState, Plan
from resumesync.planner import build_plan, raise_if_unsafe
from resumesync.problems import Problem, ProblemsError
from resumesync.server_errors import problems_from_apply
from resumesync.settings import Settings

T = TypeVar("T")


@dataclass
class PlanResult:
    plan: Plan
    live: LiveState


class StalePlanError(ProblemsError):
    """The live state moved since the plan was made: nothing was written."""


def load(directory: Path, env: Mapping[str, str]) -> DesiredState:
    """Files -> desired state; raises ProblemsError with every problem found."""
    return files.load_repository(directory, env)


def client_settings(
    settings: Settings, on_retry: Callable[[RetryEvent], None] | None = None
) -> ClientSettings:
    if not settings.token:
        raise ProblemsError(
            [
                Problem(
                    f"no token: set {settings.token_env} or pass --token "
                    "(or try --sandbox, no account needed)"
                )
            ]
        )
    return ClientSettings(
        base_url=settings.api_url,
        token=settings.token,
        user_agent=settings.user_agent,
        parallelism=settings.parallelism,
        max_rps=settings.max_rps,
        connect_timeout=settings.connect_timeout,
        read_timeout=settings.read_timeout,
        retries=settings.retries,
        on_retry=on_retry,
    )


async def plan_async(
    desired: DesiredState,
    client: HHClient,
    *,
    force: bool = False,
    now: datetime | None = None,
) -> PlanResult:
    live = await read_live_state(desired, client)
    plan = build_plan(desired, live, force=force, now=now or datetime.now(UTC))
    return PlanResult(plan=plan, live=live)


async def apply_async(
    plan: Plan,
    desired: DesiredState,
    client: HHClient,
    *,
    check_fingerprint: bool = False,
    force: bool = False,
    on_event: Callable[[ApplyEvent], None] | None = None,
) -> ApplyResult:
    """Executes `plan`. With `check_fingerprint` (a saved plan) the live state is read again
    first and a plan made from another state, account or API is refused, writing nothing;
    so is an unsafe plan (see planner.raise_if_unsafe) unless `force`."""
    if check_fingerprint:
        if plan.api_url and plan.api_url.rstrip("/") != client.base_url.rstrip("/"):
            raise StalePlanError(
                [
                    Problem(
                        f"the plan was made for {plan.api_url}, not {client.base_url}: "
                        "nothing was written"
                    )
                ]
            )
        live = await read_live_state(desired, client)
        if fingerprint(live) != plan.fingerprint:
            raise StalePlanError(
                [
                    Problem(
                        "the plan is stale: the live account changed since it was made "
                        "(or it was made for another account); nothing was written. "
                        "Run `resumesync plan` again."
                    )
                ]
            )
        raise_if_unsafe(plan, live, force=force)
    return await apply_plan(plan, client, on_event=on_event)


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

    async def one(desired: DesiredState, settings: Settings) -> PlanResult:
        async with HHClient(client_settings(settings, on_retry)) as client:
            return await plan_async(desired, client, force=force)

    return asyncio.run(_gather([one(desired, settings) for desired, settings in jobs]))


def apply_many(
    jobs: Sequence[tuple[Plan, DesiredState, Settings]],
    *,
    check_fingerprint: bool = False,
    force: bool = False,
    on_event: Callable[[ApplyEvent], None] | None = None,
    on_retry: Callable[[RetryEvent], None] | None = None,
) -> list[ApplyResult | Exception]:
    """Applies several accounts' plans concurrently, each with its own client (and token)."""

    async def one(plan_: Plan, desired: DesiredState, settings: Settings) -> ApplyResult:
        async with HHClient(client_settings(settings, on_retry)) as client:
            return await apply_async(
                plan_,
                desired,
                client,
                check_fingerprint=check_fingerprint,
                force=force,
                on_event=on_event,
            )

    return asyncio.run(_gather([one(*job) for job in jobs]))


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
