"""The data model that flows through the pipeline.

files -> DesiredState;  API -> LiveState;  planner(desired, live) -> Plan;  applier(plan).
Everything here is plain data: no I/O, no HTTP, no click.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from resumesync.artifacts import LocalImage, LockEntry, UploadIntent

ListKind = Literal["whitelist", "blacklist"]
LIST_KINDS: tuple[ListKind, ...] = ("blacklist", "whitelist")

# `access.type` values that can be saved (`everyone` cannot since 2021).
ACCESS_TYPES: tuple[str, ...] = ("no_one", "whitelist", "blacklist", "clients", "direct")

JsonPath = tuple[str | int, ...]
"""A path into a resume document, e.g. ("experience", 0, "start")."""

# The id of a resume that the apply creates: its changes name it until the POST answers with
# the real id, which the applier then puts in their place (see `bind_pending` in applier/calls.py).
PENDING_PREFIX = "new:"


def pending_id(key: str) -> str:
    """The stand-in id of the resume of file `key` that is yet to be created."""
    return PENDING_PREFIX + key


def is_pending(resume_id: str) -> bool:
    return resume_id.startswith(PENDING_PREFIX)


@dataclass(frozen=True)
class Location:
    """Where a value came from: a file (relative to the repository) and a 1-based line."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass
class SourceMap:
    """Maps paths inside a resume (or visibility entry) to the line that declared them."""

    locations: Mapping[JsonPath, Location] = field(default_factory=dict)  # read, never written
    default: Location | None = None

    def locate(self, path: JsonPath) -> Location | None:
        """The location of `path`, or of its nearest declared ancestor."""
        probe = tuple(path)
        while True:
            if probe in self.locations:
                return self.locations[probe]
            if not probe:
                return self.default
            probe = probe[:-1]


class PublishMode(enum.Enum):
    NEVER = "false"
    ONCE = "true"
    RENEW = "renew"


@dataclass
class DesiredList:
    """A visibility list as declared in visibility.yaml (plus `defaults`)."""

    kind: ListKind
    employers: tuple[str, ...]  # employer ids, as strings, in file order, unique
    exact: bool  # a plain sequence is exact; `{include: [...]}` only guarantees its members
    names: dict[str, str] = field(default_factory=dict)  # id -> name written next to it
    source: SourceMap = field(default_factory=SourceMap)


@dataclass
class DesiredResume:
    key: str  # the file stem: "backend" for resumes/backend.yaml
    resume_id: str  # "" for a file without `id`: a resume to create
    file: str  # path relative to the repository root
    publish: PublishMode = PublishMode.NEVER
    fields: dict[str, Any] = field(default_factory=dict)  # declared writable fields only
    access: str | None = None  # desired access.type from visibility.yaml (None: unmanaged)
    lists: dict[ListKind, DesiredList] = field(default_factory=dict)  # absent: unmanaged
    source: SourceMap = field(default_factory=SourceMap)  # paths of `fields` -> lines
    clone: str | None = None  # a resume to create as a copy of the resume of this file key
    # set by the plan when an interrupted apply already created this file's resume
    adopted: bool = False
    # `photo: {file: ...}` and `portfolio: [{file: ...}]`: the local images, read and hashed
    images: tuple[LocalImage, ...] = ()

    @property
    def to_create(self) -> bool:
        return not self.resume_id


@dataclass(frozen=True)
class CreateIntent:
    """What an apply wrote in `.resumesync/` just before it POSTed a new resume: enough to
    recognise that resume on the next run if the apply died before writing its id back."""

    key: str
    title: str  # the title the new resume has right after the POST
    known_ids: tuple[str, ...]  # the account's resumes before the POST
    api: str = ""


@dataclass
class Protect:
    """`protect:` of visibility.yaml: employers who must never be able to find any resume."""

    employers: tuple[str, ...] = ()  # employer ids, as strings, in file order, unique
    names: dict[str, str] = field(default_factory=dict)  # id -> name written next to it
    source: SourceMap = field(default_factory=SourceMap)  # (employer id,) -> its line


@dataclass
class DesiredState:
    root: str  # the repository directory
    resumes: list[DesiredResume] = field(default_factory=list)
    # file key -> the intent an interrupted apply left behind (.resumesync/creating.json)
    intents: dict[str, CreateIntent] = field(default_factory=dict)
    # resumesync.lock: "type:sha256" -> the artifact an image became
    lock: dict[str, LockEntry] = field(default_factory=dict)
    # "type:sha256" -> the upload an interrupted apply left behind (.resumesync/uploading.json)
    upload_intents: dict[str, UploadIntent] = field(default_factory=dict)
    protect: Protect = field(default_factory=Protect)

    def by_id(self) -> dict[str, DesiredResume]:
        return {resume.resume_id: resume for resume in self.resumes}


@dataclass
class LiveList:
    kind: ListKind
    employers: dict[str, str]  # id -> name, as the server lists them
    limit: int
    can_add: int


