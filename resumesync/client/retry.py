"""Which failures are worth another attempt, and how a retry and a timeout are worded. The
waits themselves (backoff, Retry-After, the rate limit) are in resumesync.ratelimit."""

from __future__ import annotations

import socket
from dataclasses import dataclass

import httpx

from resumesync.client.errors import shown_path

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


class DeadlineExceeded(httpx.ReadTimeout):
    """The whole attempt (sending, waiting, every byte of the answer) took longer than
    --timeout: reported and retried like a read timeout."""


def may_have_been_sent(exc: Exception) -> bool:
    """A read error or a remote close means the request may have been applied."""
    return not isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout))


def is_permanent(exc: Exception) -> bool:
    """A failure that retrying cannot fix: the host name does not resolve."""
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, socket.gaierror) and cause.errno not in (
            socket.EAI_AGAIN,  # "temporary failure in name resolution": worth a retry
        ):
            return True
        cause = cause.__cause__ or cause.__context__
    return False


def _timeout_of(
    exc: Exception, connect_timeout: float, read_timeout: float
) -> tuple[str, float, str] | None:
    """(which timeout, its seconds, the option that sets it) for a timeout error."""
    if isinstance(exc, httpx.ConnectTimeout):
        return "connect", connect_timeout, "--connect-timeout"
    if isinstance(exc, httpx.ReadTimeout | httpx.WriteTimeout):  # one setting for both
        kind = "read" if isinstance(exc, httpx.ReadTimeout) else "write"
        return kind, read_timeout, "--timeout"
    return None


def timeout_reason(exc: Exception, connect_timeout: float, read_timeout: float) -> str | None:
    """A timeout as a retry line says it: "read timeout after 30 s"."""
    timeout = _timeout_of(exc, connect_timeout, read_timeout)
    return f"{timeout[0]} timeout after {timeout[1]:g} s" if timeout else None


def timeout_cause(exc: Exception, connect_timeout: float, read_timeout: float) -> str | None:
    """A timeout as the final error says it, naming the setting (httpx says "timed out",
    or nothing at all)."""
    timeout = _timeout_of(exc, connect_timeout, read_timeout)
    if timeout is None:
        return None
    kind, seconds, option = timeout
    what = {"connect": "no connection", "read": "no answer", "write": "could not send"}[kind]
    return f"{what} within {seconds:g} s ({kind} timeout; set with {option})"
