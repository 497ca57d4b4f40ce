"""The one HTTP entry point (`Transport.request`): bounded concurrency (a semaphore), the
client-side rate limit, one deadline for a whole attempt, capped bodies, retries with
backoff, the token from its provider (renewed once when refused), and error answers turned
into typed exceptions whose messages never contain the token."""

from __future__ import annotations

import asyncio
import logging
import random
import ssl
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any, Self

import httpx

from resumesync.client.answers import error_from_response, publish_not_yet, token_expired
from resumesync.client.body import json_or_none, read_capped, success_body
from resumesync.client.config import ClientSettings, check_client_settings, check_token
from resumesync.client.errors import (
    ApiError,
    HaltedError,
    PublishNotYet,
    SecretInRequestError,
    TransportError,
    shown_path,
)
from resumesync.client.redaction import redact, redacted
from resumesync.client.retry import (
    NOT_APPLIED_STATUSES,
    RETRY_EXCEPTIONS,
    RETRY_STATUSES,
    DeadlineExceeded,
    RetryEvent,
    is_permanent,
    may_have_been_sent,
    timeout_cause,
    timeout_reason,
)
from resumesync.credentials import Secrets
from resumesync.interrupt import CURRENT_CALL
from resumesync.lead import may_retry
from resumesync.ratelimit import Clock, RateLimiter, Sleep, backoff_delay, parse_retry_after

logger = logging.getLogger(__name__)


def new_ssl_context() -> ssl.SSLContext:
    """The TLS settings httpx would make for `verify=True` (certifi's CA bundle, or
    SSL_CERT_FILE / SSL_CERT_DIR): made once and shared by every client of a run."""
    return httpx.create_ssl_context()


