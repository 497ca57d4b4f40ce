"""Run settings: token, API URL, user agent and limits, from options and the environment.

Precedence, highest first: command-line option, environment variable, `resumesync.yaml`, default.
An empty environment variable counts as unset.

Trust (repository files are untrusted, see hosts.py and credentials.py): an API URL taken from
`resumesync.yaml` must pass `hosts.repository_url_problem` (https on an hh.ru API host, or
loopback), and a profile's `token_env` must pass `credentials.token_env_problem`. The operator's
`--api-url` / `HH_API_URL` may name any server.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from resumesync import __version__
from resumesync.credentials import RunTokens, Secrets, token_env_problem
from resumesync.hosts import repository_url_problem
from resumesync.problems import Problem, ProblemsError

DEFAULT_API_URL = "https://api.hh.ru"
DEFAULT_USER_AGENT = f"resumesync/{__version__} (+https://github.com/resumesync/resumesync)"
DEFAULT_PARALLELISM = 8
DEFAULT_MAX_RPS = 10.0  # hh.ru limits requests per IP, about 10 a second by its maintainers' word


@dataclass(frozen=True)
class Settings:
    directory: Path
    token: str | None = None
    api_url: str = DEFAULT_API_URL
    user_agent: str = DEFAULT_USER_AGENT
    parallelism: int = DEFAULT_PARALLELISM
    max_rps: float = DEFAULT_MAX_RPS
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    retries: int = 5
    backoff_base: float = 0.5  # the longest wait before the first retry; doubles per retry
    token_env: str = "HH_TOKEN"  # where the token comes from, for messages
    # The API as plan files name it, when not api_url: "sandbox" under --sandbox, whose port
    # changes from run to run (a saved plan must still apply to the same sandbox account).
    api_name: str | None = None
    # Without a token: the pair `resumesync login` stored (resumesync.auth), refreshed when it
    # expires, or a refresh token from the environment (refresh_env names its variable).
    profile: str = "default"
    token_store: Path | None = None
    refresh_token: str | None = None
    refresh_env: str = "HH_REFRESH_TOKEN"
    token_url: str | None = None  # default: {api_url}/token
    may_refresh: bool = True  # RESUMESYNC_NO_REFRESH: plans in pull requests keep the pair as is
    # Every credential value of the environment (and the token), and every token of the token
    # store and of a refresh during the run (secrets.run): never printed, saved or sent.
    secrets: Secrets = field(default_factory=Secrets, repr=False)

    def __repr__(self) -> str:
        # The token must never reach a log or a traceback.
        token = "set" if self.token else "unset"
        return f"Settings(directory={self.directory!s}, api_url={self.api_url}, token={token})"

    def with_overrides(self, **changes: object) -> Settings:
        return replace(self, **{key: value for key, value in changes.items() if value is not None})


def resolve_settings(
    directory: Path,
    env: Mapping[str, str],
    *,
    token: str | None = None,
    api_url: str | None = None,
    user_agent: str | None = None,
    parallelism: int | None = None,
    max_rps: float | None = None,
    connect_timeout: float | None = None,
    read_timeout: float | None = None,
    retries: int | None = None,
    backoff_base: float | None = None,
    config_api_url: str | None = None,
    config_user_agent: str | None = None,
    token_env: str = "HH_TOKEN",
    profile: str = "default",
    token_file: str | Path | None = None,
) -> Settings:
    """Settings for one account: options win over the environment, which wins over the config.

    Raises ProblemsError for a `config_api_url` or `token_env` that repository files may not
    name (files/config.py reports the same at their lines; this is the last check before use).
    """
    problems = []
    why = token_env_problem(token_env)
    if why:
        problems.append(Problem(why))
    operator_url = api_url or _set(env, "HH_API_URL")
    if not operator_url and config_api_url:
        why = repository_url_problem(config_api_url)
        if why:
            problems.append(Problem(f"api_url {config_api_url}: {why}"))
    if problems:
        raise ProblemsError(problems)
    token_source = "--token" if token else token_env
    base = Settings(directory=directory)
    token = token or env.get(token_env) or None
    stored: dict[str, object] = {}
    if not token:  # HH_TOKEN wins; only without it does the token store matter
        from resumesync.auth.paths import store_path

        refresh_env = refresh_variable(token_env)
        stored = {
            "token_store": store_path(env, token_file),
            "refresh_token": env.get(refresh_env) or None,
            "refresh_env": refresh_env,
            "token_url": env.get("HH_TOKEN_URL") or None,
            "may_refresh": not env.get("RESUMESYNC_NO_REFRESH"),
        }
    if not (user_agent or env.get("HH_USER_AGENT") or config_user_agent):
        from resumesync.auth.paths import stored_user_agent

        config_user_agent = stored_user_agent(env)  # the one `resumesync login` asked for
    return base.with_overrides(
        token=token,
        profile=profile,
        **stored,
        api_url=(operator_url or config_api_url or DEFAULT_API_URL).rstrip("/"),
        user_agent=user_agent or env.get("HH_USER_AGENT") or config_user_agent,
        parallelism=parallelism,
        max_rps=max_rps,
        connect_timeout=connect_timeout,
        read_timeout=read_timeout,
        retries=retries,
        backoff_base=backoff_base,
        token_env=token_env,
        secrets=Secrets.of(
            env,
            [(token_source, token)],
            extra=[token_env],
            run=RunTokens(load=_stored_tokens(env, token_file)),
        ),
    )


def _stored_tokens(
    env: Mapping[str, str], token_file: str | Path | None
) -> Callable[[], list[tuple[str, str]]]:
    """Reads, when a check first needs them, the tokens of the store this run would use (also
    when HH_TOKEN wins: the store's tokens are the user's credentials all the same)."""
    where = ("HH_TOKEN_FILE", "RESUMESYNC_CONFIG_DIR")  # what store_path reads of env
    chosen = {name: env[name] for name in where if env.get(name)}

    def load() -> list[tuple[str, str]]:
        from resumesync.auth.paths import store_path
        from resumesync.auth.store import token_values

        return token_values(store_path(chosen, token_file))

    return load


def _set(env: Mapping[str, str], name: str) -> str | None:
    """The variable's value, None when it is unset, empty or only blanks."""
    value = env.get(name)
    return value.strip() or None if value else None


def refresh_variable(token_env: str) -> str:
    """HH_TOKEN -> HH_REFRESH_TOKEN, HH_TOKEN_BORIS -> HH_REFRESH_TOKEN_BORIS."""
    if token_env.startswith("HH_TOKEN"):
        return "HH_REFRESH_TOKEN" + token_env.removeprefix("HH_TOKEN")
    return f"{token_env}_REFRESH"
