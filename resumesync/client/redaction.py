"""Keeping the token out of every message: each form an exception could print it in is
replaced by "(token)" (defence in depth, should a server or a library echo it)."""

from __future__ import annotations

import json as jsonlib
from collections.abc import Sequence
from urllib.parse import quote

from resumesync.client.errors import ApiError


def token_forms(token: str) -> list[str]:
    """The token as exceptions may print it: plain, repr-escaped, JSON-escaped, URL-encoded."""
    forms = {
        token,
        repr(token)[1:-1],
        jsonlib.dumps(token)[1:-1],
        jsonlib.dumps(token, ensure_ascii=False)[1:-1],
        quote(token, safe=""),
        repr(token.encode("utf-8", "backslashreplace"))[2:-1],
    }
    return sorted((form for form in forms if form), key=len, reverse=True)


def redact(text: str, tokens: Sequence[str]) -> str:
    """Every token replaced in every form an exception could show it: as is, escaped as
    in a repr or in JSON, and URL-encoded."""
    for token in tokens:
        for form in token_forms(token):
            text = text.replace(form, "(token)")
    return text


def redacted(error: ApiError, tokens: Sequence[str]) -> ApiError:
    """Should a server echo the token, it still never reaches a message."""
    if redact(str(error), tokens) != str(error):
        error.args = (redact(str(error), tokens),)
        error.description = redact(error.description, tokens)
        error.errors = [
            jsonlib.loads(redact(jsonlib.dumps(item, ensure_ascii=False), tokens))
            for item in error.errors
        ]
    return error
