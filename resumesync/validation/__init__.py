"""Offline checks of the user's files: JSON Schema (schemas/) plus the documented rules.

Pure functions: data and a SourceMap in, Problems at FILE:LINE out. Messages never repeat the
checked value (it may be a contact, a birth date or an interpolated secret); they name the
field and what is expected.

The modules, one job each: `resume` (resume files), `visibility` (visibility.yaml and what an
employer entry or a list is), `config` (resumesync.yaml), `schema_check` (the JSON Schema pass
and its errors worded as Problems), `shapes` (what a nested value may hold), `report` (the
problems of one document), `wording` (suggestions and type names the messages share).
"""

from resumesync.validation.config import CONFIG_SCHEMA, validate_config
from resumesync.validation.report import Findings, sort_problems
from resumesync.validation.resume import (
    INFORMATIONAL,
    OUR_KEYS,
    RESUME_SCHEMA,
    TOP_LEVEL_MESSAGES,
    check_resume_document,
    validate_resume_document,
)
from resumesync.validation.visibility import (
    VISIBILITY_SCHEMA,
    check_visibility,
    employer_id,
    list_members,
    validate_visibility,
)
from resumesync.validation.wording import READ_ONLY

__all__ = [
    "CONFIG_SCHEMA",
    "INFORMATIONAL",
    "OUR_KEYS",
    "READ_ONLY",
    "RESUME_SCHEMA",
    "TOP_LEVEL_MESSAGES",
    "VISIBILITY_SCHEMA",
    "Findings",
    "check_resume_document",
    "check_visibility",
    "employer_id",
    "list_members",
    "sort_problems",
    "validate_config",
    "validate_resume_document",
    "validate_visibility",
]
