"""The plan as GitHub markdown, for pull-request comments and `$GITHUB_STEP_SUMMARY`.

Changes sit in ```` ```diff ```` blocks (GitHub colours `+` and `-` lines); runs of more than
ten employers fold into `<details>`; a change that widens visibility is marked with ⚠️. GitHub
refuses comments over 65,536 characters, so a long plan is shortened (long lists first, then
whole resume sections from the end) and the text says what was cut.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from resumesync.model import Action, Change, Notice, Plan, is_pending
from resumesync.render.common import (
    SANDBOX_API,
    WIDENS,
    ResumeSection,
    api_label,
    change_lines,
    employer_label,
    sections,
    short_id,
    summary_line,
    totals,
)
from resumesync.textsafe import code_block_line, markdown_text, printable

GITHUB_LIMIT = 65_536
FOLD_OVER = 10  # employers; longer runs fold into <details>
LIST_CAPS = (2000, 1000, 500, 200, 100, 50, 20, 10)  # employers per run, to shorten a plan
_NOTE_ROOM = 2_000  # characters kept free for the "what was cut" note
_WARN = "⚠️"


@dataclass
class _Cuts:
    cap: int | None = None
    employers: int = 0
    sections: list[str] = field(default_factory=list)


def render_markdown(
    plan: Plan, *, show_sensitive: bool = False, max_chars: int = GITHUB_LIMIT
) -> str:
    """The plan as markdown of at most `max_chars` characters."""
    head = _head(plan)
    resume_sections, loose = sections(plan)
    # Whole plan first; then ever shorter employer lists; then whole sections left out.
    for cap in (None, *LIST_CAPS):
        cuts = _Cuts(cap=cap)
        body = head + "".join(
            _section(plan, item, show_sensitive, cap, cuts) for item in resume_sections
        )
        body += _loose_notices(plan, loose, cap, cuts)
        note = _cut_note(cuts, max_chars) if cuts.employers else ""
        if len(body) + len(note) <= max_chars:
            return body + note
    cuts = _Cuts(cap=LIST_CAPS[-1])
    out = head
    budget = max_chars - _NOTE_ROOM
    for item in resume_sections:
        block = _section(plan, item, show_sensitive, cuts.cap, cuts)
        if len(out) + len(block) <= budget:
            out += block
        else:
            cuts.sections.append(item.key)
    tail = _loose_notices(plan, loose, cuts.cap, cuts)
    if len(out) + len(tail) <= budget:
        out += tail
    else:
        cuts.sections.append("notices")
    return (out + _cut_note(cuts, max_chars))[:max_chars]


def _head(plan: Plan) -> str:
    lines = ["## resumesync plan", "", f"**{summary_line(plan)}**", ""]
    if plan.api_url:
        label = api_label(plan)
        lines += [f"API: {label if label == SANDBOX_API else f'`{label}`'}", ""]
    widening = totals(plan).widening
    if widening:
        lines += [
            f"{_WARN} {widening} change{'' if widening == 1 else 's'} "
            "let more employers see a resume.",
            "",
        ]
    return "\n".join(lines) + "\n"


def _section(
    plan: Plan, section: ResumeSection, show_sensitive: bool, cap: int | None, cuts: _Cuts
) -> str:
    sign = "~ " if section.changes else ""
    if is_pending(section.resume_id):
        sign = "+ "  # a resume this plan creates, as in the text plan
    key, resume_id = _escape(section.key), _escape(short_id(section.resume_id))
    parts = [f"### {sign}resume {key} ({resume_id})\n\n"]
    pending: list[str] = []  # lines of short runs, shown together in one diff block
    for run in _runs(section.changes):
        lines = [
            line.replace(WIDENS, f"{_WARN} widens visibility")
            for change in run
            for line in change_lines(plan, change, show_sensitive=show_sensitive)
        ]
        if not _folds(run):
            pending.extend(lines)
            continue
        if pending:
            parts.append(_diff_block(pending))
            pending = []
        parts.append(_folded(run, lines, cap, cuts))
    if pending:
        parts.append(_diff_block(pending))
    if section.notices:
        parts.append(_notices(plan, section.notices, cap, cuts))
    return "".join(parts)


def _runs(changes: list[Change]) -> list[list[Change]]:
    """Consecutive changes of one list and action join (250 additions are 3 POSTs, 1 run)."""
    runs: list[list[Change]] = []
    for change in changes:
        previous = runs[-1][-1] if runs else None
        if (
            previous is not None
            and change.action is previous.action
            and change.action in (Action.LIST_ADD, Action.LIST_REMOVE, Action.LIST_CLEAR)
            and change.list_kind == previous.list_kind
        ):
            runs[-1].append(change)
        else:
            runs.append([change])
    return runs


def _folds(run: list[Change]) -> bool:
    return sum(len(change.employers) for change in run) > FOLD_OVER


def _folded(run: list[Change], lines: list[str], cap: int | None, cuts: _Cuts) -> str:
    first = run[0]
    count = sum(len(change.employers) for change in run)
    if cap is not None and len(lines) > cap:
        cuts.employers += len(lines) - cap
        lines = [*lines[:cap], f"… and {len(lines) - cap} more (cut to fit)"]
    verb = {Action.LIST_ADD: "+", Action.LIST_REMOVE: "-", Action.LIST_CLEAR: "- clear"}
    warn = f" {_WARN} widens visibility" if first.widens_visibility else ""
    summary = f"{verb[first.action]} {first.list_kind}: {count} employers{warn}"
    return f"<details><summary>{summary}</summary>\n\n{_diff_block(lines)}</details>\n\n"


def _diff_block(lines: list[str]) -> str:
    body = "\n".join(code_block_line(line) for line in lines)
    return f"```diff\n{body}\n```\n\n"


def _notices(plan: Plan, notices: list[Notice], cap: int | None, cuts: _Cuts) -> str:
    out = []
    for notice in notices:
        out.append(f"- {_prose(notice.message)}")
        shown = list(notice.employers)
        if cap is not None and len(shown) > cap:
            cuts.employers += len(shown) - cap
            shown = shown[:cap]
        if shown:
            labels = ", ".join(f"`{_code(employer_label(plan, item))}`" for item in shown)
            more = len(notice.employers) - len(shown)
            out.append(f"  {labels}" + (f" … and {more} more (cut to fit)" if more else ""))
    return "\n".join(out) + "\n\n"


def _loose_notices(plan: Plan, notices: list[Notice], cap: int | None, cuts: _Cuts) -> str:
    if not notices:
        return ""
    return "### Notices\n\n" + _notices(plan, notices, cap, cuts)


def _cut_note(cuts: _Cuts, max_chars: int) -> str:
    what = []
    if cuts.employers:
        what.append(
            f"{cuts.employers} employer lines (lists show their first {cuts.cap} employers)"
        )
    if cuts.sections:
        names = ", ".join(cuts.sections[:20])
        more = len(cuts.sections) - 20
        what.append(
            f"{len(cuts.sections)} section(s): {names}" + (f" and {more} more" if more > 0 else "")
        )
    return (
        f"> {_WARN} This plan was shortened to fit {max_chars:,} characters; cut: "
        + "; ".join(what or ["long lines"])
        + ". Run `resumesync plan` for the whole plan.\n"
    )


def _escape(text: str) -> str:
    """Keep names and titles (server text) from turning into markup, links or mentions."""
    return markdown_text(text)


def _prose(text: str) -> str:
    """A message: `quoted` words stay code spans (as messages write them), the rest is
    escaped; with an unmatched backtick nothing is code."""
    parts = text.split("`")
    if len(parts) % 2 == 0:
        return _escape(text)
    return "".join(
        _escape(part) if index % 2 == 0 else f"`{part}`" for index, part in enumerate(parts)
    )


def _code(text: str) -> str:
    return printable(text).replace("`", "'")
