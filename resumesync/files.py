"""The user's repository -> DesiredState.

    resumesync.yaml     optional settings (load_config)
    resumes/*.yaml      one resume per file, the file stem is its key; `_*.yaml` are bases
    visibility.yaml     access type and employer lists per resume (optional: absent = unmanaged)

Every file is read once per run; every problem of every file is collected and raised together
as one ProblemsError, so `validate` shows them all at once.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from resumesync.artifacts import (
    MAX_IMAGE_BYTES,
    LocalImage,
    LockEntry,
    image_type,
    sha256_hex,
)
from resumesync.credentials import interpolation_problem, token_env_problem
from resumesync.hosts import repository_url_problem
from resumesync.intents import read_intents
from resumesync.lockfile import read_lock
from resumesync.model import (
    LIST_KINDS,
    DesiredList,
    DesiredResume,
    DesiredState,
    JsonPath,
    ListKind,
    Location,
    Protect,
    PublishMode,
    SourceMap,
)
from resumesync.problems import Problem, ProblemsError, dotted
from resumesync.safefs import UnsafePathError, confine, read_confined
from resumesync.upload_intents import read_upload_intents
from resumesync.validation import (
    OUR_KEYS,
    check_resume_document,
    check_visibility,
    employer_id,
    list_members,
    sort_problems,
    validate_config,
)
from resumesync.yamlfile import (
    LineLocations,
    YamlDocument,
    interpolate,
    parse_yaml,
    read_yaml_text,
)

CONFIG_FILE = "resumesync.yaml"
VISIBILITY_FILE = "visibility.yaml"
RESUMES_DIR = "resumes"
RESUME_SUFFIXES = (".yaml", ".yml")
NOT_INHERITED = ("id", "extends", "clone")  # a variant never takes its parent's identity
# Repository files are untrusted (a pull request can change any of them): caps that keep a
# hostile one bounded. A resume file is a few KB, a long visibility.yaml a few hundred.
MAX_YAML_FILE_BYTES = 4 * 1024 * 1024
# Bases of bases are rare beyond two levels; a chain of thousands only costs time.
MAX_EXTENDS_DEPTH = 32

PUBLISH_MODES: dict[Any, PublishMode] = {
    False: PublishMode.NEVER,
    True: PublishMode.ONCE,
    "renew": PublishMode.RENEW,
}


class RepositoryError(ProblemsError):
    """Every error of a load, with the warnings found on the way (shown next to the errors)."""

    def __init__(self, problems: list[Problem], warnings: list[Problem]) -> None:
        super().__init__(problems)
        self.warnings = warnings


@dataclass(frozen=True)
class ProfileConfig:
    """One account of a multi-account repository (`profiles:` in resumesync.yaml)."""

    name: str
    dir: str  # the profile's repository, relative to the directory of resumesync.yaml
    token_env: str  # the environment variable holding this account's token
    api_url: str | None = None
    user_agent: str | None = None


@dataclass(frozen=True)
class RepositoryConfig:
    """resumesync.yaml. Values are taken as written (no ${VAR}: tokens come from token_env)."""

    file: str
    api_url: str | None = None
    user_agent: str | None = None
    profiles: dict[str, ProfileConfig] = field(default_factory=dict)


@dataclass
class LoadedRepository:
    """Everything read from a repository: the desired state, plus what renderers may want."""

    state: DesiredState
    warnings: list[Problem] = field(default_factory=list)
    # resume key -> paths of `fields` whose value came from ${VAR} (renderers may hide them)
    interpolated: dict[str, frozenset[JsonPath]] = field(default_factory=dict)
    config: RepositoryConfig | None = None


def load_repository(directory: Path, env: Mapping[str, str]) -> DesiredState:
    """The desired state of the repository at `directory`.

    Raises RepositoryError (a ProblemsError) listing every problem of every file.
    """
    return read_repository(directory, env).state


def read_repository(directory: Path, env: Mapping[str, str]) -> LoadedRepository:
    """Like load_repository, with the warnings, interpolated paths and settings kept."""
    run = _Run(Path(directory), env)
    config = run.config()
    resumes = run.resumes()
    run.check_ids(resumes)
    run.check_clones(resumes)
    protect = run.apply_visibility(resumes)
    if run.problems:
        raise RepositoryError(sort_problems(run.problems), sort_problems(run.warnings))
    return LoadedRepository(
        state=DesiredState(
            root=str(directory),
            resumes=[item.resume for item in resumes],
            intents=read_intents(Path(directory)),
            upload_intents=read_upload_intents(Path(directory)),
            lock=run.lock(),
            protect=protect,
        ),
        warnings=sort_problems(run.warnings),
        interpolated={item.resume.key: item.interpolated for item in resumes},
        config=config,
    )


def load_config(directory: Path) -> RepositoryConfig | None:
    """resumesync.yaml of `directory`, None when there is none; ProblemsError when invalid."""
    run = _Run(Path(directory), {})
    config = run.config()
    if run.problems:
        raise ProblemsError(sort_problems(run.problems))
    return config


@dataclass
class _Tree:
    """A document's data with the location of every path (possibly spanning several files)."""

    data: Any
    locations: Mapping[JsonPath, Location]  # read only
    interpolated: frozenset[JsonPath] = frozenset()

    @classmethod
    def of(cls, document: YamlDocument) -> _Tree:
        # a Location is made for the paths looked up, not for every value of every file
        return cls(
            document.data, LineLocations(document.file, document.lines), document.interpolated
        )


