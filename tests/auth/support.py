"""Shared pieces of the auth tests: a sandbox with a registered application, and a test that
plays the browser (and, where needed, the application) over real HTTP."""

from __future__ import annotations

import socket
import sys
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

CLIENT_ID = "TESTCLIENTID0000000000000000000000000000000000000000000000000000"
CLIENT_SECRET = "TESTCLIENTSECRET00000000000000000000000000000000000000000000000"
BROWSER_AGENT = "Mozilla/5.0 (resumesync tests)"
AGENT = "resumesync-tests/1.0 (tests@example.com)"
FAKE_BROWSER = Path(__file__).with_name("fake_browser.py")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def consent(authorize_url: str, decision: str = "allow") -> str:
    """Plays the browser: opens the authorize page, submits the form; the redirect target."""
    with httpx.Client(headers={"User-Agent": BROWSER_AGENT}, timeout=10) as browser:
        page = browser.get(authorize_url)
        assert page.status_code == 200, page.text
        assert "<form" in page.text
        query = {
            name: values[-1] for name, values in parse_qs(urlsplit(authorize_url).query).items()
        }
        base = authorize_url.split("/oauth/authorize")[0]
        answer = browser.post(f"{base}/oauth/authorize", data={**query, "decision": decision})
    assert answer.status_code == 302, answer.text
    return answer.headers["Location"]


def fake_browser_command() -> str:
    """$BROWSER for a `resumesync login` process: a script that consents and follows the
    redirect to the loopback listener."""
    return f"{sys.executable} {FAKE_BROWSER} %s"


def grant_pair(api_url: str, redirect_uri: str) -> dict[str, Any]:
    """A pair for the first account, obtained as an application would (authorize + exchange)."""
    url = (
        f"{api_url}/oauth/authorize?response_type=code&client_id={CLIENT_ID}&state=s1"
        f"&redirect_uri={redirect_uri}"
    )
    location = consent(url)
    code = parse_qs(urlsplit(location).query)["code"][0]
    with httpx.Client(headers={"HH-User-Agent": AGENT}, timeout=10) as app:
        answer = app.post(
            f"{api_url}/token",
            data={
                "grant_type": "authorization_code",
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "code": code,
                "redirect_uri": redirect_uri,
            },
        )
    assert answer.status_code == 200, answer.text
    return answer.json()
