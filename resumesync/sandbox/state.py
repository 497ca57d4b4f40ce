"""The sandbox's mutable world: one Account per token, the clock, and the lock that guards
them. Every request runs its endpoint while holding the lock, so an answer never sees half a
write and tests get consistent snapshots."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from resumesync.sandbox.account import Account
from resumesync.sandbox.clock import api_date
from resumesync.sandbox.dictionaries import Dictionaries


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: Any  # case-insensitive .get(name), as http.server gives them
    body: bytes


@dataclass
class Response:
    status: int
    body: Any = None  # a JSON value, or None for an empty body
    headers: dict[str, str] = field(default_factory=dict)


class SandboxState:
    def __init__(
        self, accounts: dict[str, Account], clock: Callable[[], float], publish_interval: float
    ) -> None:
        self.lock = threading.RLock()
        self.clock = clock
        self.publish_interval = publish_interval
        self.dictionaries = Dictionaries.builtin()
        self._seed = {token: account.copy() for token, account in accounts.items()}
        self.accounts = {token: account.copy() for token, account in accounts.items()}

    @property
    def tokens(self) -> list[str]:
        return list(self.accounts)

    def now(self) -> float:
        return self.clock()

    def today(self) -> Any:
        return api_date(self.clock())

    def reset(self) -> None:
        """Back to the accounts the sandbox started with."""
        with self.lock:
            self.accounts = {token: account.copy() for token, account in self._seed.items()}

    def snapshot(self, token: str | None = None) -> Account:
        with self.lock:
            if token is None:
                token = next(iter(self.accounts))
            return self.accounts[token].copy()
