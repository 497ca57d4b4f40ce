"""The token store: one JSON file holding a pair per API and profile, mode 0600.

    {"format_version": 1,
     "pairs": {"default@https://api.hh.ru": {"access_token": "...", "refresh_token": "...",
                                             "expires_at": 1767225600.0, "account_id": "..."}}}

Every write goes to a new file that is renamed into place, so a reader never sees half a
store. `locked()` takes an exclusive lock (a `.lock` file next to the store, via filelock)
for a whole read-refresh-save: two processes never spend the same refresh token, the second
waits and then reads the pair the first saved.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from resumesync.auth.errors import TokenStoreError
from resumesync.auth.pair import TokenPair
from resumesync.safefs import UnsafePathError, atomic_write, check_writable

FORMAT_VERSION = 1
LOCK_TIMEOUT = 120.0  # seconds: a refresh is one request; longer means a stuck process
MAX_STORE_BYTES = 1024 * 1024


def store_key(profile: str, api_url: str) -> str:
    return f"{profile}@{api_url.rstrip('/')}"


@dataclass(frozen=True)
class StoredPair:
    pair: TokenPair
    account_id: str | None = None


class TokenStore:
    def __init__(self, path: Path, *, lock_timeout: float = LOCK_TIMEOUT) -> None:
        self.path = Path(path)
        self.lock_timeout = lock_timeout

    def __repr__(self) -> str:
        return f"TokenStore({self.path})"

    @property
    def lock_path(self) -> Path:
        return self.path.with_name(self.path.name + ".lock")

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Holds the store's lock (waiting for another process that holds it)."""
        import filelock  # only where a store is used

        self._make_directory()
        lock = filelock.FileLock(self.lock_path, timeout=self.lock_timeout, mode=0o600)
        try:
            lock.acquire()
        except filelock.Timeout:
            raise TokenStoreError(
                f"{self.path}: another resumesync process has held the token store's lock "
                f"for {self.lock_timeout:g} s; if none is running, delete {self.lock_path}"
            ) from None
        except OSError as error:
            raise TokenStoreError(
                f"{self.lock_path}: cannot lock the token store: {error}"
            ) from None
        try:
            yield
        finally:
            lock.release()

    def load(self, key: str) -> StoredPair | None:
        entry = self._read().get(key)
        if entry is None:
            return None
        try:
            account = entry.get("account_id")
            return StoredPair(TokenPair.from_json(entry), str(account) if account else None)
        except (ValueError, AttributeError) as error:
            raise TokenStoreError(f"{self.path}: the pair {key!r} is damaged ({error})") from None

    def keys(self) -> list[str]:
        return list(self._read())

    def save(self, key: str, stored: StoredPair) -> None:
        """Replaces the pair of `key` (call under `locked()` when refreshing)."""
        pairs = self._read()
        entry: dict[str, Any] = stored.pair.to_json()
        if stored.account_id:
            entry["account_id"] = stored.account_id
        pairs[key] = entry
        self._write(pairs)

    def check_writable(self) -> None:
        """Refuses, before a refresh spends the refresh token, a store that could not take the
        new pair (a symlink, a directory in its place)."""
        try:
            check_writable(self.path)
        except UnsafePathError as error:
            raise TokenStoreError(f"{self.path}: cannot write the token store: {error}") from None

    def forget(self, key: str) -> bool:
        pairs = self._read()
        if pairs.pop(key, None) is None:
            return False
        self._write(pairs)
        return True

    # --- the file ---------------------------------------------------------------------------

    def _read(self) -> dict[str, dict[str, Any]]:
        try:
            with open(self.path, "rb") as stream:
                raw = stream.read(MAX_STORE_BYTES + 1)
        except FileNotFoundError:
            return {}
        except OSError as error:
            raise TokenStoreError(f"{self.path}: cannot read the token store: {error}") from None
        if len(raw) > MAX_STORE_BYTES:
            raise TokenStoreError(f"{self.path}: too large for a token store")
        if not raw.strip():
            return {}  # an empty file (a CI secret not set yet) holds no pair
        pairs = store_pairs(raw)
        if pairs is None:
            raise TokenStoreError(
                f"{self.path}: not a resumesync token store (not JSON); "
                "`resumesync login` writes one"
            )
        if isinstance(pairs, str):
            raise TokenStoreError(f"{self.path}: not a resumesync token store ({pairs})")
        return pairs

    def _write(self, pairs: dict[str, dict[str, Any]]) -> None:
        text = json.dumps({"format_version": FORMAT_VERSION, "pairs": pairs}, indent=1) + "\n"
        self._make_directory()
        try:
            atomic_write(self.path, text, mode=0o600)  # never through a symlink
        except (OSError, UnsafePathError) as error:
            raise TokenStoreError(f"{self.path}: cannot write the token store: {error}") from None

    def _make_directory(self) -> None:
        try:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as error:
            raise TokenStoreError(f"{self.path.parent}: cannot create it: {error}") from None


def store_pairs(text: str | bytes) -> dict[str, dict[str, Any]] | str | None:
    """The pairs of a store's text; None when it is not JSON, or what else is wrong with it
    (the caller names the file or the variable it came from)."""
    try:
        data = json.loads(text)
    except ValueError:  # UnicodeDecodeError included
        return None
    pairs = data.get("pairs") if isinstance(data, dict) else None
    if not isinstance(pairs, dict) or not all(isinstance(v, dict) for v in pairs.values()):
        return 'no "pairs"'
    return pairs


def token_values(path: Path) -> list[tuple[str, str]]:
    """(name, value) of every token the store at `path` holds, for the secret guard
    (credentials.RunTokens); [] when there is no readable store (using it says why)."""
    from resumesync.credentials import pair_tokens

    try:
        pairs = TokenStore(path)._read()
    except TokenStoreError:
        return []
    return pair_tokens(pairs, f"the token store {path}")


def restore_store(path: Path, text: str, source: str) -> int:
    """Writes a store kept elsewhere (a CI secret named `source`) to `path`, mode 0600, after
    checking that it is one; returns how many pairs it holds."""
    pairs = store_pairs(text)
    if pairs is None:
        raise TokenStoreError(
            f"{source} is not a resumesync token store (not JSON): set it to the file that "
            "`resumesync login --token-file FILE` wrote"
        )
    if isinstance(pairs, str):
        raise TokenStoreError(f"{source} is not a resumesync token store ({pairs})")
    store = TokenStore(path)
    store._make_directory()
    try:
        atomic_write(store.path, text, mode=0o600)
    except (OSError, UnsafePathError) as error:
        raise TokenStoreError(f"{path}: cannot write the token store: {error}") from None
    return len(pairs)
