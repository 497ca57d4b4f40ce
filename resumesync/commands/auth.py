"""`resumesync login`, `logout` and `auth status`: options in, resumesync.auth calls, messages
out. Tokens are never printed, only where they are stored and when they expire."""

from __future__ import annotations

import contextlib
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from resumesync import __version__
from resumesync.commands.options import account_options

if TYPE_CHECKING:
    from resumesync.commands.console import Console

EMAIL = re.compile(r"^[^\s@()<>]+@[^\s@()<>]+\.[^\s@()<>]+$")


def _settings(console: Console, options: dict[str, Any]) -> Any:
    """The profile's settings (api url, user agent from resumesync.yaml when it has one)."""
    from resumesync import files
    from resumesync.profiles import repository_settings

    directory: Path = options["directory"]
    config = files.load_config(directory) if (directory / "resumesync.yaml").exists() else None
    entry = config.profiles.get(options["profile"]) if config and config.profiles else None
    values = dict(options, read_timeout=options.get("timeout"), token=None)
    env = {key: value for key, value in console.env.items() if key != "HH_TOKEN"}
    return repository_settings(
        directory,
        config,
        env,
        values,
        profile=options["profile"],
        token_env=entry.token_env if entry else "HH_TOKEN",
        api_url=entry.api_url if entry else None,
        user_agent=entry.user_agent if entry else None,
    )


def _store_and_key(console: Console, settings: Any, token_file: Path | None) -> tuple[Any, str]:
    from resumesync.auth.paths import store_path
    from resumesync.auth.store import TokenStore, store_key

    store = TokenStore(settings.token_store or store_path(console.env, token_file))
    return store, store_key(settings.profile, settings.api_url)


@click.command()
@account_options
@click.option(
    "--no-browser",
    is_flag=True,
    help="Print the URL to open and read the redirect URL (or the code) from standard input.",
)
@click.option(
    "--redirect-uri",
    help="Your application's redirect URI (default: $HH_REDIRECT_URI, else "
    "http://127.0.0.1:8765/callback; with --no-browser: the one saved in the application).",
)
@click.pass_obj
def login(console: Console, no_browser: bool, redirect_uri: str | None, **options: Any) -> None:
    """Log in to hh.ru with your own application and store the token pair.

    HH_CLIENT_ID and HH_CLIENT_SECRET name your application (https://dev.hh.ru/admin);
    they are asked for when unset. The pair is refreshed by itself when it expires.
    """
    from resumesync.auth import login as flow
    from resumesync.auth.endpoint import TokenEndpoint, default_token_url
    from resumesync.commands.console import reported_problems

    env = console.env
    with reported_problems(console):
        settings = _settings(console, options)
        store, key = _store_and_key(console, settings, options["token_file"])
        application = flow.Application(
            env.get("HH_CLIENT_ID") or click.prompt("Client ID of your application", err=True),
            env.get("HH_CLIENT_SECRET")
            or click.prompt("Client secret of your application", hide_input=True, err=True),
        )
        agent = _user_agent(console, options, settings)
        endpoint = TokenEndpoint(
            env.get("HH_TOKEN_URL") or default_token_url(settings.api_url),
            agent,
            timeout=settings.read_timeout,
        )
        redirect = redirect_uri or env.get("HH_REDIRECT_URI") or None
        if redirect is None and not no_browser:
            redirect = flow.DEFAULT_REDIRECT_URI
        request = flow.LoginRequest(
            application,
            endpoint,
            oauth_url=env.get("HH_OAUTH_URL") or flow.DEFAULT_OAUTH_URL,
            redirect_uri=redirect,
        )
        if no_browser:
            console.err(
                f"Open this URL in a browser and allow access:\n\n  {request.authorize_url()}\n"
            )
            pasted = click.prompt(
                "Paste the URL the browser was sent to (or the code)", err=True, default=""
            )
            code = flow.code_from_paste(pasted, request.state)
        else:
            code = flow.receive_code(request, _browser(console))
        pair = flow.exchange(request, code)
        account = flow.fetch_account(settings.api_url, pair.access_token or "", agent)
        flow.save_pair(store, key, pair, account)
    shown_id = f" (id {account.id})" if account.id else ""
    console.out(
        f"Logged in as {account.name}{shown_id} on {settings.api_url}, profile "
        f"{settings.profile}.\nThe token pair is stored in {store.path} (mode 0600); the access "
        f"token expires {flow.expiry_text(pair.expires_at)} and is then refreshed by itself."
    )


def _browser(console: Console) -> Any:
    def open_url(url: str) -> None:
        import webbrowser

        console.err(f"Opening the browser. If it does not open, visit:\n\n  {url}\n")
        with contextlib.suppress(webbrowser.Error):  # the URL is printed: the user opens it
            webbrowser.open(url)

    return open_url


def _user_agent(console: Console, options: dict[str, Any], settings: Any) -> str:
    """HH-User-Agent: --user-agent / HH_USER_AGENT when set, else the one stored by an
    earlier login, else asked for once (a contact email, as hh.ru asks) and stored."""
    from resumesync.auth.paths import settings_path, stored_user_agent
    from resumesync.commands.console import Failure
    from resumesync.settings import DEFAULT_USER_AGENT

    given = options.get("user_agent") or console.env.get("HH_USER_AGENT")
    if not given:
        stored = stored_user_agent(console.env)
        if stored:
            return stored
        if settings.user_agent != DEFAULT_USER_AGENT:
            return str(settings.user_agent)  # resumesync.yaml names one
        email = click.prompt(
            "Contact email for the HH-User-Agent header (hh.ru asks every application for one)",
            err=True,
        ).strip()
        if not EMAIL.match(email):
            raise Failure(f"{email!r} does not look like an email address")
        given = f"resumesync/{__version__} ({email})"
    _store_user_agent(settings_path(console.env), given)
    return given


