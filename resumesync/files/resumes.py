"""resumes/: one resume per file (the file stem is its key; `_*.yaml` are bases), each checked
and turned into a DesiredResume; ids and clones checked across files.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from resumesync.files.images import resume_images
from resumesync.files.locations import FieldLocations
from resumesync.files.run import Run
from resumesync.files.tree import with_bases
from resumesync.model import DesiredResume, JsonPath, Location, PublishMode, SourceMap
from resumesync.problems import Problem
from resumesync.validation import OUR_KEYS, check_resume_document

RESUMES_DIR = "resumes"
RESUME_SUFFIXES = (".yaml", ".yml")

PUBLISH_MODES: dict[Any, PublishMode] = {
    False: PublishMode.NEVER,
    True: PublishMode.ONCE,
    "renew": PublishMode.RENEW,
}


@dataclass
class LoadedResume:
    resume: DesiredResume
    interpolated: frozenset[JsonPath]
    id_location: Location | None
    clone_location: Location | None = None


def resume_files(run: Run) -> list[Path]:
    directory = run.root / RESUMES_DIR
    if not directory.is_dir():
        run.problems.append(
            Problem(
                f"{RESUMES_DIR}/ not found in {run.root}: one YAML file per resume. "
                f"`resumesync import --dir {run.root}` writes them from your account, "
                f"`resumesync import --sandbox --dir {run.root}` from the example account"
            )
        )
        return []
    files = sorted(
        path
        for path in directory.iterdir()
        if path.suffix in RESUME_SUFFIXES
        and path.is_file()
        and not path.name.startswith(("_", "."))
    )
    stems: dict[str, Path] = {}
    for path in files:
        if path.stem in stems:
            run.problems.append(
                Problem(
                    f"two files for the resume key `{path.stem}` "
                    f"(also {run.relative(stems[path.stem])})",
                    Location(run.relative(path), 1),
                )
            )
        stems.setdefault(path.stem, path)
    return list(stems.values())


def read_resumes(run: Run) -> list[LoadedResume]:
    loaded = []
    for path in resume_files(run):
        item = read_resume(run, path)
        if item is not None:
            loaded.append(item)
        else:  # it could not be read or parsed (already reported)
            run.unreadable.add(path.stem)
    return loaded


def read_resume(run: Run, path: Path) -> LoadedResume | None:
    document = run.read(path, run.env)
    if document is None:
        return None
    tree = with_bases(run, path, document)
    source = SourceMap(tree.locations, Location(document.file, document.first_line))
    findings = check_resume_document(tree.data, source)
    run.problems.extend(findings.errors)
    run.warnings.extend(findings.warnings)
    data = tree.data if isinstance(tree.data, dict) else {}
    resume_id = data.get("id")
    clone = data.get("clone")
    declared = data.get("publish", False)
    publish = PUBLISH_MODES.get(declared) if isinstance(declared, bool | str) else None
    resume = DesiredResume(
        key=path.stem,
        resume_id=resume_id if isinstance(resume_id, str) else "",
        file=document.file,
        publish=publish or PublishMode.NEVER,  # an invalid value is an error already
        clone=clone if isinstance(clone, str) else None,
        fields={key: value for key, value in data.items() if key not in OUR_KEYS},
        source=SourceMap(FieldLocations(tree.locations), source.default),
    )
    resume.images = tuple(resume_images(run, data, tree))
    fields_interpolated = frozenset(p for p in tree.interpolated if p and p[0] not in OUR_KEYS)
    return LoadedResume(
        resume, fields_interpolated, tree.locations.get(("id",)), tree.locations.get(("clone",))
    )


def check_ids(run: Run, resumes: list[LoadedResume]) -> None:
    owners: dict[str, LoadedResume] = {}
    for item in resumes:
        resume_id = item.resume.resume_id
        if not resume_id:
            continue
        if resume_id in owners:
            other = owners[resume_id].resume.file
            run.problems.append(
                Problem(f"the same id as {other}: one file per resume", item.id_location, "id")
            )
        else:
            owners[resume_id] = item


def check_clones(run: Run, resumes: list[LoadedResume]) -> None:
    """`clone: KEY` (in a file without `id`) names another file whose resume exists."""
    by_key = {item.resume.key: item.resume for item in resumes}
    for item in resumes:
        resume = item.resume
        if resume.clone is None:
            continue
        source = by_key.get(resume.clone)
        where = item.clone_location
        if resume.resume_id:
            continue  # created already: `clone` only says where it came from
        if source is None and resume.clone in run.unreadable:
            continue  # that file failed to parse: reported already, not missing
        if source is None or source is resume:
            run.problems.append(
                Problem(
                    f"no other resume file has the key `{resume.clone}`"
                    + _did_you_mean(resume.clone, [key for key in by_key if key != resume.key]),
                    where,
                    "clone",
                )
            )
        elif not source.resume_id:
            run.problems.append(
                Problem(
                    f"`{resume.clone}` is itself a resume to create: clone a resume that "
                    "exists (apply once, then add `clone`)",
                    where,
                    "clone",
                )
            )


def _did_you_mean(key: str, candidates: list[str]) -> str:
    close = difflib.get_close_matches(key, candidates, n=1)
    return f"; did you mean `{close[0]}`?" if close else ""
