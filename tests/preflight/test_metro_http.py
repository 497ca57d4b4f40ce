"""A declared metro station outside the resume's area: the server drops it on save, so it
would be PUT on every apply (a perpetual diff). The plan reads the area's metro directory
(`GET /metro/{area}`) only for a station the apply would change, and refuses one that is not
there at its line, before any write.

The sandbox's Moscow ("1") has stations 1.5, 5.97 and 6.41; Saint Petersburg ("2") 14.195 and
15.212; Yekaterinburg ("3") has no metro directory (404).
"""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest

from resumesync.client import ClientSettings, HHClient
from resumesync.live import read_live_state
from resumesync.model import DesiredResume, DesiredState
from resumesync.preflight import sent_fields
from resumesync.sandbox import Account
from resumesync.sandbox.holds import Arrival

from .support import BACKEND, DATA_ENGINEER, TOKEN, Cli, line_of, replace_in

BASE = "resumes/_base.yaml"
BACKEND_FILE = "resumes/backend.yaml"
AREA_LINE = '\narea: {id: "1", name: Moscow}'  # the resume's, not an experience entry's
DROPPED = "the server would drop it"


def metro_reads(cli: Cli) -> list[str]:
    return [request.path for request in cli.sandbox.requests if request.path.startswith("/metro")]


def read_counts(cli: Cli) -> Counter[str]:
    """Requests by kind: what a plan costs."""
    return Counter(_kind(request.path) for request in cli.sandbox.requests)


def _kind(path: str) -> str:
    if path.startswith("/metro/"):
        return "metro"
    if path.startswith("/artifacts/"):
        return "artifacts"  # backend's photo file: the photos and their conditions
    if path.endswith("/conditions"):
        return "conditions"
    if path.endswith(("/blacklist", "/whitelist")):
        return "list"
    return "mine" if path == "/resumes/mine" else "resume"


def add_metro(cli: Cli, file: str, metro: str, *, area: str = AREA_LINE) -> int:
    """Declares `metro: {id: metro}` (and `area`, in the base) after the base's area line;
    returns the line of `metro`."""
    if file == BASE:
        replace_in(cli.repo / BASE, AREA_LINE, f'{area}\nmetro: {{id: "{metro}"}}')
    else:
        path = cli.repo / file
        path.write_text(path.read_text() + f'metro: {{id: "{metro}"}}\n')
    return line_of(cli.repo / file, "metro:")


def converge(cli: Cli) -> None:
    """Applies the example as it is, so that a later plan shows only the test's edit."""
    result = cli.run("apply", "--yes")
    assert result.exit_code == 0, result.output
    cli.sandbox.clear_requests()


def test_a_station_outside_the_area_fails_the_plan_at_its_line_with_no_write(cli: Cli) -> None:
    line = add_metro(cli, BASE, "14.195")  # Saint Petersburg's, in Moscow

    result = cli.run("plan")

    assert result.exit_code == 1, result.output
    expected = f"{BASE}:{line}: metro: station 14.195 is not in area 1; {DROPPED}"
    assert expected in result.output.splitlines()
    assert "nothing was written" in result.output
    assert cli.writes() == []
    assert metro_reads(cli) == ["/metro/1"]  # both resumes are in Moscow: read once


def test_no_perpetual_diff_apply_refuses_the_station_every_time_and_writes_nothing(
    cli: Cli,
) -> None:
    """Before the preflight knew the metro directory, each apply PUT `{"metro": ...}`, the
    server dropped it, and the next plan showed the same change again."""
    converge(cli)
    add_metro(cli, BACKEND_FILE, "15.212")
    before = cli.sandbox.account().to_json()

    for _ in range(2):
        result = cli.run("apply", "--yes")
        assert result.exit_code == 1, result.output
        assert f"metro: station 15.212 is not in area 1; {DROPPED}" in result.output

    assert cli.writes() == []
    assert cli.sandbox.account().to_json() == before


def test_an_area_without_a_metro_directory_refuses_any_station(cli: Cli) -> None:
    area = '\narea: {id: "3", name: Yekaterinburg}'
    line = add_metro(cli, BASE, "6.41", area=area)

    result = cli.run("plan")

    assert result.exit_code == 1, result.output
    assert f"{BASE}:{line}: metro: station 6.41 is not in area 3; {DROPPED}" in result.output
    assert metro_reads(cli) == ["/metro/3"]
    assert [r.status for r in cli.sandbox.requests if r.path == "/metro/3"] == [404]
    assert cli.writes() == []


