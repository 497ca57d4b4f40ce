"""yamlwrite.with_id_line: one added `id:` line, every other byte as it was."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from resumesync.yamlwrite import IdWriteError, id_line, with_id_line

from .support import added_lines


def test_the_line_goes_before_the_first_key_after_the_leading_comments() -> None:
    content = b"# schema line\n\n# about me\ntitle: x   # kept\n\nsalary: {amount: 1}\n"
    assert with_id_line(content, "abc123") == (
        b"# schema line\n\n# about me\nid: abc123\ntitle: x   # kept\n\nsalary: {amount: 1}\n"
    )


def test_line_endings_bom_and_document_start_are_kept() -> None:
    content = b"\xef\xbb\xbf---\r\ntitle: 'x'\r\n"
    assert with_id_line(content, "ff00") == b"\xef\xbb\xbf---\r\nid: ff00\r\ntitle: 'x'\r\n"


@pytest.mark.parametrize(
    ("resume_id", "line"),
    [("0123abcd", "id: 0123abcd"), ("12345", 'id: "12345"'), ("true", 'id: "true"')],
)
def test_ids_yaml_would_read_as_another_type_are_quoted(resume_id: str, line: str) -> None:
    assert id_line(resume_id) == line
    assert yaml.safe_load(line) == {"id": resume_id}


def test_the_same_id_again_changes_nothing() -> None:
    content = b"id: abc\ntitle: x\n"
    assert with_id_line(content, "abc") == content


@pytest.mark.parametrize(
    "content",
    [b"id: other\ntitle: x\n", b"- a\n- b\n", b"{title: x}\n", b"title: [unclosed\n"],
)
def test_files_that_cannot_take_the_line_safely_are_refused(content: bytes) -> None:
    with pytest.raises(IdWriteError):
        with_id_line(content, "abc")


_comment = st.text(st.characters(codec="utf-8", exclude_characters="\r\n"), max_size=20).map(
    lambda text: "#" + text
)
_value = st.one_of(
    st.integers(-5, 5).map(str),
    st.sampled_from(["'quoted'", '"double"', "plain text", "[a, b]", "{x: 1}", "null", ""]),
)
_key = st.sampled_from(["title", "salary", "skills", "extends", "publish", "clone"])


@st.composite
def resume_files(draw: st.DrawFn) -> bytes:
    lines = draw(st.lists(st.one_of(_comment, st.just("")), max_size=3))
    keys = draw(st.lists(_key, min_size=1, max_size=5, unique=True))
    for key in keys:
        lines.extend(draw(st.lists(st.one_of(_comment, st.just("")), max_size=2)))
        trailer = draw(st.one_of(st.just(""), _comment.map(lambda c: "  " + c)))
        lines.append(f"{key}: {draw(_value)}{trailer}")
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    return (newline.join(lines) + newline).encode("utf-8")


@settings(derandomize=True, max_examples=200)
@given(resume_files(), st.from_regex(r"[0-9a-f]{1,38}", fullmatch=True))
def test_exactly_one_line_is_added_and_the_data_gains_only_the_id(
    content: bytes, resume_id: str
) -> None:
    try:
        before = yaml.safe_load(content)
    except yaml.YAMLError:
        return  # not a file this could be asked to edit
    updated = with_id_line(content, resume_id)
    (line,) = added_lines(content, updated)
    assert yaml.safe_load(line) == {"id": resume_id}
    assert yaml.safe_load(updated) == {"id": resume_id, **(before or {})}
