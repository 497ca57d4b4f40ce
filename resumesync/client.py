"""The async hh.ru API client: auth, retries with backoff, a client-side rate limit, pagination.

Every call goes through `HHClient.request`, which bounds concurrency (a semaphore), paces
requests (`RateLimiter`), retries 429 / 5xx / connection errors with backoff, and turns error
answers into typed exceptions whose messages never contain the token.
"""

from __future__ import annotations

import asyncio
import json as jsonlib
import logging
import math
import random
import re
import socket
import ssl
import time
import zlib
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol, TypeVar
from urllib.parse import urlsplit

import httpx

from resumesync import __version__
from resumesync.credentials import Secrets
from resumesync.endpoints import (
    artifact_conditions_path,
    artifact_path,
    artifacts_path,
    create_resume_path,
    creation_availability_path,
    list_path,
    metro_path,
    new_resume_conditions_path,
    publish_path,
    resume_path,
    resume_write_call,
    segment,
)
from resumesync.interrupt import CURRENT_CALL
from resumesync.lead import may_retry
from resumesync.model import ListKind
from resumesync.ratelimit import Clock, RateLimiter, Sleep, backoff_delay, parse_retry_after

if TYPE_CHECKING:
    from resumesync.settings import Settings

logger = logging.getLogger(__name__)

DEFAULT_API_URL = "https://api.hh.ru"
DEFAULT_USER_AGENT = f"resumesync/{__version__} (+https://github.com/resumesync/resumesync)"
PER_PAGE = 100  # the documented maximum of `per_page`
MAX_BATCH = 100  # employers per list POST / DELETE call (documented limit for POST)
# hh.ru pages at most 2,000 items deep, and a visibility list holds at most `limit` (2,000)
# employers: a first page that claims more pages is not believed (a hostile server said
# "pages": 10000000).
MAX_LISTED_ITEMS = 2000
# The largest answer body we accept, counted after decompression (a gzip bomb expands
# 1,000-fold): a resume is tens of KB, a page of 100 employers a few.
MAX_RESPONSE_BYTES = 16 * 1024 * 1024
# What a bearer token can be made of (RFC 6750 b64token): anything else (non-ASCII, CR/LF,
# spaces) is refused before the first request, without showing the value.
_TOKEN_CHARACTERS = re.compile(r"[A-Za-z0-9\-._~+/]+=*")
# A user agent is sent as a header: printable ASCII only.
_HEADER_TEXT = re.compile(r"[\x20-\x7e]+")

# 408 and 5xx are transient; 429 is "slow down" (except on publish, see PublishNotYet).
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
# Answers that say the call was not carried out: the only ones a create is retried on.
NOT_APPLIED_STATUSES = frozenset({429, 503})
# Connection failures worth another attempt; everything we send is idempotent, so a request
# whose connection dropped after it was sent may be repeated safely.
RETRY_EXCEPTIONS: tuple[type[Exception], ...] = (
    httpx.TimeoutException,
    httpx.NetworkError,
    httpx.RemoteProtocolError,
)

T = TypeVar("T")


@dataclass(frozen=True)
class RetryEvent:
    """One failed attempt that is about to be retried (for the CLI's "retrying ..." lines)."""

    method: str
    path: str
    attempt: int  # 1-based number of the attempt that failed
    retries: int  # the configured maximum number of retries
    reason: str  # "HTTP 503", "connection error (ReadError)", ...
    delay: float  # seconds before the next attempt

    def __str__(self) -> str:
        return (
            f"{self.method} {shown_path(self.path)}: {self.reason}; "
            f"retry {self.attempt} of {self.retries} in {self.delay:.2f}s"
        )


def shown_path(path: str) -> str:
    """A call's path for messages: a long query (a DELETE of 100 employer ids) is cut to its
    first parameter and a count, so that the line stays readable."""
    base, _, query = path.partition("?")
    parameters = query.split("&") if query else []
    if len(parameters) <= 3:
        return path
    return f"{base}?{parameters[0]}&… ({len(parameters)} parameters)"


class TokenProvider(Protocol):
    """Where the client gets its token when it is not a fixed one (resumesync.auth): the
    client never knows how a token was got."""

    async def token(self) -> str:
        """The access token to send now."""
        ...

    async def expired(self, token: str) -> str:
        """The API answered 403 oauth/token_expired for `token`: the token to retry with
        (once). Raises ClientError when there is none."""
        ...

    async def replaced(self, token: str) -> str | None:
        """The API refused `token` otherwise: the token that replaced it meanwhile (another
        process refreshed the pair), or None."""
        ...


