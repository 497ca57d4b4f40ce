"""Which environment variables hold credentials, and the guard that keeps their values out of
everything resumesync prints, saves or sends.

- A variable holds a credential when its name starts with `HH_TOKEN` (`HH_TOKEN` itself and
  every profile's `token_env`, which must start so) or is one of the OAuth secrets. A
  repository file may not read one through `${VAR}` (files.py), nor name another variable as
  a profile's token (`token_env_problem`).
- Second line of defence, for a value that got in anyway (pasted into a file, echoed by a
  server): `Secrets.find` says which credential a text or JSON value contains, and the plan,
  its renderings, the plan file and every request body are checked with it before they leave.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from resumesync.problems import Problem, ProblemsError

TOKEN_PREFIX = "HH_TOKEN"
# OAuth secrets: the application's secret, and refresh tokens (HH_REFRESH_TOKEN, and
# HH_REFRESH_TOKEN_BORIS for the profile whose token_env is HH_TOKEN_BORIS).
OAUTH_SECRETS: tuple[str, ...] = ("HH_CLIENT_SECRET",)
REFRESH_PREFIX = "HH_REFRESH_TOKEN"
# HH_TOKEN* variables that hold no secret (a path, a URL): a file still may not read them,
# but their values are not looked for in output.
NOT_SECRET_VALUES: tuple[str, ...] = ("HH_TOKEN_FILE", "HH_TOKEN_URL")
# Shorter values are not real credentials (hh.ru tokens are 64 characters and more); looking
# for a two-letter test token would refuse every plan that happens to contain those letters.
MIN_SECRET_LENGTH = 8


def is_credential(name: str, extra: Iterable[str] = ()) -> bool:
    """Whether the environment variable `name` holds a credential."""
    return (
        name.startswith((TOKEN_PREFIX, REFRESH_PREFIX))
        or name in OAUTH_SECRETS
        or name in set(extra)
    )


def interpolation_problem(name: str, extra: Iterable[str] = ()) -> str | None:
    """Why `${name}` may not appear in a repository file; None when it may."""
    if not is_credential(name, extra):
        return None
    return (
        f"${{{name}}} would copy a credential into the resume (and into the plan and its "
        "pull-request comment): a file may not read token or OAuth secret variables"
    )


def token_env_problem(name: str) -> str | None:
    """Why a profile may not take its token from the variable `name`; None when it may."""
    if name.startswith(TOKEN_PREFIX):
        return None
    return (
        f"token_env must name a variable starting with {TOKEN_PREFIX} (such as "
        f"{TOKEN_PREFIX}_WORK), not {name}: a repository file may not choose which other "
        "secret is sent as the token"
    )


@dataclass(frozen=True)
class Secrets:
    """Credential values that must never leave in output, a plan file or a request body."""

    named: tuple[tuple[str, str], ...] = field(default=(), repr=False)  # (variable, value)

    def __repr__(self) -> str:
        return f"Secrets({len(self.named)} values)"

    @classmethod
    def of(
        cls,
        env: Mapping[str, str],
        tokens: Iterable[tuple[str, str | None]] = (),
        extra: Iterable[str] = (),
    ) -> Secrets:
        """Every credential of `env`, plus `tokens` ((name, value) pairs, e.g. a --token)."""
        extra = tuple(extra)
        pairs = [(name, value) for name, value in tokens if value]
        pairs += [
            (name, value)
            for name, value in env.items()
            if is_credential(name, extra) and name not in NOT_SECRET_VALUES
        ]
        seen: dict[str, str] = {}
        for name, value in pairs:
            if not isinstance(value, str):
                continue
            value = value.strip()
            if len(value) >= MIN_SECRET_LENGTH and value not in seen:
                seen[value] = name
        return cls(tuple((name, value) for value, name in seen.items()))

    def __add__(self, other: Secrets) -> Secrets:
        values = {value: name for name, value in (*other.named, *self.named)}
        return Secrets(tuple((name, value) for value, name in values.items()))

    def find(self, value: Any) -> str | None:
        """The name of a credential whose value occurs in `value` (text, or JSON data: its
        strings, keys included, and its JSON text), None when none does."""
        if not self.named:
            return None
        texts = [value] if isinstance(value, str) else list(_strings(value))
        if not isinstance(value, str):
            texts.append(json.dumps(value, ensure_ascii=True, default=str))
        for name, secret in self.named:
            forms = {secret, json.dumps(secret)[1:-1]}
            if any(form in text for text in texts for form in forms):
                return name
        return None

    def check(self, value: Any, what: str) -> None:
        """Raise SecretLeakError when `value` contains a credential; `what` names it."""
        name = self.find(value)
        if name is not None:
            raise SecretLeakError(
                [Problem(f"{what} contains the value of {name}: refusing to let it out")]
            )


class SecretLeakError(ProblemsError):
    """Output, a plan file or a request would contain a credential: nothing left."""


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)
