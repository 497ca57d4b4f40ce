"""The planner: minimal calls, lists, safety, publishing, order, notices."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest

from resumesync.fingerprint import fingerprint
from resumesync.model import (
    Action,
    Change,
    Location,
    NoticeKind,
    PublishMode,
    ResumeSummary,
    SourceMap,
)
from resumesync.planner import (
    UnsafePlanError,
    access_widens,
    build_plan,
    raise_if_unsafe,
)
from resumesync.problems import ProblemsError

from .builders import API, BACKEND, DATA, desired, desired_state, dlist, live, live_state

NOW = dt.datetime(2025, 6, 1, 12, 0, tzinfo=dt.UTC)


def actions(changes: list[Change]) -> list[tuple[str, str | None]]:
    return [(change.action.value, change.list_kind) for change in changes]


# --- the update PUT ---------------------------------------------------------------------------


def test_put_carries_only_changed_fields_with_the_desired_value_as_written() -> None:
    fields = {
        "title": "Senior Python developer",
        "area": {"id": "1", "name": "Moscow (my note)"},
        "salary": {"amount": 350000, "currency": "RUR"},
    }
    live_doc = {
        "area": {"id": "2", "name": "Saint Petersburg", "url": "u"},
        "salary": {"amount": 350000.0, "currency": "RUR"},
    }
    plan = build_plan(desired_state(desired(fields=fields)), live_state(live(document=live_doc)))
    [change] = plan.changes
    assert change.action is Action.UPDATE
    assert (change.method, change.path) == ("PUT", f"/resumes/{BACKEND}")
    assert change.body == {
        "title": "Senior Python developer",
        "area": {"id": "1", "name": "Moscow (my note)"},
    }
    assert change.diff == {
        "title": {"old": "Python developer", "new": "Senior Python developer"},
        "area": {"old": live_doc["area"], "new": {"id": "1", "name": "Moscow (my note)"}},
    }
    assert not change.widens_visibility


def test_no_put_when_nothing_changed() -> None:
    fields = {"title": "Python developer", "area": {"id": "1"}}
    plan = build_plan(
        desired_state(desired(fields=fields, access="blacklist")),
        live_state(live(document={"area": {"id": "1", "name": "Moscow", "url": "u"}})),
    )
    assert plan.changes == []
    assert not plan.has_changes


def test_undeclared_fields_are_never_sent() -> None:
    plan = build_plan(
        desired_state(desired(fields={"title": "New"})),
        live_state(live(document={"skills": "old text", "salary": None})),
    )
    assert plan.changes[0].body == {"title": "New"}


def test_yaml_dates_are_sent_as_iso_strings() -> None:
    fields = {"birth_date": dt.date(1990, 4, 17)}
    plan = build_plan(desired_state(desired(fields=fields)), live_state(live()))
    assert plan.changes[0].body == {"birth_date": "1990-04-17"}


def test_declared_null_clears_a_field() -> None:
    plan = build_plan(
        desired_state(desired(fields={"salary": None})),
        live_state(live(document={"salary": {"amount": 1, "currency": "RUR"}})),
    )
    assert plan.changes[0].body == {"salary": None}


def test_metro_the_server_would_ignore_is_not_sent() -> None:
    fields = {"metro": {"id": "14.1"}}
    state = live_state(live(document={"area": {"id": "1"}, "metro": {"id": "1.54"}}))
    ignored = build_plan(
        desired_state(desired(fields=fields)), state, metro_areas={"14.1": "2", "1.54": "1"}
    )
    assert ignored.changes == []
    unknown = build_plan(desired_state(desired(fields=fields)), state)
    assert unknown.changes[0].body == fields


# --- access -----------------------------------------------------------------------------------


def test_access_change_goes_into_the_put() -> None:
    plan = build_plan(
        desired_state(desired(fields={"title": "New"}, access="whitelist")),
        live_state(live(access="blacklist")),
    )
    [change] = plan.changes
    assert change.body == {"title": "New", "access": {"type": {"id": "whitelist"}}}
    assert change.diff is not None
    assert change.diff["access"] == {"old": "blacklist", "new": "whitelist"}
    assert not change.widens_visibility


def test_access_to_a_wider_type_widens_visibility() -> None:
    plan = build_plan(
        desired_state(desired(access="blacklist")), live_state(live(access="whitelist"))
    )
    assert plan.changes[0].body == {"access": {"type": {"id": "blacklist"}}}
    assert plan.changes[0].widens_visibility


@pytest.mark.parametrize(
    ("old", "new", "widens"),
    [
        ("no_one", "whitelist", True),
        ("whitelist", "direct", True),
        ("direct", "blacklist", True),
        ("blacklist", "clients", True),
        ("clients", "blacklist", False),
        ("blacklist", "whitelist", False),
        ("whitelist", "no_one", False),
        ("everyone", "clients", False),
        (None, "no_one", False),
        (None, "whitelist", True),
    ],
)
def test_access_breadth_order(old: str | None, new: str, widens: bool) -> None:
    assert access_widens(old, new) is widens


# --- lists ------------------------------------------------------------------------------------


def test_exact_list_adds_missing_and_removes_extra() -> None:
    plan = build_plan(
        desired_state(desired(lists=[dlist("blacklist", ["1", "2", "3"])])),
        live_state(live(blacklist=["2", "3", "9"])),
    )
    add, remove = plan.changes
    assert (add.action, add.method, add.path) == (
        Action.LIST_ADD,
        "POST",
        f"/resumes/{BACKEND}/blacklist",
    )
    assert add.body == {"items": [{"id": "1"}]}
    assert add.employers == ("1",)
    assert (remove.action, remove.method) == (Action.LIST_REMOVE, "DELETE")
    assert remove.path == f"/resumes/{BACKEND}/blacklist/employer?id=9"
    assert remove.employers == ("9",)
    assert plan.notices == []


def test_include_list_only_adds_and_reports_out_of_band_employers() -> None:
    plan = build_plan(
        desired_state(desired(lists=[dlist("whitelist", ["1740", "3776"], exact=False)])),
        live_state(live(whitelist=["3776", "5", "6"])),
    )
    [add] = plan.changes
    assert add.employers == ("1740",)
    [notice] = plan.notices
    assert notice.kind is NoticeKind.OUT_OF_BAND
    assert notice.employers == ("5", "6")
    assert notice.resume == "backend"
    assert "no file declares" in notice.message


def test_unmanaged_list_is_left_alone() -> None:
    plan = build_plan(desired_state(desired()), live_state(live(blacklist=["1", "2"])))
    assert plan.changes == []


def test_250_additions_are_three_posts_of_100_100_50() -> None:
    ids = [str(item) for item in range(1000, 1250)]
    plan = build_plan(desired_state(desired(lists=[dlist("blacklist", ids)])), live_state(live()))
    assert [len(change.employers) for change in plan.changes] == [100, 100, 50]
    assert all(change.action is Action.LIST_ADD for change in plan.changes)
    sent = [item["id"] for change in plan.changes for item in (change.body or {})["items"]]
    assert sent == ids


def test_150_removals_are_two_deletes() -> None:
    live_ids = [str(item) for item in range(600)]
    plan = build_plan(
        desired_state(desired(lists=[dlist("whitelist", live_ids[150:])])),
        live_state(live(whitelist=live_ids)),
    )
    assert [len(change.employers) for change in plan.changes] == [100, 50]
    for change in plan.changes:
        query = parse_qs(urlsplit(change.path).query)
        assert query["id"] == list(change.employers)
        assert urlsplit(change.path).path == f"/resumes/{BACKEND}/whitelist/employer"
    assert [e for c in plan.changes for e in c.employers] == live_ids[:150]


def test_an_empty_exact_list_is_cleared_with_one_call() -> None:
    plan = build_plan(
        desired_state(desired(lists=[dlist("blacklist", [])])),
        live_state(live(blacklist=["1", "2", "3"])),
    )
    [clear] = plan.changes
    assert (clear.action, clear.method, clear.path) == (
        Action.LIST_CLEAR,
        "DELETE",
        f"/resumes/{BACKEND}/blacklist",
    )
    assert clear.employers == ("1", "2", "3")
    assert clear.widens_visibility


def test_an_empty_list_that_is_already_empty_needs_nothing() -> None:
    plan = build_plan(desired_state(desired(lists=[dlist("blacklist", [])])), live_state(live()))
    assert plan.changes == []


def test_more_additions_than_can_add_is_an_error_pointing_at_the_list() -> None:
    with pytest.raises(ProblemsError) as caught:
        build_plan(
            desired_state(desired(lists=[dlist("blacklist", ["1", "2", "3"], line=7)])),
            live_state(live(can_add={"blacklist": 2})),
        )
    [problem] = caught.value.problems
    assert str(problem.location) == "visibility.yaml:7"
    assert "3 employers to add" in problem.message and "room for 2" in problem.message
    assert not isinstance(caught.value, UnsafePlanError)


def test_whitelist_removals_make_room_for_its_additions() -> None:
    plan = build_plan(
        desired_state(desired(lists=[dlist("whitelist", ["1", "2"])])),
        live_state(
            live(whitelist=["8", "9"], can_add={"whitelist": 0}),
        ),
        force=True,
    )
    assert actions(plan.changes) == [("list_remove", "whitelist"), ("list_add", "whitelist")]


def test_blacklist_additions_run_first_so_its_removals_do_not_make_room() -> None:
    with pytest.raises(ProblemsError):
        build_plan(
            desired_state(desired(lists=[dlist("blacklist", ["1", "2"])])),
            live_state(live(blacklist=["8", "9"], can_add={"blacklist": 0})),
            force=True,
        )


# --- safety -----------------------------------------------------------------------------------


def test_removing_more_than_30_percent_of_a_list_of_10_is_refused() -> None:
    live_ids = [str(item) for item in range(10)]
    state = desired_state(desired(lists=[dlist("blacklist", live_ids[4:], line=12)]))
    with pytest.raises(UnsafePlanError) as caught:
        build_plan(state, live_state(live(blacklist=live_ids)))
    [problem] = caught.value.problems
    text = str(problem)
    assert text.startswith("visibility.yaml:12: ")
    assert "backend" in text and "blacklist" in text and "4 of the 10" in text
    assert "--force" in text
    forced = build_plan(state, live_state(live(blacklist=live_ids)), force=True)
    assert sum(len(change.employers) for change in forced.changes) == 4


def test_removing_30_percent_or_a_small_list_is_allowed() -> None:
    ten = [str(item) for item in range(10)]
    nine = ten[:9]
    plan = build_plan(
        desired_state(
            desired(lists=[dlist("blacklist", ten[3:]), dlist("whitelist", [])]),
        ),
        live_state(live(blacklist=ten, whitelist=nine)),
    )
    assert actions(plan.changes) == [("list_clear", "whitelist"), ("list_remove", "blacklist")]


def test_clearing_a_long_list_is_unsafe() -> None:
    with pytest.raises(UnsafePlanError):
        build_plan(
            desired_state(desired(lists=[dlist("whitelist", [])])),
            live_state(live(whitelist=[str(item) for item in range(20)])),
        )


def test_raise_if_unsafe_works_on_a_plan_from_a_file() -> None:
    live_ids = [str(item) for item in range(10)]
    state = live_state(live(blacklist=live_ids))
    plan = build_plan(desired_state(desired(lists=[dlist("blacklist", [])])), state, force=True)
    with pytest.raises(UnsafePlanError):
        raise_if_unsafe(plan, state)
    raise_if_unsafe(plan, state, force=True)


# --- widening ---------------------------------------------------------------------------------


def test_widening_flags_on_list_changes() -> None:
    plan = build_plan(
        desired_state(
            desired(lists=[dlist("blacklist", ["1", "2"]), dlist("whitelist", ["3", "4"])])
        ),
        live_state(live(blacklist=["2", "5"], whitelist=["4", "6"])),
    )
    flags = {(c.action.value, c.list_kind): c.widens_visibility for c in plan.changes}
    assert flags == {
        ("list_add", "blacklist"): False,
        ("list_remove", "whitelist"): False,
        ("list_remove", "blacklist"): True,
        ("list_add", "whitelist"): True,
    }


# --- publishing -------------------------------------------------------------------------------


def publish_plan(
    mode: PublishMode, now: dt.datetime | None = None, fields=None, source=None, **live_args
):
    resume = desired(publish=mode, fields=fields)
    if source is not None:
        resume.source = source
    return build_plan(
        desired_state(resume),
        live_state(live(**live_args)),
        now=now,
    )


def test_publish_never() -> None:
    assert publish_plan(PublishMode.NEVER, status="not_published").changes == []


def test_publish_once_publishes_a_resume_that_is_not_published() -> None:
    [change] = publish_plan(PublishMode.ONCE, status="not_published").changes
    assert (change.action, change.method, change.path) == (
        Action.PUBLISH,
        "POST",
        f"/resumes/{BACKEND}/publish",
    )
    assert change.reason == "first publication"


def test_publish_once_leaves_a_published_resume_alone() -> None:
    plan = publish_plan(PublishMode.ONCE, status="published", can_publish_or_update=True)
    assert plan.changes == [] and plan.notices == []


def test_renew_when_allowed_and_due() -> None:
    plan = publish_plan(
        PublishMode.RENEW,
        now=NOW,
        can_publish_or_update=True,
        next_publish_at="2025-06-01T14:59:00+0300",
    )
    assert [(c.action, c.reason) for c in plan.changes] == [(Action.PUBLISH, "renew")]


def test_renew_without_timing_trusts_can_publish_or_update() -> None:
    plan = publish_plan(
        PublishMode.RENEW, can_publish_or_update=True, next_publish_at="2099-01-01T00:00:00+0300"
    )
    assert [c.reason for c in plan.changes] == ["renew"]


@pytest.mark.parametrize(
    ("can", "next_at"),
    [(True, "2025-06-01T15:01:00+0300"), (False, "2025-06-01T10:00:00+0300")],
)
def test_renew_not_yet_is_a_notice(can: bool, next_at: str) -> None:
    plan = publish_plan(
        PublishMode.RENEW, now=NOW, can_publish_or_update=can, next_publish_at=next_at
    )
    assert plan.changes == []
    [notice] = plan.notices
    assert notice.kind is NoticeKind.PUBLISH_NOT_YET
    assert next_at in notice.message


def test_a_blocked_resume_is_reported_not_published() -> None:
    plan = publish_plan(PublishMode.ONCE, status="not_published", blocked=True)
    assert plan.changes == []
    assert [n.kind for n in plan.notices] == [NoticeKind.PUBLISH_SKIPPED]
    assert "blocked" in plan.notices[0].message


@pytest.mark.parametrize(
    ("mode", "status"),
    [
        (PublishMode.ONCE, "not_published"),
        (PublishMode.RENEW, "not_published"),
        (PublishMode.RENEW, "published"),
    ],
)
def test_a_publish_with_mandatory_fields_left_empty_fails_the_plan_at_the_publish_line(
    mode: PublishMode, status: str
) -> None:
    with pytest.raises(ProblemsError) as raised:
        publish_plan(
            mode,
            status=status,
            progress={"mandatory": [{"id": "contact", "name": "Contacts"}, {"id": "skills"}]},
            fields={"skill_set": ["Python"]},
            source=SourceMap({("publish",): Location("resumes/backend.yaml", 3)}),
        )
    assert [str(problem) for problem in raised.value.problems] == [
        "resumes/backend.yaml:3: cannot publish: mandatory fields are empty: contact "
        "(declare them, or set publish: false)"
    ]


def test_mandatory_fields_left_empty_do_not_matter_without_a_publish() -> None:
    plan = publish_plan(
        PublishMode.NEVER,
        status="not_published",
        progress={"mandatory": [{"id": "contact"}]},
        fields={"skill_set": ["Python"]},
    )
    assert actions(plan.changes) == [("update", None)]


def test_publish_when_this_plan_fills_every_missing_mandatory_field() -> None:
    plan = publish_plan(
        PublishMode.ONCE,
        status="not_published",
        progress={"mandatory": [{"id": "skills"}, {"id": "area"}]},
        fields={"skill_set": ["Python"], "area": {"id": "1"}},
    )
    assert actions(plan.changes) == [("update", None), ("publish", None)]


# --- order, resumes, notices ------------------------------------------------------------------


def test_order_inside_a_resume_is_privacy_first() -> None:
    plan = build_plan(
        desired_state(
            desired(
                fields={"title": "New"},
                access="whitelist",
                publish=PublishMode.ONCE,
                lists=[dlist("blacklist", ["1", "2"]), dlist("whitelist", ["3", "4"])],
            )
        ),
        live_state(live(status="not_published", blacklist=["2", "5"], whitelist=["4", "6"])),
    )
    assert actions(plan.changes) == [
        ("list_add", "blacklist"),
        ("list_remove", "whitelist"),
        ("update", None),
        ("list_remove", "blacklist"),
        ("list_add", "whitelist"),
        ("publish", None),
    ]


def test_resumes_follow_the_desired_file_order() -> None:
    plan = build_plan(
        desired_state(
            desired("data-engineer", DATA, fields={"title": "Data"}),
            desired("backend", BACKEND, fields={"title": "Backend"}),
        ),
        live_state(live(BACKEND), live(DATA)),
    )
    assert [change.resume for change in plan.changes] == ["data-engineer", "backend"]


def test_unmanaged_resumes_are_a_notice_and_never_touched() -> None:
    plan = build_plan(
        desired_state(desired()),
        live_state(live(), extra_account=(ResumeSummary("ffff0000", "QA engineer"),)),
    )
    assert plan.changes == []
    [notice] = plan.notices
    assert notice.kind is NoticeKind.UNMANAGED_RESUME
    assert notice.resume_id == "ffff0000" and "QA engineer" in notice.message


def test_a_managed_resume_missing_from_the_account_is_an_error() -> None:
    with pytest.raises(ProblemsError) as caught:
        build_plan(desired_state(desired("gone", "0000")), live_state())
    assert str(caught.value.problems[0].location) == "resumes/gone.yaml:1"


def test_employer_names_come_from_live_lists_and_files() -> None:
    plan = build_plan(
        desired_state(
            desired(lists=[dlist("blacklist", ["1455", "77"], names={"1455": "HeadHunter"})])
        ),
        live_state(live(blacklist=["9"])),
    )
    assert plan.employer_names == {"1455": "HeadHunter", "9": "Employer 9"}


def test_plan_records_fingerprint_and_api_url() -> None:
    state = live_state(live())
    plan = build_plan(desired_state(desired()), state)
    assert plan.fingerprint == fingerprint(state)
    assert plan.api_url == API