def merge(base: _Tree, over: _Tree) -> _Tree:
    """`over` deep-merged onto `base`: mappings merge, anything else in `over` replaces.

    Each path keeps the location (and interpolation mark) of the file that supplied it.
    """
    locations: dict[JsonPath, Location] = {}
    interpolated: set[JsonPath] = set()

    def mark(path: JsonPath, owner: _Tree) -> None:
        if path in owner.locations:
            locations[path] = owner.locations[path]
        if path in owner.interpolated:
            interpolated.add(path)

    def copy(value: Any, path: JsonPath, owner: _Tree) -> Any:
        mark(path, owner)
        if isinstance(value, dict):
            return {key: copy(item, (*path, key), owner) for key, item in value.items()}
        if isinstance(value, list):
            return [copy(item, (*path, index), owner) for index, item in enumerate(value)]
        return value

    def combine(low: Any, high: Any, path: JsonPath) -> Any:
        if not (isinstance(low, dict) and isinstance(high, dict)):
            return copy(high, path, over)
        mark(path, over)
        result = {
            key: copy(value, (*path, key), base) for key, value in low.items() if key not in high
        }
        for key, value in high.items():
            if key in low:
                result[key] = combine(low[key], value, (*path, key))
            else:
                result[key] = copy(value, (*path, key), over)
        return result

    data = combine(base.data, over.data, ())
    return _Tree(data, locations, frozenset(interpolated))


@dataclass
class _Loaded:
    resume: DesiredResume
    interpolated: frozenset[JsonPath]
    id_location: Location | None
    clone_location: Location | None = None