@dataclass
class ClientSettings:
    base_url: str = DEFAULT_API_URL
    token: str | None = field(default=None, repr=False)  # never shown, not even in repr
    token_provider: TokenProvider | None = field(default=None, repr=False)  # instead of token
    user_agent: str = DEFAULT_USER_AGENT
    parallelism: int = 8  # concurrent requests
    max_rps: float | None = 10.0  # requests per second for the whole client; None or <= 0: off
    retries: int = 5  # extra attempts after the first
    backoff_base: float = 0.5  # seconds; the first retry waits up to this much
    backoff_cap: float = 30.0  # no wait is longer, `Retry-After` included
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    on_retry: Callable[[RetryEvent], None] | None = None
    api_name: str | None = None  # the API as plans name it; default: base_url

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        *,
        token: str | None,
        token_provider: TokenProvider | None = None,
        on_retry: Callable[[RetryEvent], None] | None = None,
    ) -> ClientSettings:
        """The connection part of the resolved settings, with the credential the caller
        chose (None for the public endpoints)."""
        return cls(
            base_url=settings.api_url,
            api_name=settings.api_name,
            token=token,
            token_provider=token_provider,
            user_agent=settings.user_agent,
            parallelism=settings.parallelism,
            max_rps=settings.max_rps,
            connect_timeout=settings.connect_timeout,
            read_timeout=settings.read_timeout,
            retries=settings.retries,
            backoff_base=settings.backoff_base,
            on_retry=on_retry,
        )


# --- errors -------------------------------------------------------------------------------


class ClientError(Exception):
    """Anything the client raises about the API or the network."""


class SettingsError(ClientError):
    """A token, user agent or API URL that cannot be sent: refused before any request."""


class HaltedError(ClientError):
    """Not sent: the apply was interrupted (interrupt.py) before this attempt went out."""


class UnexpectedAnswerError(ClientError):
    """A successful answer that is not what the API documents (too large, not the shape the
    call returns): nothing is built on it."""

    def __init__(self, method: str, path: str, problem: str) -> None:
        self.method = method
        self.path = path
        self.problem = problem
        super().__init__(f"{method} {shown_path(path)}: unexpected answer: {problem}")


class _DeadlineExceeded(httpx.ReadTimeout):
    """The whole attempt (sending, waiting, every byte of the answer) took longer than
    --timeout: reported and retried like a read timeout."""


def check_client_settings(settings: ClientSettings) -> None:
    """SettingsError for what cannot be sent as is; the token's value never appears."""
    if settings.token is not None:
        check_token(settings.token)
    if not _HEADER_TEXT.fullmatch(settings.user_agent or ""):
        raise SettingsError(
            f"the user agent must be printable ASCII text: {_printable(settings.user_agent)} "
            "(HH_USER_AGENT / --user-agent)"
        )
    try:
        url = httpx.URL(settings.base_url)
        port = url.port
    except (httpx.InvalidURL, ValueError, TypeError) as error:
        raise SettingsError(
            f"invalid API URL {_printable(settings.base_url)}: {error} (HH_API_URL / --api-url)"
        ) from None
    if url.scheme not in ("http", "https") or not url.host:
        raise SettingsError(
            f"invalid API URL {_printable(settings.base_url)}: expected http(s)://host "
            "(HH_API_URL / --api-url)"
        )
    if port is not None and not 0 < port <= 65535:
        raise SettingsError(
            f"invalid API URL {_printable(settings.base_url)}: port {port} is not between "
            "1 and 65535 (HH_API_URL / --api-url)"
        )
    for name, value in (
        ("--timeout", settings.read_timeout),
        ("--connect-timeout", settings.connect_timeout),
    ):
        if not (math.isfinite(value) and value > 0):
            raise SettingsError(f"{name} must be a positive number of seconds, not {value}")
    if settings.max_rps is not None and math.isnan(settings.max_rps):
        raise SettingsError("--max-rps must be a number of requests per second, not nan")
    if not (math.isfinite(settings.backoff_base) and settings.backoff_base >= 0):
        raise SettingsError(
            f"--retry-wait must be a number of seconds, not {settings.backoff_base}"
        )


