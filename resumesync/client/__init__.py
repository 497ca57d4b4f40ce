"""The async hh.ru API client: auth, retries with backoff, a client-side rate limit, pagination.

Every call goes through `HHClient.request`, which bounds concurrency (a semaphore), paces
requests (`RateLimiter`), retries 429 / 5xx / connection errors with backoff, and turns error
answers into typed exceptions whose messages never contain the token.

The modules, one job each:

- `config`: ClientSettings, TokenProvider, the checks of what can be sent;
- `errors`: the exceptions; `answers`: error answers -> those exceptions (errors.md);
- `transport`: the one HTTP entry point (semaphore, rate limit, deadline, retries, token);
- `retry`: what is retried and how retries and timeouts are worded;
- `body`: answers read as a stream, decompressed and capped; `redaction`: the token kept
  out of messages;
- `paging`: paginated collections read whole; `concurrency`: gather that cancels the rest;
- `calls`: HHClient, one method per API call.

Import from here (`from resumesync.client import HHClient, ApiError`): the names below are
the client's interface, wherever they live.
"""

from resumesync.client.answers import error_from_response, publish_not_yet
from resumesync.client.body import MAX_RESPONSE_BYTES
from resumesync.client.calls import MAX_BATCH, HHClient, resume_id_from_location
from resumesync.client.concurrency import gather_or_cancel
from resumesync.client.config import (
    DEFAULT_API_URL,
    DEFAULT_USER_AGENT,
    ClientSettings,
    TokenProvider,
    check_client_settings,
    check_token,
)
from resumesync.client.errors import (
    ApiError,
    AuthError,
    BadJsonDataError,
    BadUserAgentError,
    ClientError,
    HaltedError,
    NotFoundError,
    PublishNotYet,
    SecretInRequestError,
    SettingsError,
    TransportError,
    UnexpectedAnswerError,
    describe_errors,
    shown_path,
)
from resumesync.client.paging import MAX_LISTED_ITEMS, PER_PAGE
from resumesync.client.retry import (
    NOT_APPLIED_STATUSES,
    RETRY_EXCEPTIONS,
    RETRY_STATUSES,
    RetryEvent,
)
from resumesync.client.transport import Transport, new_ssl_context

__all__ = [
    "DEFAULT_API_URL",
    "DEFAULT_USER_AGENT",
    "MAX_BATCH",
    "MAX_LISTED_ITEMS",
    "MAX_RESPONSE_BYTES",
    "NOT_APPLIED_STATUSES",
    "PER_PAGE",
    "RETRY_EXCEPTIONS",
    "RETRY_STATUSES",
    "ApiError",
    "AuthError",
    "BadJsonDataError",
    "BadUserAgentError",
    "ClientError",
    "ClientSettings",
    "HHClient",
    "HaltedError",
    "NotFoundError",
    "PublishNotYet",
    "RetryEvent",
    "SecretInRequestError",
    "SettingsError",
    "TokenProvider",
    "Transport",
    "TransportError",
    "UnexpectedAnswerError",
    "check_client_settings",
    "check_token",
    "describe_errors",
    "error_from_response",
    "gather_or_cancel",
    "new_ssl_context",
    "publish_not_yet",
    "resume_id_from_location",
    "shown_path",
]
