"""Long runs of plain list items (yamlruns) load exactly as the whole parse loads them: the
same data, the same line for every value, the same errors."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from resumesync import yamlfile, yamlruns
from resumesync.problems import ProblemsError


@pytest.fixture(autouse=True)
def small_files(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlruns, "MIN_TEXT", 0)  # the fast path on test-sized files too


def whole(text: str) -> yamlfile.YamlDocument:
    return yamlfile.parse._parse(text, "v.yaml", None)


def same(text: str) -> yamlfile.YamlDocument:
    try:
        expected = whole(text)
    except ProblemsError as error:
        with pytest.raises(ProblemsError) as raised:
            yamlfile.parse_yaml(text, "v.yaml")
        assert [str(p) for p in raised.value.problems] == [str(p) for p in error.problems]
        return None  # type: ignore[return-value]
    got = yamlfile.parse_yaml(text, "v.yaml")
    assert got.data == expected.data
    assert [type(v) for v in _leaves(got.data)] == [type(v) for v in _leaves(expected.data)]
    assert got.lines == expected.lines
    return got


def _leaves(value: object) -> list[object]:
    if isinstance(value, dict):
        return [leaf for item in value.values() for leaf in _leaves(item)]
    if isinstance(value, list):
        return [leaf for item in value for leaf in _leaves(item)]
    return [value]


def visibility(items: list[str], indent: str = "    ") -> str:
    lines = "".join(f"{indent}- {item}\n" for item in items)
    return f"resumes:\n  backend:\n    access: blacklist\n    blacklist:\n{lines}  other: {{}}\n"


def test_a_long_list_is_compacted_and_loads_the_same() -> None:
    items = [f"'{1000 + n}'" if n % 3 else str(1000 + n) for n in range(40)]
    text = visibility([*items[:20], "'7'  # a comment", "{id: '9', name: X}", *items[20:]])
    assert yamlruns.compact(text) is not None
    document = same(text)
    blacklist = document.data["resumes"]["backend"]["blacklist"]
    assert blacklist[0] == 1000 and blacklist[1] == "1001"
    assert blacklist[21] == {"id": "9", "name": "X"}
    assert document.lines[("resumes", "backend", "blacklist", 25)] == 4 + 26


@pytest.mark.parametrize(
    "text",
    [
        # a block scalar whose lines look like list items: text, not a list
        "description: |\n" + "".join(f"  - {n}\n" for n in range(1, 20)) + "title: x\n",
        "description: >\n" + "".join(f"  - {n}\n" for n in range(1, 20)),
        # a plain scalar continued over lines that look like items
        "title: some words\n" + "".join(f"  - {n}\n" for n in range(1, 20)),
        # a quoted scalar over such lines
        'title: "a\n' + "".join(f"  - {n}\n" for n in range(1, 20)) + '  end"\n',
        # a flow sequence (block items inside are an error, reported as the whole parse does)
        "ids: [\n" + "".join(f"  - {n}\n" for n in range(1, 20)) + "]\n",
        # the placeholder's tag written by the user
        "x: !resumesync-run '0'\nids:\n" + "".join(f"- {n}\n" for n in range(1, 20)),
        # anchors: never compacted
        "ids: &a\n" + "".join(f"- {n}\n" for n in range(1, 20)) + "more: *a\n",
        # leading zeros, signs and big numbers end a run
        "ids:\n" + "".join(f"- {v}\n" for v in ["1", "2", "007", "+5", "-3", "0", *"3456789"]),
        "ids:\n" + "".join(f"- {10**17 + n}\n" for n in range(12)) + "- 123456789012345678901\n",
        # a value with `#` and no blank before it is a plain scalar, not a comment
        "ids:\n" + "".join(f"- {n}#x\n" for n in range(1, 20)),
        # a duplicate key after a run: the error at its line
        "ids:\n" + "".join(f"- {n}\n" for n in range(1, 20)) + "ids: []\n",
        # CRLF line ends, tabs
        "ids:\r\n" + "".join(f"- {n}\r\n" for n in range(1, 20)),
        "ids:\n" + "".join(f"- {n}\t# tab\n" for n in range(1, 20)),
        # nested sequences and runs at two depths
        "a:\n"
        + "".join(f"- - {n}\n" for n in range(1, 12))
        + "".join(f"- {n}\n" for n in range(9)),
        "a:\n  - x\n"
        + "".join(f"  - {n}\n" for n in range(1, 12))
        + "b:\n"
        + "".join(f"    - '{n}'\n" for n in range(1, 12)),
    ],
)
def test_what_the_whole_parse_reads_otherwise(text: str) -> None:
    same(text)


item = st.one_of(
    st.integers(1, 10**12).map(str),
    st.integers(1, 10**12).map(lambda n: f"'{n}'"),
    st.integers(1, 10**12).map(lambda n: f'"{n}"'),
    st.integers(1, 10**6).map(lambda n: f"{n}  # employer {n} - {n + 1}"),
    st.sampled_from(["0", "007", "-1", "x", "'a'", "{id: '1'}", "null", "true", "1.5", "''"]),
)


@settings(derandomize=True, max_examples=150, deadline=None)
@given(
    st.lists(item, min_size=0, max_size=60),
    st.lists(item, min_size=0, max_size=30),
    st.sampled_from(["", "  ", "    "]),
)
def test_any_lists_load_the_same(first: list[str], second: list[str], indent: str) -> None:
    text = (
        "defaults:\n  blacklist:\n"
        + "".join(f"  {indent}- {value}\n" for value in first)
        + "resumes:\n  backend:\n    whitelist:\n"
        + "".join(f"    {indent}- {value}\n" for value in second)
    )
    same(text)
