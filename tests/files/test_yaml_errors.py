"""YAML syntax errors in plain words at the line of the mistake, and type errors that quote
the value and say the fix (issue 15 §4)."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from resumesync.cli import cli
from resumesync.problems import ProblemsError
from resumesync.yamlerrors import describe_syntax_error
from resumesync.yamlfile import parse_yaml

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

# text, line of the mistake, words the message must hold
CASES = {
    "unclosed [": ("title: x\nskill_set: [Python, Go\nsalary: {amount: 1}\n", 2, "`]`"),
    "unclosed [ at the end": ("title: x\nskill_set: [Python, Go\n", 2, "`]`"),
    "unclosed [ over lines": ("skill_set: [Python,\n  Go\nsalary: 1\n", 2, "`]`"),
    "unclosed {": ("title: x\nsalary: {amount: 1\narea: x\n", 2, "`}`"),
    "bad list item": ('skill_set: [C++, "Go" x]\n', 1, "quotes"),
    "unclosed quote": ('title: "x\nsalary: 1\n', 1, "never closed"),
    "colon in a value": ("title: Senior: Python\nsalary: 1\n", 1, "quotes"),
    "no space after colon": ("title:x\nsalary: 1\n", 1, "space after the colon"),
    "indented under a value": ("title: x\n  salary: 1\n", 2, "indented more"),
    "misaligned list item": ("experience:\n  - company: a\n   position: b\n", 3, "indented"),
    "tab": ("title: x\n\tsalary: 1\n", 2, "tab"),
    "a word without colon": ("skill_set:\n- a\nb\n", 3, "`b`"),
    "extra ]": ("skill_set: [a, b]]\n", 1, "extra `]`"),
    "list item in a mapping": ("title: x\n- a\n", 2, "list item"),
    "undefined alias": ("a: *x\n", 1, "anchor"),
    "two documents": ("a: 1\n---\nb: 2\n", 2, "second document"),
    "at sign": ("title: @me\n", 1, "quotes"),
}
LOADERS = [yaml.SafeLoader, *([yaml.CSafeLoader] if hasattr(yaml, "CSafeLoader") else [])]


@pytest.mark.parametrize("loader", LOADERS, ids=lambda loader: loader.__name__)
@pytest.mark.parametrize("case", CASES, ids=str)
def test_both_parsers_errors_map_to_the_line_of_the_mistake(case: str, loader: type) -> None:
    text, line, words = CASES[case]
    with pytest.raises(yaml.MarkedYAMLError) as caught:
        yaml.load(text, Loader=loader)  # SafeLoader / CSafeLoader only
    message, found = describe_syntax_error(caught.value, text)
    assert found == line, message
    assert words in message
    assert "expected" not in message and "<" not in message  # no parser jargon


def test_the_loader_reports_the_plain_words() -> None:
    with pytest.raises(ProblemsError) as caught:
        parse_yaml("title: x\nskill_set: [Python, Go\nsalary: {amount: 1}\n", "resumes/a.yaml")
    assert [str(problem) for problem in caught.value.problems] == [
        "resumes/a.yaml:2: YAML syntax error: the list opened with `[` on this line is not "
        "closed: add `]` after its last item"
    ]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return shutil.copytree(EXAMPLES / "basic", tmp_path / "basic")


def validate(repo: Path) -> list[str]:
    result = CliRunner().invoke(cli, ["validate", "--dir", str(repo)], env={"NO_COLOR": "1"})
    assert result.exit_code == 1
    return result.output.splitlines()


def test_a_resume_that_fails_to_parse_adds_no_visibility_error(repo: Path) -> None:
    variant = repo / "resumes" / "data-engineer.yaml"
    lines = variant.read_text().splitlines()
    lines.append("skill_set: [SQL, dbt")
    variant.write_text("\n".join(lines) + "\n")
    output = validate(repo)
    assert output == [
        f"resumes/data-engineer.yaml:{len(lines)}: YAML syntax error: the list opened with `[` "
        "on this line is not closed: add `]` after its last item",
        "1 problem.",
    ]


def test_type_errors_quote_the_value_and_say_the_fix(repo: Path) -> None:
    backend = repo / "resumes" / "backend.yaml"
    text = backend.read_text() + textwrap.dedent(
        """\
        has_vehicle: no
        """
    )
    backend.write_text(text.replace("amount: 350000", 'amount: "350 000"'))
    variant = repo / "resumes" / "data-engineer.yaml"
    variant.write_text(variant.read_text() + "skills: 2024\n")
    output = validate(repo)
    assert any(
        line.endswith(
            "has_vehicle: expected boolean or null, got string: `no` is a string in YAML 1.2 "
            "(only true and false are booleans): write false"
        )
        for line in output
    ), output
    assert any(
        'salary.amount: expected number or null, got string: "350 000" is text; write the '
        "number without quotes or separators: 350000" in line
        for line in output
    ), output
    assert any(
        "skills: expected string or null, got integer: 2024 is read as a number; "
        'quote it to keep it text: "2024"' in line
        for line in output
    ), output


def test_type_hints_never_quote_personal_data(repo: Path) -> None:
    base = repo / "resumes" / "_base.yaml"
    base.write_text(
        base.read_text().replace("number: ${HH_PHONE_NUMBER:-1234567}", "number: 7654321")
    )
    output = validate(repo)
    assert any("contact[1].value" in line and "quotes" in line for line in output), output
    assert not any("7654321" in line for line in output)


YAML_PIECES = st.sampled_from(
    ["a", "b: ", ": ", "- ", "[", "]", "{", "}", ",", '"', "'", "#", "\n", "  ", "\t", "*x", "&x",
     "---\n", "%", "@", "`", "|", ">", "?", "!", "title: ", "x: y: z", "1", "no"]
)  # fmt: skip


@settings(derandomize=True, max_examples=300, deadline=None)
@given(st.lists(YAML_PIECES, max_size=25).map("".join))
def test_any_broken_text_gets_a_message_and_a_line_in_the_file(text: str) -> None:
    for loader in LOADERS:
        try:
            yaml.load(text, Loader=loader)  # SafeLoader / CSafeLoader only
        except yaml.MarkedYAMLError as error:
            message, line = describe_syntax_error(error, text)
            assert message
            assert 1 <= line <= text.count("\n") + 2
        except yaml.YAMLError:
            pass
