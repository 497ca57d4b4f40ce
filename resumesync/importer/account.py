"""The import itself: read the account (each resume and both its lists, concurrently), choose
each resume's file, refuse to overwrite unless forced, then write the resume files, the schema
copies and visibility.yaml (merged into an existing one for `--resume`)."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from resumesync.client import HHClient, RetryEvent, gather_or_cancel
from resumesync.endpoints import list_path, resume_path
from resumesync.files import VISIBILITY_FILE
from resumesync.importer.fields import resume_fields
from resumesync.importer.names import existing_resume_files, target_paths
from resumesync.importer.render import (
    SCHEMAS_DIR,
    render_resume_file,
    render_visibility,
    visibility_entry,
)
from resumesync.importer.yamlout import escape_interpolation
from resumesync.live import checked_list, checked_object, summaries
from resumesync.model import LIST_KINDS, LiveResume, Location, ResumeSummary, SourceMap
from resumesync.pipeline import client_settings
from resumesync.problems import Problem, ProblemsError
from resumesync.safefs import atomic_write
from resumesync.settings import Settings
from resumesync.validation import RESUME_SCHEMA, VISIBILITY_SCHEMA, check_resume_document

# --- results and errors -----------------------------------------------------------------------


@dataclass(frozen=True)
class ImportedResume:
    key: str  # the file stem, also the resume's key in visibility.yaml
    resume_id: str
    path: Path


@dataclass
class ImportResult:
    written: list[Path] = field(default_factory=list)  # resume files first, visibility.yaml last
    resumes: list[ImportedResume] = field(default_factory=list)
    skipped: list[ResumeSummary] = field(default_factory=list)  # on the account, not imported
    notes: list[str] = field(default_factory=list)  # for people; never holds personal data


class ImportRefusedError(ProblemsError):
    """Files the import would write exist already and `force` was not given: nothing written."""


# --- the import -------------------------------------------------------------------------------


async def import_account(
    client: HHClient,
    directory: Path,
    *,
    force: bool = False,
    resume_ids: Sequence[str] = (),
) -> ImportResult:
    """Write `directory`/resumes/<key>.yaml for every resume of the account (or only those in
    `resume_ids`) and `directory`/visibility.yaml with their access types and lists.

    Reads `/resumes/mine`, then each imported resume and both of its lists, concurrently.
    Raises ProblemsError for an id that is not on the account and ImportRefusedError when any
    target file exists (unless `force`); in both cases nothing is written.
    """
    directory = Path(directory)
    account = summaries(await client.get_mine())  # ids checked: they go into the files
    chosen, skipped = _select(account, resume_ids)
    live = await gather_or_cancel(_read_resume(client, item.resume_id) for item in chosen)

    result = ImportResult(skipped=skipped)
    existing = existing_resume_files(directory)
    paths = target_paths(directory, chosen, existing)
    documents: list[tuple[ImportedResume, str]] = []
    for summary, live_resume in zip(chosen, live, strict=True):
        path = paths[summary.resume_id]
        imported = ImportedResume(key=path.stem, resume_id=summary.resume_id, path=path)
        fields, notes = resume_fields(live_resume.document)
        relative = _relative(path, directory)
        result.notes.extend(f"{relative}: {note}" for note in notes)
        result.notes.extend(_validation_notes(relative, summary.resume_id, fields))
        documents.append((imported, render_resume_file(summary.resume_id, fields)))
        result.resumes.append(imported)
    visibility_path = directory / VISIBILITY_FILE
    pairs = [
        (item.key, live_resume) for item, live_resume in zip(result.resumes, live, strict=True)
    ]
    # Some resumes into a repository that has a visibility.yaml: merged, not replaced.
    merge = bool(resume_ids) and (visibility_path.exists() or visibility_path.is_symlink())
    if merge:
        visibility, notes = _merged_visibility(directory, visibility_path, pairs)
    else:
        visibility, notes = render_visibility(pairs)
    result.notes.extend(notes)

    _existing_targets(
        [imported.path for imported, _ in documents] + ([] if merge else [visibility_path]),
        directory,
        force=force,
    )
    for imported, text in documents:
        _write(imported.path, text, directory)
        result.written.append(imported.path)
    for name in (RESUME_SCHEMA, VISIBILITY_SCHEMA):
        copy = directory / SCHEMAS_DIR / name
        _write(
            copy,
            resources.files("resumesync.schemas").joinpath(name).read_text("utf-8"),
            directory,
        )
        result.written.append(copy)
    _write(visibility_path, visibility, directory)
    result.written.append(visibility_path)
    return result


def _merged_visibility(
    directory: Path, path: Path, pairs: Sequence[tuple[str, LiveResume]]
) -> tuple[str, list[str]]:
    """The existing visibility.yaml with the imported resumes' entries merged in."""
    from resumesync.files import MAX_YAML_FILE_BYTES
    from resumesync.safefs import UnsafePathError, read_confined
    from resumesync.visibility_merge import merge_entries
    from resumesync.yamlfile import read_yaml_text

    try:
        raw = read_confined(directory, path, limit=MAX_YAML_FILE_BYTES)
    except (UnsafePathError, OSError) as error:
        reason = getattr(error, "reason", None) or getattr(error, "strerror", str(error))
        raise ProblemsError(
            [Problem(f"cannot read: {reason}", Location(VISIBILITY_FILE, 1))]
        ) from None
    entries: dict[str, Any] = {}
    notes: list[str] = []
    for key, live_resume in pairs:
        entries[key], entry_notes = visibility_entry(live_resume)
        notes.extend(entry_notes)
    ids = {key: live_resume.resume_id for key, live_resume in pairs}
    text = read_yaml_text(raw, VISIBILITY_FILE)
    merged = merge_entries(text, VISIBILITY_FILE, escape_interpolation(entries), ids)
    notes.append(f"{VISIBILITY_FILE}: merged the imported resumes' entries; the others are kept")
    return merged, notes


