"""The live-state fingerprint: stable across order and counters, moved by real changes."""

from __future__ import annotations

import copy
import re

from resumesync.fingerprint import fingerprint
from resumesync.model import LiveState, ResumeSummary

from .builders import BACKEND, DATA, live, live_state


def example() -> LiveState:
    return live_state(
        live(
            BACKEND,
            blacklist=["1455", "3529"],
            total_views=3,
            new_views=1,
            updated_at="2025-01-01T00:00:00+0300",
            photo={"id": "1", "small": "s1"},
        ),
        live(DATA, whitelist=["1740"]),
        extra_account=(ResumeSummary("ffff", "QA"),),
    )


def test_format() -> None:
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", fingerprint(example()))


def test_stable_across_dict_and_list_order() -> None:
    state = example()
    shuffled = copy.deepcopy(state)
    shuffled.resumes = dict(reversed(list(shuffled.resumes.items())))
    shuffled.account.reverse()
    resume = shuffled.resumes[BACKEND]
    resume.document = dict(reversed(list(resume.document.items())))
    resume.lists["blacklist"].employers = dict(
        reversed(list(resume.lists["blacklist"].employers.items()))
    )
    assert fingerprint(shuffled) == fingerprint(state)


def test_volatile_counters_and_urls_do_not_count() -> None:
    state = example()
    moved = copy.deepcopy(state)
    document = moved.resumes[BACKEND].document
    document.update(total_views=99, new_views=7, updated_at="2025-02-02T00:00:00+0300")
    document["photo"]["small"] = "s2"
    moved.resumes[BACKEND].lists["blacklist"].employers["1455"] = "HH (renamed)"
    assert fingerprint(moved) == fingerprint(state)


def test_what_the_planner_reads_does_count() -> None:
    state = example()
    base = fingerprint(state)
    edits = [
        lambda s: s.resumes[BACKEND].document.update(title="Other"),
        lambda s: s.resumes[BACKEND].document.update(can_publish_or_update=True),
        lambda s: s.resumes[BACKEND].document["status"].update(id="not_published"),
        lambda s: s.resumes[BACKEND].document["access"]["type"].update(id="clients"),
        lambda s: s.resumes[DATA].lists["whitelist"].employers.update({"9": "Nine"}),
        lambda s: s.account.append(ResumeSummary("eeee", "New")),
    ]
    for edit in edits:
        changed = copy.deepcopy(state)
        edit(changed)
        assert fingerprint(changed) != base
