"""`pull`: what changed on hh.ru comes back into the files (Terraform's `-refresh-only`).

For every field a file declares whose live value differs (by the planner's own notion of equal,
normalize.fields_equal), the smallest set of edits that makes the declared value equal to the
live one is written into the file that holds the value's line, through yamlwrite (comments,
order and layout kept). Then `plan` is empty for those fields. Rules:

- a value that comes from a base (`_base.yaml`) is written into the base only when every resume
  sharing that base holds the same live value; otherwise into the variant that changed (the
  whole field: a base's lists are replaced, not merged, by a variant's);
- a value that came from `${VAR}` is never overwritten: it is reported, with its line;
- visibility.yaml: an exact list (a plain sequence in the resume's own entry) and the resume's
  `access` are updated; `include` lists and `defaults` are left alone (a difference in the
  defaults is reported);
- nothing is written unless every edited file, loaded again, holds exactly the intended data.

Reports never show a value: contacts and birth date are personal data.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from resumesync import files
from resumesync.client import HHClient, RetryEvent
from resumesync.live import read_live_state
from resumesync.model import DesiredResume, JsonPath, LiveResume, LiveState, Location
from resumesync.normalize import fields_equal
from resumesync.problems import Problem, ProblemsError, dotted
from resumesync.safefs import atomic_write, read_confined
from resumesync.settings import Settings
from resumesync.validation import employer_id
from resumesync.yamlfile import parse_yaml, read_yaml_text
from resumesync.yamlwrite import Edit, YamlEditError, apply_edits, apply_to_data

# Keys the server adds to what it returns and never takes back: never written into a file.
SERVER_KEYS = frozenset(
    {"verified", "need_verification", "contact_value", "kind", "links", "employer"}
)
# In a dictionary entry (a mapping with an `id`), only the id and its name are the user's.
ENTRY_SERVER_KEYS = frozenset({"url", "small", "medium"})
BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class FileChange:
    """Values pull wrote into one file."""

    file: str  # relative to the repository
    fields: tuple[str, ...]  # dotted paths, as the file holds them


@dataclass
class PullResult:
    changes: list[FileChange] = field(default_factory=list)
    reports: list[Problem] = field(default_factory=list)  # differences pull left alone

    @property
    def changed(self) -> bool:
        return bool(self.changes)


@dataclass
class _Planned:
    """The edits of one file, and which resume fields they come from."""

    edits: list[Edit] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)

    def add(self, edits: list[Edit], label: str) -> None:
        known = {_edit_key(edit) for edit in self.edits}
        fresh = [escaped(edit) for edit in edits if _edit_key(escaped(edit)) not in known]
        if fresh:
            self.edits += fresh
            if label not in self.fields:
                self.fields.append(label)


def _edit_key(edit: Edit) -> str:
    return json.dumps([edit.op, list(edit.path), edit.value], sort_keys=True, default=str)


# --- the differences of one field --------------------------------------------------------------


def _empty(value: Any) -> bool:
    return value is None or value == [] or value == {} or value == ""


def clean(value: Any) -> Any:
    """A live value as a file would declare it: no server-only keys, no empty nested keys."""
    if isinstance(value, dict):
        is_entry = "id" in value
        return {
            key: clean(item)
            for key, item in value.items()
            if key not in SERVER_KEYS
            and not (is_entry and key in ENTRY_SERVER_KEYS)
            and not _empty(item)
            and not (key == "formatted" and any(value.get(k) for k in ("country", "number")))
        }
    if isinstance(value, list):
        return [clean(item) for item in value]
    return value


def candidate_edits(path: JsonPath, declared: Any, live: Any) -> list[Edit]:
    """Edits that turn `declared` into `live`, following the declared shape (a superset of
    what is needed: minimal_edits keeps only what the comparison needs)."""
    if isinstance(declared, dict) and isinstance(live, dict):
        edits: list[Edit] = []
        same_entry = "id" in declared and str(declared.get("id")) == str(live.get("id"))
        for key, value in declared.items():
            if same_entry and key in ("name", "url"):
                continue  # informational: a new name of the same entry is not a change
            if key in live:
                edits += candidate_edits((*path, key), value, live[key])
            elif not _empty(value):
                edits.append(Edit.set((*path, key), None))
        for key, value in live.items():
            server_only = key in SERVER_KEYS or ("id" in live and key in ENTRY_SERVER_KEYS)
            if key not in declared and not _empty(value) and not server_only:
                edits.append(Edit.add((*path, key), clean(value)))
        return edits
    if isinstance(declared, list) and isinstance(live, list):
        edits = []
        for index in range(min(len(declared), len(live))):
            edits += candidate_edits((*path, index), declared[index], live[index])
        if len(live) > len(declared):
            edits.append(Edit.append(path, [clean(item) for item in live[len(declared) :]]))
        elif len(live) < len(declared):
            edits.append(Edit.truncate(path, len(live)))
        return edits
    if _same_scalar(declared, live):
        return []
    return [Edit.set(path, clean(live))]


def _same_scalar(declared: Any, live: Any) -> bool:
    if isinstance(declared, bool) or isinstance(live, bool):
        return declared is live
    if isinstance(declared, int | float) and isinstance(live, int | float):
        return declared == live
    return declared == live


def minimal_edits(name: str, declared: Any, live: Any) -> list[Edit] | None:
    """The fewest candidate edits after which field `name` compares equal to the live value;
    None when the candidates do not get there (pull then reports the field)."""
    document = {name: declared}
    candidates = candidate_edits((name,), declared, live)

    def reaches(edits: list[Edit]) -> bool:
        try:
            return fields_equal(name, apply_to_data(document, edits)[name], live)
        except (KeyError, IndexError, TypeError):
            return False

    if not reaches(candidates):
        return None
    needed = list(candidates)
    for edit in candidates:
        trial = [other for other in needed if other is not edit]
        if reaches(trial):
            needed = trial
    # A dictionary entry whose id changed also takes its new name (when the file has one).
    ids = {edit.path[:-1] for edit in needed if edit.op == "set" and edit.path[-1] == "id"}
    needed += [
        edit
        for edit in candidates
        if edit.op == "set" and edit.path[-1] == "name" and edit.path[:-1] in ids
    ]
    return needed


def escaped(edit: Edit) -> Edit:
    """The edit with `${` in its text written `$${`, so that loading does not interpolate it."""
    return Edit(edit.op, edit.path, escape_interpolation(edit.value))


def escape_interpolation(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("${", "$${")
    if isinstance(value, dict):
        return {key: escape_interpolation(item) for key, item in value.items()}
    if isinstance(value, list):
        return [escape_interpolation(item) for item in value]
    return value


# --- where each edit goes ----------------------------------------------------------------------


@dataclass
class _Repository:
    root: Path
    resumes: list[DesiredResume]
    interpolated: Mapping[str, frozenset[JsonPath]]
    live: LiveState
    plans: dict[str, _Planned] = field(default_factory=dict)
    reports: list[Problem] = field(default_factory=list)

    def plan(self, file: str) -> _Planned:
        return self.plans.setdefault(file, _Planned())

    def live_document(self, resume: DesiredResume) -> dict[str, Any]:
        live = self.live.resumes.get(resume.resume_id)
        return live.document if live is not None else {}

    def files_of(self, resume: DesiredResume, name: str) -> set[str]:
        return {
            location.file
            for path, location in resume.source.locations.items()
            if path and path[0] == name
        }

    def pull_field(self, resume: DesiredResume, name: str) -> None:
        declared = resume.fields[name]
        if _names_local_file(declared):
            return  # `photo: {file: ...}`: apply uploads it and the lock holds its id
        live_value = self.live_document(resume).get(name)
        if fields_equal(name, declared, live_value):
            return
        edits = minimal_edits(name, declared, live_value)
        where = resume.source.locate((name,)) or Location(resume.file, 1)
        if edits is None:
            self.reports.append(
                Problem(
                    "differs from the live resume, and pull cannot write the live value in "
                    "the file's shape: edit it by hand (`resumesync plan` shows the difference)",
                    where,
                    name,
                )
            )
            return
        from_env = sorted(
            path
            for path in self.interpolated.get(resume.key, frozenset())
            if path[0] == name and any(_related(edit.path, path) for edit in edits)
        )
        if from_env:
            path = from_env[0]
            self.reports.append(
                Problem(
                    "the live value differs, but the file's value comes from ${VAR}: pull "
                    "leaves it; update the variable (or the secret) instead",
                    resume.source.locate(path) or where,
                    dotted(path),
                )
            )
            return
        own = [edit for edit in edits if self._file_of(resume, edit) == resume.file]
        elsewhere = [edit for edit in edits if edit not in own]
        bases = {self._file_of(resume, edit) for edit in elsewhere}
        if all(self._base_agrees(resume, name, base) for base in bases):
            self.plan(resume.file).add(own, dotted((name,)))
            for base in bases:
                mine = [edit for edit in elsewhere if self._file_of(resume, edit) == base]
                self.plan(base).add(mine, dotted((name,)))
            return
        # A base shared with variants that still hold the old value: this variant overrides
        # the whole field in its own file.
        if any(path[0] == name for path in self.interpolated.get(resume.key, frozenset())):
            self.reports.append(
                Problem(
                    "differs from the live resume, and comes from a base that other resumes "
                    "share and that holds ${VAR}: copy the field into this file by hand",
                    where,
                    name,
                )
            )
            return
        value = apply_to_data({name: declared}, edits)[name]
        own_data = self.file_data(resume.file)
        edit = Edit.set((name,), value) if name in own_data else Edit.add((name,), value)
        self.plan(resume.file).add([edit], dotted((name,)))

    def _file_of(self, resume: DesiredResume, edit: Edit) -> str:
        """The file holding the line of the edited value (for an added key: of its mapping)."""
        path = edit.path[:-1] if edit.op in ("add", "remove") else edit.path
        while path:
            location = resume.source.locations.get(path)
            if location is not None:
                if edit.op == "add" and self._holds(resume.file, path):
                    return resume.file  # a mapping both files hold: the variant's own part
                return location.file
            path = path[:-1]
        return resume.file

    def _holds(self, file: str, path: JsonPath) -> bool:
        data: Any = self.file_data(file)
        for part in path:
            in_mapping = isinstance(data, dict) and part in data
            if in_mapping or (
                isinstance(data, list) and isinstance(part, int) and part < len(data)
            ):
                data = data[part]
            else:
                return False
        return isinstance(data, dict)

    def _base_agrees(self, resume: DesiredResume, name: str, base: str) -> bool:
        """Whether every other resume that takes field `name` from `base` holds the same live
        value as `resume` (then the base itself is what changed)."""
        mine = self.live_document(resume).get(name)
        for other in self.resumes:
            if other is resume or base not in self.files_of(other, name):
                continue
            if other.resume_id not in self.live.resumes:
                continue  # a resume still to be created has no live value to keep
            if not fields_equal(name, self.live_document(other).get(name), mine):
                return False
        return True

    def file_data(self, file: str) -> Any:
        return _read(self.root, file)[1] or {}

    # --- visibility.yaml ------------------------------------------------------------------

    def pull_visibility(self, resume: DesiredResume) -> None:
        live = self.live.resumes.get(resume.resume_id)
        if live is None:
            return
        data = self.file_data(files.VISIBILITY_FILE)
        entries = (data.get("resumes") or {}) if isinstance(data, dict) else {}
        key = resume.key if resume.key in entries else resume.resume_id
        entry = entries.get(key)
        if not isinstance(entry, dict):
            return
        path: JsonPath = ("resumes", key)
        planned = self.plan(files.VISIBILITY_FILE)
        access_moved = resume.access is not None and live.access not in (None, resume.access)
        if access_moved and "access" in entry:
            planned.add([Edit.set((*path, "access"), live.access)], f"{key}.access")
        for kind, desired in resume.lists.items():
            own = entry.get(kind)
            if not desired.exact or not isinstance(own, list):
                continue  # `include` lists, and lists only the defaults declare: left alone
            self._pull_list(resume, live, kind, own, (*path, kind), planned)

    def _pull_list(
        self,
        resume: DesiredResume,
        live: LiveResume,
        kind: str,
        own: list[Any],
        path: JsonPath,
        planned: _Planned,
    ) -> None:
        live_list = live.lists.get(kind)  # type: ignore[call-overload]  # a ListKind
        if live_list is None:
            return
        desired = resume.lists[kind]  # type: ignore[index]
        on_hh = set(live_list.employers)
        edits: list[Edit] = []
        own_ids = [employer_id(item) for item in own]
        for index, employer in enumerate(own_ids):
            if employer is not None and employer not in on_hh:
                edits.append(Edit.remove((*path, index)))
        for employer in desired.employers:
            if employer not in on_hh and employer not in own_ids:
                self.reports.append(
                    Problem(
                        f"employer {employer} is no longer on the live {kind}, but it comes "
                        "from `defaults`, which pull leaves alone",
                        desired.source.locate((employer,)),
                        f"resumes.{resume.key}.{kind}",
                    )
                )
        added = [employer for employer in live_list.employers if employer not in desired.employers]
        if added:
            edits.append(
                Edit.append(path, [_list_item(own, e, live_list.employers[e]) for e in added])
            )
        planned.add(edits, f"{resume.key}.{kind}")


def _list_item(own: list[Any], employer: str, name: str) -> Any:
    """A new employer written as the list's items are: `{id, name}`, a string or a number."""
    sample = own[0] if own else {}
    if isinstance(sample, int) and not isinstance(sample, bool) and employer.isdigit():
        return int(employer)
    if isinstance(sample, str):
        return employer
    return {"id": employer, "name": name} if name else {"id": employer}


