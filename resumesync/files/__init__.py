"""The user's repository -> DesiredState.

    resumesync.yaml     optional settings (load_config)
    resumes/*.yaml      one resume per file, the file stem is its key; `_*.yaml` are bases
    visibility.yaml     access type and employer lists per resume (optional: absent = unmanaged)

Every file is read once per run; every problem of every file is collected and raised together
as one ProblemsError, so `validate` shows them all at once.

The modules, one job each: `repository` (one load, start to end: load_repository,
read_repository, load_config), `run` (the state of one load: files parsed once, problems so
far), `config` (resumesync.yaml and its profiles), `resumes` (resumes/: one DesiredResume per
file, ids and clones checked across files), `tree` (a document's paths and lines, `extends`
merged), `images` (local images and resumesync.lock), `visibility` (visibility.yaml: access,
employer lists, `protect`), `locations` (the lazily answered Location mappings).
"""

from resumesync.files.config import CONFIG_FILE, ProfileConfig, RepositoryConfig
from resumesync.files.repository import (
    LoadedRepository,
    RepositoryError,
    load_config,
    load_repository,
    read_repository,
)
from resumesync.files.resumes import PUBLISH_MODES, RESUME_SUFFIXES, RESUMES_DIR
from resumesync.files.run import MAX_YAML_FILE_BYTES
from resumesync.files.tree import MAX_EXTENDS_DEPTH, NOT_INHERITED, merge
from resumesync.files.visibility import VISIBILITY_FILE, desired_list, protect_list

__all__ = [
    "CONFIG_FILE",
    "MAX_EXTENDS_DEPTH",
    "MAX_YAML_FILE_BYTES",
    "NOT_INHERITED",
    "PUBLISH_MODES",
    "RESUMES_DIR",
    "RESUME_SUFFIXES",
    "VISIBILITY_FILE",
    "LoadedRepository",
    "ProfileConfig",
    "RepositoryConfig",
    "RepositoryError",
    "desired_list",
    "load_config",
    "load_repository",
    "merge",
    "protect_list",
    "read_repository",
]