class _Run:
    """The state of one load: the root, the environment, parsed files and problems so far."""

    def __init__(self, root: Path, env: Mapping[str, str]) -> None:
        self.root = root
        self.env = env
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.documents: dict[Path, YamlDocument | None] = {}
        self.unreadable: set[str] = set()  # keys of resume files that could not be parsed
        self.token_envs: tuple[str, ...] = ()  # the profiles' token variables, once read
        self.shared: dict[Any, Any] = {}  # the files' path tuples and keys (yamlfile.parse_yaml)

    def refused_variable(self, name: str) -> str | None:
        """Why `${name}` may not be read: it holds a credential (credentials.py)."""
        return interpolation_problem(name, self.token_envs)

    def relative(self, path: Path) -> str:
        return Path(os.path.relpath(path, self.root)).as_posix()

    def read(
        self,
        path: Path,
        env: Mapping[str, str] | None = None,
        named_at: Location | None = None,
    ) -> YamlDocument | None:
        """Parse (and interpolate) a file once; None, with its problems recorded, if it fails.

        The file's real path must lie inside the repository (symlinks resolved); a refusal is
        reported at `named_at`, the line that named the file (an `extends:`), if any.
        """
        path = Path(os.path.normpath(path))
        if path in self.documents:
            return self.documents[path]
        file = self.relative(path)
        document: YamlDocument | None = None
        try:
            raw = read_confined(self.root, path, limit=MAX_YAML_FILE_BYTES)
            document = parse_yaml(read_yaml_text(raw, file), file, shared=self.shared)
            if env is not None:
                document = interpolate(document, env, refuse=self.refused_variable)
        except UnsafePathError as error:
            where = named_at or Location(file, 1)
            self.problems.append(Problem(error.reason, where, "extends" if named_at else ""))
            document = None
        except OSError as error:
            self.problems.append(Problem(f"cannot read: {error.strerror}", Location(file, 1)))
            document = None
        except ProblemsError as error:
            self.problems.extend(error.problems)
            document = None
        self.documents[path] = document
        return document

    # --- resumesync.yaml -----------------------------------------------------------------

    def config(self) -> RepositoryConfig | None:
        path = self.root / CONFIG_FILE
        if not path.is_file():
            return None
        document = self.read(path)
        if document is None:
            return None
        problems = validate_config(document.data, document.source_map())
        if problems:
            self.problems.extend(problems)
            return None
        data = document.data or {}
        trust = _config_trust_problems(data, document)
        trust += self.profile_dir_problems(data, document)
        if trust:
            self.problems.extend(trust)
            return None
        profiles = {
            name: ProfileConfig(
                name=name,
                dir=profile["dir"],
                token_env=profile["token_env"],
                api_url=profile.get("api_url"),
                user_agent=profile.get("user_agent"),
            )
            for name, profile in (data.get("profiles") or {}).items()
        }
        self.token_envs = tuple(profile.token_env for profile in profiles.values())
        return RepositoryConfig(
            file=document.file,
            api_url=data.get("api_url"),
            user_agent=data.get("user_agent"),
            profiles=profiles,
        )

    def profile_dir_problems(self, data: dict[str, Any], document: YamlDocument) -> list[Problem]:
        """A profile's `dir` must be inside the repository (its real path): files are read
        from inside it only."""
        problems = []
        for name, profile in (data.get("profiles") or {}).items():
            directory = profile.get("dir") if isinstance(profile, dict) else None
            if not isinstance(directory, str):
                continue
            try:
                confine(self.root, self.root / directory)
            except UnsafePathError as error:
                where = document.location(("profiles", name, "dir"))
                problems.append(Problem(error.reason, where, f"profiles.{name}.dir"))
        return problems

    # --- resumes/ ------------------------------------------------------------------------

    def resume_files(self) -> list[Path]:
        directory = self.root / RESUMES_DIR
        if not directory.is_dir():
            self.problems.append(
                Problem(
                    f"{RESUMES_DIR}/ not found in {self.root}: one YAML file per resume. "
                    f"`resumesync import --dir {self.root}` writes them from your account, "
                    f"`resumesync import --sandbox --dir {self.root}` from the example account"
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
                self.problems.append(
                    Problem(
                        f"two files for the resume key `{path.stem}` "
                        f"(also {self.relative(stems[path.stem])})",
                        Location(self.relative(path), 1),
                    )
                )
            stems.setdefault(path.stem, path)
        return list(stems.values())

    def resumes(self) -> list[_Loaded]:
        loaded = []
        for path in self.resume_files():
            item = self.resume(path)
            if item is not None:
                loaded.append(item)
            else:  # it could not be read or parsed (already reported)
                self.unreadable.add(path.stem)
        return loaded

    def resume(self, path: Path) -> _Loaded | None:
        document = self.read(path, self.env)
        if document is None:
            return None
        tree = self.with_bases(path, document)
        source = SourceMap(tree.locations, Location(document.file, document.first_line))
        findings = check_resume_document(tree.data, source)
        self.problems.extend(findings.errors)
        self.warnings.extend(findings.warnings)
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
            source=SourceMap(_FieldLocations(tree.locations), source.default),
        )
        resume.images = tuple(self.images(data, tree))
        fields_interpolated = frozenset(p for p in tree.interpolated if p and p[0] not in OUR_KEYS)
        return _Loaded(
            resume, fields_interpolated, tree.locations.get(("id",)), tree.locations.get(("clone",))
        )

    def with_bases(self, path: Path, document: YamlDocument) -> _Tree:
        """The document deep-merged onto its `extends` chain (bases first)."""
        chain = [_Tree.of(document)]
        seen = [Path(os.path.normpath(path))]
        seen_set = set(seen)  # membership in O(1): a long chain must not cost its square
        current = document
        while isinstance(current.data, dict) and isinstance(current.data.get("extends"), str):
            target = Path(os.path.normpath(seen[-1].parent / current.data["extends"]))
            where = current.location(("extends",))
            if target in seen_set:
                cycle = " -> ".join(self.relative(p) for p in [*seen, target])
                self.problems.append(Problem(f"extends cycle: {cycle}", where, "extends"))
                break
            if len(chain) > MAX_EXTENDS_DEPTH:
                self.problems.append(
                    Problem(
                        f"`extends` chain deeper than {MAX_EXTENDS_DEPTH} files", where, "extends"
                    )
                )
                break
            try:  # before looking at it at all: outside files are not even probed
                confine(self.root, target)
            except UnsafePathError as error:
                self.problems.append(Problem(error.reason, where, "extends"))
                break
            if not _is_file(target):
                self.problems.append(
                    Problem(f"file not found: {self.relative(target)}", where, "extends")
                )
                break
            parent = self.read(target, self.env, named_at=where)
            if parent is None:
                break
            if (
                isinstance(parent.data, dict)
                and target.name.startswith("_")
                and "id" in parent.data
            ):
                self.problems.append(
                    Problem(
                        "a base (file name starting with `_`) is not a resume: it has no id",
                        parent.location(("id",)),
                        "id",
                    )
                )
            if not isinstance(parent.data, dict | None):
                self.problems.append(
                    Problem("a base must be a mapping of resume fields", parent.location(()))
                )
                break
            chain.append(_Tree.of(parent))
            seen.append(target)
            seen_set.add(target)
            current = parent
        tree = chain[-1]
        for child in reversed(chain[:-1]):
            tree = merge(_inheritable(tree), child)
        return tree

    def check_ids(self, resumes: list[_Loaded]) -> None:
        owners: dict[str, _Loaded] = {}
        for item in resumes:
            resume_id = item.resume.resume_id
            if not resume_id:
                continue
            if resume_id in owners:
                other = owners[resume_id].resume.file
                self.problems.append(
                    Problem(f"the same id as {other}: one file per resume", item.id_location, "id")
                )
            else:
                owners[resume_id] = item

    def lock(self) -> dict[str, LockEntry]:
        try:
            return read_lock(self.root)
        except ProblemsError as error:
            self.problems.extend(error.problems)
            return {}

    def images(self, data: dict[str, Any], tree: _Tree) -> list[LocalImage]:
        """The `{file: ...}` images of a resume: each read (inside the repository only),
        hashed and typed; a problem at the `file:` line for each one that cannot be."""
        found: list[tuple[str, JsonPath, Any, int | None]] = []
        photo = data.get("photo")
        if isinstance(photo, dict) and "file" in photo:
            found.append(("photo", ("photo", "file"), photo, None))
        portfolio = data.get("portfolio")
        for index, item in enumerate(portfolio if isinstance(portfolio, list) else []):
            if isinstance(item, dict) and "file" in item:
                found.append(("portfolio", ("portfolio", index, "file"), item, index))
        images = []
        for artifact_type, path, entry, index in found:
            where = tree.locations.get(path)
            name = entry.get("file")
            if where is None or not isinstance(name, str) or not name:
                continue  # a schema error already
            image = self.image(artifact_type, name, where, index, entry.get("description"))
            if image is not None:
                images.append(image)
        return images

    def image(
        self,
        artifact_type: str,
        name: str,
        where: Location,
        index: int | None,
        description: Any,
    ) -> LocalImage | None:
        field = "photo.file" if index is None else f"portfolio[{index}].file"
        declaring = self.root / where.file
        target = Path(os.path.normpath(declaring.parent / name))
        try:
            real = confine(self.root, target)
        except UnsafePathError:
            self.problems.append(Problem("the image must be inside the repository", where, field))
            return None
        try:
            content = read_confined(self.root, real, limit=MAX_IMAGE_BYTES)
        except FileNotFoundError:
            self.problems.append(Problem(f"image not found: {self.relative(target)}", where, field))
            return None
        except UnsafePathError as error:
            self.problems.append(Problem(str(error), where, field))
            return None
        except OSError as error:
            self.problems.append(
                Problem(f"cannot read the image: {error.strerror or error}", where, field)
            )
            return None
        root = Path(os.path.realpath(self.root))
        mime = image_type(content)
        if mime is None:
            self.problems.append(
                Problem("not an image hh.ru takes (PNG, JPEG or PSD)", where, field)
            )
            return None
        return LocalImage(
            artifact_type=artifact_type,
            file=Path(os.path.relpath(real, root)).as_posix(),
            sha256=sha256_hex(content),
            size=len(content),
            mime=mime,
            location=where,
            index=index,
            description=description if isinstance(description, str) else None,
        )

    def check_clones(self, resumes: list[_Loaded]) -> None:
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
            if source is None and resume.clone in self.unreadable:
                continue  # that file failed to parse: reported already, not missing
            if source is None or source is resume:
                self.problems.append(
                    Problem(
                        f"no other resume file has the key `{resume.clone}`"
                        + _did_you_mean(resume.clone, [key for key in by_key if key != resume.key]),
                        where,
                        "clone",
                    )
                )
            elif not source.resume_id:
                self.problems.append(
                    Problem(
                        f"`{resume.clone}` is itself a resume to create: clone a resume that "
                        "exists (apply once, then add `clone`)",
                        where,
                        "clone",
                    )
                )

    # --- visibility.yaml -----------------------------------------------------------------

    def apply_visibility(self, resumes: list[_Loaded]) -> Protect:
        """Sets each resume's access and lists; returns the `protect` list."""
        path = self.root / VISIBILITY_FILE
        if not path.is_file():
            return Protect()
        document = self.read(path, self.env)
        if document is None:
            return Protect()
        keys = {item.resume.key: item.resume.resume_id for item in resumes}
        # A file that failed to parse still has its key: its entry is not "unknown" as well.
        keys.update({key: "" for key in self.unreadable if key not in keys})
        source = document.source_map()
        findings = check_visibility(document.data, source, keys)
        self.problems.extend(findings.errors)
        self.warnings.extend(findings.warnings)
        if findings.errors:
            return Protect()
        data = document.data or {}
        defaults = data.get("defaults") or {}
        entries = data.get("resumes") or {}
        for item in resumes:
            resume = item.resume
            entry_key = resume.key if resume.key in entries else resume.resume_id
            entry = entries.get(entry_key) or {}
            entry_path: JsonPath = ("resumes", entry_key)
            resume.access = entry.get("access")
            for kind in LIST_KINDS:
                desired = desired_list(kind, defaults, entry, entry_path, source)
                if desired is not None:
                    resume.lists[kind] = desired
        return protect_list(data.get("protect") or [], source)


def _config_trust_problems(data: Mapping[str, Any], document: YamlDocument) -> list[Problem]:
    """resumesync.yaml may send the token only to hh.ru (or loopback), and only a token
    variable as the token (settings.py applies the same rules again before use)."""
    found: list[Problem] = []
    urls: list[tuple[JsonPath, Any]] = [(("api_url",), data.get("api_url"))]
    for name, profile in (data.get("profiles") or {}).items():
        urls.append((("profiles", name, "api_url"), profile.get("api_url")))
        token_env = profile.get("token_env")
        why = token_env_problem(token_env) if isinstance(token_env, str) else None
        if why:
            path: JsonPath = ("profiles", name, "token_env")
            found.append(Problem(why, document.location(path), dotted(path)))
    for path, url in urls:
        why = repository_url_problem(url) if isinstance(url, str) else None
        if why:
            found.append(Problem(why, document.location(path), dotted(path)))
    return found


def _did_you_mean(key: str, candidates: list[str]) -> str:
    close = difflib.get_close_matches(key, candidates, n=1)
    return f"; did you mean `{close[0]}`?" if close else ""


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):  # a name too long for the OS, and the like
        return False


