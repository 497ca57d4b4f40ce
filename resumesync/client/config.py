"""What a client is configured with (ClientSettings), where its token comes from when it is
not a fixed one (TokenProvider), and the checks that refuse, before any request, what cannot
be sent (the token's value is never shown)."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

import httpx

from resumesync import __version__
from resumesync.client.errors import SettingsError
from resumesync.client.retry import RetryEvent

if TYPE_CHECKING:
    from resumesync.settings import Settings

DEFAULT_API_URL = "https://api.hh.ru"
DEFAULT_USER_AGENT = f"resumesync/{__version__} (+https://github.com/resumesync/resumesync)"
# What a bearer token can be made of (RFC 6750 b64token): anything else (non-ASCII, CR/LF,
# spaces) is refused before the first request, without showing the value.
_TOKEN_CHARACTERS = re.compile(r"[A-Za-z0-9\-._~+/]+=*")
# A user agent is sent as a header: printable ASCII only.
_HEADER_TEXT = re.compile(r"[\x20-\x7e]+")


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
