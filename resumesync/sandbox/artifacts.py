"""Uploaded images (artifacts.ru.md): photos and portfolio images, and their descriptions.

An upload is multipart/form-data with `type` (photo | portfolio), `description` and
`file` (PNG or JPEG). The sandbox keeps the facts about a file, not its bytes.
"""

from __future__ import annotations

from resumesync.sandbox import errors
from resumesync.sandbox.account import Artifact
from resumesync.sandbox.calls import Call
from resumesync.sandbox.multipart import FormFile, parse_form
from resumesync.sandbox.render import artifact, page_of
from resumesync.sandbox.state import Response

ARTIFACT_TYPES = ("photo", "portfolio")
MAX_SIZE = 5 * 1024 * 1024
MAX_PER_TYPE = 50
IMAGE_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")  # PNG, JPEG
# Accepted (the conditions list image/psd) but never processed into a resume image: `failed`.
UNPROCESSABLE_SIGNATURES = (b"8BPS",)
MIME_TYPES = ("image/jpeg", "image/png", "image/psd")
DESCRIPTION_MAX = 255


def _form(call: Call) -> dict[str, str | FormFile]:
    content_type = call.request.headers.get("Content-Type") or ""
    try:
        return parse_form(content_type, call.request.body)
    except (ValueError, UnicodeDecodeError):
        raise errors.bad_argument("body", "multipart/form-data expected") from None


def list_artifacts(call: Call) -> Response:
    artifact_type = call.params["artifact_type"]
    if artifact_type not in ARTIFACT_TYPES:
        raise errors.not_found()
    page, per_page = call.page()
    now = call.state.now()
    chosen = [item for item in call.account.artifacts.values() if item.type == artifact_type]
    for item in chosen:  # processing moves on as the owner looks
        item.advance(now)
    items = [artifact(item) for item in chosen]
    return Response(200, page_of(items, page, per_page))


def upload(call: Call) -> Response:
    form = _form(call)
    artifact_type, file, description = form.get("type"), form.get("file"), form.get("description")
    if artifact_type not in ARTIFACT_TYPES:
        raise errors.artifact_error("type")
    if not isinstance(file, FormFile) or not file.content:
        raise errors.artifact_error("file")
    if len(file.content) > MAX_SIZE:
        raise errors.ApiError(413, [{"type": "artifacts", "value": "image_too_large"}])
    fails = file.content.startswith(UNPROCESSABLE_SIGNATURES)
    if not file.content.startswith(IMAGE_SIGNATURES) and not fails:
        raise errors.artifact_error("unknown_format")
    if description is not None and (
        not isinstance(description, str) or len(description) > DESCRIPTION_MAX
    ):
        raise errors.artifact_error("description")
    account = call.account
    if sum(item.type == artifact_type for item in account.artifacts.values()) >= MAX_PER_TYPE:
        raise errors.artifact_error("limit_exceeded")
    now = call.state.now()
    processing = fails or account.artifact_polls > 0 or account.artifact_seconds > 0
    item = Artifact(
        id=str(account.next_artifact_id),
        type=str(artifact_type),
        description=description or "",
        size=len(file.content),
        created_at=now,
        state="processing" if processing else "ok",
        polls_left=account.artifact_polls,
        ready_at=now + account.artifact_seconds,
        fails=fails,
    )
    account.next_artifact_id += 1
    account.artifacts[item.id] = item
    return Response(201, artifact(item))


def conditions(call: Call) -> Response:
    """GET /artifacts/{type}/conditions (ArtifactsArtifactConditions)."""
    artifact_type = call.params["artifact_type"]
    if artifact_type not in ARTIFACT_TYPES:
        raise errors.not_found()
    uploaded = sum(item.type == artifact_type for item in call.account.artifacts.values())
    return Response(
        200,
        {
            "counters": {"max": MAX_PER_TYPE, "uploaded": uploaded},
            "fields": {
                "description": {
                    "max_length": DESCRIPTION_MAX,
                    "min_length": 0,
                    "required": False,
                },
                "file": {"max_size": MAX_SIZE, "mime_type": list(MIME_TYPES), "required": True},
                "type": {"required": True},
            },
        },
    )


def _artifact(call: Call) -> Artifact:
    item = call.account.artifacts.get(call.params["artifact_id"])
    if item is None:
        raise errors.not_found()
    return item


def edit(call: Call) -> Response:
    item = _artifact(call)
    description = _form(call).get("description")
    if not isinstance(description, str):
        raise errors.bad_argument("description")
    item.description = description
    for resume in call.account.resumes.values():  # resumes show the current description
        for entry in resume.fields.get("portfolio") or []:
            if entry.get("id") == item.id:
                entry["description"] = description
    return Response(204)


def delete(call: Call) -> Response:
    item = _artifact(call)
    del call.account.artifacts[item.id]
    for resume in call.account.resumes.values():  # a deleted image leaves every resume
        if (resume.fields.get("photo") or {}).get("id") == item.id:
            resume.fields["photo"] = None
        if resume.fields.get("portfolio"):
            resume.fields["portfolio"] = [
                entry for entry in resume.fields["portfolio"] if entry.get("id") != item.id
            ]
    return Response(204)
