"""Where each edit goes: the file that holds the edited value's line (a base only when every
resume sharing it holds the same live value), never a value that came from `${VAR}`; the
edits of each file gathered."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from resumesync import files
from resumesync.model import DesiredResume, JsonPath, LiveState, Location
from resumesync.normalize import fields_equal
from resumesync.problems import Problem, dotted
from resumesync.pull.edits import escaped, minimal_edits
from resumesync.safefs import read_confined
from resumesync.yamlfile import parse_yaml, read_yaml_text
from resumesync.yamlwrite import Edit, apply_to_data


@dataclass
class Planned:
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


@dataclass
class Repository:
    root: Path
    resumes: list[DesiredResume]
    interpolated: Mapping[str, frozenset[JsonPath]]
    live: LiveState
    plans: dict[str, Planned] = field(default_factory=dict)
    reports: list[Problem] = field(default_factory=list)

    def plan(self, file: str) -> Planned:
        return self.plans.setdefault(file, Planned())

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
        return read_file(self.root, file)[1] or {}


def _names_local_file(value: Any) -> bool:
    """A photo or portfolio entry written as a local image (`{file: images/me.jpg}`)."""
    if isinstance(value, dict):
        return "file" in value
    return isinstance(value, list) and any(_names_local_file(item) for item in value)


def _related(edited: JsonPath, interpolated: JsonPath) -> bool:
    """Whether an edit at `edited` would change or remove the value at `interpolated`."""
    shorter = min(len(edited), len(interpolated))
    return edited[:shorter] == interpolated[:shorter]


def read_file(root: Path, file: str) -> tuple[bytes, Any, str]:
    raw = read_confined(root, root / file, limit=files.MAX_YAML_FILE_BYTES)
    text = read_yaml_text(raw, file)
    return raw, parse_yaml(text, file).data, text