def check_token(token: str) -> None:
    """SettingsError for a token that cannot be a bearer token; its value is never shown."""
    if not token.strip():
        raise SettingsError("the token is empty (only spaces): set HH_TOKEN / --token")
    if not _TOKEN_CHARACTERS.fullmatch(token):
        raise SettingsError(
            "the token contains characters an OAuth token cannot have (spaces, line "
            "breaks, non-ASCII letters...): check HH_TOKEN / --token (value not shown)"
        )


def _printable(text: str | None) -> str:
    """A value for an error message: escapes shown, never a line break or a control code."""
    return ascii(text or "")


class SecretInRequestError(ClientError):
    """A write would carry the token in its path, query or body: refused, nothing sent."""

    def __init__(self, method: str, path: str) -> None:
        super().__init__(
            f"{method} {shown_path(path)} would send the token's value in the request: "
            "refused, nothing was sent"
        )


class TransportError(ClientError):
    """The server could not be reached or dropped the connection, after every retry."""

    def __init__(self, base_url: str, method: str, path: str, attempts: int, cause: str) -> None:
        self.base_url = base_url
        self.method = method
        self.path = path
        self.attempts = attempts
        self.cause = cause
        tries = f" after {attempts} attempts" if attempts > 1 else ""
        call = f"{method} {shown_path(path)}"
        super().__init__(f"cannot reach {base_url}: {call} failed{tries}: {cause}")


class ApiError(ClientError):
    """The server answered with an error status."""

    def __init__(
        self,
        status: int,
        method: str,
        path: str,
        errors: list[dict[str, Any]] | None = None,
        description: str = "",
        *,
        message: str | None = None,
        attempts: int = 1,
    ) -> None:
        self.status = status
        self.method = method
        self.path = path
        self.errors = errors or []
        self.description = description
        self.attempts = attempts
        text = message or self._default_message()
        if attempts > 1:
            text += f" (gave up after {attempts} attempts)"
        super().__init__(f"{method} {shown_path(path)}: HTTP {status}: {text}")

    @property
    def types(self) -> tuple[str, ...]:
        return tuple(str(error.get("type")) for error in self.errors if error.get("type"))

    def _default_message(self) -> str:
        details = describe_errors(self.errors)
        if details and self.description:
            return f"{details} ({self.description})"
        return details or self.description or _reason_phrase(self.status)


class AuthError(ApiError):
    """401, or 403 with an `oauth` error: the token is missing, wrong, expired or revoked."""

    @property
    def oauth_value(self) -> str | None:
        for error in self.errors:
            if error.get("type") == "oauth":
                return str(error.get("value") or "") or None
        return None


class NotFoundError(ApiError):
    """404: callers say "resume <id> is not in this account"."""


class BadUserAgentError(ApiError):
    """400 bad_user_agent: the API refuses requests without a proper User-Agent."""


class BadJsonDataError(ApiError):
    """400 bad_json_data: the body was rejected; each error keeps its RFC 6901 `pointer`."""

    @property
    def field_errors(self) -> list[dict[str, Any]]:
        """The bad_json_data entries: `pointer`, `value` (field), `reason`, `description`."""
        return [error for error in self.errors if error.get("type") == "bad_json_data"]


class PublishNotYet(ApiError):
    """429 on publish: hh.ru does not allow renewing the resume yet. Not a failure.

    `maybe_applied` is set when an earlier attempt of the same call lost its connection after
    the request was sent: the 429 then most likely answers our own successful publication.
    """

    maybe_applied: bool = False


_OAUTH_MESSAGES = {
    "bad_authorization": (
        "the token was rejected (bad_authorization): set HH_TOKEN / --token, "
        "or run `resumesync login`"
    ),
    "token_expired": (
        "the token has expired (token_expired): access tokens live 14 days; refresh it "
        "and set HH_TOKEN / --token, or use `resumesync login`, whose pair refreshes itself"
    ),
    "token_revoked": (
        "the token was revoked (token_revoked): run `resumesync login` again, "
        "or set a new HH_TOKEN / --token"
    ),
    "application_not_found": (
        "the application that issued the token was deleted (application_not_found): "
        "get a new token and set HH_TOKEN / --token"
    ),
    "user_auth_expected": (
        "this is an application token (user_auth_expected): these methods need the account "
        "holder's token in HH_TOKEN / --token"
    ),
}