def _inheritable(tree: _Tree) -> _Tree:
    """A parent's tree without what a child never inherits (`id`, `extends`)."""
    if not isinstance(tree.data, dict):  # an empty base
        return _Tree({}, {})
    data = {key: value for key, value in tree.data.items() if key not in NOT_INHERITED}
    locations = {p: loc for p, loc in tree.locations.items() if not p or p[0] not in NOT_INHERITED}
    return _Tree(data, locations, tree.interpolated)


def protect_list(items: list[Any], source: SourceMap) -> Protect:
    """`protect:` (validated input) -> ids in file order, each once, with names and lines."""
    employers: dict[str, None] = {}
    names: dict[str, str] = {}
    locations: dict[JsonPath, Location] = {}
    for index, item in enumerate(items):
        employer = employer_id(item)
        if employer is None:
            continue
        employers.setdefault(employer)
        location = source.locate(("protect", index))
        if location is not None:
            locations.setdefault((employer,), location)
        if isinstance(item, dict) and isinstance(item.get("name"), str):
            names[employer] = item["name"]
    return Protect(tuple(employers), names, SourceMap(locations, source.locate(("protect",))))


def desired_list(
    kind: ListKind,
    defaults: Mapping[str, Any],
    entry: Mapping[str, Any],
    entry_path: JsonPath,
    source: SourceMap,
) -> DesiredList | None:
    """One resume's list: `defaults` merged with its own entry (validated input).

    - Neither declares the list: None (unmanaged).
    - Members are the union, the defaults' first, each employer once; ids are digit strings.
    - Mode: if the resume's entry declares the list, its own mode wins (a plain sequence is
      exact, `{include: [...]}` is not). If only `defaults` declare it, the list is `include`:
      defaults guarantee their members without owning the whole list, so a default never
      removes employers that a resume did not ask about.
    - `source.locations` maps `(employer_id,)` to the line that lists it (the resume's entry
      wins over defaults); `source.default` is the line of the list's key.
    - `names`: the `name` written next to an id (`{id: "3529", name: Sberbank}`).
    """
    parts: list[tuple[list[Any], JsonPath]] = []
    exact = False
    default_location: Location | None = None
    for owner, path, own in ((defaults, ("defaults",), False), (entry, entry_path, True)):
        members = list_members(owner.get(kind)) if kind in owner else None
        if members is None:
            continue
        items, is_exact, sub = members
        parts.append((items, (*path, kind, *sub)))
        default_location = source.locate((*path, kind)) or default_location
        if own:
            exact = is_exact
    if not parts:
        return None
    employers: dict[str, None] = {}  # ordered and unique
    names: dict[str, str] = {}
    for items, _ in parts:
        for item in items:
            employer = employer_id(item)
            if employer is None:
                continue
            employers.setdefault(employer)
            if isinstance(item, dict) and isinstance(item.get("name"), str):
                names[employer] = item["name"]
    return DesiredList(
        kind=kind,
        employers=tuple(employers),
        exact=exact,
        names=names,
        source=SourceMap(
            _MemberLocations([(path, items) for items, path in parts], source), default_location
        ),
    )