@dataclass
class LiveResume:
    resume_id: str
    document: dict[str, Any]  # the full GET /resumes/{id} body
    lists: dict[ListKind, LiveList] = field(default_factory=dict)  # only the lists that were read
    # GET /resumes/{id}/conditions: the server's rules for its fields; None when not read
    conditions: dict[str, Any] | None = None

    @property
    def title(self) -> str:
        return str(self.document.get("title") or "")

    @property
    def access(self) -> str | None:
        access = self.document.get("access") or {}
        return (access.get("type") or {}).get("id")

    @property
    def status(self) -> str | None:
        return (self.document.get("status") or {}).get("id")

    @property
    def blocked(self) -> bool:
        return bool(self.document.get("blocked"))

    @property
    def can_publish_or_update(self) -> bool:
        return bool(self.document.get("can_publish_or_update"))

    @property
    def next_publish_at(self) -> str | None:
        return self.document.get("next_publish_at")

    @property
    def missing_mandatory(self) -> list[str]:
        progress = self.document.get("progress") or {}
        return [str(item.get("id")) for item in progress.get("mandatory") or []]


@dataclass(frozen=True)
class ResumeSummary:
    resume_id: str
    title: str


@dataclass
class LiveState:
    api_url: str
    resumes: dict[str, LiveResume] = field(default_factory=dict)  # managed resumes, by id
    account: list[ResumeSummary] = field(default_factory=list)  # every resume on the account
    # Area id -> the station ids of its metro directory (GET /metro/{area}; empty when the
    # area has none), read only for the areas of a declared metro the apply would change.
    metro: dict[str, frozenset[str]] = field(default_factory=dict)
    # Dictionary kind -> its ids (dictionaries.py), read only for the ids a PUT sends; areas
    # hold the ids looked up one by one that exist.
    dictionaries: dict[str, frozenset[str]] = field(default_factory=dict)
    # GET /resumes/creation_availability and GET /resume_conditions: read only when a file
    # asks for a new resume
    creation: dict[str, Any] | None = None
    new_resume_conditions: dict[str, Any] | None = None
    # GET /artifacts/{type} (id -> item) and /artifacts/{type}/conditions: read only for the
    # types of the local images the files declare
    artifacts: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    artifact_conditions: dict[str, dict[str, Any]] = field(default_factory=dict)


class Action(enum.Enum):
    CREATE = "create"  # POST /resumes (?source_resume_id= for a clone)
    ADOPT = "adopt"  # no call: write the id of a resume an interrupted apply created
    UPLOAD = "upload"  # POST /artifacts (multipart): a local image, once per content
    # no call: an interrupted apply uploaded this image; wait for `ok`, write resumesync.lock
    ADOPT_UPLOAD = "adopt_upload"
    DESCRIBE = "describe"  # PUT /artifacts/{id}: a portfolio image's new description
    UPDATE = "update"
    LIST_ADD = "list_add"
    LIST_REMOVE = "list_remove"
    LIST_CLEAR = "list_clear"
    PUBLISH = "publish"


@dataclass(frozen=True)
class Change:
    """One HTTP call of a plan."""

    action: Action
    resume: str  # resume key (file stem)
    resume_id: str
    method: str
    path: str  # with the query string for list_remove
    body: dict[str, Any] | None = None
    diff: dict[str, dict[str, Any]] | None = None  # update: field -> {"old": ..., "new": ...}
    list_kind: ListKind | None = None
    employers: tuple[str, ...] = ()  # list_add / list_remove / list_clear: the employer ids
    widens_visibility: bool = False  # more employers may see the resume after this change
    reason: str | None = None  # publish: "first publication" / "renew"
    clone_of: str | None = None  # create: the key of the file whose resume is copied
    file: str | None = None  # create / adopt: the resume file the new id is written into
    title: str | None = None  # create: the new resume's title right after the POST
    artifact_type: str | None = None  # upload / describe: photo | portfolio
    sha256: str | None = None  # upload: the image's content hash (checked again at apply)
    size: int | None = None  # upload: bytes


class NoticeKind(enum.Enum):
    UNMANAGED_RESUME = "unmanaged_resume"
    OUT_OF_BAND = "out_of_band"  # employers on an `include` list that no file declares
    PUBLISH_SKIPPED = "publish_skipped"
    PUBLISH_NOT_YET = "publish_not_yet"
    UNUSED_IMAGE = "unused_image"  # in resumesync.lock, used by no file (never deleted)
    # an interrupted upload left artifacts that cannot be told apart: uploaded again
    UNCERTAIN_UPLOAD = "uncertain_upload"


@dataclass(frozen=True)
class Notice:
    kind: NoticeKind
    message: str
    resume: str | None = None
    resume_id: str | None = None
    employers: tuple[str, ...] = ()


@dataclass
class Plan:
    changes: list[Change] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    fingerprint: str = ""
    api_url: str = ""
    # id -> name of every employer the plan mentions (from the live lists and from the files)
    employer_names: dict[str, str] = field(default_factory=dict)
    # the account's resume ids when the plan was made (not saved: a saved plan's apply reads
    # them again); a create's intent record keeps them to recognise the new resume later
    account_ids: tuple[str, ...] = field(default=(), compare=False)
    # likewise the account's artifact ids per type (of the types the files show images of):
    # an upload's intent record keeps them to recognise the new artifact later
    artifact_ids: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False)

    @property
    def has_changes(self) -> bool:
        return bool(self.changes)

    def changes_for(self, resume_id: str) -> list[Change]:
        return [change for change in self.changes if change.resume_id == resume_id]
