"""Live account -> files (`resumesync import`): one YAML file per resume and visibility.yaml.

The contract is "a plan right after an import is empty". A resume file holds the writable fields
the live resume has, simplified only where normalize.py already treats both forms as equal:

- dictionary entries become `{id, name}` (`url` and other server-filled keys dropped; a language
  keeps `{id, name, level: {id, name}}`);
- nested nulls and empty lists are dropped (normalize rule 4); top-level fields that are empty
  are left out, so the file manages only what the resume has (add `field: null` or `[]` to
  manage an empty one);
- server-set contact keys (`verified`, `kind`, ...), `formatted` of a phone that has country,
  city and number, `employer` in experience, and photo / portfolio image URLs are dropped;
- `total_experience` is not written: the server computes it from experience on every read, so
  a declared value would turn into a perpetual diff at the first edit of experience.

Every simplified field is checked against normalize.py before it is written: a field whose
simplified form would not compare equal to the live one is written as the server returned it.

visibility.yaml gets every imported resume's access type and both of its lists (a list left out
would be unmanaged), employers as `{id, name}`. The blacklist is an exact list; the whitelist is
`{include: [...]}`, because hh.ru adds employers to it when the user applies to their vacancies
and an exact whitelist would undo that on the next apply (see DESIGN, visibility.yaml).

Each file starts with a `yaml-language-server` line naming, by a relative path, a copy of the
schema that import writes into the repository (`schemas/*.schema.json`, the installed version's
own): editors validate against exactly the schema `validate` uses, offline, on every clone and
in CI (a file URI into one machine's site-packages worked only there). Running import again
refreshes the copies after an upgrade.

`import --resume ID` into a repository that has a visibility.yaml merges that resume's entry
into it (visibility_merge: every other entry and comment kept) instead of replacing the file.
Nothing is printed or logged here; notes name fields and ids, never values.
"""

from __future__ import annotations

import asyncio
import os
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from resumesync.client import HHClient, RetryEvent, gather_or_cancel
from resumesync.endpoints import list_path, resume_path
from resumesync.files import RESUME_SUFFIXES, RESUMES_DIR, VISIBILITY_FILE
from resumesync.live import checked_list, checked_object, summaries
from resumesync.model import (
    ACCESS_TYPES,
    LIST_KINDS,
    LiveResume,
    Location,
    ResumeSummary,
    SourceMap,
)
from resumesync.normalize import DICTIONARY_FIELDS, DICTIONARY_LIST_FIELDS, normalize_field
from resumesync.pipeline import client_settings
from resumesync.problems import Problem, ProblemsError
from resumesync.resources import load_schema
from resumesync.safefs import atomic_write
from resumesync.settings import Settings
from resumesync.validation import (
    OUR_KEYS,
    RESUME_SCHEMA,
    TOP_LEVEL_MESSAGES,
    VISIBILITY_SCHEMA,
    check_resume_document,
)
from resumesync.yamlfile import parse_yaml, read_yaml_text

# Fields a file must not declare although the server returns them: computed on every read.
SERVER_COMPUTED: tuple[str, ...] = ("total_experience",)

# The order of fields in a written file: what the resume is about first, then the person,
# contacts and extras; education and experience, the long parts, last. Writable fields not
# named here go before education.
FIELD_ORDER: tuple[str, ...] = (
    "title",
    "professional_roles",
    "salary",
    "employments",
    "schedules",
    "employment_form",
    "work_format",
    "skill_set",
    "skills",
    "last_name",
    "first_name",
    "middle_name",
    "birth_date",
    "gender",
    "area",
    "metro",
    "relocation",
    "business_trip_readiness",
    "travel_time",
    "citizenship",
    "work_ticket",
    "has_vehicle",
    "driver_license_types",
    "resume_locale",
    "hidden_fields",
    "photo",
    "contact",
    "site",
    "language",
    "portfolio",
    "certificate",
    "recommendation",
)
LAST_FIELDS: tuple[str, ...] = ("education", "experience")

