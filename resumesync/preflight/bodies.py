"""What the plan sends for a resume: the PUT of an existing one, the POST of a new one, the PUT
that brings a clone to its file. The documents the preflight judges."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from resumesync.model import DesiredResume, DesiredState, LiveResume
from resumesync.planner import json_safe, planned_body


def new_resume_body(resume: DesiredResume) -> dict[str, Any]:
    """What the POST of a resume to create sends, as far as its dictionary ids go: the declared
    fields, local images left out as in sent_fields. Nothing for a clone: its POST carries no
    body, and the PUT after it only what differs from the source (see clone_put_body)."""
    if resume.clone is not None:
        return {}
    images = {image.artifact_type for image in resume.images}
    return json_safe({k: v for k, v in resume.fields.items() if k not in images})


def clone_put_body(
    resume: DesiredResume, desired: DesiredState, resumes: Mapping[str, LiveResume]
) -> dict[str, Any]:
    """The PUT that brings a clone to its file: the fields that differ from the live source
    (empty when the source is not read)."""
    for other in desired.resumes:
        if other.key == resume.clone and other.resume_id:
            source = resumes.get(other.resume_id)
            return sent_fields(resume, source.document) if source is not None else {}
    return {}


def sent_fields(resume: DesiredResume, document: dict[str, Any]) -> dict[str, Any]:
    """What the plan's PUT of `resume` carries against the live `document` (may be empty).

    Fields naming local images (`photo: {file: ...}`) are left out: which artifact they name
    is known only once the account's artifacts are read (imageplan.py), and the conditions
    hold nothing for them that the planner does not check (a photo is never sent empty)."""
    images = {image.artifact_type for image in resume.images}
    if images:
        fields = {name: value for name, value in resume.fields.items() if name not in images}
        resume = dataclasses.replace(resume, fields=fields)
    return planned_body(resume, document)[0]