def test_a_station_in_the_area_plans_one_put_and_then_no_diff(cli: Cli) -> None:
    converge(cli)
    add_metro(cli, BACKEND_FILE, "6.41")  # Kaluzhskaya, Moscow

    planned = cli.run("plan", "--format", "json")
    assert planned.exit_code == 0, planned.output
    assert metro_reads(cli) == ["/metro/1"]
    assert '"metro"' in planned.output and f'"path": "/resumes/{BACKEND}"' in planned.output

    cli.sandbox.clear_requests()
    applied = cli.run("apply", "--yes")
    assert applied.exit_code == 0, applied.output
    puts = [(request.path, request.body) for request in cli.writes()]
    assert puts == [(f"/resumes/{BACKEND}", {"metro": {"id": "6.41"}})]
    assert cli.sandbox.account().resumes[BACKEND].fields["metro"]["id"] == "6.41"

    cli.sandbox.clear_requests()
    again = cli.run("plan")
    assert again.exit_code == 0, again.output
    assert "No changes" in again.output
    assert metro_reads(cli) == []  # the station equals the live one: nothing to look up


def test_a_station_left_in_an_area_it_is_not_in_is_refused(cli: Cli) -> None:
    """The station is live already, but the files move the resume to another area: the
    server would drop the station with the area's PUT, so it is looked up in the new area."""
    converge(cli)
    add_metro(cli, BASE, "6.41")
    assert cli.run("apply", "--yes").exit_code == 0
    cli.sandbox.clear_requests()
    replace_in(cli.repo / BASE, AREA_LINE, '\narea: {id: "2", name: Saint Petersburg}')

    result = cli.run("plan")

    assert result.exit_code == 1, result.output
    line = line_of(cli.repo / BASE, "metro:")
    assert f"{BASE}:{line}: metro: station 6.41 is not in area 2; {DROPPED}" in result.output
    assert metro_reads(cli) == ["/metro/2"]
    assert cli.writes() == []


def test_no_metro_request_when_metro_is_not_declared_or_unchanged(cli: Cli) -> None:
    converge(cli)
    assert cli.run("plan").exit_code == 0
    undeclared = read_counts(cli)
    # four resumes (data-analyst was created by converge), their five managed lists and the
    # photos backend's photo file needs (not their upload conditions: it is uploaded); a
    # no-op plan reads no conditions and no metro directory (nothing is written)
    assert undeclared == {"mine": 1, "resume": 4, "list": 5, "artifacts": 1}

    add_metro(cli, BASE, "6.41")
    assert cli.run("apply", "--yes").exit_code == 0
    cli.sandbox.clear_requests()
    assert cli.run("plan").exit_code == 0
    assert read_counts(cli) == undeclared  # declared and equal to the live station

    replace_in(cli.repo / BASE, 'metro: {id: "6.41"}', "metro: null")
    cli.sandbox.clear_requests()
    assert cli.run("plan").exit_code == 0
    # Declared empty: a PUT clears the station (its conditions are read), no directory.
    assert read_counts(cli) == {**undeclared, "conditions": 3}


def test_apply_of_a_saved_plan_reads_no_metro_directory(cli: Cli) -> None:
    converge(cli)
    add_metro(cli, BACKEND_FILE, "5.97")
    plan_file = str(cli.repo / "plan.json")
    assert cli.run("plan", "--out", plan_file).exit_code == 0
    cli.sandbox.clear_requests()

    applied = cli.run("apply", "--yes", plan_file)

    assert applied.exit_code == 0, applied.output
    assert metro_reads(cli) == []
    assert [request.body for request in cli.writes()] == [{"metro": {"id": "5.97"}}]


# --- read_live_state: once per area, as soon as the resume is read ----------------------------


def desired(resume_id: str, key: str, **fields: Any) -> DesiredResume:
    return DesiredResume(key=key, resume_id=resume_id, file=f"resumes/{key}.yaml", fields=fields)


def read_metro(url: str, *resumes: DesiredResume) -> dict[str, frozenset[str]]:
    async def main() -> dict[str, frozenset[str]]:
        settings = ClientSettings(base_url=url, token=TOKEN, max_rps=None)
        async with HHClient(settings) as client:
            state = DesiredState(root=".", resumes=list(resumes))
            live = await read_live_state(state, client, sent=sent_fields)
            return live.metro

    return asyncio.run(main())


MOSCOW = {"id": "1"}
PETERSBURG = {"id": "2"}