def _names_local_file(value: Any) -> bool:
    """A photo or portfolio entry written as a local image (`{file: images/me.jpg}`)."""
    if isinstance(value, dict):
        return "file" in value
    return isinstance(value, list) and any(_names_local_file(item) for item in value)


def _related(edited: JsonPath, interpolated: JsonPath) -> bool:
    """Whether an edit at `edited` would change or remove the value at `interpolated`."""
    shorter = min(len(edited), len(interpolated))
    return edited[:shorter] == interpolated[:shorter]


def _read(root: Path, file: str) -> tuple[bytes, Any, str]:
    raw = read_confined(root, root / file, limit=files.MAX_YAML_FILE_BYTES)
    text = read_yaml_text(raw, file)
    return raw, parse_yaml(text, file).data, text


# --- the whole run -------------------------------------------------------------------------------


async def pull_async(
    directory: Path, env: Mapping[str, str], client: HHClient, *, write: bool = True
) -> PullResult:
    """Reads the files and the live account, writes the differences into the files (unless
    not `write`): see the module docstring. ProblemsError when the files are invalid, or when
    an edited file would not load back as intended (nothing is then written)."""
    loaded = files.read_repository(directory, env)
    live = await read_live_state(loaded.state, client)
    repository = _Repository(directory, loaded.state.resumes, loaded.interpolated, live)
    for resume in loaded.state.resumes:
        if resume.resume_id not in live.resumes:
            continue  # a file without `id` (a resume to create): nothing live to pull
        for name in resume.fields:
            repository.pull_field(resume, name)
        if resume.lists or resume.access is not None:
            repository.pull_visibility(resume)
    result = PullResult(reports=repository.reports)
    outputs: list[tuple[Path, bytes, int]] = []
    problems: list[Problem] = []
    for file, planned in repository.plans.items():
        if not planned.edits:
            continue
        raw, data, text = _read(directory, file)
        try:
            new_text = apply_edits(text, planned.edits)
            expected = apply_to_data(data, planned.edits)
            if parse_yaml(new_text, file).data != expected:
                raise YamlEditError("the edited file would not load back as intended")
        except (YamlEditError, ProblemsError) as error:
            message = str(error) if isinstance(error, YamlEditError) else "cannot edit the file"
            problems.append(Problem(f"pull cannot write this file: {message}", Location(file, 1)))
            continue
        payload = (BOM if raw.startswith(BOM) else b"") + new_text.encode("utf-8")
        target = directory / file
        outputs.append((target, payload, os.stat(target).st_mode & 0o777))
        result.changes.append(FileChange(file, tuple(planned.fields)))
    if problems:
        raise ProblemsError(problems)
    if write:
        for target, payload, mode in outputs:
            atomic_write(target, payload, mode=mode, root=directory)
    return result


def pull(
    directory: Path,
    env: Mapping[str, str],
    settings: Settings,
    *,
    write: bool = True,
    on_retry: Callable[[RetryEvent], None] | None = None,
) -> PullResult:
    """pull_async with its own client, for callers without an event loop."""
    from resumesync.pipeline import client_settings

    async def main() -> PullResult:
        async with HHClient(client_settings(settings, on_retry)) as client:
            return await pull_async(directory, env, client, write=write)

    return asyncio.run(main())
