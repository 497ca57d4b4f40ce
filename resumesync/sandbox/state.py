"""The sandbox's mutable world: one Account per token, the clock, and the lock that guards
them. Every request runs its endpoint while holding the lock, so an answer never sees half a
write and tests get consistent snapshots."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from resumesync.sandbox.account import Account
from resumesync.sandbox.clock import api_date
from resumesync.sandbox.dictionaries import Dictionaries

if TYPE_CHECKING:
    from resumesync.sandbox.oauth import Application

ACCESS_LIFETIME = 1_209_600.0  # 14 days (oauth.ACCESS_LIFETIME)


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
        self,
        accounts: dict[str, Account],
        clock: Callable[[], float],
        publish_interval: float,
        applications: dict[str, Application] | None = None,
        access_lifetime: float = ACCESS_LIFETIME,
    ) -> None:
        self.lock = threading.RLock()
        self.clock = clock
        self.publish_interval = publish_interval
        self.dictionaries = Dictionaries.builtin()
        self._seed = {token: account.copy() for token, account in accounts.items()}
        self.accounts = {token: account.copy() for token, account in accounts.items()}
        # The accounts' own tokens never expire; tokens issued by OAuth do (oauth.py, which
        # answers with this module's Response: imported here, not at the top).
        from resumesync.sandbox.oauth import OAuthState

        self.oauth = OAuthState(applications or {}, access_lifetime)

    @property
    def tokens(self) -> list[str]:
        return list(self.accounts)

    def now(self) -> float:
        return self.clock()

    def today(self) -> Any:
        return api_date(self.clock())

    def account_key(self, token: str | None) -> str:
        """The account a bearer token opens (call under the lock); the documented 403s
        (bad_authorization, token_expired, token_revoked) otherwise."""
        if token in self.accounts:
            return token
        return self.oauth.account_of(token, self.clock())

    def account_index(self, token: str | None) -> int | None:
        """For the request log: which account the token opened, if any."""
        with self.lock:
            if token in self.accounts:
                return self.tokens.index(token)
            issued = self.oauth.tokens.get(token or "")
            return self.tokens.index(issued.account) if issued is not None else None

    def reset(self) -> None:
        """Back to the accounts the sandbox started with."""
        with self.lock:
            self.accounts = {token: account.copy() for token, account in self._seed.items()}

    def snapshot(self, token: str | None = None) -> Account:
        with self.lock:
            if token is None:
                token = next(iter(self.accounts))
            return self.accounts[token].copy()
