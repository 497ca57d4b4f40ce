"""Planning local images (`photo: {file: ...}`, `portfolio: [{file: ...}]`). Pure, no I/O.

An image whose content (type and sha256) is in resumesync.lock and whose artifact is still on
the account is never uploaded again; any other is one `upload` change, however many files
(or names) show it. The resume fields then name the artifact: its id, or until the upload is
done the stand-in `upload:TYPE:SHA256`, which the applier replaces. A portfolio image whose
description differs from its artifact's is one `describe` change (PUT /artifacts/{id}); the
resume's own portfolio entry shows the artifact's description, so it is compared as such.
Nothing here deletes an artifact: images in the lock that no file uses are notices.

An image that an interrupted apply was uploading (its intent record, upload_intents.py) and
that the account now has is adopted (`adopt_upload`: no call, apply waits for `ok` and writes
the lock) instead of uploaded again: by the artifact id the record holds when the POST had
answered, else by what the artifact list lets us match (artifacts.ru.md shows no hash or file
name): the one artifact of that type that is new since the record, in no lock entry, not
`failed`, and for portfolio with the description the POST sent. Several such artifacts
cannot be told apart: the image is then uploaded again, with a notice.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from resumesync.artifacts import LocalImage, UploadIntent, human_size, pending_artifact_id
from resumesync.endpoints import artifact_path, artifacts_path
from resumesync.model import (
    Action,
    Change,
    DesiredResume,
    DesiredState,
    LiveState,
    Notice,
    NoticeKind,
    pending_id,
)
from resumesync.problems import Problem


@dataclass
class ImagePlan:
    changes: list[Change] = field(default_factory=list)  # uploads and describes
    resumes: dict[str, DesiredResume] = field(default_factory=dict)  # key -> with artifact ids
    problems: list[Problem] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)


def plan_images(desired: DesiredState, live: LiveState) -> ImagePlan:
    result = ImagePlan()
    uploads: dict[str, Change] = {}  # image key -> its upload
    described: dict[str, tuple[str, LocalImage]] = {}  # artifact id -> (description, where)
    used: set[str] = set()
    adoptions: dict[str, Change] = {}  # image key -> the adoption of its interrupted upload
    taken: set[str] = set()  # artifacts adopted already (one image each)
    for resume in desired.resumes:
        if not resume.images:
            continue
        resume_id = resume.resume_id or pending_id(resume.key)
        ids: dict[tuple[str, int | None], str] = {}
        for image in resume.images:
            used.add(image.key)
            artifact_id = _existing(image, desired, live)
            if artifact_id is None:
                artifact_id = pending_artifact_id(image.artifact_type, image.sha256)
                if image.key not in uploads and image.key not in adoptions:
                    found, notice = _adoption(image, desired, live, taken)
                    if found is not None:
                        taken.add(found)
                        adoptions[image.key] = _adopt(resume, resume_id, image, found)
                    else:
                        uploads[image.key] = _upload(resume, resume_id, image)
                    if notice is not None:
                        result.notices.append(notice)
            elif image.artifact_type == "portfolio" and image.description is not None:
                item = live.artifacts.get("portfolio", {}).get(artifact_id) or {}
                old = item.get("description")
                if image.description != (old or ""):
                    other = described.get(artifact_id)
                    if other is not None and other[0] != image.description:
                        result.problems.append(
                            Problem(
                                "the same image has another description at "
                                f"{other[1].location}: one image, one description",
                                image.location,
                                f"portfolio[{image.index}].description",
                            )
                        )
                    elif other is None:
                        described[artifact_id] = (image.description, image)
                        result.changes.append(
                            _describe(resume, resume_id, image, artifact_id, old or "")
                        )
            ids[(image.artifact_type, image.index)] = artifact_id
        result.resumes[resume.key] = dataclasses.replace(
            resume, fields=_with_ids(resume.fields, ids, live)
        )
    # adoptions and uploads first: the rest may name them
    result.changes[:0] = [*adoptions.values(), *uploads.values()]
    result.problems.extend(_condition_problems(list(uploads.values()), desired, live))
    for key, entry in sorted(desired.lock.items()):
        if key not in used:
            result.notices.append(
                Notice(
                    NoticeKind.UNUSED_IMAGE,
                    f"{entry.file or key} ({entry.artifact_type} {entry.artifact_id}) is in "
                    "resumesync.lock but no file uses it any more; resumesync never deletes "
                    "images: delete it on hh.ru if you want it gone",
                )
            )
    return result


def _existing(image: LocalImage, desired: DesiredState, live: LiveState) -> str | None:
    """The artifact this image already is: in the lock, and still on the account."""
    return existing_artifact(image, desired, live.artifacts.get(image.artifact_type, {}))


def existing_artifact(
    image: LocalImage, desired: DesiredState, artifacts: dict[str, dict[str, Any]]
) -> str | None:
    """The artifact `image` already is, given the account's artifacts of its type (id ->
    item); None when it is to be uploaded."""
    entry = desired.lock.get(image.key)
    if entry is None:
        return None
    item = artifacts.get(entry.artifact_id)
    if item is None or ((item.get("state") or {}).get("id")) == "failed":
        return None
    return entry.artifact_id


def _adoption(
    image: LocalImage, desired: DesiredState, live: LiveState, taken: set[str]
) -> tuple[str | None, Notice | None]:
    """The artifact an interrupted upload of `image` made, if the account has it (see the
    module doc), and a notice when several could be it."""
    intent = desired.upload_intents.get(image.key)
    # a lock entry means the record outlived a finished upload: it proves nothing any more
    if intent is None or image.key in desired.lock or intent.api not in ("", live.api_url):
        return None, None
    items = live.artifacts.get(image.artifact_type, {})
    # bound elsewhere: the lock's artifacts, those adopted already, and those other records
    # name as their own POST's answer (whichever image the plan comes to first)
    bound = {entry.artifact_id for entry in desired.lock.values()} | taken
    bound |= {
        other.artifact_id
        for key, other in desired.upload_intents.items()
        if key != image.key and other.artifact_id
    }
    found = adopted_artifact(intent, items, bound)
    if isinstance(found, str):
        return found, None
    if not found:
        return None, None
    return None, Notice(
        NoticeKind.UNCERTAIN_UPLOAD,
        f"an earlier apply was uploading {image.file} when it stopped; the account has "
        f"{len(found)} {image.artifact_type} images since ({', '.join(found)}) that could be "
        "it and resumesync cannot tell them apart, so it uploads the image again: delete the "
        "extra one on hh.ru",
    )


def adopted_artifact(
    intent: UploadIntent, items: dict[str, dict[str, Any]], locked: set[str]
) -> str | list[str]:
    """The artifact (id) an interrupted upload made, given the account's artifacts of its
    type (id -> item) and the ids already bound to other images; otherwise the candidates
    (empty: none, the POST never went out or was refused)."""

    def usable(artifact_id: str) -> bool:
        item = items.get(artifact_id)
        return item is not None and ((item.get("state") or {}).get("id")) != "failed"

    if intent.artifact_id:  # the POST had answered: no guessing
        return intent.artifact_id if usable(intent.artifact_id) else []
    known = set(intent.known_ids)
    candidates = [
        artifact_id
        for artifact_id, item in items.items()
        if artifact_id not in known
        and artifact_id not in locked
        and usable(artifact_id)
        and (intent.description is None or (item.get("description") or "") == intent.description)
    ]
    return candidates[0] if len(candidates) == 1 else sorted(candidates)


def _with_ids(
    fields: dict[str, Any], ids: dict[tuple[str, int | None], str], live: LiveState
) -> dict[str, Any]:
    fields = dict(fields)
    if ("photo", None) in ids:
        fields["photo"] = {"id": ids[("photo", None)]}
    portfolio = fields.get("portfolio")
    if isinstance(portfolio, list):
        entries = []
        for index, item in enumerate(portfolio):
            artifact_id = ids.get(("portfolio", index))
            if artifact_id is None:
                entries.append(item)
                continue
            known = live.artifacts.get("portfolio", {}).get(artifact_id)
            # the resume shows its artifact's description (a describe change moves both)
            description = (known or {}).get("description") if known else item.get("description")
            entries.append({"id": artifact_id, "description": description})
        fields["portfolio"] = entries
    return fields


def _upload(resume: DesiredResume, resume_id: str, image: LocalImage) -> Change:
    body: dict[str, Any] = {"type": image.artifact_type}
    if image.artifact_type == "portfolio" and image.description is not None:
        body["description"] = image.description
    return Change(
        action=Action.UPLOAD,
        resume=resume.key,
        resume_id=resume_id,
        method="POST",
        path=artifacts_path(),
        body=body,
        file=image.file,
        artifact_type=image.artifact_type,
        sha256=image.sha256,
        size=image.size,
        reason=str(image.location),
    )


def _adopt(resume: DesiredResume, resume_id: str, image: LocalImage, artifact_id: str) -> Change:
    return Change(
        action=Action.ADOPT_UPLOAD,
        resume=resume.key,
        resume_id=resume_id,
        method="",
        path=artifact_path(artifact_id),
        file=image.file,
        artifact_type=image.artifact_type,
        sha256=image.sha256,
        size=image.size,
        reason=str(image.location),
    )


def _describe(
    resume: DesiredResume, resume_id: str, image: LocalImage, artifact_id: str, old: str
) -> Change:
    return Change(
        action=Action.DESCRIBE,
        resume=resume.key,
        resume_id=resume_id,
        method="PUT",
        path=artifact_path(artifact_id),
        body={"description": image.description},
        diff={"description": {"old": old, "new": image.description}},
        file=image.file,
        artifact_type="portfolio",
    )


def _condition_problems(
    uploads: list[Change], desired: DesiredState, live: LiveState
) -> list[Problem]:
    """GET /artifacts/{type}/conditions: room left, size and type of each upload."""
    images = {
        (image.artifact_type, image.sha256): image
        for resume in desired.resumes
        for image in resume.images
    }
    problems: list[Problem] = []
    for artifact_type in sorted({change.artifact_type or "" for change in uploads}):
        conditions = live.artifact_conditions.get(artifact_type) or {}
        counters = conditions.get("counters") or {}
        rules = (conditions.get("fields") or {}).get("file") or {}
        mine = [change for change in uploads if change.artifact_type == artifact_type]
        limit, uploaded = counters.get("max"), counters.get("uploaded")
        if _number(limit) and _number(uploaded) and len(mine) > limit - uploaded:
            room = max(0, limit - uploaded)
            for change in mine[room:]:
                image = images[(artifact_type, change.sha256 or "")]
                problems.append(
                    Problem(
                        f"{len(mine)} {artifact_type} images to upload, but the account has "
                        f"room for {room} more (at most {limit}): delete some on hh.ru",
                        image.location,
                    )
                )
        max_size, mimes = rules.get("max_size"), rules.get("mime_type")
        for change in mine:
            image = images[(artifact_type, change.sha256 or "")]
            if _number(max_size) and image.size > max_size:
                problems.append(
                    Problem(
                        f"{image.file} is {human_size(image.size)}: hh.ru takes "
                        f"{artifact_type} images up to {human_size(int(max_size))}",
                        image.location,
                    )
                )
            if isinstance(mimes, list) and mimes and image.mime not in mimes:
                problems.append(
                    Problem(
                        f"{image.file} is {image.mime}: hh.ru takes " + ", ".join(map(str, mimes)),
                        image.location,
                    )
                )
    return problems


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value >= 0
