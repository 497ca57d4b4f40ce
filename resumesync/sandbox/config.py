"""How a sandbox runs: its accounts, its clock, and the faults it injects.

Faults can be set in three places: SandboxConfig, environment variables (read by `serve`
and `persistent_sandbox`, which the command line uses), and at run time with
`RunningSandbox.set_faults(...)`:

    HH_SANDBOX_LATENCY     seconds added to every request
    HH_SANDBOX_ERROR_RATE  probability of a 5xx answer (503 or 500), nothing applied
    HH_SANDBOX_429_RATE    probability of a 429 with Retry-After, nothing applied
    HH_SANDBOX_DROP_RATE   probability of closing the connection without an answer after
                           a write was applied
    HH_SANDBOX_SEED        seed of the fault dice: the same seed gives the same faults

and, to try `resumesync login` against the sandbox, an application of your own making:
HH_SANDBOX_CLIENT_ID, HH_SANDBOX_CLIENT_SECRET, HH_SANDBOX_REDIRECT_URI (default
http://127.0.0.1:8765/callback).

With `SandboxConfig(faults_by_request=True)` a request's faults follow from the request and
how often it came before, not from the order of arrival: concurrent clients get the same
faults on every run.
"""

from __future__ import annotations

import collections
import dataclasses
import random
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from resumesync.sandbox.account import Account
from resumesync.sandbox.oauth import ACCESS_LIFETIME, Application

ENVIRONMENT = {
    "HH_SANDBOX_LATENCY": "latency",
    "HH_SANDBOX_ERROR_RATE": "error_rate",
    "HH_SANDBOX_429_RATE": "rate_limit_rate",
    "HH_SANDBOX_DROP_RATE": "drop_rate",
    "HH_SANDBOX_SEED": "seed",
}
RATES = ("error_rate", "rate_limit_rate", "drop_rate")
MAX_LATENCY = 60.0  # seconds added to one request
MAX_RETRY_AFTER = 3600.0
DEFAULT_REDIRECT_URI = "http://127.0.0.1:8765/callback"


@dataclass(frozen=True)
class Faults:
    latency: float = 0.0
    error_rate: float = 0.0
    rate_limit_rate: float = 0.0
    drop_rate: float = 0.0
    retry_after: float = 1.0  # the Retry-After of an injected 429 (fractions allowed)

    def __post_init__(self) -> None:
        for name in RATES:
            if not 0.0 <= getattr(self, name) <= 1.0:  # also False for NaN
                raise ValueError(f"{name} must be between 0 and 1")
        # A sandbox left running must not be made to sleep for ever on each request.
        if not 0.0 <= self.latency <= MAX_LATENCY:
            raise ValueError(f"latency must be between 0 and {MAX_LATENCY:g} seconds")
        if not 0.0 <= self.retry_after <= MAX_RETRY_AFTER:
            raise ValueError(f"retry_after must be between 0 and {MAX_RETRY_AFTER:g} seconds")


@dataclass
class SandboxConfig:
    accounts: dict[str, Account] | None = None  # token -> account; None: USERsandbox -> example
    latency: float = 0.0
    error_rate: float = 0.0
    rate_limit_rate: float = 0.0
    drop_rate: float = 0.0
    seed: int | None = 0
    # False: faults follow the order requests arrive in. True: each request's faults follow
    # from what it is (method, URL, body) and how often it came before, so a seed gives the
    # same faults to concurrent clients whatever order their requests arrive in.
    faults_by_request: bool = False
    publish_interval_seconds: float = 4 * 3600
    retry_after: float = 1.0
    clock: Callable[[], float] | None = None  # time.time when None
    log_limit: int = 100_000  # the request log keeps the newest entries
    # Called after each applied write, before its answer goes out (persistence.py saves the
    # account there, so a write a client saw succeed survives a kill of the process).
    on_write: Callable[[], None] | None = None
    # OAuth: client_id -> the application registered at dev.hh.ru (see oauth.py); access
    # tokens issued to them expire after access_lifetime seconds of `clock`.
    applications: dict[str, Application] = dataclasses.field(default_factory=dict)
    access_lifetime: float = ACCESS_LIFETIME

    def __post_init__(self) -> None:
        self.faults()  # validates the rates

    def faults(self) -> Faults:
        return Faults(
            self.latency, self.error_rate, self.rate_limit_rate, self.drop_rate, self.retry_after
        )

    def with_env(self, env: Mapping[str, str]) -> SandboxConfig:
        """This config with the HH_SANDBOX_* variables that are set in `env` applied."""
        changes: dict[str, Any] = {}
        for variable, name in ENVIRONMENT.items():
            text = env.get(variable, "").strip()
            if not text:
                continue
            try:
                changes[name] = int(text) if name == "seed" else float(text)
            except ValueError:
                raise ValueError(f"{variable} must be a number") from None
        client_id = env.get("HH_SANDBOX_CLIENT_ID", "").strip()
        if client_id:  # an application to try `resumesync login` against (values of your own)
            secret = env.get("HH_SANDBOX_CLIENT_SECRET", "").strip()
            redirect = env.get("HH_SANDBOX_REDIRECT_URI", "").strip() or DEFAULT_REDIRECT_URI
            if not secret:
                raise ValueError("HH_SANDBOX_CLIENT_ID needs HH_SANDBOX_CLIENT_SECRET")
            changes["applications"] = {
                **self.applications,
                client_id: Application(secret, redirect),
            }
        return dataclasses.replace(self, **changes)


@dataclass(frozen=True)
class Decision:
    """What happens to one request: decided up front, so a seed fixes the whole sequence."""

    latency: float = 0.0
    rate_limited: bool = False
    error_status: int | None = None
    drop_after_write: bool = False
    retry_after: float = 1.0


class FaultDice:
    """One random.Random per server, guarded by a lock; every request draws the same four
    numbers whatever happens to it, so the same seed gives the same sequence of faults.

    `by_request`: the numbers come from the seed, the request's key and how many times that
    key was drawn before instead, so they do not depend on the order of arrival."""

    def __init__(self, faults: Faults, seed: int | None, *, by_request: bool = False) -> None:
        self._faults = faults
        self._seed = seed
        self._random = random.Random(seed)
        self._by_request = by_request
        self._repeats: collections.Counter[str] = collections.Counter()
        self._lock = threading.Lock()

    @property
    def by_request(self) -> bool:
        return self._by_request

    @property
    def faults(self) -> Faults:
        with self._lock:
            return self._faults

    def set(self, **changes: float) -> None:
        with self._lock:
            self._faults = dataclasses.replace(self._faults, **changes)

    def reseed(self, seed: int | None) -> None:
        with self._lock:
            self._seed = seed
            self._random = random.Random(seed)
            self._repeats.clear()

    def draw(self, key: str = "") -> Decision:
        """The fate of one request; `key` identifies it (used with `by_request`)."""
        with self._lock:
            faults = self._faults
            dice = self._random
            if self._by_request:
                self._repeats[key] += 1
                dice = random.Random(f"{self._seed}|{key}|{self._repeats[key]}")
            limit, error, kind, drop = (dice.random() for _ in range(4))
        return Decision(
            latency=faults.latency,
            rate_limited=limit < faults.rate_limit_rate,
            error_status=(503 if kind < 0.5 else 500) if error < faults.error_rate else None,
            drop_after_write=drop < faults.drop_rate,
            retry_after=faults.retry_after,
        )
