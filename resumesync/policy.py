"""Policy: the checks a plan must pass before its first write. Pure functions over a Plan.

- Protected employers (`protect:` in visibility.yaml) must never be able to find a resume.
  Per resume, the visibility is followed change by change in the plan's (privacy) order, which
  is the order the applier runs it in: a refused plan is one whose end state lets a protected
  employer find the resume, or whose steps let one find it again after it was hidden (at the
  start or at an earlier step). `--force` does not override this; only editing `protect` does.
  Checking the state after each change covers every state a partial apply can leave: the
  applier runs consecutive changes of one privacy stage together, and inside a stage every
  change moves the visibility the same way (tightening only narrows, loosening only widens),
  so any mix of a stage's changes lies between the states before and after it.
- Safety (as octoDNS): a plan that removes more than 30 % of a list of 10 or more employers is
  refused unless `--force` (a typo must not expose anyone to their current employer).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from resumesync.model import (
    Action,
    Change,
    DesiredState,
    ListKind,
    LiveResume,
    LiveState,
    Location,
    Plan,
)
from resumesync.problems import Problem, ProblemsError

SAFE_REMOVE_SHARE = 0.30
SAFE_MIN_SIZE = 10


class UnsafePlanError(ProblemsError):
    """The plan removes too much of a list; `--force` overrides."""


class ProtectedEmployerError(ProblemsError):
    """The plan would let a protected employer find a resume; nothing overrides this."""


def check_plan(
    plan: Plan,
    desired: DesiredState,
    live: LiveState,
    *,
    force: bool = False,
    sources: Mapping[tuple[str, ListKind], Location | None] | None = None,
    created: Mapping[str, LiveResume] | None = None,
) -> None:
    """Every policy, before any write: ProtectedEmployerError (with the unsafe removals too,
    unless `force`), else UnsafePlanError unless `force`. `created`: see exposures."""
    exposed = [item.problem(desired) for item in exposures(plan, desired, live, created)]
    unsafe = [] if force else unsafe_problems(plan, live, sources)
    if exposed:
        raise ProtectedEmployerError(exposed + unsafe)
    if unsafe:
        raise UnsafePlanError(unsafe)


# --- protected employers ----------------------------------------------------------------------


@dataclass(frozen=True)
class Visibility:
    """Who may find one resume: whether it is published (an unpublished resume is in no
    search), its access type and lists (None: not read, unknown)."""

    access: str | None
    blacklist: frozenset[str] | None
    whitelist: frozenset[str] | None
    published: bool = True

    def finds(self, employer: str) -> str | None:
        """Why `employer` can find the resume in this state; None when it cannot."""
        access = self.access
        if not self.published or access in ("no_one", "direct"):
            return None
        if access == "blacklist":
            if self.blacklist is None:
                return (
                    "access is `blacklist` and visibility.yaml does not manage this resume's "
                    f"blacklist, so nothing shows that {employer} is on it (declare it, e.g. "
                    f'`defaults: {{blacklist: ["{employer}"]}}`)'
                )
            return None if employer in self.blacklist else "it is not on the blacklist"
        if access == "whitelist":
            if self.whitelist is None:
                return (
                    "access is `whitelist` and visibility.yaml does not manage this resume's "
                    f"whitelist, so nothing shows that {employer} is not on it"
                )
            return "it is on the whitelist" if employer in self.whitelist else None
        if access in ("clients", "everyone"):
            return f"access is `{access}`: every employer with an hh.ru subscription finds it"
        if access is None:
            return "its access type is unknown: declare `access` for it in visibility.yaml"
        return f"access is {access!r}, which resumesync cannot tell hides it"

    def after(self, change: Change) -> Visibility:
        """The state once `change` succeeded (a create: see exposures)."""
        if change.action is Action.PUBLISH:
            return replace(self, published=True)
        if change.action is Action.UPDATE:
            access = _access_of(change.body)
            return self if access is None else replace(self, access=access)
        kind = change.list_kind
        if kind not in ("blacklist", "whitelist"):
            return self
        current = self.blacklist if kind == "blacklist" else self.whitelist
        employers = frozenset(change.employers)
        if change.action is Action.LIST_ADD:
            new = None if current is None else current | employers
        elif change.action is Action.LIST_REMOVE:
            new = None if current is None else current - employers
        elif change.action is Action.LIST_CLEAR:
            new = frozenset()
        else:
            return self
        return replace(self, **{kind: new})


# A resume that does not exist yet: nobody finds it.
NOT_CREATED = Visibility(None, frozenset(), frozenset(), published=False)


def visibility_now(live_resume: LiveResume, *, new: bool = False) -> Visibility:
    """The resume as read (or, `new`, as a create leaves it: its lists empty)."""
    lists = {kind: frozenset(lst.employers) for kind, lst in live_resume.lists.items()}
    empty = frozenset() if new else None
    return Visibility(
        live_resume.access,
        lists.get("blacklist", empty),
        lists.get("whitelist", empty),
        published=live_resume.status != "not_published",
    )


@dataclass(frozen=True)
class Exposure:
    """A protected employer who could find a resume at some point of a plan."""

    resume: str
    resume_id: str
    employer: str
    reason: str
    step: int | None  # 1-based index of the resume's change after which; None: the end state
    change: Change | None = None

    def problem(self, desired: DesiredState) -> Problem:
        protect = desired.protect
        name = protect.names.get(self.employer)
        who = f"{self.employer} ({name})" if name else self.employer
        when = (
            "at the end of the plan"
            if self.step is None
            else f"after step {self.step} ({_describe(self.change)}), once it was hidden"
        )
        return Problem(
            f"resume {self.resume}: protected employer {who} could find it {when}: "
            f"{self.reason}. The plan is refused (--force does not override `protect`)",
            protect.source.locate((self.employer,)),
            "protect",
        )


def exposures(
    plan: Plan,
    desired: DesiredState,
    live: LiveState,
    created: Mapping[str, LiveResume] | None = None,
) -> list[Exposure]:
    """Every (resume, protected employer) the plan exposes: the first offending step, or the
    end state. `created`: the resumes the plan creates, by their pending id, as the create
    leaves them. Resumes that no file manages are not the plan's to judge."""
    protected = desired.protect.employers
    if not protected:
        return []
    created = created or {}
    by_resume: dict[str, list[Change]] = {}
    for change in plan.changes:
        by_resume.setdefault(change.resume_id, []).append(change)
    judged = [
        (resume.key, resume.resume_id, visibility_now(live.resumes[resume.resume_id]))
        for resume in desired.resumes
        if resume.resume_id and resume.resume_id in live.resumes
    ]
    judged += [
        (changes[0].resume, pending, NOT_CREATED)
        for pending, changes in by_resume.items()
        if pending in created
    ]
    found: list[Exposure] = []
    for key, resume_id, start in judged:
        changes = by_resume.get(resume_id, [])
        states = [start]
        for change in changes:
            if change.action is Action.CREATE and resume_id in created:
                states.append(visibility_now(created[resume_id], new=True))
            else:
                states.append(states[-1].after(change))
        for employer in protected:
            exposure = _first_exposure(states, employer)
            if exposure is not None:
                step, reason = exposure
                change = changes[step - 1] if step is not None else None
                found.append(Exposure(key, resume_id, employer, reason, step, change))
    return found


