"""The plan for a terminal, in the spirit of `terraform plan`.

```
API: api.hh.ru

~ resume backend (7f3c…)
    + blacklist 1455 (HeadHunter)
    ~ title: "Python developer" -> "Senior Python developer"
    publish (renew)

Plan: 1 resume to update, 1 to publish, 1 employer to add, 0 to remove.
```

The first line names the server the plan read.

Every employer is listed, one per line. Colour only when the caller says so (the CLI: a TTY
and no NO_COLOR).
"""

from __future__ import annotations

from resumesync.model import Plan
from resumesync.render.common import (
    api_label,
    change_lines,
    notice_lines,
    sections,
    summary_line,
)
from resumesync.textsafe import printable

_GREEN, _RED, _YELLOW, _BOLD, _RESET = "\x1b[32m", "\x1b[31m", "\x1b[33m", "\x1b[1m", "\x1b[0m"
_INDENT = "    "


def render_text(plan: Plan, *, color: bool = False, show_sensitive: bool = False) -> str:
    """The whole plan as text, ending with the summary line and a newline."""
    out: list[str] = [f"API: {api_label(plan)}", ""] if plan.api_url else []
    resume_sections, loose = sections(plan)
    # Server text (titles, employer names) is in these lines: printable() leaves no control
    # character or escape sequence in them, before our own colours are added.
    for section in resume_sections:
        header = printable(section.header)
        out.append(_paint(header, _BOLD if not section.changes else _YELLOW, color))
        for change in section.changes:
            for line in change_lines(plan, change, show_sensitive=show_sensitive):
                out.append(_INDENT + _colored(printable(line), color))
        for notice in section.notices:
            out.extend(_INDENT + printable(line) for line in notice_lines(plan, notice))
        out.append("")
    if loose:
        out.append("Notices:")
        for notice in loose:
            out.extend(_INDENT + printable(line) for line in notice_lines(plan, notice))
        out.append("")
    out.append(_paint(summary_line(plan), _BOLD, color))
    return "\n".join(out) + "\n"


def _colored(line: str, color: bool) -> str:
    if not color:
        return line
    stripped = line.lstrip()
    code = {"+": _GREEN, "-": _RED, "~": _YELLOW}.get(stripped[:1])
    return _paint(line, code, color) if code else line


def _paint(text: str, code: str | None, color: bool) -> str:
    return f"{code}{text}{_RESET}" if color and code else text
