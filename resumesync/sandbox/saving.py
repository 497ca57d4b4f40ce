"""PUT /resumes/{id} in one place: which keys may be written, every check, then the
normalised fields to store. A body with any error changes nothing."""

from __future__ import annotations

from typing import Any

from resumesync.sandbox import schema
from resumesync.sandbox.conditions import condition_errors, resume_conditions
from resumesync.sandbox.errors import FieldError, pointer
from resumesync.sandbox.normalization import normalise
from resumesync.sandbox.rules import SaveContext, rule_errors

# Keys of a GET answer that a PUT must not carry: named so the error says "read-only".
READ_ONLY = frozenset(
    {
        "id",
        "real_id",
        "url",
        "alternate_url",
        "age",
        "created_at",
        "updated_at",
        "created",
        "updated",
        "status",
        "download",
        "actions",
        "blocked",
        "finished",
        "can_publish_or_update",
        "next_publish_at",
        "publish_url",
        "progress",
        "moderation_note",
        "paid_services",
        "total_views",
        "new_views",
        "views_url",
        "similar_vacancies",
        "negotiations_history",
        "can_view_full_info",
        "marked",
        "platform",
        "owner",
        "visible",
        "tags",
        "creds",
        "schedule",
        "employment",
        "specialization",
        "auto_hide_time",
    }
)


def check_body(body: dict[str, Any], context: SaveContext) -> list[FieldError]:
    """Every error in a PUT body, one per violation; empty when it can be saved."""
    errors = key_errors(body)
    writable = {key: value for key, value in body.items() if key in schema.writable_fields()}
    type_errors = schema.resume_body_errors(writable)
    errors.extend(type_errors)
    # Fields with a wrong type or shape are not checked further: the rules expect the shape.
    broken = {error.field for error in type_errors}
    well_formed = {key: value for key, value in writable.items() if key not in broken}
    rules = resume_conditions(context.today, context.conditions)
    errors.extend(condition_errors(with_documented_defaults(well_formed), rules))
    errors.extend(rule_errors(well_formed, context))
    unique = {(error.pointer, error.reason): error for error in errors}
    return sorted(unique.values(), key=lambda error: (error.field, error.pointer))


def with_documented_defaults(body: dict[str, Any]) -> dict[str, Any]:
    """The body as the rules judge it: what the server fills when it is not sent counts as
    sent. "if preferred flag is not sent default value for this parameter is `false`"
    (resumes.en.md, Object `contact`): a rule requiring `preferred` is met without it."""
    contacts = body.get("contact")
    if not isinstance(contacts, list):
        return body
    filled = [
        {**contact, "preferred": False}
        if isinstance(contact, dict) and contact.get("preferred") is None
        else contact
        for contact in contacts
    ]
    return {**body, "contact": filled}


def key_errors(body: dict[str, Any]) -> list[FieldError]:
    errors = []
    for key in body:
        if key in schema.writable_fields():
            continue
        if key in READ_ONLY:
            errors.append(FieldError(pointer(key), "read_only", "is read-only"))
        else:
            errors.append(
                FieldError(
                    pointer(key), "unknown_field", "is not a field of ResumeEditResumeRequest"
                )
            )
    return errors


def saved_fields(body: dict[str, Any], context: SaveContext) -> dict[str, Any]:
    """The resume's fields after saving a checked body: only the body's keys are replaced."""
    fields = dict(context.stored)
    fields.update(normalise(body, context))
    return fields
