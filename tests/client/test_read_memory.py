"""Issue 16, agency scale (500 resumes x (200 + 200) employers, peak under 150 MB): what a plan
holds is held once. Checked by identity and by the order of requests, never by measuring."""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import parse_qs

from resumesync.live import READ_AHEAD, read_live_state
from resumesync.model import DesiredList, DesiredResume, DesiredState

from .hostile import hostile_server
from .support import make_client


def _resume_ids(count: int) -> list[str]:
    return [f"{index:040x}" for index in range(1, count + 1)]


def _two_page_lists(ids: list[str]) -> Any:
    """An account whose resumes each have a blacklist of two pages (150 employers)."""

    def route(method: str, path: str) -> Any:
        if path == "/resumes/mine":
            return {"pages": 1, "items": [{"id": rid, "title": "T"} for rid in ids]}
        if path.endswith("/blacklist"):
            return {
                "items": [{"id": str(n), "name": f"E{n}"} for n in range(1000, 1100)],
                "pages": 2,
                "found": 150,
                "limit": 2000,
            }
        return {"id": path.rsplit("/", 1)[1], "title": "T"}

    return route


def _desired(ids: list[str], employers: tuple[str, ...]) -> DesiredState:
    return DesiredState(
        root=".",
        resumes=[
            DesiredResume(
                key=f"r{index}",
                resume_id=rid,
                file=f"resumes/r{index}.yaml",
                lists={"blacklist": DesiredList("blacklist", employers, True)},
            )
            for index, rid in enumerate(ids)
        ],
    )


def _read(url: str, desired: DesiredState, parallelism: int) -> Any:
    async def main() -> Any:
        async with make_client(url, parallelism=parallelism) as client:
            return await read_live_state(desired, client)

    return asyncio.run(asyncio.wait_for(main(), 30))


def test_live_ids_that_the_files_declare_are_the_files_strings() -> None:
    """200,000 live employer ids are not a second copy of the 200,000 in visibility.yaml."""
    ids = _resume_ids(1)
    employers = tuple(str(n) for n in range(1000, 1100))
    with hostile_server(_two_page_lists(ids)) as server:
        live = _read(server.url, _desired(ids, employers), parallelism=2)
    held = live.resumes[ids[0]].lists["blacklist"].employers
    assert len(held) == 100
    declared = {employer: employer for employer in employers}
    for employer in held:
        assert employer is declared[employer]


def test_resumes_are_read_a_few_at_a_time_not_all_at_once() -> None:
    """Every resume's reads used to start together: the page 0s of a thousand lists were all
    held while their other pages waited. Now at most READ_AHEAD x parallelism resumes are
    being read at once (parallelism 1: the server sees the requests one by one)."""
    ids = _resume_ids(3 * READ_AHEAD)
    with hostile_server(_two_page_lists(ids)) as server:
        live = _read(server.url, _desired(ids, ()), parallelism=1)
    assert set(live.resumes) == set(ids)
    started: set[str] = set()
    finished: set[str] = set()
    most = 0
    for _, target in server.requests:
        path, _, query = target.partition("?")
        parts = path.split("/")
        if len(parts) < 3 or parts[2] == "mine":
            continue
        started.add(parts[2])
        if path.endswith("/blacklist") and parse_qs(query)["page"] == ["1"]:
            finished.add(parts[2])  # its last request
        most = max(most, len(started - finished))
    assert most <= READ_AHEAD