EXPERIENCE_ORDER = (
    "company",
    "company_id",
    "company_url",
    "area",
    "industries",
    "industry",
    "position",
    "start",
    "end",
    "description",
)
CONTACT_ORDER = ("type", "value", "preferred", "comment")
EDUCATION_ORDER = ("level", "primary", "elementary", "additional", "attestation")
PHONE_PARTS = ("country", "city", "number")
# Keys that hh.ru sets on a contact when it is read; never written back.
SERVER_CONTACT_KEYS = ("verified", "need_verification", "contact_value", "kind", "links")

WHITELIST_MODE_COMMENT = (
    "A blacklist is written as a plain list: exact, `apply` removes employers that are not in\n"
    "it. A whitelist is written as `{include: [...]}`: hh.ru adds an employer to it when you\n"
    "apply to its vacancy, and `include` keeps those (the plan reports them) instead of\n"
    "removing them. Write a whitelist as a plain list to make it exact."
)
SCHEMAS_DIR = "schemas"  # the repository's copies of the installed version's schemas
PUBLISH_COMMENT = "false: never publish | true: publish once | renew: keep re-publishing"

MAX_STEM_LENGTH = 60
FALLBACK_STEM = "resume"


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


# --- file names -------------------------------------------------------------------------------

# Russian, Ukrainian and Belarusian letters, as in passports (ICAO 9303) with common
# simplifications: "Программист" -> "programmist", "Щука" -> "shchuka".
_CYRILLIC = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "i",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "iu",
    "я": "ia",
    "і": "i",
    "ї": "i",
    "є": "ie",
    "ґ": "g",
    "ў": "u",
}
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(title: str) -> str:
    """A file stem from a title: lower-case latin letters, digits and single hyphens.

    Cyrillic is transliterated, other accents are stripped; "C++" keeps its meaning as "c-plus-
    plus" would not, so symbols simply separate words. An empty result becomes "resume".
    """
    text = "".join(_CYRILLIC.get(char, char) for char in title.lower())
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NOT_SLUG.sub("-", text.lower()).strip("-")
    if len(slug) > MAX_STEM_LENGTH:
        cut = slug[:MAX_STEM_LENGTH]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut
    return slug or FALLBACK_STEM


def unique_stem(title: str, taken: Iterable[str]) -> str:
    """slugify(title), with -2, -3, ... appended when the stem is taken."""
    used = set(taken)
    stem = slugify(title)
    candidate, number = stem, 2
    while candidate in used:
        candidate, number = f"{stem}-{number}", number + 1
    return candidate


def existing_resume_files(directory: Path) -> dict[Path, str]:
    """Resume files already in `directory`/resumes -> the id each declares ("" if none).

    An import with --force refreshes a resume's file in place, even when the title changed.
    """
    folder = directory / RESUMES_DIR
    if not folder.is_dir():
        return {}
    found: dict[Path, str] = {}
    for path in sorted(folder.iterdir()):
        if path.suffix not in RESUME_SUFFIXES or path.name.startswith(("_", ".")):
            continue
        found[path] = ""
        try:
            data = parse_yaml(read_yaml_text(path.read_bytes(), path.name), path.name).data
        except (OSError, ProblemsError):
            continue  # not a resume file we can match: its name stays taken all the same
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            found[path] = data["id"]
    return found


def target_paths(
    directory: Path, resumes: Sequence[ResumeSummary], existing: Mapping[Path, str]
) -> dict[str, Path]:
    """resume id -> the file to write: the file that already declares the id, or a new stem
    from the title that no other file in resumes/ uses."""
    paths: dict[str, Path] = {}
    for path, resume_id in existing.items():
        if resume_id:
            paths.setdefault(resume_id, path)
    paths = {
        summary.resume_id: paths[summary.resume_id]
        for summary in resumes
        if summary.resume_id in paths
    }
    taken = {path.stem for path in existing}
    for summary in resumes:
        if summary.resume_id in paths:
            continue
        stem = unique_stem(summary.title, taken)
        taken.add(stem)
        paths[summary.resume_id] = directory / RESUMES_DIR / f"{stem}.yaml"
    return paths


