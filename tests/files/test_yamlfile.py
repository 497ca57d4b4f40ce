"""YAML with line numbers, scalar types, syntax errors and ${VAR} interpolation."""

from __future__ import annotations

import math
import textwrap
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from resumesync.model import Location
from resumesync.problems import ProblemsError
from resumesync.yamlfile import YamlDocument, interpolate, parse_yaml, read_yaml_text

from .helpers import problems


def parse(text: str, file: str = "f.yaml") -> YamlDocument:
    return parse_yaml(textwrap.dedent(text), file)


# --- lines -----------------------------------------------------------------------------------


def test_every_value_has_the_line_of_its_key_or_item() -> None:
    doc = parse(
        """\
        # comment
        title: Dev
        salary: {amount: 1, currency: RUR}
        experience:
          - company: X
            start: "2019-03-01"
          - company: Y
        skills: >-
          folded
          text
        """
    )
    assert doc.lines[("title",)] == 2
    assert doc.lines[("salary", "currency")] == 3
    assert doc.lines[("experience",)] == 4
    assert doc.lines[("experience", 0)] == 5
    assert doc.lines[("experience", 0, "start")] == 6
    assert doc.lines[("experience", 1, "company")] == 7
    assert doc.lines[("skills",)] == 8  # the key, not the block scalar's first text line
    assert doc.first_line == 2
    assert doc.location(("experience", 1, "missing")) == Location("f.yaml", 7)


def test_merge_keys_take_lines_from_the_anchor() -> None:
    doc = parse(
        """\
        base: &b {x: 1, y: 2}
        other:
          <<: *b
          y: 3
        """
    )
    assert doc.data["other"] == {"x": 1, "y": 3}
    assert doc.lines[("other", "x")] == 1
    assert doc.lines[("other", "y")] == 4


# --- scalar types ----------------------------------------------------------------------------


def test_scalars_keep_their_written_type() -> None:
    doc = parse(
        """\
        start: 2019-03-01
        stamp: 2019-03-01T10:00:00
        b1: on
        b2: yes
        b3: No
        t: true
        f: False
        code: 0123
        hex: 0x1F
        big: 1_000
        time: 1:30
        n: 42
        neg: -7
        x: 1.5
        e: 1e3
        e2: 1.0e+3
        inf: -.inf
        nothing: ~
        empty:
        "1455": quoted key
        1740: plain key
        """
    )
    assert doc.data == {
        "start": "2019-03-01",
        "stamp": "2019-03-01T10:00:00",
        "b1": "on",
        "b2": "yes",
        "b3": "No",
        "t": True,
        "f": False,
        "code": "0123",
        "hex": "0x1F",
        "big": "1_000",
        "time": "1:30",
        "n": 42,
        "neg": -7,
        "x": 1.5,
        "e": "1e3",
        "e2": 1000.0,
        "inf": -math.inf,
        "nothing": None,
        "empty": None,
        "1455": "quoted key",
        "1740": "plain key",
    }


def test_explicit_str_tag_and_unsupported_tags() -> None:
    assert parse("a: !!str 12\n").data == {"a": "12"}
    assert problems(lambda: parse("a: 1\nb: !!timestamp 2019-01-01\n")) == [
        "f.yaml:2: b: unsupported YAML tag !!timestamp"
    ]
    assert problems(lambda: parse("a: !custom x\n")) == [
        "f.yaml:1: a: unsupported YAML tag !custom"
    ]


# --- errors ----------------------------------------------------------------------------------


def test_syntax_error_points_at_its_line() -> None:
    found = problems(lambda: parse("title: Dev\nsalary: {amount: 1\nskills: x\n", "resumes/a.yaml"))
    assert len(found) == 1
    # the line of the unclosed `{`, not the next one where the parser noticed (issue 15 §4)
    assert found[0].startswith("resumes/a.yaml:2: YAML syntax error:")


def test_bad_indentation_is_a_syntax_error() -> None:
    found = problems(lambda: parse("a:\n  b: 1\n c: 2\n"))
    assert found[0].startswith("f.yaml:3: YAML syntax error:")


def test_duplicate_keys_are_errors_with_both_lines() -> None:
    found = problems(lambda: parse("title: a\nskills: b\ntitle: c\nx: {k: 1, k: 2}\n"))
    assert found == [
        "f.yaml:3: title: duplicate key (first at line 1)",
        "f.yaml:4: x.k: duplicate key (first at line 4)",
    ]


def test_several_documents_are_an_error() -> None:
    assert problems(lambda: parse("a: 1\n---\nb: 2\n"))[0].startswith("f.yaml:2: YAML syntax")


def test_recursive_alias_is_an_error_not_a_hang() -> None:
    assert problems(lambda: parse("a: &x [1, *x]\n")) == [
        "f.yaml:1: a[1]: an alias refers to a value that contains it"
    ]


def test_complex_keys_are_errors() -> None:
    assert problems(lambda: parse("? [a, b]\n: 1\n")) == [
        "f.yaml:1: a mapping key must be a plain string"
    ]


