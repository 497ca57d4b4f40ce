"""yamlwrite: edits splice new text at the nodes' positions; every other byte stays."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from resumesync.yamlfile import parse_yaml
from resumesync.yamlrender import scalar
from resumesync.yamlwrite import Edit, YamlEditError, apply_edits, apply_to_data

TEXT = """\
# a comment at the top
name: Ivan            # trailing comment
tags: [a, b, c]       # flow list
entry: {id: "1", name: Moscow}
items:                # block list
  - first   # one
  - second  # two
  - third
nested:
  key: value
  text: >-
    folded text
    on two lines
# a comment at the end
"""


def edited(*edits: Edit) -> str:
    new = apply_edits(TEXT, list(edits))
    # What the file holds afterwards is exactly what the edits say, nothing else.
    assert parse_yaml(new, "f").data == apply_to_data(parse_yaml(TEXT, "f").data, list(edits))
    return new


def test_a_scalar_is_replaced_in_place_with_its_comment_kept() -> None:
    assert edited(Edit.set(("name",), "Pyotr")) == TEXT.replace("name: Ivan ", "name: Pyotr ")


def test_flow_collections_keep_their_style() -> None:
    new = edited(Edit.append(("tags",), ["d"]), Edit.set(("entry", "id"), "2"))
    assert new == TEXT.replace("[a, b, c]", "[a, b, c, d]").replace('id: "1"', 'id: "2"')
    assert edited(Edit.remove(("tags", 1))) == TEXT.replace("[a, b, c]", "[a, c]")
    assert edited(Edit.remove(("tags", 2))) == TEXT.replace("[a, b, c]", "[a, b]")
    assert edited(Edit.truncate(("tags",), 0)) == TEXT.replace("[a, b, c]", "[]")


def test_block_lists_grow_and_shrink_line_by_line() -> None:
    assert edited(Edit.append(("items",), ["fourth"])) == TEXT.replace(
        "  - third\n", "  - third\n  - fourth\n"
    )
    assert edited(Edit.remove(("items", 1))) == TEXT.replace("  - second  # two\n", "")
    assert edited(Edit.truncate(("items",), 1)) == TEXT.replace(
        "  - second  # two\n  - third\n", ""
    )


def test_keys_are_added_after_the_mapping_s_last_line() -> None:
    assert edited(Edit.add(("nested", "new"), 5)) == TEXT.replace(
        "    on two lines\n", "    on two lines\n  new: 5\n"
    )
    assert edited(Edit.add(("top",), [1, 2])) == TEXT + "top: [1, 2]\n"
    assert edited(Edit.add(("entry", "url"), "x")) == TEXT.replace(
        "name: Moscow}", "name: Moscow, url: x}"
    )


def test_a_folded_scalar_stays_folded() -> None:
    assert edited(Edit.set(("nested", "text"), "one line now")) == TEXT.replace(
        "    folded text\n    on two lines\n", "    one line now\n"
    )
    multi = edited(Edit.set(("nested", "text"), "line one\nline two"))
    assert "  text: |-\n    line one\n    line two\n# a comment at the end\n" in multi


def test_an_edit_of_what_is_not_in_the_file_is_refused() -> None:
    with pytest.raises(YamlEditError, match="missing"):
        apply_edits(TEXT, [Edit.set(("missing",), 1)])


@settings(derandomize=True, max_examples=300, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=30))
def test_every_string_reads_back_as_itself_in_block_and_flow_context(text: str) -> None:
    rendered = scalar(text)
    assert parse_yaml(f"key: {rendered}\n", "f").data == {"key": text}
    assert parse_yaml(f"key: [{rendered}, x]\n", "f").data == {"key": [text, "x"]}
    assert parse_yaml(f"key: {{a: {rendered}}}\n", "f").data == {"key": {"a": text}}


@pytest.mark.parametrize("value", [None, True, False, 0, -7, 1.5, "007", "true", "yes", "1.0"])
def test_scalars_keep_their_type(value: object) -> None:
    assert parse_yaml(f"key: {scalar(value)}\n", "f").data == {"key": value}


# --- property: any edit of any document reads back as exactly the intended data ---------------

KEYS = st.sampled_from(["a", "b", "title", "skills", "x_y"])
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-1000, 1000),
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12),
)
VALUES = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, min_size=1, max_size=3),
        st.dictionaries(KEYS, children, min_size=1, max_size=3),
    ),
    max_leaves=8,
)
DOCUMENTS = st.dictionaries(KEYS, VALUES, min_size=1, max_size=4)


def _paths(value: object, path: tuple = ()) -> list[tuple]:
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*path, index))
    return found


@settings(derandomize=True, max_examples=200, deadline=None)
@given(DOCUMENTS, st.booleans(), st.data())
def test_edits_of_any_document_read_back_as_intended(document, flow: bool, data) -> None:
    import yaml

    text = yaml.safe_dump(document, default_flow_style=flow, sort_keys=False, allow_unicode=True)
    assert parse_yaml(text, "f").data == document  # what the loader reads, in both styles
    paths = [p for p in _paths(document) if p]
    path = data.draw(st.sampled_from(paths))
    target = document
    for part in path:
        target = target[part]
    edits = [Edit.set(path, data.draw(VALUES))]
    if isinstance(target, list):
        edits = [Edit.append(path, [data.draw(SCALARS)])]
        if len(target) > 1 and data.draw(st.booleans()):
            edits = [Edit.remove((*path, data.draw(st.integers(0, len(target) - 1))))]
    elif isinstance(target, dict):
        key = data.draw(st.sampled_from(["new", "zz"]))
        if key not in target:
            edits = [Edit.add((*path, key), data.draw(VALUES))]
    new = apply_edits(text, edits)
    assert parse_yaml(new, "f").data == apply_to_data(document, edits), new


def test_removing_the_first_item_of_a_list_that_starts_on_its_parent_s_line() -> None:
    # Found by the property test above: the whole line went, the outer `- ` with it.
    text = "a:\n- - x\n  - y\n- z\n"
    new = apply_edits(text, [Edit.remove(("a", 0, 0))])
    assert new == "a:\n- - y\n- z\n"
    assert parse_yaml(new, "f").data == {"a": [["y"], "z"]}