def test_each_area_is_read_once_however_many_resumes_name_it(cli: Cli) -> None:
    found = read_metro(
        cli.sandbox.url,
        desired(BACKEND, "backend", area=MOSCOW, metro={"id": "6.41"}),
        desired(BACKEND, "backend-copy", area=MOSCOW, metro={"id": "5.97"}),
        desired(DATA_ENGINEER, "data-engineer", area=MOSCOW, metro={"id": "14.195"}),
    )
    assert found == {"1": frozenset({"1.5", "5.97", "6.41"})}
    assert metro_reads(cli) == ["/metro/1"]

    cli.sandbox.clear_requests()
    found = read_metro(
        cli.sandbox.url,
        desired(BACKEND, "backend", area=MOSCOW, metro={"id": "6.41"}),
        desired(DATA_ENGINEER, "data-engineer", area=PETERSBURG, metro={"id": "14.195"}),
    )
    assert set(found) == {"1", "2"} and found["2"] == frozenset({"14.195", "15.212"})
    assert sorted(metro_reads(cli)) == ["/metro/1", "/metro/2"]


def test_nothing_is_read_without_a_declared_station_to_change(cli: Cli) -> None:
    found = read_metro(
        cli.sandbox.url,
        desired(BACKEND, "backend", area=MOSCOW),  # no metro
        desired(DATA_ENGINEER, "data-engineer", area=MOSCOW, metro=None),
    )
    assert found == {}
    assert metro_reads(cli) == []


def test_the_metro_read_waits_for_the_resume_only(cli: Cli) -> None:
    """`/metro/1` goes out while the conditions and the lists are all still unanswered (held
    at a gate): it depends on the resume document alone (and /resumes/mine, read first)."""

    def others(arrival: Arrival) -> bool:
        return arrival.path.count("/") > 2

    def metro(arrival: Arrival) -> bool:
        return arrival.path.startswith("/metro/")

    held, directory = cli.sandbox.gate(match=others), cli.sandbox.gate(match=metro)
    outcome: dict[str, Any] = {}
    resumes = [desired(BACKEND, "backend", area=MOSCOW, metro={"id": "6.41"})]
    reader = threading.Thread(
        target=lambda: outcome.update(found=read_metro(cli.sandbox.url, *resumes))
    )
    reader.start()
    try:
        # The gate is still closed: nothing but the resume document has been answered.
        assert directory.wait_for(lambda waiting: len(waiting) == 1, timeout=30)
        expected = {f"/resumes/{BACKEND}/conditions"}
        assert held.wait_for(lambda waiting: {a.path for a in waiting} == expected, timeout=30)
    finally:
        held.open()
        directory.open()
        reader.join(timeout=30)
    assert outcome["found"] == {"1": frozenset({"1.5", "5.97", "6.41"})}


@pytest.mark.parametrize(
    ("fields", "document", "check"),
    [
        ({"metro": {"id": "6.41"}, "area": MOSCOW}, {"area": MOSCOW}, ("6.41", "1")),
        ({"metro": {"id": "6.41", "name": "x"}}, {"area": MOSCOW, "metro": {"id": "6.41"}}, None),
        ({"metro": {"id": "6.41"}}, {"area": MOSCOW, "metro": {"id": "5.97"}}, ("6.41", "1")),
        (
            {"metro": {"id": "6.41"}, "area": PETERSBURG},
            {"area": MOSCOW, "metro": {"id": "6.41"}},
            ("6.41", "2"),
        ),
        ({"metro": None, "area": MOSCOW}, {"area": MOSCOW, "metro": {"id": "6.41"}}, None),
        ({"area": PETERSBURG}, {"area": MOSCOW, "metro": {"id": "6.41"}}, None),
        ({"metro": {"id": "6.41"}, "area": None}, {"area": MOSCOW}, None),
    ],
)
def test_which_declared_stations_are_looked_up(
    fields: dict[str, Any], document: dict[str, Any], check: tuple[str, str] | None
) -> None:
    from resumesync.normalize import metro_to_check

    assert metro_to_check(fields, document) == check


def test_the_account_keeps_a_station_exactly_when_its_area_directory_lists_it(
    start: Callable[[Account], Cli],
) -> None:
    """The sandbox's two readings of one dictionary agree: what `/metro/{area}` lists is
    what a save in that area keeps (normalization.drop_metro_outside_area)."""
    import httpx

    cli = start(Account.example())
    headers = {"Authorization": f"Bearer {TOKEN}", "HH-User-Agent": "preflight-tests"}
    stations = ("1.5", "5.97", "6.41", "14.195", "15.212")
    with httpx.Client(base_url=cli.sandbox.url, headers=headers) as client:
        for area in ("1", "2", "3"):
            answer = client.get(f"/metro/{area}")
            listed = {
                station["id"]
                for line in (answer.json().get("lines") or [])
                for station in line["stations"]
            }
            for station in stations:
                body = {"area": {"id": area}, "metro": {"id": station}}
                assert client.put(f"/resumes/{BACKEND}", json=body).status_code == 204
                kept = client.get(f"/resumes/{BACKEND}").json()["metro"]
                assert (kept is not None) == (station in listed), (area, station)
