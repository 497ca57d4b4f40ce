"""An access token with its refresh token, as the token endpoint hands them out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class TokenPair:
    """`expires_at` is a Unix time (None: unknown, e.g. a pair given only as a refresh token);
    the tokens never show in a repr."""

    access_token: str | None = field(repr=False)
    refresh_token: str | None = field(repr=False)
    expires_at: float | None = None

    def expired(self, now: float) -> bool:
        """Known to be past its expiry (an unknown expiry is found out from the API's 403)."""
        return self.expires_at is not None and now >= self.expires_at

    @classmethod
    def from_response(cls, body: Mapping[str, Any], now: float) -> TokenPair:
        """The token endpoint's answer: `expires_in` seconds from `now` gives the expiry.
        ValueError when the answer does not hold a pair."""
        access, refresh = body.get("access_token"), body.get("refresh_token")
        if not isinstance(access, str) or not access:
            raise ValueError("the token endpoint's answer holds no access_token")
        if refresh is not None and not isinstance(refresh, str):
            raise ValueError("the token endpoint's answer holds a refresh_token that is not text")
        expires_in = body.get("expires_in")
        if isinstance(expires_in, bool) or not isinstance(expires_in, int | float | None):
            raise ValueError("the token endpoint's answer has an expires_in that is not a number")
        expires_at = now + float(expires_in) if expires_in is not None else None
        return cls(access, refresh or None, expires_at)

    def to_json(self) -> dict[str, Any]:
        return {
            "access_token": self.access_token,
            "refresh_token": self.refresh_token,
            "expires_at": self.expires_at,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> TokenPair:
        def text(name: str) -> str | None:
            value = data.get(name)
            if value is not None and not isinstance(value, str):
                raise ValueError(f"{name} is not text")
            return value or None

        expires_at = data.get("expires_at")
        if isinstance(expires_at, bool) or not isinstance(expires_at, int | float | None):
            raise ValueError("expires_at is not a number")
        return cls(text("access_token"), text("refresh_token"), expires_at)