def describe_errors(errors: Iterable[dict[str, Any]]) -> str:
    """The server's error list in one line: "bad_json_data: year (invalid) at /education/..."."""
    parts = []
    for error in errors:
        text = str(error.get("type") or "error")
        if error.get("value") not in (None, ""):
            text += f": {error['value']}"
        if error.get("reason"):
            text += f" ({error['reason']})"
        if error.get("pointer"):
            text += f" at {error['pointer']}"
        parts.append(text)
    return "; ".join(parts)


def error_from_response(
    status: int,
    method: str,
    path: str,
    body: Any,
    *,
    attempts: int = 1,
) -> ApiError:
    """The typed exception for an error answer (body: the parsed JSON, or None)."""
    errors: list[dict[str, Any]] = []
    description = ""
    if isinstance(body, dict):
        raw = body.get("errors")
        if isinstance(raw, list):
            errors = [error for error in raw if isinstance(error, dict)]
        if isinstance(body.get("description"), str):
            description = body["description"]
    types = {str(error.get("type")) for error in errors}
    args = (status, method, path, errors, description)
    if status == 401 or (status == 403 and "oauth" in types):
        values = [str(e.get("value") or "") for e in errors if e.get("type") == "oauth"]
        value = next((v for v in values if v), "")
        message = _OAUTH_MESSAGES.get(
            value, f"the token was rejected ({value or status}): set HH_TOKEN / --token"
        )
        return AuthError(*args, message=message)
    if status == 404:
        return NotFoundError(*args, message="not found")
    if status == 400 and "bad_user_agent" in types:
        value = next((str(e.get("value")) for e in errors if e.get("type") == "bad_user_agent"), "")
        message = (
            f"the API rejected the User-Agent (bad_user_agent: {value or 'unset'}): set "
            "HH_USER_AGENT / --user-agent to something like 'myapp/1.0 (me@example.com)'"
        )
        return BadUserAgentError(*args, message=message)
    if status == 400 and "bad_json_data" in types:
        return BadJsonDataError(*args)
    if publish_not_yet(status, method, path, body):
        return PublishNotYet(*args, message="the resume cannot be published again yet")
    return ApiError(*args, attempts=attempts)


def _reason_phrase(status: int) -> str:
    try:
        return httpx.codes(status).phrase
    except ValueError:
        return "error"


def _is_publish(method: str, path: str) -> bool:
    return method.upper() == "POST" and urlsplit(path).path.rstrip("/").endswith("/publish")


def publish_not_yet(status: int, method: str, path: str, body: Any) -> bool:
    """A publish answered 429 `touch_limit_exceeded`: renewing is not allowed yet. Any other
    429 (the per-IP request limit) is retried like on every other call."""
    if status != 429 or not _is_publish(method, path) or not isinstance(body, dict):
        return False
    errors = body.get("errors") or []
    return any(isinstance(e, dict) and e.get("value") == "touch_limit_exceeded" for e in errors)


def _batches(ids: Sequence[str], size: int = MAX_BATCH) -> list[list[str]]:
    return [list(ids[start : start + size]) for start in range(0, len(ids), size)]


async def gather_or_cancel(awaitables: Iterable[Awaitable[T]]) -> list[T]:
    """Like asyncio.gather, but the first error cancels (and awaits) the siblings."""
    tasks = [asyncio.ensure_future(awaitable) for awaitable in awaitables]
    try:
        return list(await asyncio.gather(*tasks))
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise


# --- the client -----------------------------------------------------------------------------


