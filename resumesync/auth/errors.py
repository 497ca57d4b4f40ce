"""What goes wrong with tokens, as messages that say what to do (and never hold a token)."""

from __future__ import annotations

from resumesync.client import ClientError

LOGIN_AGAIN = "run `resumesync login` again"


class TokenError(ClientError):
    """A token could not be got, refreshed or kept."""


class LoginRequired(TokenError):
    """The stored pair can no longer be used: only a new login helps (never retried)."""


class TokenStoreError(TokenError):
    """The token store cannot be read, written or locked."""


class OAuthError(TokenError):
    """The token endpoint (or the authorize redirect) answered with an OAuth error."""

    def __init__(self, message: str, error: str = "", description: str = "") -> None:
        super().__init__(message)
        self.error = error
        self.description = description
