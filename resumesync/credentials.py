"""Which environment variables hold credentials, and the guard that keeps their values out of
everything resumesync prints, saves or sends.

- A variable holds a credential when its name starts with `HH_TOKEN` (`HH_TOKEN` itself and
  every profile's `token_env`, which must start so) or is one of the OAuth secrets. A
  repository file may not read one through `${VAR}` (files/run.py), nor name another variable as
  a profile's token (`token_env_problem`).
- Second line of defence, for a value that got in anyway (pasted into a file, echoed by a
  server): `Secrets.find` says which credential a text or JSON value contains, and the plan,
  its renderings, the plan file and every request body are checked with it before they leave.
- Tokens that are not in the environment count the same: the pairs of the token store (the
  one `login` wrote, `--token-file` / HH_TOKEN_FILE), of a store kept in a variable
  (HH_TOKEN_STORE holds its JSON), and every pair the token provider obtains during the run (a
  refresh). `RunTokens` holds them; each account's Secrets shares one with its provider.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
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


class RunTokens:
    """Token values that no environment variable holds: the pairs of a token store (read
    when first looked for: a run that checks nothing reads no store) and the pairs a token
    provider obtains while the run goes (it adds them as it gets them). Thread-safe: the
    provider adds from worker threads."""

    def __init__(self, load: Callable[[], Iterable[tuple[str, str]]] | None = None) -> None:
        self._load = load
        self._lock = threading.Lock()
        self._named: dict[str, str] = {}  # value -> name

    def __repr__(self) -> str:
        return f"RunTokens({len(self._named)} values)"

    def add(self, name: str, value: str | None) -> None:
        if not isinstance(value, str) or len(value.strip()) < MIN_SECRET_LENGTH:
            return
        with self._lock:
            self._named.setdefault(value.strip(), name)

    def named(self) -> tuple[tuple[str, str], ...]:
        """(name, value) of every token known so far, the store's included."""
        with self._lock:
            load, self._load = self._load, None
            if load is not None:  # under the lock: no check may run before the store is read
                for name, value in load():
                    if isinstance(value, str) and len(value.strip()) >= MIN_SECRET_LENGTH:
                        self._named.setdefault(value.strip(), name)
            return tuple((name, value) for value, name in self._named.items())


@dataclass(frozen=True)
class Secrets:
    """Credential values that must never leave in output, a plan file or a request body."""

    named: tuple[tuple[str, str], ...] = field(default=(), repr=False)  # (variable, value)
    # Tokens learned from a store or a refresh; not part of equality (Settings are dict keys).
    run: RunTokens | None = field(default=None, repr=False, compare=False)

    def __repr__(self) -> str:
        learned = " and the run's tokens" if self.run is not None else ""  # repr reads no store
        return f"Secrets({len(self.named)} values{learned})"

    def all_named(self) -> tuple[tuple[str, str], ...]:
        return self.named + (self.run.named() if self.run is not None else ())

    @classmethod
    def of(
        cls,
        env: Mapping[str, str],
        tokens: Iterable[tuple[str, str | None]] = (),
        extra: Iterable[str] = (),
        run: RunTokens | None = None,
    ) -> Secrets:
        """Every credential of `env` (and the tokens of a token store kept in one, such as
        HH_TOKEN_STORE), plus `tokens` ((name, value) pairs, e.g. a --token); `run` adds the
        tokens learned later (see RunTokens)."""
        extra = tuple(extra)
        pairs = [(name, value) for name, value in tokens if value]
        for name, value in env.items():
            if is_credential(name, extra) and name not in NOT_SECRET_VALUES:
                pairs.append((name, value))
                pairs += store_tokens(value, f"the token store in {name}")
        seen: dict[str, str] = {}
        for name, value in pairs:
            if not isinstance(value, str):
                continue
            value = value.strip()
            if len(value) >= MIN_SECRET_LENGTH and value not in seen:
                seen[value] = name
        return cls(tuple((name, value) for value, name in seen.items()), run)

    def find(self, value: Any) -> str | None:
        """The name of a credential whose value occurs in `value` (text, or JSON data: its
        strings, keys included, and its JSON text), None when none does."""
        named = self.all_named()
        if not named:
            return None
        texts = [value] if isinstance(value, str) else list(_strings(value))
        if not isinstance(value, str):
            texts.append(json.dumps(value, ensure_ascii=True, default=str))
        for name, secret in named:
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


def store_tokens(text: str, where: str) -> list[tuple[str, str]]:
    """(name, value) of every token in `text` when it is a token store's JSON (what
    `resumesync login --token-file` writes: {"pairs": {key: {"access_token": ...}}}); [] for
    any other text. Pure: the caller reads the file."""
    if not isinstance(text, str) or not text.lstrip().startswith("{"):
        return []
    try:
        data = json.loads(text)
    except ValueError:
        return []
    pairs = data.get("pairs") if isinstance(data, dict) else None
    return pair_tokens(pairs, where) if isinstance(pairs, Mapping) else []


def pair_tokens(pairs: Mapping[str, Any], where: str) -> list[tuple[str, str]]:
    """(name, value) of the tokens of a token store's "pairs"."""
    found = []
    for entry in pairs.values():
        if not isinstance(entry, dict):
            continue
        for kind in ("access_token", "refresh_token"):
            value = entry.get(kind)
            if isinstance(value, str):
                found.append((f"the {kind.replace('_', ' ')} in {where}", value))
    return found


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