class HHClient:
    """`async with HHClient(settings) as client: await client.get_mine()`.

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

    async def __aenter__(self) -> HHClient:
        return self.open()

    def open(self) -> HHClient:
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

    # --- the one HTTP entry point -------------------------------------------------------------

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
                # A read error or a remote close means the request may have been applied.
                sent = not isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout))
                if (
                    attempt > retries
                    or (sent and not idempotent)
                    or _is_permanent(exc)  # a name that does not resolve will not later
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
                    return self._parse(response, content, method, path)
                body = _json_or_none(content)
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
        if _token_expired(status, body):
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
                    content = await _read_capped(response, method, path)
                finally:
                    await response.aclose()
        except TimeoutError:
            raise _DeadlineExceeded("deadline exceeded", request=request) from None
        return response, content

    def _parse(self, response: httpx.Response, content: bytes, method: str, path: str) -> Any:
        if response.status_code == 204 or not content:
            return None
        try:
            return jsonlib.loads(content)
        except (ValueError, RecursionError):
            raise ApiError(
                response.status_code,
                method,
                path,
                message="the server answered with a body that is not JSON",
            ) from None

    def _transport_error(
        self, method: str, path: str, attempts: int, exc: Exception
    ) -> TransportError:
        cause = self._timeout_cause(exc) or self._redact(
            f"{type(exc).__name__}: {exc}".rstrip(": ")
        )
        return TransportError(self.base_url, method, path, attempts, cause)

    def _timeout_of(self, exc: Exception) -> tuple[str, float, str] | None:
        """(which timeout, its seconds, the option that sets it) for a timeout error."""
        settings = self.settings
        if isinstance(exc, httpx.ConnectTimeout):
            return "connect", settings.connect_timeout, "--connect-timeout"
        if isinstance(exc, httpx.ReadTimeout | httpx.WriteTimeout):  # one setting for both
            kind = "read" if isinstance(exc, httpx.ReadTimeout) else "write"
            return kind, settings.read_timeout, "--timeout"
        return None

    def _timeout_reason(self, exc: Exception) -> str | None:
        """A timeout as a retry line says it: "read timeout after 30 s"."""
        timeout = self._timeout_of(exc)
        return f"{timeout[0]} timeout after {timeout[1]:g} s" if timeout else None

    def _timeout_cause(self, exc: Exception) -> str | None:
        """A timeout as the final error says it, naming the setting (httpx says "timed out",
        or nothing at all)."""
        timeout = self._timeout_of(exc)
        if timeout is None:
            return None
        kind, seconds, option = timeout
        what = {"connect": "no connection", "read": "no answer", "write": "could not send"}[kind]
        return f"{what} within {seconds:g} s ({kind} timeout; set with {option})"

    def _tokens(self) -> list[str]:
        return [token for token in (self.settings.token, *self._provided) if token]

    def _redact(self, text: str) -> str:
        """Every token replaced in every form an exception could show it: as is, escaped as
        in a repr or in JSON, and URL-encoded."""
        for token in self._tokens():
            for form in _token_forms(token):
                text = text.replace(form, "(token)")
        return text

    def _redacted(self, error: ApiError) -> ApiError:
        """Defence in depth: should a server echo the token, it still never reaches a message."""
        if self._redact(str(error)) != str(error):
            error.args = (self._redact(str(error)),)
            error.description = self._redact(error.description)
            error.errors = [
                jsonlib.loads(self._redact(jsonlib.dumps(item, ensure_ascii=False)))
                for item in error.errors
            ]
        return error

    # --- reads ------------------------------------------------------------------------------

    async def _get_all_pages(
        self,
        path: str,
        params: dict[str, Any] | None = None,
        keep: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
    ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """Page 0 first (it says how many pages there are), then the rest concurrently, each
        page's request created only when one of `parallelism` workers is free for it.
        `keep` trims each item as its page arrives, so that the pages of many long lists
        read at once are never all held whole. Every page must be an object whose `items`
        are objects (UnexpectedAnswerError otherwise)."""
        query = {**(params or {}), "per_page": PER_PAGE}

        async def page(number: int) -> dict[str, Any]:
            body = await self.request("GET", path, params={**query, "page": number})
            items = _page_items(body, path, number)
            if keep is not None:
                items = [keep(item) for item in items]
            return {**(body or {}), "items": items}

        first = await page(0)
        count = _page_count(first, path)
        rest = await _bounded_map(page, range(1, count), self.settings.parallelism)
        items: list[dict[str, Any]] = []
        seen: set[str] = set()
        for body in [first, *rest]:
            for item in body["items"]:
                key = str(item.get("id"))
                if key not in seen:  # a list that moved between pages must not duplicate
                    seen.add(key)
                    items.append(item)
        return first, items

    async def get_mine(self) -> list[dict[str, Any]]:
        """Every resume of the account (GET /resumes/mine, all pages)."""
        _, items = await self._get_all_pages("/resumes/mine")
        return items

    async def get_resume(self, resume_id: str) -> dict[str, Any]:
        return await self.request("GET", resume_path(resume_id)) or {}

    async def get_list(self, resume_id: str, kind: ListKind) -> dict[str, Any]:
        """A visibility list with all its pages: {"items", "limit", "can_add", "found"}, each
        item {"id", "name"} (the urls and logos of up to 2,000 employers are dropped)."""
        first, items = await self._get_all_pages(list_path(resume_id, kind), keep=_id_and_name)
        return {
            "items": items,
            "limit": first.get("limit"),
            "can_add": first.get("can_add"),
            "found": first.get("found", len(items)),
        }

    async def get_conditions(self, resume_id: str) -> dict[str, Any]:
        return await self.request("GET", f"{resume_path(resume_id)}/conditions") or {}

    async def get_creation_availability(self) -> dict[str, Any]:
        """{"is_creation_available", "max", "created", "remaining"}."""
        return await self.request("GET", creation_availability_path()) or {}

    async def get_new_resume_conditions(self) -> dict[str, Any]:
        """The rules for the fields of a new resume (GET /resume_conditions)."""
        return await self.request("GET", new_resume_conditions_path()) or {}

    async def get_artifacts(self, artifact_type: str) -> list[dict[str, Any]]:
        """Every uploaded image of a type (GET /artifacts/{photo,portfolio}, all pages)."""
        _, items = await self._get_all_pages(artifacts_path(artifact_type))
        return items

    async def get_artifact_conditions(self, artifact_type: str) -> dict[str, Any]:
        return await self.request("GET", artifact_conditions_path(artifact_type)) or {}

    async def upload_artifact(
        self,
        artifact_type: str,
        content: bytes,
        *,
        filename: str,
        mime: str,
        description: str | None = None,
    ) -> dict[str, Any]:
        """POST /artifacts (multipart): the new artifact ({"id", "state", ...}). Like a create,
        never repeated once it may have reached the server."""
        data = {"type": artifact_type}
        if description is not None:
            data["description"] = description
        body = await self.request(
            "POST",
            artifacts_path(),
            files={"file": (filename, content, mime)},
            data=data,
            idempotent=False,
        )
        return body if isinstance(body, dict) else {}

    async def describe_artifact(self, artifact_id: str, description: str) -> None:
        """PUT /artifacts/{id} with the new `description` (multipart, as the spec says)."""
        await self.request(
            "PUT",
            artifact_path(artifact_id),
            files={"description": (None, description)},
        )

    async def wait_for_artifact(self, artifact_type: str, artifact_id: str) -> str:
        """Polls the image's `state` until it is not `processing` any more (`ok` or
        `failed`), with the retries' backoff and bound; "processing" if it never ends."""
        for attempt in range(1, self.settings.retries + 2):
            items = await self.get_artifacts(artifact_type)
            item = next((i for i in items if str(i.get("id")) == artifact_id), None)
            state = ((item or {}).get("state") or {}).get("id") if item else "missing"
            if state != "processing":
                return str(state)
            if attempt <= self.settings.retries:
                await self._sleep(self._backoff(attempt, None))
        return "processing"

    async def get_employer(self, employer_id: str) -> dict[str, Any]:
        return await self.request("GET", f"/employers/{segment(employer_id)}") or {}

    async def get_metro(self, city_id: str) -> dict[str, Any]:
        """The metro directory of a city: {"id", "name", "lines": [{..., "stations"}]};
        NotFoundError for a city hh.ru has no metro directory for."""
        return await self.request("GET", metro_path(city_id)) or {}

    async def get_dictionary(self, path: str) -> Any:
        """A public dictionary (`/dictionaries`, `/languages`, `/industries`, ...) as sent."""
        return await self.request("GET", path)

    async def get_area(self, area_id: str) -> dict[str, Any]:
        """`GET /areas/{id}`; NotFoundError for an id hh.ru does not know."""
        return await self.request("GET", f"/areas/{segment(area_id)}") or {}

    # --- writes (all idempotent) -------------------------------------------------------------

    async def put_resume(self, resume_id: str, body: dict[str, Any]) -> None:
        method, path = resume_write_call(resume_id)
        await self.request(method, path, json=body)

    async def add_to_list(self, resume_id: str, kind: ListKind, ids: Sequence[str]) -> None:
        """POST the employers in batches of at most 100 (an empty list is a no-op)."""
        path = list_path(resume_id, kind)
        await gather_or_cancel(
            self.request("POST", path, json={"items": [{"id": str(i)} for i in batch]})
            for batch in _batches(ids)
        )

    async def remove_from_list(self, resume_id: str, kind: ListKind, ids: Sequence[str]) -> None:
        """DELETE .../employer?id=..&id=.. in batches of at most 100 ids."""
        path = f"{list_path(resume_id, kind)}/employer"
        await gather_or_cancel(
            self.request("DELETE", path, params={"id": [str(i) for i in batch]})
            for batch in _batches(ids)
        )

    async def clear_list(self, resume_id: str, kind: ListKind) -> None:
        await self.request("DELETE", list_path(resume_id, kind))

    async def create_resume(
        self, body: dict[str, Any] | None, source_resume_id: str | None = None
    ) -> str:
        """POST /resumes (a copy of `source_resume_id` when given); the new resume's id, from
        the `Location` header of the 201. Never retried once it may have reached the server:
        a repeated POST would create a second resume (the intent record covers a lost answer).
        """
        return await self.create(create_resume_path(source_resume_id), body)

    async def create(self, path: str, body: dict[str, Any] | None) -> str:
        """POST `path` (a create_resume_path) and return the id its `Location` names."""
        seen: list[str] = []
        await self.request(
            "POST",
            path,
            json=body,
            idempotent=False,
            on_success=lambda response: seen.append(response.headers.get("Location") or ""),
        )
        resume_id = resume_id_from_location(seen[0] if seen else "")
        if resume_id is None:
            raise ApiError(
                201,
                "POST",
                path,
                message="the server created the resume but its answer names no valid id "
                "(Location header)",
            )
        return resume_id

    async def publish(self, resume_id: str) -> None:
        """POST .../publish; raises PublishNotYet when hh.ru says "not yet" (429)."""
        await self.request("POST", publish_path(resume_id))


