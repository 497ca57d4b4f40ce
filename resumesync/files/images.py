"""A resume's local images (`{file: ...}` in photo and portfolio: read inside the repository
only, hashed and typed) and resumesync.lock, the artifacts uploaded already.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from resumesync.artifacts import MAX_IMAGE_BYTES, LocalImage, LockEntry, image_type, sha256_hex
from resumesync.files.run import Run
from resumesync.files.tree import Tree
from resumesync.lockfile import read_lock
from resumesync.model import JsonPath, Location
from resumesync.problems import Problem, ProblemsError
from resumesync.safefs import UnsafePathError, confine, read_confined


def lock_entries(run: Run) -> dict[str, LockEntry]:
    try:
        return read_lock(run.root)
    except ProblemsError as error:
        run.problems.extend(error.problems)
        return {}


def resume_images(run: Run, data: dict[str, Any], tree: Tree) -> list[LocalImage]:
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
        image = read_image(run, artifact_type, name, where, index, entry.get("description"))
        if image is not None:
            images.append(image)
    return images


def read_image(
    run: Run,
    artifact_type: str,
    name: str,
    where: Location,
    index: int | None,
    description: Any,
) -> LocalImage | None:
    field = "photo.file" if index is None else f"portfolio[{index}].file"
    declaring = run.root / where.file
    target = Path(os.path.normpath(declaring.parent / name))
    try:
        real = confine(run.root, target)
    except UnsafePathError:
        run.problems.append(Problem("the image must be inside the repository", where, field))
        return None
    try:
        content = read_confined(run.root, real, limit=MAX_IMAGE_BYTES)
    except FileNotFoundError:
        run.problems.append(Problem(f"image not found: {run.relative(target)}", where, field))
        return None
    except UnsafePathError as error:
        run.problems.append(Problem(str(error), where, field))
        return None
    except OSError as error:
        run.problems.append(
            Problem(f"cannot read the image: {error.strerror or error}", where, field)
        )
        return None
    root = Path(os.path.realpath(run.root))
    mime = image_type(content)
    if mime is None:
        run.problems.append(Problem("not an image hh.ru takes (PNG, JPEG or PSD)", where, field))
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