def _relative(path: Path, directory: Path) -> str:
    return Path(os.path.relpath(path, directory)).as_posix()


# --- the fields of a resume file --------------------------------------------------------------


class FlowMap(dict[str, Any]):
    """A mapping written on one line: `{id: "1", name: Moscow}`."""


def writable_fields() -> list[str]:
    """The resume fields a file may declare, in the order they are written."""
    properties: dict[str, Any] = load_schema(RESUME_SCHEMA)["properties"]
    names = [
        name
        for name, schema in properties.items()
        if not schema.get("readOnly")
        and name not in OUR_KEYS
        and name not in TOP_LEVEL_MESSAGES  # access (visibility.yaml), specialization
        and name not in SERVER_COMPUTED
    ]
    first = [name for name in FIELD_ORDER if name in names]
    last = [name for name in LAST_FIELDS if name in names]
    rest = [name for name in names if name not in first and name not in last]
    return first + rest + last


def resume_fields(document: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """A live resume document -> (the fields to write, notes about what was left out)."""
    fields: dict[str, Any] = {}
    notes: list[str] = []
    for name in writable_fields():
        live = document.get(name)
        if _prune(live) in (None, [], {}):
            continue
        value = simplify_field(name, live)
        if normalize_field(name, value) != normalize_field(name, live):
            value = _prune(live)  # never change what the resume says to make it prettier
            notes.append(f"{name} is written as the server returned it")
        fields[name] = value
    images = [name for name in ("photo", "portfolio") if name in fields]
    if images:
        notes.append(
            f"{' and '.join(images)} written as the artifact ids {{id: ...}}: import downloads "
            "no images (to keep one in the repository, put the file next to the resume and "
            "write `{file: images/NAME}` instead)"
        )
    specialization = document.get("specialization")
    if "specialization" not in fields and _prune(specialization) not in (None, [], {}):
        notes.append(
            "specialization is not written: it is not writable in the current API "
            "(professional_roles replaces it)"
        )
    return fields, notes


def simplify_field(name: str, value: Any) -> Any:
    """Field `name` as a person would write it (see the module docstring)."""
    value = _prune(value)
    if value is None:
        return None
    rule = _FIELD_RULES.get(name)
    if rule is not None:
        return rule(value)
    if name in DICTIONARY_FIELDS:
        return _entry(value)
    if name in DICTIONARY_LIST_FIELDS:
        return _entries(value)
    return value


def _prune(value: Any) -> Any:
    """Nested nulls, empty lists and empty mappings dropped (normalize rule 4)."""
    if isinstance(value, Mapping):
        pruned = {str(key): _prune(item) for key, item in value.items()}
        return {key: item for key, item in pruned.items() if item not in (None, [], {})}
    if isinstance(value, list):
        return [_prune(item) for item in value]
    return value


def _ordered(value: Mapping[str, Any], order: Sequence[str]) -> dict[str, Any]:
    first = {key: value[key] for key in order if key in value}
    return {**first, **{key: item for key, item in value.items() if key not in first}}


def _entry(value: Any) -> Any:
    """A dictionary entry: its id and, for people, its name; nothing else the server adds."""
    if not isinstance(value, Mapping) or "id" not in value:
        return value
    entry = FlowMap(id=str(value["id"]))
    if isinstance(value.get("name"), str):
        entry["name"] = value["name"]
    return entry


def _entries(value: Any) -> Any:
    return [_entry(item) for item in value] if isinstance(value, list) else value


def _each(value: Any, rule: Callable[[dict[str, Any]], Any]) -> Any:
    if not isinstance(value, list):
        return value
    return [rule(dict(item)) if isinstance(item, Mapping) else item for item in value]


def _contact(contact: dict[str, Any]) -> dict[str, Any]:
    for key in SERVER_CONTACT_KEYS:
        contact.pop(key, None)
    if "type" in contact:
        contact["type"] = _entry(contact["type"])
    phone = contact.get("value")
    if isinstance(phone, Mapping):
        phone = dict(phone)
        if all(phone.get(part) not in (None, "") for part in PHONE_PARTS):
            phone.pop("formatted", None)  # the server derives it from the parts
        contact["value"] = FlowMap(_ordered(phone, (*PHONE_PARTS, "formatted")))
    if contact.get("preferred") is False:
        del contact["preferred"]  # the default
    return _ordered(contact, CONTACT_ORDER)


def _experience(job: dict[str, Any]) -> dict[str, Any]:
    job.pop("employer", None)  # filled in by the server from company_id
    for key in ("area", "industry"):
        if key in job:
            job[key] = _entry(job[key])
    if "industries" in job:
        job["industries"] = _entries(job["industries"])
    job.setdefault("end", None)  # `end: null` reads as "to this day"
    return _ordered(job, EXPERIENCE_ORDER)


def _education(value: Any) -> Any:
    if not isinstance(value, Mapping):
        return value
    education = dict(value)
    if "level" in education:
        education["level"] = _entry(education["level"])

    def primary(entry: dict[str, Any]) -> dict[str, Any]:
        if "education_level" in entry:
            entry["education_level"] = _entry(entry["education_level"])
        return entry

    if "primary" in education:
        education["primary"] = _each(education["primary"], primary)
    return _ordered(education, EDUCATION_ORDER)


def _language(language: dict[str, Any]) -> Any:
    entry = _entry(language)
    if isinstance(entry, FlowMap) and "level" in language:
        entry["level"] = _entry(language["level"])
    return entry


def _site(site: dict[str, Any]) -> dict[str, Any]:
    if "type" in site:
        site["type"] = _entry(site["type"])
    return _ordered(site, ("type", "url"))


def _relocation(value: Any) -> Any:
    if not isinstance(value, Mapping):
        return value
    relocation = dict(value)
    if "type" in relocation:
        relocation["type"] = _entry(relocation["type"])
    for key in ("area", "areas", "district"):
        if key in relocation:
            relocation[key] = _entries(relocation[key])
    return _ordered(relocation, ("type", "area", "areas", "district"))


def _photo(value: Any) -> Any:
    """Only the artifact id is written: `small` / `medium` are URLs that expire."""
    if isinstance(value, Mapping) and "id" in value:
        return FlowMap(id=str(value["id"]))
    return value


def _portfolio(entry: dict[str, Any]) -> dict[str, Any]:
    return {key: entry[key] for key in ("id", "description") if key in entry}


_FIELD_RULES: dict[str, Callable[[Any], Any]] = {
    "contact": lambda value: _each(value, _contact),
    "experience": lambda value: _each(value, _experience),
    "education": _education,
    "language": lambda value: _each(value, _language),
    "site": lambda value: _each(value, _site),
    "relocation": _relocation,
    "photo": _photo,
    "portfolio": lambda value: _each(value, _portfolio),
    "salary": lambda value: FlowMap(value) if isinstance(value, Mapping) else value,
}


# --- visibility.yaml --------------------------------------------------------------------------


def visibility_entry(live_resume: LiveResume) -> tuple[dict[str, Any], list[str]]:
    """One resume's entry: access type, the exact blacklist, the whitelist as `include`."""
    entry: dict[str, Any] = {}
    notes: list[str] = []
    access = live_resume.access
    if access in ACCESS_TYPES:
        entry["access"] = access
    elif access is not None:
        notes.append(
            f"resume {live_resume.resume_id}: its access type `{access}` can no longer be "
            "saved, so visibility.yaml leaves it unmanaged; choose one of "
            + ", ".join(ACCESS_TYPES)
        )
    for kind in LIST_KINDS:
        live_list = live_resume.lists.get(kind)
        members = live_list.employers if live_list else {}
        employers = [_employer(employer, name) for employer, name in members.items()]
        if kind == "blacklist":
            entry[kind] = employers
        else:  # FlowMap when empty: `whitelist: {include: []}`
            entry[kind] = {"include": employers} if employers else FlowMap(include=[])
    return entry, notes


def _employer(employer_id: str, name: str) -> FlowMap:
    return FlowMap(id=employer_id, name=name) if name else FlowMap(id=employer_id)


def render_visibility(resumes: Sequence[tuple[str, LiveResume]]) -> tuple[str, list[str]]:
    """visibility.yaml for (key, live resume) pairs, and notes."""
    entries: dict[str, Any] = {}
    notes: list[str] = []
    for key, live_resume in resumes:
        entries[key], entry_notes = visibility_entry(live_resume)
        notes.extend(entry_notes)
    header = [
        schema_comment(VISIBILITY_SCHEMA),
        "# Who may see each resume, as imported by `resumesync import`.",
        "# access: no_one | whitelist | blacklist | clients | direct",
        *(f"# {line}" for line in WHITELIST_MODE_COMMENT.splitlines()),
        "# Employer names are for people: only the ids count.",
    ]
    return "\n".join(header) + "\n" + dump_yaml({"resumes": entries}), notes


# --- resume files -----------------------------------------------------------------------------


def schema_comment(name: str, up: str = "") -> str:
    """The editor's schema line: a path relative to the file, to the copy in `schemas/` (`up`
    is `../` for a file in resumes/)."""
    return f"# yaml-language-server: $schema={up}{SCHEMAS_DIR}/{name}"


def render_resume_file(resume_id: str, fields: Mapping[str, Any]) -> str:
    """The text of a resume file: schema line, comments, id, publish: false, the fields."""
    header = [
        schema_comment(RESUME_SCHEMA, "../"),
        "# Imported from hh.ru by `resumesync import`. It holds personal data as the account has",
        "# it (contacts, birth date). To keep contacts out of git, replace a value with ${VAR},",
        "# e.g. `value: ${HH_EMAIL}`, and set the variable locally or as a CI secret.",
    ]
    body = dump_yaml({"id": resume_id})
    body += f"publish: false  # {PUBLISH_COMMENT}\n"
    if fields:
        body += dump_yaml(dict(fields))
    return "\n".join(header) + "\n" + body


# --- YAML output ------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """safe_dump's dumper, with list items indented under their key, double quotes where
    quotes are needed ("2019-03-01", "0123", "yes" stay strings), multi-line text as `|`
    blocks and FlowMap on one line."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)

    def choose_scalar_style(self) -> str:
        style = super().choose_scalar_style()
        return '"' if style == "'" else style


# Line breaks a `|` block cannot keep: YAML reads each as a plain newline.
_BLOCK_BREAKS = frozenset("\r\x85\u2028\u2029")


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    if _BLOCK_BREAKS.intersection(value):
        style = '"'  # escaped, so that it reads back unchanged
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_flow(dumper: yaml.SafeDumper, value: FlowMap) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", value, flow_style=True)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(FlowMap, _represent_flow)


def dump_yaml(data: Any) -> str:
    """YAML that resumesync.yamlfile reads back as `data` (`${` escaped as `$${`)."""
    return yaml.dump(
        escape_interpolation(data),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=sys.maxsize,  # no folding: long text stays on one line, editors wrap it
    )


def escape_interpolation(value: Any) -> Any:
    """Text that contains `${` is written as `$${`, so that loading does not interpolate it."""
    if isinstance(value, str):
        return value.replace("${", "$${")
    if isinstance(value, FlowMap):
        return FlowMap({key: escape_interpolation(item) for key, item in value.items()})
    if isinstance(value, Mapping):
        return {key: escape_interpolation(item) for key, item in value.items()}
    if isinstance(value, list):
        return [escape_interpolation(item) for item in value]
    return value


def _write(path: Path, text: str, root: Path) -> None:
    """Write through a temporary file in the same directory, so no file is left half-written,
    and never through a symlink that the repository holds at `path` (safefs)."""
    atomic_write(path, text, make_parents=True, root=root)
