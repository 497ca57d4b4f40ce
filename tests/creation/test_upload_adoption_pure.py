"""Adopting the artifact an interrupted upload made (imageplan.adopted_artifact and its use in
plan_images), and the intent records' file (upload_intents.py). Pure functions, plus a file
in a temporary directory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from resumesync.artifacts import LocalImage, LockEntry, UploadIntent, pending_artifact_id
from resumesync.imageplan import adopted_artifact, plan_images
from resumesync.model import (
    Action,
    DesiredResume,
    DesiredState,
    LiveState,
    Location,
    NoticeKind,
)
from resumesync.upload_intents import (
    clear_upload_intent,
    read_upload_intents,
    record_upload_intent,
    upload_intents_path,
)

SHA = "ab" * 32
API = "https://api.hh.ru"


def item(state: str = "ok", description: str | None = None) -> dict[str, Any]:
    found: dict[str, Any] = {"state": {"id": state}}
    if description is not None:
        found["description"] = description
    return found


def photo_intent(known: tuple[str, ...] = (), artifact_id: str = "") -> UploadIntent:
    return UploadIntent("photo", SHA, "resumes/me.png", None, known, artifact_id, API)


def test_the_one_new_artifact_is_adopted() -> None:
    items = {"1": item(), "2": item(), "3": item()}
    assert adopted_artifact(photo_intent(known=("1", "2")), items, set()) == "3"


def test_the_recorded_id_wins_when_the_post_had_answered() -> None:
    items = {"1": item(), "2": item("processing"), "3": item()}
    assert adopted_artifact(photo_intent(known=("1",), artifact_id="2"), items, set()) == "2"
    # gone, or `failed`: nothing to adopt, the image is uploaded again
    assert adopted_artifact(photo_intent(artifact_id="9"), items, set()) == []
    failed = {"2": item("failed")}
    assert adopted_artifact(photo_intent(artifact_id="2"), failed, set()) == []


def test_locked_failed_and_known_artifacts_are_not_candidates() -> None:
    items = {"1": item(), "2": item("failed"), "3": item(), "4": item("processing")}
    assert adopted_artifact(photo_intent(known=("1",)), items, {"3"}) == "4"


def test_several_candidates_are_not_guessed_between() -> None:
    items = {"5": item(), "6": item()}
    assert adopted_artifact(photo_intent(), items, set()) == ["5", "6"]
    assert adopted_artifact(photo_intent(), {}, set()) == []


def test_a_portfolio_image_is_matched_by_the_description_it_was_sent_with() -> None:
    intent = UploadIntent("portfolio", SHA, "board.png", "A board", (), "", API)
    items = {"7": item(description="A chart"), "8": item(description="A board")}
    assert adopted_artifact(intent, items, set()) == "8"


@settings(derandomize=True, max_examples=200)
@given(
    st.dictionaries(
        st.from_regex(r"[0-9]{1,3}", fullmatch=True),
        st.sampled_from(["ok", "processing", "failed"]),
        max_size=8,
    ),
    st.sets(st.from_regex(r"[0-9]{1,3}", fullmatch=True), max_size=4),
    st.sets(st.from_regex(r"[0-9]{1,3}", fullmatch=True), max_size=4),
)
def test_an_adopted_artifact_is_always_new_unlocked_usable_and_the_only_one(
    states: dict[str, str], known: set[str], locked: set[str]
) -> None:
    items = {artifact_id: item(state) for artifact_id, state in states.items()}
    found = adopted_artifact(photo_intent(known=tuple(sorted(known))), items, locked)
    new = [i for i, s in states.items() if i not in known | locked and s != "failed"]
    if len(new) == 1:
        assert found == new[0]
    else:
        assert found == sorted(new)


def desired_with_photo(tmp_root: str, **state: Any) -> DesiredState:
    image = LocalImage("photo", "resumes/me.png", SHA, 10, "image/png", Location("r.yaml", 3))
    resume = DesiredResume(
        key="backend", resume_id="r1", file="resumes/backend.yaml", images=(image,)
    )
    return DesiredState(root=tmp_root, resumes=[resume], **state)


def live_with(items: dict[str, dict[str, Any]]) -> LiveState:
    return LiveState(api_url=API, artifacts={"photo": items})


def test_the_plan_adopts_instead_of_uploading() -> None:
    desired = desired_with_photo(".", upload_intents={photo_intent().key: photo_intent()})
    result = plan_images(desired, live_with({"3": item("processing")}))
    (change,) = result.changes
    assert change.action is Action.ADOPT_UPLOAD
    assert change.path == "/artifacts/3" and change.method == ""
    assert change.reason == "r.yaml:3"  # errors (processing failed) point at the file's line
    # the resume shows the stand-in, bound at apply once the artifact is `ok`
    assert result.resumes["backend"].fields["photo"] == {"id": pending_artifact_id("photo", SHA)}


def test_a_record_of_another_api_or_of_a_locked_image_is_ignored() -> None:
    other = UploadIntent("photo", SHA, "resumes/me.png", None, (), "", "http://127.0.0.1:9")
    desired = desired_with_photo(".", upload_intents={other.key: other})
    (change,) = plan_images(desired, live_with({"3": item()})).changes
    assert change.action is Action.UPLOAD
    # the lock names the image (its artifact is gone): the record is stale, not evidence
    lock = {photo_intent().key: LockEntry("photo", SHA, "1")}
    desired = desired_with_photo(".", upload_intents={other.key: photo_intent()}, lock=lock)
    (change,) = plan_images(desired, live_with({"3": item()})).changes
    assert change.action is Action.UPLOAD


def test_candidates_that_cannot_be_told_apart_are_a_notice_and_the_image_is_uploaded() -> None:
    desired = desired_with_photo(".", upload_intents={photo_intent().key: photo_intent()})
    result = plan_images(desired, live_with({"3": item(), "4": item()}))
    (change,) = result.changes
    assert change.action is Action.UPLOAD
    (notice,) = result.notices
    assert notice.kind is NoticeKind.UNCERTAIN_UPLOAD
    assert "2 photo images since (3, 4)" in notice.message


def test_the_record_file_round_trips_and_goes_when_empty(tmp_path: Path) -> None:
    first = photo_intent(known=("1", "2"))
    second = UploadIntent("portfolio", "cd" * 32, "b.png", "A board", (), "", API)
    record_upload_intent(tmp_path, first)
    record_upload_intent(tmp_path, second)
    assert read_upload_intents(tmp_path) == {first.key: first, second.key: second}
    assert (tmp_path / ".resumesync" / ".gitignore").read_text() == "*\n"
    clear_upload_intent(tmp_path, "photo", SHA)
    assert read_upload_intents(tmp_path) == {second.key: second}
    clear_upload_intent(tmp_path, "portfolio", "cd" * 32)
    assert not upload_intents_path(tmp_path).exists()


def test_a_broken_record_file_is_no_record(tmp_path: Path) -> None:
    path = upload_intents_path(tmp_path)
    path.parent.mkdir()
    for text in ("{", "[]", '{"uploading": {"photo:xyz": {"known_ids": []}}}'):
        path.write_text(text, encoding="utf-8")
        assert read_upload_intents(tmp_path) == {}


def test_the_plan_shows_the_adopted_artifact_where_the_resume_names_it() -> None:
    from resumesync.model import Change, Plan
    from resumesync.render.common import change_lines

    stand_in = {"id": pending_artifact_id("photo", SHA)}
    adopt = Change(
        action=Action.ADOPT_UPLOAD,
        resume="backend",
        resume_id="r1",
        method="",
        path="/artifacts/3",
        file="resumes/me.png",
        artifact_type="photo",
        sha256=SHA,
    )
    update = Change(
        action=Action.UPDATE,
        resume="backend",
        resume_id="r1",
        method="PUT",
        path="/resumes/r1",
        body={"photo": stand_in},
        diff={"photo": {"old": None, "new": stand_in}},
    )
    plan = Plan(changes=[adopt, update])
    assert change_lines(plan, adopt) == [
        "+ adopt photo resumes/me.png (artifact 3): an earlier apply uploaded this image and "
        "stopped before writing resumesync.lock; apply writes it into resumesync.lock"
    ]
    assert change_lines(plan, update) == ['~ photo: null -> {"id": "(artifact 3: resumes/me.png)"}']


def test_an_artifact_another_record_names_is_never_adopted_by_matching() -> None:
    """Two interrupted uploads of one type: Y's POST had answered (artifact 3), X's had not.
    X must not take 3, whichever image the plan comes to first."""
    y = UploadIntent("photo", "cd" * 32, "resumes/you.png", None, (), "3", API)
    x = photo_intent()
    desired = desired_with_photo(".", upload_intents={x.key: x, y.key: y})
    (change,) = plan_images(desired, live_with({"3": item("processing")})).changes
    assert change.action is Action.UPLOAD  # X: nothing new that is not claimed
