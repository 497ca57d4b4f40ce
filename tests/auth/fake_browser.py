"""A stand-in for a browser, run by `resumesync login` through $BROWSER: opens the authorize
page, submits its form (FAKE_BROWSER_DECISION: allow, the default, or deny) and follows the
redirect to the loopback listener, as a person clicking "Allow" would."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.auth.support import BROWSER_AGENT, consent


def main() -> None:
    location = consent(sys.argv[1], os.environ.get("FAKE_BROWSER_DECISION", "allow"))
    with httpx.Client(headers={"User-Agent": BROWSER_AGENT}, timeout=10) as browser:
        browser.get(location)


if __name__ == "__main__":
    main()