def _store_user_agent(path: Path, agent: str) -> None:
    from resumesync.auth.errors import TokenStoreError
    from resumesync.auth.paths import load_user_settings
    from resumesync.safefs import UnsafePathError, atomic_write

    data = load_user_settings({"RESUMESYNC_CONFIG_DIR": str(path.parent)})
    data["user_agent"] = agent
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        atomic_write(path, json.dumps(data, indent=1) + "\n", mode=0o600)
    except (OSError, UnsafePathError) as error:
        raise TokenStoreError(f"{path}: cannot save the user agent: {error}") from None


@click.command()
@account_options
@click.pass_obj
def logout(console: Console, **options: Any) -> None:
    """Revoke the stored token on hh.ru (DELETE /oauth/token) and forget the pair."""
    from resumesync.client import AuthError, ClientError, TransportError
    from resumesync.commands.console import reported_problems

    with reported_problems(console):
        settings = _settings(console, options)
        store, key = _store_and_key(console, settings, options["token_file"])
        if store.load(key) is None:
            console.out(f"No token is stored for {key} in {store.path}: nothing to do.")
            return
        try:
            _call(settings, "DELETE", "/oauth/token")
            note = "revoked it on hh.ru"
        except TransportError:
            raise
        except (AuthError, ClientError) as error:
            note = f"hh.ru did not take the revocation ({error}); it is unusable there anyway"
        with store.locked():
            store.forget(key)
    console.out(
        f"Logged out of {settings.api_url}, profile {settings.profile}: {note}, and "
        f"forgot the pair in {store.path}."
    )


@click.group(name="auth")
def auth_group() -> None:
    """The stored hh.ru token: which account, when it expires, where it is."""


@auth_group.command()
@account_options
@click.option(
    "--offline",
    is_flag=True,
    help="Only read the store (no GET /me, no refresh); exit 2 when the stored access token "
    "has expired, so that a job which may not refresh can tell.",
)
@click.pass_obj
def status(console: Console, offline: bool, **options: Any) -> None:
    """Which account the token opens (GET /me), when it expires, where it is stored."""
    import time

    from resumesync.auth.login import expiry_text
    from resumesync.commands.console import ExitCode, Failure, reported_problems

    with reported_problems(console):
        settings = _settings(console, options)
        store, key = _store_and_key(console, settings, options["token_file"])
        lines = [f"Profile:  {settings.profile}", f"API:      {settings.api_url}"]
        if console.env.get("HH_TOKEN"):
            lines.append("Token:    HH_TOKEN from the environment (it wins over the store)")
        stored = store.load(key)
        if stored is None:
            lines.append(f"Store:    {store.path}: no pair for {key}")
            if not settings.refresh_token:
                console.out("\n".join(lines))
                raise Failure("Not logged in: run `resumesync login`.")
            lines.append(
                f"Token:    {settings.refresh_env} from the environment (refreshed on use)"
            )
        else:
            lines.append(f"Store:    {store.path} ({key})")
            lines.append(f"Expires:  {expiry_text(stored.pair.expires_at)}")
        if offline:
            console.out("\n".join(lines))
            if stored is not None and stored.pair.expired(time.time()):
                raise SystemExit(ExitCode.CHANGES)
            return
        me = _call(settings, "GET", "/me") or {}
        names = [me.get("first_name"), me.get("last_name")]
        name = " ".join(str(part) for part in names if part) or "(no name)"
        lines.append(f"Account:  {name} (id {me.get('id')})")
        after = store.load(key)
        if after is not None and stored is not None and after.pair != stored.pair:
            lines.append(f"Refreshed: the new pair expires {expiry_text(after.pair.expires_at)}")
    console.out("\n".join(lines))


def _call(settings: Any, method: str, path: str) -> Any:
    """One API call with the stored pair (refreshed by the usual rules)."""
    import asyncio  # here, not at the top: `resumesync --help` must not pay for asyncio

    from resumesync import pipeline
    from resumesync.client import HHClient

    settings = settings.with_overrides(retries=1)

    async def run() -> Any:
        async with HHClient(pipeline.client_settings(settings)) as client:
            return await client.request(method, path)

    return asyncio.run(run())


@auth_group.command()
@click.option(
    "--token-file",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the store.",
)
@click.option(
    "--from-env",
    "variable",
    default="HH_TOKEN_STORE",
    show_default=True,
    help="The environment variable that holds the store (a CI secret).",
)
@click.pass_obj
def restore(console: Console, token_file: Path, variable: str) -> None:
    """Write a token store kept in a CI secret to a file (mode 0600), checking that it is one.

    The secret is read from the environment, never from the command line, and not printed.
    """
    from resumesync.auth.store import restore_store
    from resumesync.commands.console import Failure, reported_problems

    text = console.env.get(variable, "")
    if not text.strip():
        raise Failure(f"{variable} is empty: nothing to restore")
    with reported_problems(console):
        count = restore_store(token_file, text, variable)
    console.err(f"Restored {count} token pair(s) from {variable} to {token_file}.")