def new_ssl_context() -> ssl.SSLContext:
    """The TLS settings httpx would make for `verify=True` (certifi's CA bundle, or
    SSL_CERT_FILE / SSL_CERT_DIR): made once and shared by every client of a run."""
    return httpx.create_ssl_context()


_LOCATION_ID = re.compile(r"[0-9A-Za-z_-]{1,64}")


def resume_id_from_location(location: str) -> str | None:
    """`/resumes/0123abcd` (or a full URL ending so) -> "0123abcd"; None for anything else."""
    path = urlsplit(location.strip()).path.rstrip("/")
    head, _, last = path.rpartition("/")
    if not head.endswith("/resumes") or not _LOCATION_ID.fullmatch(last):
        return None
    return last


def _id_and_name(item: dict[str, Any]) -> dict[str, Any]:
    return {"id": item.get("id"), "name": item.get("name")}


def _page_count(body: dict[str, Any], path: str) -> int:
    """How many pages the first page announces, never more than the API can hold."""
    pages = body.get("pages")
    if not (isinstance(pages, int) and not isinstance(pages, bool) and pages >= 1):
        pages = 1
        found, per_page = body.get("found"), body.get("per_page") or PER_PAGE
        if _is_count(found) and _is_count(per_page) and per_page > 0:
            pages = max(1, math.ceil(found / per_page))
    most = math.ceil(MAX_LISTED_ITEMS / PER_PAGE)
    if pages > most:
        raise UnexpectedAnswerError(
            "GET",
            path,
            f"it announces {pages} pages; a list holds at most {MAX_LISTED_ITEMS} items "
            f"({most} pages of {PER_PAGE})",
        )
    return pages


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _page_items(body: Any, path: str, number: int) -> list[dict[str, Any]]:
    if body is None:
        return []
    if not isinstance(body, dict):
        raise UnexpectedAnswerError("GET", path, f"page {number} is not a JSON object")
    items = body.get("items")
    if items is None:
        return []
    if not isinstance(items, list):
        raise UnexpectedAnswerError("GET", path, f"page {number}: `items` is not a list")
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise UnexpectedAnswerError(
                "GET", path, f"page {number}: items[{index}] is not an object"
            )
    return items


