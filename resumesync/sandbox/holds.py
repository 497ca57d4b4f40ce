"""Holds: a test hook that stops one request inside the server until the test decides.

A reliability test must kill a client at an exact point, say right after its third write was
applied, without guessing with sleeps. It arms a hold on the running sandbox:

    hold = sandbox.hold(3, stage="after", writes_only=True)
    ...start the client...
    assert hold.wait(timeout=30)   # the 3rd write was applied; its answer is held back
    process.kill()
    hold.drop()                    # close that connection without an answer
    hold.settled(timeout=30)       # the server is done with it: the request log shows it

At stage "before" the request is held before the sandbox looks at it: `drop()` then means it
was never applied, `release()` lets it be applied and answered. At stage "after" it was
applied (if the account accepted it) and only the answer waits. Matching requests are counted
from when the hold is armed; each hold catches one request, the `nth` that matches.
"""

from __future__ import annotations

import enum
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

Stage = Literal["before", "after"]
WRITES = frozenset({"PUT", "POST", "DELETE", "PATCH"})


@dataclass(frozen=True)
class Arrival:
    """What a hold sees of a request when deciding whether it matches."""

    method: str
    path: str
    user_agent: str = ""

    @property
    def is_write(self) -> bool:
        return self.method in WRITES


class Verdict(enum.Enum):
    RELEASE = "release"  # go on: apply (at "before") and answer
    DROP = "drop"  # close the connection without an answer


class Hold:
    """One armed hold; see the module docstring."""

    def __init__(
        self,
        nth: int,
        stage: Stage,
        match: Callable[[Arrival], bool],
    ) -> None:
        if nth < 1:
            raise ValueError("nth counts matching requests from 1")
        if stage not in ("before", "after"):
            raise ValueError('stage is "before" or "after"')
        self.nth = nth
        self.stage: Stage = stage
        self._match = match
        self._seen = 0
        self._reached = threading.Event()
        self._decided = threading.Event()
        self._finished = threading.Event()
        self._verdict = Verdict.RELEASE
        self.arrival: Arrival | None = None  # the held request, once reached
        self.applied: bool | None = None  # whether the held request changed the account

    def __repr__(self) -> str:
        return f"Hold(nth={self.nth}, stage={self.stage!r}, reached={self.reached})"

    @property
    def reached(self) -> bool:
        return self._reached.is_set()

    def wait(self, timeout: float) -> bool:
        """Blocks until the request is held (True) or `timeout` seconds pass (False)."""
        return self._reached.wait(timeout)

    def settled(self, timeout: float) -> bool:
        """Blocks until the server is done with the held request (answered or dropped, and
        logged), so that the request log and the account show its outcome."""
        return self._finished.wait(timeout)

    def release(self) -> None:
        """Lets the held request go on as if nothing happened (also before it arrives)."""
        self._decide(Verdict.RELEASE)

    def drop(self) -> None:
        """Closes the held request's connection without an answer (also before it arrives:
        the request is then dropped as soon as it is caught)."""
        self._decide(Verdict.DROP)

    def _decide(self, verdict: Verdict) -> None:
        if not self._decided.is_set():
            self._verdict = verdict
            self._decided.set()

    # --- the server's side ---------------------------------------------------------------------

    def offer(self, arrival: Arrival) -> bool:
        """Called under the registry's lock: True when `arrival` is the one to hold."""
        if self.reached or not self._match(arrival):
            return False
        self._seen += 1
        return self._seen == self.nth

    def block(self, arrival: Arrival, applied: bool) -> Verdict:
        """Runs in the handler thread: announce the held request, then wait for the verdict."""
        self.arrival = arrival
        self.applied = applied
        self._reached.set()
        self._decided.wait()
        return self._verdict

    def finish(self) -> None:
        """The server is done with the held request."""
        self._finished.set()


class Gate:
    """Holds every matching request before it is applied until `open()`: makes two clients
    overlap for certain (open it once both have a request waiting)."""

    def __init__(self, match: Callable[[Arrival], bool]) -> None:
        self._match = match
        self._changed = threading.Condition()
        self._waiting: list[Arrival] = []
        self._open = False

    @property
    def waiting(self) -> list[Arrival]:
        """The requests that waited (or wait) at the gate, in arrival order."""
        with self._changed:
            return list(self._waiting)

    def wait_for(self, condition: Callable[[list[Arrival]], bool], timeout: float) -> bool:
        """Blocks until `condition(waiting)` holds (True) or `timeout` seconds pass (False)."""
        with self._changed:
            return self._changed.wait_for(lambda: condition(list(self._waiting)), timeout)

    def open(self) -> None:
        with self._changed:
            self._open = True
            self._changed.notify_all()

    def admit(self, arrival: Arrival) -> None:
        """Runs in the handler thread: returns once the gate is open (at once if it is)."""
        if not self._match(arrival):
            return
        with self._changed:
            if self._open:
                return
            self._waiting.append(arrival)
            self._changed.notify_all()
            self._changed.wait_for(lambda: self._open)


class Holds:
    """The holds and gates armed on one server, shared by its handler threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._armed: list[Hold] = []
        self._caught: list[Hold] = []
        self._gates: list[Gate] = []

    def arm(
        self,
        nth: int = 1,
        *,
        stage: Stage = "after",
        writes_only: bool = False,
        match: Callable[[Arrival], bool] | None = None,
    ) -> Hold:
        hold = Hold(nth, stage, _matcher(writes_only, match))
        with self._lock:
            self._armed.append(hold)
        return hold

    def gate(
        self, *, writes_only: bool = False, match: Callable[[Arrival], bool] | None = None
    ) -> Gate:
        gate = Gate(_matcher(writes_only, match))
        with self._lock:
            self._gates.append(gate)
        return gate

    def pass_gates(self, arrival: Arrival) -> None:
        """Waits at every closed gate that `arrival` matches."""
        with self._lock:
            gates = list(self._gates)
        for gate in gates:
            gate.admit(arrival)

    def catch(self, arrival: Arrival) -> Hold | None:
        """The hold that takes this request, if any. Holds see requests in the order they
        were armed; a request taken by one is not counted by the holds armed after it."""
        with self._lock:
            for hold in self._armed:
                if hold.offer(arrival):
                    self._armed.remove(hold)
                    self._caught.append(hold)
                    return hold
        return None

    def drop_all(self) -> None:
        """On shutdown: no handler thread may wait for a verdict that never comes."""
        with self._lock:
            pending = [*self._armed, *self._caught]
            gates = list(self._gates)
        for hold in pending:
            hold.drop()
        for gate in gates:
            gate.open()


def _matcher(
    writes_only: bool, match: Callable[[Arrival], bool] | None
) -> Callable[[Arrival], bool]:
    def matches(arrival: Arrival) -> bool:
        if writes_only and not arrival.is_write:
            return False
        return match is None or match(arrival)

    return matches
