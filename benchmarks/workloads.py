"""What a scenario asks of the API, and the least it can cost: pure arithmetic, no I/O.

A workload says, per account and resume, how long the live lists are and what the files
change. From that alone (not from the planner's output) follow the fewest requests any client
needs and the longest chain of requests that must wait for one another:

- reads: `GET /resumes/mine` (one page per 100 resumes), `GET /resumes/{id}` per resume,
  `GET /resumes/{id}/conditions` (the preflight) only for a resume whose fields the plan
  changes (it checks what the PUT sends; a no-op plan needs none), and per managed list one
  page per 100 employers (an empty list still costs one page). A declared metro station the
  apply would change adds one `GET /metro/{area}` per distinct area, after its resume (2
  steps); no workload declares one, so none is counted;
- writes: per list `ceil(added / 100)` POSTs and `ceil(removed / 100)` DELETEs (one DELETE of
  the whole list when it is to become empty), one PUT per resume with changed fields, one
  POST .../publish per resume to publish;
- chain: reading is 1 step, or 2 when anything has more than one page (page 0 says how many
  pages there are; the rest go out together) or any conditions are read (they follow the
  resume, once its diff is known). Applying
  adds, per resume, one step per privacy stage it uses: tightening (blacklist additions,
  whitelist removals), the PUT, loosening (blacklist removals, whitelist additions), publish;
  resumes run side by side.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from resumesync.model import ListKind

PER_PAGE = 100  # the API's largest `per_page`
PER_CALL = 100  # employers per list POST / ids per list DELETE


@dataclass(frozen=True)
class ListEdit:
    """A managed visibility list: its live length and what the files change in it."""

    live: int
    add: int = 0  # employers the files add (not on the live list)
    remove: int = 0  # live employers the files leave out (the list is exact)

    def __post_init__(self) -> None:
        if not 0 <= self.remove <= self.live or self.add < 0:
            raise ValueError("remove must be within the live list and add >= 0")

    @property
    def clears(self) -> bool:
        return self.remove > 0 and self.remove == self.live and self.add == 0

    @property
    def additions(self) -> int:
        return math.ceil(self.add / PER_CALL)

    @property
    def removals(self) -> int:
        return 1 if self.clears else math.ceil(self.remove / PER_CALL)


@dataclass(frozen=True)
class ResumeEdit:
    """One resume: its managed lists (absent: not managed, not read) and its changes."""

    lists: dict[ListKind, ListEdit] = field(default_factory=dict)
    fields: tuple[str, ...] = ()  # top-level fields whose value the files change
    publish: bool = False  # `publish: renew` on a resume hh.ru lets us renew now

    def stages(self) -> int:
        """Privacy stages of the apply that have at least one call (see the module doc)."""
        black = self.lists.get("blacklist", ListEdit(0))
        white = self.lists.get("whitelist", ListEdit(0))
        tightening = black.additions + white.removals > 0
        loosening = black.removals + white.additions > 0
        return sum((tightening, bool(self.fields), loosening, self.publish))

    def writes(self) -> int:
        lists = sum(edit.additions + edit.removals for edit in self.lists.values())
        return lists + bool(self.fields) + self.publish


@dataclass(frozen=True)
class AccountWork:
    """One account (a token) and its resumes, in /resumes/mine order."""

    token: str
    seed: int
    resumes: tuple[ResumeEdit, ...]

    def reads(self) -> int:
        lists = sum(pages(edit.live) for resume in self.resumes for edit in resume.lists.values())
        conditions = sum(1 for resume in self.resumes if resume.fields)
        return pages(len(self.resumes)) + len(self.resumes) + conditions + lists

    def writes(self) -> int:
        return sum(resume.writes() for resume in self.resumes)

    def chain(self, *, apply: bool) -> int:
        paged = [len(self.resumes)] + [
            edit.live for resume in self.resumes for edit in resume.lists.values()
        ]
        conditions = any(resume.fields for resume in self.resumes)
        reading = 2 if conditions or any(pages(size) > 1 for size in paged) else 1
        if not apply:
            return reading
        return reading + max((resume.stages() for resume in self.resumes), default=0)


@dataclass(frozen=True)
class Bounds:
    """The least a scenario can cost: requests, dependent steps, and the time they take."""

    requests: int
    chain: int
    parallelism: int  # requests in flight at once, over every client
    rate: float | None  # requests a second over every client; None: unlimited

    def network_seconds(self, latency: float) -> float:
        """max(latency x chain, latency x requests / parallelism, requests / rate)."""
        floor = max(latency * self.chain, latency * self.requests / self.parallelism)
        if self.rate:
            floor = max(floor, self.requests / self.rate)
        return floor


def pages(size: int) -> int:
    return max(1, math.ceil(size / PER_PAGE))


def bounds(
    accounts: tuple[AccountWork, ...],
    *,
    apply: bool,
    parallelism: int,
    max_rps: float | None,
) -> Bounds:
    """Every account has its own client (parallelism and rate limit each); they run at once."""
    requests = sum(a.reads() + (a.writes() if apply else 0) for a in accounts)
    return Bounds(
        requests=requests,
        chain=max(account.chain(apply=apply) for account in accounts),
        parallelism=parallelism * len(accounts),
        rate=max_rps * len(accounts) if max_rps else None,
    )
