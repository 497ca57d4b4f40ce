"""The token provider: the access token of a stored pair, refreshed by the documented rules.

- A refresh token works once, and only after its access token expired. So a pair is
  refreshed when its stored expiry has passed, or when the API answers 403
  `oauth/token_expired` for it (the client then retries the request once).
- Every refresh happens under the store's lock, after reading the store again: when another
  process refreshed meanwhile, its new pair is used and nothing is sent. The new pair is
  saved before it is used, so a crash right after a refresh never loses it.
- `invalid_grant` (spent, revoked, deactivated) ends in LoginRequired: never a loop.
- With no stored pair, a refresh token from the environment (HH_REFRESH_TOKEN) is refreshed
  on first use and the pair it gives is stored.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from resumesync.auth.endpoint import TokenEndpoint, default_token_url
from resumesync.auth.errors import LOGIN_AGAIN, LoginRequired, OAuthError, TokenError
from resumesync.auth.pair import TokenPair
from resumesync.auth.store import StoredPair, TokenStore
from resumesync.credentials import RunTokens
from resumesync.settings import Settings


@dataclass
class StoredTokenProvider:
    store: TokenStore
    key: str  # the pair's key in the store (profile @ API)
    endpoint: TokenEndpoint
    env_refresh_token: str | None = field(default=None, repr=False)
    env_refresh_name: str = "HH_REFRESH_TOKEN"
    may_refresh: bool = True  # False: a run that must not spend the refresh token (PR plans)
    # Where every token this provider hands out or saves is recorded for the secret guard
    # (the settings' secrets.run): a refreshed token is as secret as a stored one.
    known: RunTokens | None = field(default=None, repr=False)
    clock: Callable[[], float] = time.time
    refreshes: int = 0  # refresh requests this provider sent
    _current: TokenPair | None = field(default=None, repr=False)
    _thread_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    # A refresh that failed fails every later call of this run without another request.
    _failure: TokenError | None = field(default=None, repr=False)

    async def token(self) -> str:
        current = self._current
        if current is not None and current.access_token and not current.expired(self.clock()):
            return current.access_token
        return await asyncio.to_thread(self._fresh, None)

    async def expired(self, token: str) -> str:
        return await asyncio.to_thread(self._fresh, token)

    async def replaced(self, token: str) -> str | None:
        return await asyncio.to_thread(self._stored_instead, token)

    def current_pair(self) -> StoredPair | None:
        """The stored pair as it is now (for `auth status`)."""
        return self.store.load(self.key)

    # --- under the locks --------------------------------------------------------------------

    def _fresh(self, rejected: str | None) -> str:
        """A usable access token; `rejected` is one the API called expired. One thread of this
        process at a time, and one process at a time (the store's lock)."""
        with self._thread_lock, self.store.locked():
            if self._failure is not None:
                raise self._failure
            stored = self.store.load(self.key)
            if stored is None and self.env_refresh_token:
                stored = StoredPair(TokenPair(None, self.env_refresh_token, None))
            if stored is None:
                raise LoginRequired(
                    f"no stored token for {self.key} in {self.store.path}: run `resumesync "
                    "login`, or set HH_TOKEN"
                )
            pair = stored.pair
            self._learn(pair)
            usable = pair.access_token and not pair.expired(self.clock())
            if usable and pair.access_token != rejected:
                self._current = pair  # fresh, or refreshed by another process meanwhile
                return pair.access_token  # type: ignore[return-value]
            return self._refresh(stored)

    def _stored_instead(self, refused: str) -> str | None:
        """The stored access token when it is not `refused` and not expired: another process
        refreshed the pair after this one read it. Read under the store's lock: the server
        spends the old pair when it answers the other process's refresh, and that process
        saves the new pair only after reading the answer, all while holding the lock; without
        waiting for it, this read could still find the old pair (the race that failed the
        two-process test under load)."""
        with self._thread_lock, self.store.locked():
            stored = self.store.load(self.key)
            if stored is None:
                return None
            pair = stored.pair
            self._learn(pair)
            if not pair.access_token or pair.access_token == refused or pair.expired(self.clock()):
                return None
            self._current = pair
            return pair.access_token

    def _refresh(self, stored: StoredPair) -> str:
        refresh_token = stored.pair.refresh_token
        if not refresh_token:
            raise LoginRequired(
                f"the access token expired and there is no refresh token; {LOGIN_AGAIN}"
            )
        if not self.may_refresh:
            raise TokenError(
                "the access token expired and this run may not refresh it "
                "(RESUMESYNC_NO_REFRESH is set): the next run that may refresh (the scheduled "
                "apply) renews the pair"
            )
        self.store.check_writable()  # a pair that cannot be saved must not be asked for
        self.refreshes += 1
        try:
            pair = self.endpoint.refresh(refresh_token)
        except TokenError as error:
            if (
                isinstance(error, OAuthError)
                and error.description == "token not expired"
                and stored.pair.access_token is None
            ):
                error = TokenError(
                    f"hh.ru refreshes a pair only after its access token expired, and "
                    f"{self.env_refresh_name} came without its access token: run `resumesync "
                    "login`, or set HH_TOKEN until the access token expires"
                )
            self._failure = error
            raise error from None
        self._learn(pair)  # known to the secret guard before anything can print it
        self.store.save(self.key, StoredPair(pair, stored.account_id))  # saved before used
        self._current = pair
        return pair.access_token  # type: ignore[return-value]

    def _learn(self, pair: TokenPair) -> None:
        if self.known is not None:
            where = f"the token store {self.store.path}"  # named as the store's own read
            self.known.add(f"the access token in {where}", pair.access_token)
            self.known.add(f"the refresh token in {where}", pair.refresh_token)


def provider_for(settings: Settings) -> StoredTokenProvider | None:
    """The provider for an account without HH_TOKEN: its stored pair, or the refresh token
    from the environment; None when there is neither."""
    if settings.token_store is None:
        return None
    from resumesync.auth.store import store_key

    store = TokenStore(settings.token_store)
    key = store_key(settings.profile, settings.api_url)
    if store.load(key) is None and not settings.refresh_token:
        return None
    endpoint = TokenEndpoint(
        settings.token_url or default_token_url(settings.api_url),
        settings.user_agent,
        timeout=settings.read_timeout,
    )
    return StoredTokenProvider(
        store,
        key,
        endpoint,
        env_refresh_token=settings.refresh_token,
        env_refresh_name=settings.refresh_env,
        may_refresh=settings.may_refresh,
        known=settings.secrets.run,
    )
