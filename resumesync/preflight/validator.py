"""Conditions compiled into a jsonschema validator with our keywords, once per distinct
document."""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

from resumesync.preflight.conditions import conditions_schema
from resumesync.preflight.keywords import VOCABULARY, fast_if_keyword, keyword_from_check

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError
    from jsonschema.protocols import Validator


@cache
def _validator_class() -> type[Validator]:
    from jsonschema import Draft202012Validator, validators

    keywords = {name: keyword_from_check(check) for name, check in VOCABULARY.items()}
    keywords["if"] = fast_if_keyword(Draft202012Validator.VALIDATORS["if"])
    return validators.extend(Draft202012Validator, keywords)


def conditions_validator(conditions: Mapping[str, Any]) -> Validator:
    """The rules of `GET /resumes/{id}/conditions`, compiled (conditions_schema) to validate
    resume documents."""
    return _validator(conditions_schema(conditions))


def _validator(schema: dict[str, Any]) -> Validator:
    from jsonschema import Draft202012Validator

    cls = _validator_class()
    return cls(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def schema_errors(schema: dict[str, Any], instance: Any) -> list[ValidationError]:
    """Every violation of `schema` (from conditions_schema) by `instance`."""
    return list(_validator(schema).iter_errors(instance))


class CompiledConditions:
    """Each distinct conditions document compiled once, however many resumes share it (those
    of one account normally do): compiling costs a fifth of checking a resume. One per plan,
    keyed by content, so a document that changes between plans is never served stale."""

    def __init__(self) -> None:
        self._by_content: dict[str, Validator] = {}

    def __call__(self, conditions: Mapping[str, Any]) -> Validator:
        key = json.dumps(conditions, sort_keys=True)
        found = self._by_content.get(key)
        if found is None:
            found = self._by_content[key] = conditions_validator(conditions)
        return found

    def __len__(self) -> int:
        return len(self._by_content)
