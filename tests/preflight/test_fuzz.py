"""Fuzzing `plan`: malformed YAML and wrong-typed values for every field of a resume file.

Every run must end in a clear error naming FILE:LINE (never a traceback), and the sandbox must
record no write. One sandbox and one repository serve every example; each example rewrites
one file. Fixed seed (derandomize) and a bounded number of examples: the same runs in CI.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import Result
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from resumesync.model import JsonPath
from resumesync.sandbox import Account, SandboxConfig, running_sandbox
from resumesync.validation import INFORMATIONAL
from resumesync.yamlfile import parse_yaml

from .support import EXAMPLES, PROBLEM_LINE, SUMMARY, TOKEN, Cli, copy_example

BACKEND_FILE = "resumes/backend.yaml"
FUZZ_MANY = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
FUZZ = settings(
    max_examples=3,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def standalone_backend(repo: Path) -> dict[str, Any]:
    """resumes/backend.yaml with its base folded in: every field of a resume in one file."""
    base = yaml.safe_load((repo / "resumes" / "_base.yaml").read_text())
    own = yaml.safe_load((repo / "resumes" / "backend.yaml").read_text())
    own.pop("extends")
    return {"id": own.pop("id"), "publish": own.pop("publish"), **base, **own}


@pytest.fixture(scope="module")
def fuzz_cli(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cli]:
    repo = copy_example(tmp_path_factory.mktemp("fuzz") / "repo")
    with running_sandbox(SandboxConfig(accounts={TOKEN: Account.example()})) as sandbox:
        yield Cli(sandbox=sandbox, repo=repo)


DOCUMENT = standalone_backend(EXAMPLES / "basic")


def paths(value: Any, prefix: JsonPath = ()) -> Iterator[JsonPath]:
    """Every place in `value`; a dictionary entry's `name` (or `url`) is for humans only: the
    server reads the id, so the name is no field and any value of it is fine."""
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            if not ("id" in value and key in INFORMATIONAL):
                yield from paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from paths(item, (*prefix, index))


def set_at(document: dict[str, Any], path: JsonPath, value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(document)
    owner: Any = changed
    for part in path[:-1]:
        owner = owner[part]
    owner[path[-1]] = value
    return changed


def get_at(document: Any, path: JsonPath) -> Any:
    for part in path:
        document = document[part]
    return document


SCALARS = st.text(max_size=12) | st.integers() | st.floats() | st.booleans()
LISTS = st.lists(SCALARS, min_size=1, max_size=3)
MAPPINGS = st.dictionaries(st.text(min_size=1, max_size=6), SCALARS, min_size=1, max_size=3)


def wrong_type(original: Any, path: JsonPath) -> st.SearchStrategy[Any]:
    """Values of a type that `original`'s place never takes."""
    text, numbers, booleans = st.text(max_size=12), st.integers() | st.floats(), st.booleans()
    if path == ("publish",):
        return numbers | LISTS | MAPPINGS  # publish takes true / false / renew
    if isinstance(original, bool):
        return text | numbers | LISTS | MAPPINGS
    if isinstance(original, int | float):
        return text | booleans | LISTS | MAPPINGS
    if isinstance(original, str):
        return numbers | booleans | LISTS | MAPPINGS
    if isinstance(original, list):
        return text | numbers | booleans | MAPPINGS
    if isinstance(original, dict):
        return text | numbers | booleans | LISTS
    return numbers | booleans | LISTS | MAPPINGS  # null: a date or a nullable entry


def problems_of(result: Result) -> list[tuple[str, int]]:
    """(file, line) of every problem printed; fails on anything that is not a clear error."""
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code == 1, result.output
    found = []
    for line in result.output.splitlines():
        match = PROBLEM_LINE.match(line)
        if match:
            found.append((match.group(1), int(match.group(2))))
        else:
            assert SUMMARY.match(line) or line.startswith("warning: "), line
    assert found, result.output
    return found


def related(one: JsonPath, other: JsonPath) -> bool:
    """One path is inside the other (or they are the same)."""
    shorter = min(len(one), len(other))
    return one[:shorter] == other[:shorter]


def reset(repo: Path) -> None:
    for name in ("_base.yaml", "backend.yaml", "data-engineer.yaml"):
        source = EXAMPLES / "basic" / "resumes" / name
        (repo / "resumes" / name).write_bytes(source.read_bytes())


def assert_nothing_written(cli: Cli) -> None:
    assert cli.writes() == []


@pytest.mark.parametrize("field", list(DOCUMENT))
@FUZZ
@given(data=st.data())
def test_a_wrong_typed_value_anywhere_in_a_field_fails_at_its_line(
    fuzz_cli: Cli, field: str, data: st.DataObject
) -> None:
    path = data.draw(st.sampled_from(list(paths(DOCUMENT[field], (field,)))), label="path")
    value = data.draw(wrong_type(get_at(DOCUMENT, path), path), label="value")
    text = yaml.safe_dump(set_at(DOCUMENT, path, value), sort_keys=False, allow_unicode=True)
    reset(fuzz_cli.repo)
    (fuzz_cli.repo / BACKEND_FILE).write_text(text)

    problems = problems_of(fuzz_cli.run("plan", catch=True))

    lines = parse_yaml(text, BACKEND_FILE).lines
    near = {line for at, line in lines.items() if at and related(at, path)}
    assert any(file == BACKEND_FILE and line in near for file, line in problems), problems
    assert_nothing_written(fuzz_cli)


# Snippets that no YAML parser accepts at the start of a line, and bytes that are not text.
BREAKERS = st.sampled_from(
    [
        "[",
        "{",
        '"',
        "'",
        "key: value: other",
        "\tkey: value",
        "*no_such_anchor",
        "\x00",
        "\x07",
        "- item",
        "!!python/object:os.system x",
        "%YAML 9.9",
        "---\nsecond: document",
    ]
)
NOISE = st.text(alphabet=":-[]{}&*!|>'\"%@`#, \tab1", max_size=8)


def malformed(raw: bytes) -> bool:
    try:
        yaml.safe_load(raw.decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError):
        return True
    return False


@FUZZ_MANY
@given(
    name=st.sampled_from(["_base.yaml", "backend.yaml", "data-engineer.yaml"]),
    where=st.floats(0, 1),
    own_line=st.booleans(),
    snippet=st.tuples(BREAKERS, NOISE).map("".join) | st.just("\udcff"),
)
def test_malformed_yaml_anywhere_fails_at_a_line_of_that_file(
    fuzz_cli: Cli, name: str, where: float, own_line: bool, snippet: str
) -> None:
    reset(fuzz_cli.repo)
    path = fuzz_cli.repo / "resumes" / name
    lines = path.read_bytes().split(b"\n")
    index = min(int(where * len(lines)), len(lines) - 1)
    piece = snippet.encode("utf-8", "surrogateescape")  # "\udcff": a byte that is not UTF-8
    if own_line:
        lines.insert(index, piece)
    else:
        lines[index] = piece + lines[index]
    raw = b"\n".join(lines)
    assume(malformed(raw))  # the rare snippet that still parses is no malformed YAML
    path.write_bytes(raw)

    problems = problems_of(fuzz_cli.run("plan", catch=True))

    within = range(1, len(lines) + 2)
    assert any(file == f"resumes/{name}" and line in within for file, line in problems), problems
    assert_nothing_written(fuzz_cli)
