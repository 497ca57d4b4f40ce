"""Where the token may go: hh.ru's API hosts, and the rule for URLs named in repository files.

Repository content is untrusted (a pull request can change any file, and CI runs `plan` with
the token in its environment), so a URL that a file names may only be https on one of hh.ru's
own hosts, or loopback (the sandbox). Any other server must come from the operator:
`--api-url` or a non-empty `HH_API_URL`. `repository_url_problem` is that rule, for the API
base URL and for any OAuth endpoint a file could name.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

# The hosts that hh.ru's OpenAPI specification (openapi.yml, December 2025) names in its
# `servers`: the API itself, and hh.ru for `POST /oauth/token`. The sister sites (rabota.by,
# hh.kz, headhunter.ge, ...) have no API host of their own: "requests for the data of every
# site go to https://api.hh.ru/", with `?host=` naming the site (the spec, "Выбор сайта").
HH_API_HOSTS: tuple[str, ...] = ("api.hh.ru", "hh.ru")

LOOPBACK_NAMES: tuple[str, ...] = ("localhost",)
NOT_HH = f"not https on an hh.ru API host ({', '.join(HH_API_HOSTS)}) nor loopback"


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 or `localhost`: a server on this machine."""
    host = host.lower().rstrip(".")
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def hh_url_problem(url: str) -> str | None:
    """Why `url` is not https on an hh.ru API host nor loopback; None when it is one of them.

    The one rule for where credentials may go when the operator did not name the server:
    the API URL of repository files, and OAuth token endpoints (resumesync.auth)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port  # raises for a port that is not a number or above 65535
    except ValueError:
        return "not a valid URL"
    if parts.scheme not in ("http", "https") or not host:
        return "not an http(s) URL"
    if parts.username is not None or parts.password is not None:
        return "a URL with a user name or password"
    if is_loopback(host):
        return None
    if parts.scheme == "https" and host in HH_API_HOSTS and port in (None, 443):
        return None
    return NOT_HH


def repository_url_problem(url: str) -> str | None:
    """Why `url`, read from a repository file, may not receive the token; None when it may."""
    why = hh_url_problem(url)
    if why is None:
        return None
    detail = "" if why == NOT_HH else f" ({why})"
    return (
        "a URL in a repository file may only be https on an hh.ru API host "
        f"({', '.join(HH_API_HOSTS)}) or a loopback address (the sandbox){detail}; "
        "to use another server, pass --api-url or set HH_API_URL"
    )


def api_host(url: str) -> str:
    """The host (and port) of an API base URL, for naming it in a plan; the name itself when
    it is not a URL ("sandbox")."""
    try:
        netloc = urlsplit(url).netloc
    except ValueError:
        netloc = ""
    return netloc.rpartition("@")[2] or url