class Transport:
    """The connection to one API: `open()` / `aclose()` (or `async with`), then `request`.

    `request_count` counts calls (one per `request`), `attempt_count` the HTTP attempts made,
    retries included; `retry_count` is the difference and `retry_events` says what they were.
    """

    def __init__(
        self,
        settings: ClientSettings,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        ssl_context: ssl.SSLContext | None = None,
        clock: Clock | None = None,
        sleep: Sleep | None = None,
        rng: Callable[[], float] | None = None,
    ) -> None:
        if settings.parallelism < 1:
            raise ValueError("parallelism must be at least 1")
        if settings.retries < 0:
            raise ValueError("retries must be >= 0")
        self.settings = settings
        self._transport = transport
        self._ssl_context = ssl_context  # shared by a Session's clients: see open()
        self._sleep: Sleep = sleep or asyncio.sleep
        self._rng = rng or random.Random().random
        self._limiter = RateLimiter(
            settings.max_rps, clock=clock or time.monotonic, sleep=self._sleep
        )
        self._semaphore = asyncio.Semaphore(settings.parallelism)
        self._http: httpx.AsyncClient | None = None
        self.request_count = 0
        self.attempt_count = 0
        self.retry_events: list[RetryEvent] = []  # every retry of this client, for summaries
        self._provided: set[str] = set()  # tokens the provider gave: redacted like settings.token

    @property
    def base_url(self) -> str:
        return self.settings.base_url.rstrip("/")

    @property
    def api_name(self) -> str:
        """The API as plan files record it (settings.api_name, else the base URL)."""
        return (self.settings.api_name or self.settings.base_url).rstrip("/")

    @property
    def ssl_context(self) -> ssl.SSLContext | None:
        """The TLS context given to this client (None: httpx makes its own, or plain http)."""
        return self._ssl_context

    @property
    def retry_count(self) -> int:
        return self.attempt_count - self.request_count

    @property
    def is_open(self) -> bool:
        return self._http is not None

    async def __aenter__(self) -> Self:
        return self.open()

    def open(self) -> Self:
        """Creates the connection pool (no I/O: connections open on first use); `async with`
        does this too. Close with `aclose()`."""
        if self._http is not None:
            return self
        settings = self.settings
        check_client_settings(settings)
        headers = {
            "Accept": "application/json",
            "User-Agent": settings.user_agent,
            "HH-User-Agent": settings.user_agent,
        }
        if settings.token:
            headers["Authorization"] = f"Bearer {settings.token}"
        self._http = httpx.AsyncClient(
            base_url=self.base_url,
            # Loading the CA bundle costs 20-60 ms per context: clients of one Session share
            # one (shared_ssl_context); plain http (the sandbox) needs none.
            verify=False if self.base_url.startswith("http://") else (self._ssl_context or True),
            headers=headers,
            timeout=httpx.Timeout(
                connect=settings.connect_timeout,
                read=settings.read_timeout,
                write=settings.read_timeout,
                pool=None,  # the semaphore, not the pool, bounds concurrency
            ),
            limits=httpx.Limits(
                max_connections=settings.parallelism,
                max_keepalive_connections=settings.parallelism,
            ),
            transport=self._transport,
            follow_redirects=False,
        )
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._http is not None:
            await self._http.aclose()
            self._http = None

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json: Any = None,
        files: dict[str, Any] | None = None,
        data: dict[str, Any] | None = None,
        idempotent: bool = True,
        on_success: Callable[[httpx.Response], None] | None = None,
    ) -> Any:
        """Send one call (retrying as configured); the parsed JSON body, or None when empty.

        `files` / `data` send a multipart form instead of JSON. A call that is not
        `idempotent` (a POST that creates something) is retried only when it surely did not
        reach the server: a refused connection, 429, 503. `on_success` sees the response of
        a success before its body is parsed (for headers such as `Location`)."""
        if self._http is None:
            raise RuntimeError("HHClient is not open: use `async with HHClient(...)`")
        method = method.upper()
        self.request_count += 1
        retries = self.settings.retries
        dropped_after_send = False
        attempt = 0
        token = await self._provided_token()
        # The token never leaves inside a write's path, query or body (credentials.py).
        tokens = Secrets.of({}, [("the token", item) for item in self._tokens()])
        if method != "GET" and tokens.find([path, params, json, data]) is not None:
            raise SecretInRequestError(method, path)
        renewed = False
        while True:
            attempt += 1
            self.attempt_count += 1
            try:
                async with self._semaphore:
                    await self._limiter.acquire()
                    probe = CURRENT_CALL.get()
                    if probe is not None and not probe.may_send():  # interrupted: no new call
                        raise HaltedError(f"{method} {shown_path(path)}: not sent (interrupted)")
                    response, content = await self._send(
                        method,
                        path,
                        params=params,
                        json=json,
                        files=files,
                        data=data,
                        headers=_bearer(token),
                    )
            except RETRY_EXCEPTIONS as exc:
                sent = may_have_been_sent(exc)
                if (
                    attempt > retries
                    or (sent and not idempotent)
                    or is_permanent(exc)  # a name that does not resolve will not later
                    or not await may_retry()  # the run's first read failed (lead.py)
                ):
                    raise self._transport_error(method, path, attempt, exc) from None
                dropped_after_send = dropped_after_send or sent
                reason = self._timeout_reason(exc) or f"connection error ({type(exc).__name__})"
                delay = self._backoff(attempt, None)
            except httpx.RequestError as exc:
                raise self._transport_error(method, path, attempt, exc) from None
            else:
                status = response.status_code
                if response.is_success:
                    if on_success is not None:
                        on_success(response)
                    return success_body(response, content, method, path)
                body = json_or_none(content)
                if token is not None and not renewed and status in (401, 403):
                    replacement = await self._replacement(token, status, body)
                    if replacement is not None:
                        renewed = True  # once: a second refusal is an error, never a loop
                        token = replacement
                        continue
                if (
                    status not in (RETRY_STATUSES if idempotent else NOT_APPLIED_STATUSES)
                    or attempt > retries
                    or publish_not_yet(status, method, path, body)
                    or not await may_retry()
                ):
                    error = error_from_response(status, method, path, body, attempts=attempt)
                    if isinstance(error, PublishNotYet):
                        error.maybe_applied = dropped_after_send
                    raise self._redacted(error)
                reason = f"HTTP {status}"
                retry_after = parse_retry_after(response.headers.get("Retry-After"))
                delay = self._backoff(attempt, retry_after)
            event = RetryEvent(method, path, attempt, retries, reason, delay)
            logger.info("retrying: %s", event)
            self.retry_events.append(event)
            if self.settings.on_retry is not None:
                self.settings.on_retry(event)
            await self._sleep(delay)

    async def _provided_token(self) -> str | None:
        provider = self.settings.token_provider
        if provider is None:
            return None
        token = await provider.token()
        check_token(token)  # a stored token is checked like one from the environment
        self._provided.add(token)
        return token

    async def _replacement(self, token: str, status: int, body: Any) -> str | None:
        """The token to retry a refused request with, if any: a renewed one after
        token_expired, or the one a concurrent renewal put in place of `token` (a request
        sent with the old token just before is refused as bad_authorization)."""
        provider = self.settings.token_provider
        assert provider is not None
        if token_expired(status, body):
            replacement: str | None = await provider.expired(token)
        else:
            replacement = await provider.replaced(token)
        if replacement is None or replacement == token:
            return None
        check_token(replacement)
        self._provided.add(replacement)
        return replacement

    def _backoff(self, attempt: int, retry_after: float | None) -> float:
        return backoff_delay(
            attempt - 1,
            base=self.settings.backoff_base,
            cap=self.settings.backoff_cap,
            retry_after=retry_after,
            rng=self._rng,
        )

    async def _send(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None,
        json: Any,
        files: dict[str, Any] | None,
        data: dict[str, Any] | None,
        headers: dict[str, str] | None,
    ) -> tuple[httpx.Response, bytes]:
        """One attempt: the response and its whole body, read as a stream and capped at
        MAX_RESPONSE_BYTES after decompression; the attempt as a whole (not each read of a
        socket, which a server sending one byte a second never lets expire) is bounded by
        --timeout."""
        assert self._http is not None
        request = self._http.build_request(
            method, path, params=params, json=json, files=files, data=data, headers=headers
        )
        try:
            async with asyncio.timeout(self.settings.read_timeout):
                response = await self._http.send(request, stream=True)
                try:
                    content = await read_capped(response, method, path)
                finally:
                    await response.aclose()
        except TimeoutError:
            raise DeadlineExceeded("deadline exceeded", request=request) from None
        return response, content

    def _transport_error(
        self, method: str, path: str, attempts: int, exc: Exception
    ) -> TransportError:
        settings = self.settings
        cause = timeout_cause(exc, settings.connect_timeout, settings.read_timeout) or self._redact(
            f"{type(exc).__name__}: {exc}".rstrip(": ")
        )
        return TransportError(self.base_url, method, path, attempts, cause)

    def _timeout_reason(self, exc: Exception) -> str | None:
        return timeout_reason(exc, self.settings.connect_timeout, self.settings.read_timeout)

    def _tokens(self) -> list[str]:
        return [token for token in (self.settings.token, *self._provided) if token]

    def _redact(self, text: str) -> str:
        return redact(text, self._tokens())

    def _redacted(self, error: ApiError) -> ApiError:
        return redacted(error, self._tokens())


def _bearer(token: str | None) -> dict[str, str] | None:
    return {"Authorization": f"Bearer {token}"} if token else None