async def _bounded_map(
    function: Callable[[int], Awaitable[T]], numbers: range, limit: int
) -> list[T]:
    """`function` over `numbers` with at most `limit` calls alive at a time, results in order;
    the first error cancels the rest. Nothing is created for a number until a worker takes it,
    so a huge range costs no memory."""
    results: dict[int, T] = {}
    queue = iter(numbers)

    async def worker() -> None:
        for number in queue:  # shared iterator: each number is taken once
            results[number] = await function(number)

    await gather_or_cancel(worker() for _ in range(max(1, min(limit, len(numbers)))))
    return [results[number] for number in numbers]


async def _read_capped(response: httpx.Response, method: str, path: str) -> bytes:
    """The decoded (decompressed) body, refused past MAX_RESPONSE_BYTES.

    gzip and deflate are decompressed here, never more than the cap at a time: httpx would
    expand each network chunk whole (64 KB of a gzip bomb is 64 MB)."""
    declared = response.headers.get("Content-Length", "")
    encoding = response.headers.get("Content-Encoding", "").strip().lower()
    if declared.isdigit() and int(declared) > MAX_RESPONSE_BYTES and not encoding:
        raise _too_large(method, path)
    if encoding in ("gzip", "x-gzip", "deflate"):
        return await _inflate_capped(response, encoding, method, path)
    chunks: list[bytes] = []
    total = 0
    async for chunk in response.aiter_bytes():
        total += len(chunk)
        if total > MAX_RESPONSE_BYTES:
            raise _too_large(method, path)
        chunks.append(chunk)
    return b"".join(chunks)


