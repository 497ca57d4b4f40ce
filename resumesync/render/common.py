"""What the text and markdown renderers share: grouping, change lines, the summary line."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from resumesync.artifacts import human_size, pending_artifact_id
from resumesync.hosts import api_host
from resumesync.model import Action, Change, Notice, NoticeKind, Plan, is_pending
from resumesync.render.fielddiff import field_diff_lines, format_value

WIDENS = "(widens visibility)"
NO_CHANGES = "No changes. The account matches the files."


@dataclass
class ResumeSection:
    """Everything the plan says about one resume, in plan order."""

    key: str
    resume_id: str
    changes: list[Change] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)

    @property
    def header(self) -> str:
        if is_pending(self.resume_id):
            return f"+ resume {self.key} (new)"
        sign = "~ " if self.changes else ""
        return f"{sign}resume {self.key} ({short_id(self.resume_id)})"


def short_id(resume_id: str) -> str:
    if is_pending(resume_id):
        return "new"
    return resume_id if len(resume_id) <= 4 else resume_id[:4] + "…"


def sections(plan: Plan) -> tuple[list[ResumeSection], list[Notice]]:
    """Per-resume sections (in plan order) and the notices about no managed resume."""
    by_id: dict[str, ResumeSection] = {}
    for change in plan.changes:
        section = by_id.setdefault(change.resume_id, ResumeSection(change.resume, change.resume_id))
        section.changes.append(change)
    loose: list[Notice] = []
    for notice in plan.notices:
        if notice.resume is None or notice.resume_id is None:
            loose.append(notice)
            continue
        section = by_id.setdefault(notice.resume_id, ResumeSection(notice.resume, notice.resume_id))
        section.notices.append(notice)
    return list(by_id.values()), loose


def employer_label(plan: Plan, employer: str) -> str:
    name = plan.employer_names.get(employer)
    return f"{employer} ({name})" if name else employer


def change_lines(plan: Plan, change: Change, *, show_sensitive: bool = False) -> list[str]:
    """The lines of one change; each starts with its sign (`~`, `+`, `-`) or a word."""
    marker = f" {WIDENS}" if change.widens_visibility else ""
    kind = change.list_kind or ""
    if change.action is Action.CREATE:
        copy = f" as a copy of {change.clone_of}" if change.clone_of else ""
        lines = [f"+ create resume {change.resume}{copy}"]
        for name, values in (change.diff or {}).items():
            for line in field_diff_lines(
                name, None, values.get("new"), show_sensitive=show_sensitive
            ):
                # a new field has no old value: `+ title: "..."`, not `~ title: null -> "..."`
                lines.append("    " + line.replace(f"~ {name}: null -> ", f"+ {name}: ", 1))
        return lines
    if change.action is Action.UPLOAD:
        return [f"+ upload {change.artifact_type} {change.file} ({human_size(change.size or 0)})"]
    if change.action is Action.ADOPT_UPLOAD:
        artifact_id = change.path.rsplit("/", 1)[-1]
        return [
            f"+ adopt {change.artifact_type} {change.file} (artifact {artifact_id}): an "
            "earlier apply uploaded this image and stopped before writing resumesync.lock; "
            "apply writes it into resumesync.lock"
        ]
    if change.action is Action.DESCRIBE:
        values = (change.diff or {}).get("description") or {}
        old, new = format_value(values.get("old")), format_value(values.get("new"))
        return [f"~ {change.artifact_type} {change.file} description: {old} -> {new}"]
    if change.action is Action.ADOPT:
        return [
            f"+ adopt resume {change.resume} ({change.resume_id}): {change.reason}; "
            f"apply writes its id into {change.file}"
        ]
    if change.action is Action.UPDATE:
        lines: list[str] = []
        for name, values in _with_upload_names(plan, change.diff or {}).items():
            if name == "access":
                old, new = values.get("old"), values.get("new")
                lines.append(f"~ access: {format_value(old)} -> {format_value(new)}{marker}")
                continue
            lines.extend(
                field_diff_lines(
                    name, values.get("old"), values.get("new"), show_sensitive=show_sensitive
                )
            )
        return lines
    if change.action is Action.LIST_ADD:
        return [f"+ {kind} {employer_label(plan, item)}{marker}" for item in change.employers]
    if change.action is Action.LIST_REMOVE:
        return [f"- {kind} {employer_label(plan, item)}{marker}" for item in change.employers]
    if change.action is Action.LIST_CLEAR:
        count = len(change.employers)
        head = f"- {kind} (clear, {count} employer{_s(count)}){marker}"
        return [head, *(f"    - {employer_label(plan, item)}" for item in change.employers)]
    return [f"publish ({change.reason or 'publish'})"]


def _with_upload_names(plan: Plan, diff: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """A diff whose stand-in ids of images still to upload (`upload:photo:<sha256>`) read as
    the image files: the id exists only once the upload is done (or, for an adopted upload,
    once the artifact is ready)."""
    names = {
        pending_artifact_id(c.artifact_type or "", c.sha256 or ""): (
            f"(upload of {c.file})"
            if c.action is Action.UPLOAD
            else f"(artifact {c.path.rsplit('/', 1)[-1]}: {c.file})"
        )
        for c in plan.changes
        if c.action in (Action.UPLOAD, Action.ADOPT_UPLOAD)
    }
    if not names:
        return diff

    def shown(value: Any) -> Any:
        if isinstance(value, dict):
            return {key: shown(item) for key, item in value.items()}
        if isinstance(value, list):
            return [shown(item) for item in value]
        return names.get(value, value) if isinstance(value, str) else value

    return {
        name: {"old": values.get("old"), "new": shown(values.get("new"))}
        for name, values in diff.items()
    }


def notice_lines(plan: Plan, notice: Notice) -> list[str]:
    lines = [f"! {notice.message}"]
    if notice.kind is NoticeKind.OUT_OF_BAND:
        lines.extend(f"    {employer_label(plan, item)}" for item in notice.employers)
    return lines


@dataclass(frozen=True)
class Totals:
    resumes: int
    publish: int
    add: int
    remove: int
    widening: int
    create: int = 0
    upload: int = 0


def totals(plan: Plan) -> Totals:
    created = {c.resume_id for c in plan.changes if c.action in (Action.CREATE, Action.ADOPT)}
    images = (Action.UPLOAD, Action.ADOPT_UPLOAD, Action.DESCRIBE)
    updated = {
        change.resume_id
        for change in plan.changes
        if change.action is not Action.PUBLISH
        and change.action not in images
        and change.resume_id not in created
    }
    return Totals(
        create=len(created),
        upload=sum(1 for change in plan.changes if change.action is Action.UPLOAD),
        resumes=len(updated),
        publish=sum(1 for change in plan.changes if change.action is Action.PUBLISH),
        add=sum(len(c.employers) for c in plan.changes if c.action is Action.LIST_ADD),
        remove=sum(
            len(c.employers)
            for c in plan.changes
            if c.action in (Action.LIST_REMOVE, Action.LIST_CLEAR)
        ),
        widening=sum(1 for change in plan.changes if change.widens_visibility),
    )


SANDBOX_API = "the built-in sandbox"


def api_label(plan: Plan) -> str:
    """The server the plan read, `api.hh.ru`: a plan says which API's account it shows."""
    return SANDBOX_API if plan.api_url == "sandbox" else api_host(plan.api_url)


def summary_line(plan: Plan) -> str:
    """`Plan: 2 resumes to update, 1 to publish, 250 employers to add, 30 to remove.`"""
    if not plan.changes:
        return NO_CHANGES
    count = totals(plan)
    create = f"{count.create} resume{_s(count.create)} to create, " if count.create else ""
    return (
        f"Plan: {create}{count.resumes} resume{_s(count.resumes)} to update, "
        f"{count.publish} to publish, "
        f"{count.add} employer{_s(count.add)} to add, {count.remove} to remove"
        + (f", {count.upload} image{_s(count.upload)} to upload." if count.upload else ".")
    )


def _s(count: int) -> str:
    return "" if count == 1 else "s"
