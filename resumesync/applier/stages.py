"""The privacy stages of one resume's changes, and the phases (runs of one stage) that go
out together."""

from __future__ import annotations

import enum
from collections.abc import Iterator
from itertools import groupby

from resumesync.model import Action, Change


class Stage(enum.IntEnum):
    """The privacy stages of one resume's changes, in the order the planner emits them."""

    CREATE = 0  # the POST of a new resume, or the adoption of one; everything else follows
    TIGHTENING = 1
    UPDATE = 2
    LOOSENING = 3
    PUBLISH = 4


# Which list changes narrow who may see a resume (whatever its access type) and which widen it.
_TIGHTENING = {
    (Action.LIST_ADD, "blacklist"),
    (Action.LIST_REMOVE, "whitelist"),
    (Action.LIST_CLEAR, "whitelist"),
}


def stage(change: Change) -> Stage:
    if change.action in (Action.CREATE, Action.ADOPT):
        return Stage.CREATE
    if change.action is Action.UPDATE:
        return Stage.UPDATE
    if change.action is Action.PUBLISH:
        return Stage.PUBLISH
    if (change.action, change.list_kind) in _TIGHTENING:
        return Stage.TIGHTENING
    return Stage.LOOSENING


def phases(changes: list[Change], indexes: list[int]) -> Iterator[list[int]]:
    """Runs of consecutive changes (of one resume) in one privacy stage: they may go out
    together. A plan out of stage order still runs in its own order, one run at a time."""
    for _, run in groupby(indexes, key=lambda i: stage(changes[i])):
        yield list(run)
