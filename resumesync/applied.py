"""The plan that is applied: built by the planner, through every policy and the secret guard,
and for a saved plan file, built again now and compared with the file.

A plan file is data, not instructions. `apply plan.json` never sends what the file says: it
reads the account and the files again, plans with the same code as `plan` (`checked_plan`),
and applies that new plan only when its changes mean exactly what the saved ones do
(`meanings`). An edited file is then at worst refused, and every safety check and policy
runs on what will be sent.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime

from resumesync.client import HHClient
from resumesync.credentials import SecretLeakError, Secrets
from resumesync.fingerprint import canonical_json
from resumesync.live import NotInAccountError, read_live_state
from resumesync.model import Action, DesiredState, LiveState, Plan, is_pending
from resumesync.planner import build_plan
from resumesync.problems import Problem, ProblemsError


class StalePlanError(ProblemsError):
    """A saved plan that the files and the account no longer produce, or one made for another
    API or account: nothing was written."""


def checked_plan(
    desired: DesiredState,
    live: LiveState,
    force: bool,
    now: datetime | None,
    secrets: Secrets | None,
    *,
    with_fingerprint: bool = True,
) -> Plan:
    """The planner's plan, through every policy (planner -> policy.py) and the secret guard."""
    plan = build_plan(
        desired,
        live,
        force=force,
        now=now or datetime.now(UTC),
        with_fingerprint=with_fingerprint,
    )
    if secrets is not None:
        refuse_secrets(plan, desired, secrets)
    return plan


def refuse_secrets(plan: Plan, desired: DesiredState, secrets: Secrets) -> None:
    """Raise SecretLeakError when a change holds a credential's value, naming the field and
    its line (never the value): such a plan may not be printed, saved or applied."""
    resumes = {resume.resume_id: resume for resume in desired.resumes}
    problems = []
    for change in plan.changes:
        found = secrets.find([change.path, change.body, change.diff, list(change.employers)])
        if found is None:
            continue
        resume = resumes.get(change.resume_id)
        diff = change.diff or {}
        names = [name for name, values in diff.items() if secrets.find(values)] or [""]
        for name in names:
            problems.append(
                Problem(
                    f"resume {change.resume}: the plan would contain the value of {found}; "
                    "refusing to print, save or send it",
                    resume.source.locate((name,)) if resume and name else None,
                    name,
                )
            )
    if problems:
        raise SecretLeakError(problems)


async def replan_saved(
    saved: Plan,
    desired: DesiredState,
    client: HHClient,
    *,
    force: bool = False,
    secrets: Secrets | None = None,
) -> Plan:
    """The plan to apply for a saved plan file: rebuilt now by the same code as `plan`, from
    the files and the live account (so every check and policy runs on what will be sent, and
    only managed resumes and declared fields are written), and refused (StalePlanError) unless
    its changes mean exactly what the saved ones do. Nothing the file says is sent: its
    methods, paths and bodies are never read, so an edited file is at worst refused.

    The server's conditions and metro directories are not read again: they judged these same
    changes when the plan was made, and the planner does not depend on them."""
    if saved.api_url and saved.api_url.rstrip("/") != client.api_name:
        raise StalePlanError(
            [Problem(f"the plan was made for {saved.api_url}, not {client.api_name}")]
        )
    try:
        live = await read_live_state(desired, client)
    except NotInAccountError as error:
        raise (other_account(saved, error.account_ids) or error) from None
    other = other_account(saved, [summary.resume_id for summary in live.account])
    if other is not None:
        raise other
    fresh = checked_plan(desired, live, force, None, secrets, with_fingerprint=False)
    if meanings(saved) != meanings(fresh):
        raise StalePlanError(
            [
                Problem(
                    "the plan is stale: the files or the live account changed since it was "
                    "made (or the plan file was edited), so it is not what `resumesync plan` "
                    "shows now. Run `resumesync plan` again."
                )
            ]
        )
    return fresh


def meanings(plan: Plan) -> Counter[tuple[object, ...]]:
    """What a plan's changes do, independent of how list changes fall into batches of 100
    (employers in the order the server lists them): the set of employers per list action,
    the fields of each update, each create (its fields, the resume it copies), each image
    upload or description (file, content hash, artifact), each publish and adoption."""
    found: Counter[tuple[object, ...]] = Counter()
    lists: dict[tuple[object, ...], set[str]] = {}
    for change in plan.changes:
        head = (change.action.value, change.resume, change.resume_id)
        if change.action in (Action.LIST_ADD, Action.LIST_REMOVE, Action.LIST_CLEAR):
            lists.setdefault((*head, change.list_kind), set()).update(change.employers)
        elif change.action is Action.UPDATE:
            found[(*head, canonical_json(change.body))] += 1
        elif change.action is Action.CREATE:
            created = (canonical_json(change.body), change.clone_of, change.path, change.file)
            found[(*head, *created)] += 1
        elif change.action in (Action.UPLOAD, Action.ADOPT_UPLOAD, Action.DESCRIBE):
            image = (change.path, canonical_json(change.body), change.file, change.sha256)
            found[(*head, change.artifact_type, *image)] += 1
        else:  # publish, adopt
            found[(*head, change.reason, change.file)] += 1
    for key, employers in lists.items():
        found[(*key, tuple(sorted(employers)))] += 1
    return found


def other_account(plan: Plan, account_ids: Sequence[str]) -> StalePlanError | None:
    """A plan none of whose resumes is in this account was made for another account (a
    wrong token, or another repository's plan file)."""
    planned = {
        change.resume_id: change.resume
        for change in plan.changes
        if not is_pending(change.resume_id)  # a resume to create is on no account yet
    }
    if not planned or set(planned) & set(account_ids):
        return None
    names = ", ".join(sorted(set(planned.values())))
    return StalePlanError(
        [
            Problem(
                f"the plan was made for another account: none of the resumes it changes "
                f"({names}) is in the account of this token. Check the token, or run "
                "`resumesync plan` with this account's token."
            )
        ]
    )