def _first_exposure(states: list[Visibility], employer: str) -> tuple[int | None, str] | None:
    """(step, reason) of the first state that exposes `employer` after one that hid it, or
    (None, reason) when the end state exposes it; None when the plan is fine for it."""
    hidden_before = False
    for index, state in enumerate(states):
        reason = state.finds(employer)
        if reason is None:
            hidden_before = True
        elif hidden_before:  # states[0] is now: a later state hid it first
            return index, reason
    end = states[-1].finds(employer)
    return (None, end) if end is not None else None


def _access_of(body: dict[str, Any] | None) -> str | None:
    access = (body or {}).get("access")
    if not isinstance(access, dict):
        return None
    kind = access.get("type")
    value = kind.get("id") if isinstance(kind, dict) else None
    return value if isinstance(value, str) else None


def _describe(change: Change | None) -> str:
    if change is None:
        return ""
    if change.action is Action.UPDATE:
        new = _access_of(change.body)
        return f"update, access {new}" if new else "update"
    if change.list_kind is None:
        return change.action.value
    count = len(change.employers)
    return f"{change.action.value} {change.list_kind} ({count} employer{'s' if count != 1 else ''})"


# --- safety threshold -------------------------------------------------------------------------


@dataclass(frozen=True)
class UnsafeRemoval:
    resume: str
    resume_id: str
    kind: ListKind
    removed: int
    size: int

    def __str__(self) -> str:
        share = round(100 * self.removed / self.size)
        return (
            f"resume {self.resume}: the plan removes {self.removed} of the {self.size} "
            f"employers on its {self.kind} ({share} %, more than "
            f"{round(100 * SAFE_REMOVE_SHARE)} % of a list of {SAFE_MIN_SIZE} or more); "
            "check visibility.yaml, or use --force if this is intended"
        )


def unsafe_removals(plan: Plan, live: LiveState) -> list[UnsafeRemoval]:
    """The lists from which `plan` removes more than 30 % (lists of 10 or more employers).

    A clear removes the whole live list, whatever employers the change names."""
    removed: dict[tuple[str, ListKind], set[str]] = {}
    keys: dict[str, str] = {}
    for change in plan.changes:
        if change.action in (Action.LIST_REMOVE, Action.LIST_CLEAR) and change.list_kind:
            slot = (change.resume_id, change.list_kind)
            gone = removed.setdefault(slot, set())
            gone.update(change.employers)
            if change.action is Action.LIST_CLEAR:
                gone.update(_live_employers(live, *slot) or ())
            keys[change.resume_id] = change.resume
    found = []
    for (resume_id, kind), gone in removed.items():
        present = _live_employers(live, resume_id, kind)
        size = len(present) if present is not None else len(gone)
        count = len(gone & present) if present is not None else len(gone)
        if size >= SAFE_MIN_SIZE and count > SAFE_REMOVE_SHARE * size:
            found.append(UnsafeRemoval(keys[resume_id], resume_id, kind, count, size))
    return found


def _live_employers(live: LiveState, resume_id: str, kind: ListKind) -> set[str] | None:
    live_resume = live.resumes.get(resume_id)
    live_list = live_resume.lists.get(kind) if live_resume else None
    return set(live_list.employers) if live_list else None


def unsafe_problems(
    plan: Plan,
    live: LiveState,
    sources: Mapping[tuple[str, ListKind], Location | None] | None = None,
) -> list[Problem]:
    sources = sources or {}
    return [
        Problem(str(item), location=sources.get((item.resume_id, item.kind)))
        for item in unsafe_removals(plan, live)
    ]


def raise_if_unsafe(
    plan: Plan,
    live: LiveState,
    *,
    force: bool = False,
    sources: Mapping[tuple[str, ListKind], Location | None] | None = None,
) -> None:
    """Raise UnsafePlanError for a plan that removes too much, unless `force`."""
    if force:
        return
    problems = unsafe_problems(plan, live, sources)
    if problems:
        raise UnsafePlanError(problems)