async def _inflate_capped(response: httpx.Response, encoding: str, method: str, path: str) -> bytes:
    # gzip; deflate as zlib data (RFC 9110), or raw deflate as some servers send it
    wbits = 16 + zlib.MAX_WBITS if encoding != "deflate" else zlib.MAX_WBITS
    inflater = zlib.decompressobj(wbits)
    chunks: list[bytes] = []
    total = 0
    first = True
    try:
        async for raw in response.aiter_raw():
            if first and encoding == "deflate" and raw[:1] and (raw[0] & 0x0F) != 8:
                inflater = zlib.decompressobj(-zlib.MAX_WBITS)
            first = False
            pending = raw
            while pending:
                data = inflater.decompress(pending, MAX_RESPONSE_BYTES + 1 - total)
                total += len(data)
                if total > MAX_RESPONSE_BYTES:
                    raise _too_large(method, path)
                chunks.append(data)
                pending = inflater.unconsumed_tail
        chunks.append(inflater.flush())
    except zlib.error as error:
        raise httpx.DecodingError(f"cannot decompress the answer: {error}") from None
    if total + len(chunks[-1]) > MAX_RESPONSE_BYTES:
        raise _too_large(method, path)
    return b"".join(chunks)


def _too_large(method: str, path: str) -> UnexpectedAnswerError:
    megabytes = MAX_RESPONSE_BYTES // (1024 * 1024)
    return UnexpectedAnswerError(method, path, f"the body is larger than {megabytes} MB")


def _is_permanent(exc: Exception) -> bool:
    """A failure that retrying cannot fix: the host name does not resolve."""
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, socket.gaierror) and cause.errno not in (
            socket.EAI_AGAIN,  # "temporary failure in name resolution": worth a retry
        ):
            return True
        cause = cause.__cause__ or cause.__context__
    return False


def _token_forms(token: str) -> list[str]:
    """The token as exceptions may print it: plain, repr-escaped, JSON-escaped, URL-encoded."""
    from urllib.parse import quote

    forms = {
        token,
        repr(token)[1:-1],
        jsonlib.dumps(token)[1:-1],
        jsonlib.dumps(token, ensure_ascii=False)[1:-1],
        quote(token, safe=""),
        repr(token.encode("utf-8", "backslashreplace"))[2:-1],
    }
    return sorted((form for form in forms if form), key=len, reverse=True)


def _bearer(token: str | None) -> dict[str, str] | None:
    return {"Authorization": f"Bearer {token}"} if token else None


def _token_expired(status: int, body: Any) -> bool:
    """403 oauth/token_expired (errors.md): the access token's life is over."""
    if status != 403 or not isinstance(body, dict) or not isinstance(body.get("errors"), list):
        return False
    return any(
        isinstance(error, dict)
        and error.get("type") == "oauth"
        and error.get("value") == "token_expired"
        for error in body["errors"]
    )


def _json_or_none(content: bytes) -> Any:
    try:
        return jsonlib.loads(content) if content else None
    except (ValueError, RecursionError):
        return None  # 5xx answers may carry HTML: the status alone decides (errors.md)