def test_non_utf8_bytes() -> None:
    assert problems(lambda: read_yaml_text(b"a: 1\nb: \xff\n", "f.yaml")) == [
        "f.yaml:2: not UTF-8 text"
    ]
    assert read_yaml_text("\ufeffa: 1".encode(), "f.yaml") == "a: 1"


def test_control_characters_are_a_syntax_error() -> None:
    assert problems(lambda: parse("a: 1\nb: \x07\n"))[0].startswith("f.yaml:2: YAML syntax error")


def test_empty_document_is_null() -> None:
    doc = parse("# nothing\n")
    assert doc.data is None
    assert doc.first_line == 1


# --- interpolation ---------------------------------------------------------------------------


def test_interpolation_with_defaults_escapes_and_tracking() -> None:
    doc = parse(
        """\
        email: ${EMAIL}
        phone: ${PHONE:-123}
        empty: ${EMPTY:-fallback}
        kept_empty: ${EMPTY}
        mixed: a ${EMAIL} b ${PHONE:-c}
        literal: $${NOT_A_VAR} and $$ and $PLAIN
        "${KEY}": keys are never interpolated
        number: 5
        list: ["${EMAIL}"]  # in flow style a reference needs quotes
        """
    )
    out = interpolate(doc, {"EMAIL": "me@example.com", "EMPTY": ""})
    assert out.data == {
        "email": "me@example.com",
        "phone": "123",
        "empty": "fallback",
        "kept_empty": "",
        "mixed": "a me@example.com b c",
        "literal": "${NOT_A_VAR} and $$ and $PLAIN",
        "${KEY}": "keys are never interpolated",
        "number": 5,
        "list": ["me@example.com"],
    }
    assert out.interpolated == {
        ("email",),
        ("phone",),
        ("empty",),
        ("kept_empty",),
        ("mixed",),
        ("list", 0),
    }
    assert out.lines == doc.lines


def test_unset_variables_are_all_reported_with_file_and_line() -> None:
    doc = parse("title: Dev\ncontact:\n  - value: ${HH_EMAIL}\nx: ${A}${B:-ok}\n", "resumes/b.yaml")
    assert problems(lambda: interpolate(doc, {})) == [
        "resumes/b.yaml:3: contact[0].value: environment variable HH_EMAIL is not set",
        "resumes/b.yaml:4: x: environment variable A is not set",
    ]


def test_malformed_references() -> None:
    doc = parse("a: ${}\nb: ${1X}\nc: ${OPEN\n")
    found = problems(lambda: interpolate(doc, {}))
    assert [line.split(": ")[0:2] for line in found] == [
        ["f.yaml:1", "a"],
        ["f.yaml:2", "b"],
        ["f.yaml:3", "c"],
    ]
    assert all("malformed reference" in line for line in found)


def test_interpolation_reads_only_the_mapping_given() -> None:
    doc = parse("home: ${HOME}\n")
    assert problems(lambda: interpolate(doc, {})) == [
        "f.yaml:1: home: environment variable HOME is not set"
    ]


# --- properties ------------------------------------------------------------------------------

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(st.characters(exclude_categories=("Cs",)), max_size=20)
)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


def leaves(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(value, dict):
        return [p for key, item in value.items() for p in leaves(item, (*path, key))] or [path]
    if isinstance(value, list):
        return [p for i, item in enumerate(value) for p in leaves(item, (*path, i))] or [path]
    return [path]


@settings(max_examples=150, deadline=None, derandomize=True)
@given(json_values, st.booleans())
def test_json_documents_round_trip_with_a_line_for_every_leaf(data: Any, flow: bool) -> None:
    # allow_unicode=False: PyYAML's emitter writes U+0085 (a YAML line break) raw otherwise.
    text = yaml.safe_dump(data, default_flow_style=flow, allow_unicode=False, sort_keys=False)
    doc = parse_yaml(text, "f.yaml")
    assert doc.data == data
    lines_in_text = text.count("\n") + 1
    for path in leaves(data):
        assert path in doc.lines
        assert 1 <= doc.lines[path] <= lines_in_text


@settings(
    max_examples=200, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(st.text(max_size=200))
def test_any_text_parses_or_raises_problems(text: str) -> None:
    try:
        doc = parse_yaml(text, "f.yaml")
    except ProblemsError as error:  # anything else fails the test
        assert error.problems
        assert all(p.location and p.location.file == "f.yaml" for p in error.problems)
    else:
        assert () in doc.lines


def test_round_trip_keeps_strings_that_look_like_other_types() -> None:
    data = {"a": ["on", "yes", "2019-03-01", "0123", "1e3", "0o17", "-.5", "1:30", "null", "~"]}
    assert parse_yaml(yaml.safe_dump(data), "f.yaml").data == data


@pytest.mark.parametrize("flow", [True, False])
def test_float_round_trip(flow: bool) -> None:
    data = {"x": [1e16, 1e-5, -0.0, 1.5, math.inf]}
    assert parse_yaml(yaml.safe_dump(data, default_flow_style=flow), "f.yaml").data == data