def import_account_sync(
    settings: Settings,
    directory: Path,
    *,
    force: bool = False,
    resume_ids: Sequence[str] = (),
    on_retry: Callable[[RetryEvent], None] | None = None,
) -> ImportResult:
    """import_account with a client made from `settings` (token, API URL, limits)."""

    async def run() -> ImportResult:
        async with HHClient(client_settings(settings, on_retry)) as client:
            return await import_account(client, Path(directory), force=force, resume_ids=resume_ids)

    return asyncio.run(run())


def _existing_targets(targets: list[Path], directory: Path, *, force: bool) -> list[Path]:
    """The targets that exist; ImportRefusedError naming them all unless `force`."""
    taken = [path for path in targets if path.exists() or path.is_symlink()]
    if taken and not force:
        raise ImportRefusedError(
            [
                Problem(
                    f"{_relative(path, directory)} exists "
                    "(`resumesync import --force` overwrites it)"
                )
                for path in taken
            ]
        )
    return taken


def _select(
    account: list[ResumeSummary], resume_ids: Sequence[str]
) -> tuple[list[ResumeSummary], list[ResumeSummary]]:
    """(resumes to import, resumes left out); ProblemsError for ids not on the account."""
    if not resume_ids:
        return list(account), []
    wanted = list(dict.fromkeys(str(resume_id) for resume_id in resume_ids))
    known = {summary.resume_id for summary in account}
    unknown = [resume_id for resume_id in wanted if resume_id not in known]
    if unknown:
        raise ProblemsError(
            [Problem(f"resume {resume_id} is not on this account") for resume_id in unknown]
        )
    chosen = [summary for summary in account if summary.resume_id in wanted]
    return chosen, [summary for summary in account if summary.resume_id not in wanted]


async def _read_resume(client: HHClient, resume_id: str) -> LiveResume:
    """The document and both lists: a list that is not declared is not managed, so import
    declares both to lose nothing."""
    document, *bodies = await gather_or_cancel(
        [client.get_resume(resume_id), *(client.get_list(resume_id, kind) for kind in LIST_KINDS)]
    )
    lists = {
        kind: checked_list(kind, body, list_path(resume_id, kind))
        for kind, body in zip(LIST_KINDS, bodies, strict=True)
    }
    document = checked_object(document, resume_path(resume_id))
    return LiveResume(resume_id=resume_id, document=document, lists=lists)


def _validation_notes(relative: str, resume_id: str, fields: dict[str, Any]) -> list[str]:
    """The offline checks' errors of what is about to be written (messages hold no values)."""
    findings = check_resume_document({"id": resume_id, **fields}, SourceMap())
    return [f"{relative}: {problem} (fix it before `plan`)" for problem in findings.errors]


def _relative(path: Path, directory: Path) -> str:
    return Path(os.path.relpath(path, directory)).as_posix()


def _write(path: Path, text: str, root: Path) -> None:
    """Write through a temporary file in the same directory, so no file is left half-written,
    and never through a symlink that the repository holds at `path` (safefs)."""
    atomic_write(path, text, make_parents=True, root=root)