class _FieldLocations(Mapping[JsonPath, Location]):
    """The locations of a resume's fields: every path but the root and our own keys; the
    `id:` line, so that errors about the id point at it (not at the file's first line); and
    `publish:` (a publish the server would refuse points at it)."""

    def __init__(self, locations: Mapping[JsonPath, Location]) -> None:
        self._locations = locations

    @staticmethod
    def _field(path: object) -> bool:
        return (
            isinstance(path, tuple)
            and bool(path)
            and (path[0] not in OUR_KEYS or path in (("id",), ("publish",)))
        )

    def __getitem__(self, path: JsonPath) -> Location:
        if not self._field(path):
            raise KeyError(path)
        return self._locations[path]

    def __contains__(self, path: object) -> bool:
        return self._field(path) and path in self._locations

    def __iter__(self) -> Iterator[JsonPath]:
        return (path for path in self._locations if self._field(path))

    def __len__(self) -> int:
        return sum(1 for _ in self)


class _MemberLocations(Mapping[JsonPath, Location]):
    """`(employer_id,)` -> the line that lists it (the last part that does: the resume's entry
    over defaults), found when looked up, by a scan of the list as written: a plan looks up a
    few of the thousands listed, and an index of every employer would cost more memory (about
    100 bytes an employer) than all the lookups cost time."""

    def __init__(self, parts: list[tuple[JsonPath, list[Any]]], source: SourceMap) -> None:
        self._parts = parts
        self._source = source

    def _path(self, key: object) -> JsonPath | None:
        if isinstance(key, tuple) and len(key) == 1:
            for path, items in reversed(self._parts):
                for index in range(len(items) - 1, -1, -1):  # the last mention, as before
                    if employer_id(items[index]) == key[0]:
                        return (*path, index)
        return None

    def __getitem__(self, key: JsonPath) -> Location:
        path = self._path(key)
        location = self._source.locate(path) if path is not None else None
        if location is None:
            raise KeyError(key)
        return location

    def __contains__(self, key: object) -> bool:
        path = self._path(key)
        return path is not None and self._source.locate(path) is not None

    def __iter__(self) -> Iterator[JsonPath]:
        seen = {employer_id(item) for _, items in self._parts for item in items} - {None}
        return (key for key in ((employer,) for employer in seen) if key in self)

    def __len__(self) -> int:
        return sum(1 for _ in self)
