"""What the plan-making commands print besides errors: a plan in the chosen format (refused
when it holds a credential) and what was retried."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from resumesync.commands.accounts import Target
from resumesync.commands.console import Console


def render(
    plan: Any, output_format: str, console: Console, show_sensitive: bool, target: Target
) -> str:
    """The plan in `output_format`; SecretLeakError if the text holds a credential."""
    if output_format == "json":  # personal data hidden, as in text and markdown
        from resumesync.render.redact import dump_printed_plan
        from resumesync.textsafe import json_text

        text = json_text(dump_printed_plan(plan, show_sensitive=show_sensitive))
    elif output_format == "markdown":
        from resumesync.render.markdown import render_markdown

        text = render_markdown(plan, show_sensitive=show_sensitive)
    else:
        from resumesync.render.text import render_text

        text = render_text(plan, color=console.color, show_sensitive=show_sensitive)
    target.settings.secrets.check(text, "the plan output")
    return text


@dataclass
class RetryLog:
    """Says on stderr what was retried, so a slow run explains itself."""

    console: Console

    def __call__(self, event: Any) -> None:
        self.console.err(f"retrying: {event}")


def retry_summary(events: list[Any]) -> str:
    """`7 retries: HTTP 503 x4, HTTP 429 x3` (each was also a "retrying:" line)."""
    reasons = Counter(event.reason for event in events)
    detail = ", ".join(f"{reason} x{times}" for reason, times in reasons.most_common())
    return f"{len(events)} {'retry' if len(events) == 1 else 'retries'}: {detail}"
