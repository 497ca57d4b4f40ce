"""The fast first pass (jsonschema-rs) never passes a document that jsonschema would refuse:
schema_check trusts its "valid" and asks jsonschema (which writes the messages) otherwise."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from resumesync import validation
from resumesync.validation import CONFIG_SCHEMA, RESUME_SCHEMA, VISIBILITY_SCHEMA, schema_check
from resumesync.yamlfile import interpolate, parse_yaml

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _load(path: Path) -> Any:
    """As resumesync reads it (dates stay strings, as in the API's JSON)."""
    return interpolate(parse_yaml(path.read_text(encoding="utf-8"), path.name), {}).data


def _resume_documents() -> list[dict[str, Any]]:
    base = _load(EXAMPLES / "basic" / "resumes" / "_base.yaml")
    documents = []
    for path in sorted((EXAMPLES / "basic" / "resumes").glob("[!_]*.yaml")):
        own = _load(path)
        own.pop("extends", None)
        documents.append({**base, **own})
    return documents


RESUMES = _resume_documents()
VISIBILITY = _load(EXAMPLES / "basic" / "visibility.yaml")
CONFIG = _load(EXAMPLES / "team" / "resumesync.yaml")

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
    st.from_regex(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}\Z"),  # dates, valid and not
    st.from_regex(r"\A[a-z@.]{0,8}\Z"),  # emails, valid and not
    st.from_regex(r"\A[0-9]{1,8}\Z"),
    st.sampled_from(["RUR", "USD", "email", "cell", "l1", "blacklist", "renew", "1"]),
)
values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(["id", "name", "value", "type", "x"]), children, max_size=3
        )
    ),
    max_leaves=6,
)


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*path, index))
    return found


def _replace(document: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    result = copy.deepcopy(document)
    owner = result
    for step in path[:-1]:
        owner = owner[step]
    owner[path[-1]] = value
    return result


def _agree(name: str, document: Any) -> tuple[bool, bool]:
    fast = schema_check._fast_says_valid(name, document)
    slow = not list(schema_check._validator(name).iter_errors(document))
    assert slow or not fast, f"jsonschema-rs passed what jsonschema refuses: {document!r}"
    return fast, slow


def test_the_examples_are_valid_for_both() -> None:
    for document in RESUMES:
        assert _agree(RESUME_SCHEMA, document) == (True, True)
    assert _agree(VISIBILITY_SCHEMA, VISIBILITY) == (True, True)
    assert _agree(CONFIG_SCHEMA, CONFIG) == (True, True)


@settings(
    derandomize=True, max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(st.data())
def test_a_changed_value_is_judged_alike(data: st.DataObject) -> None:
    name, original = data.draw(
        st.sampled_from(
            [(RESUME_SCHEMA, r) for r in RESUMES]
            + [(VISIBILITY_SCHEMA, VISIBILITY), (CONFIG_SCHEMA, CONFIG)]
        )
    )
    path = data.draw(st.sampled_from(_paths(original)))
    changed = _replace(original, path, data.draw(values))
    _agree(name, changed)


def test_a_refused_document_gets_jsonschemas_messages() -> None:
    """Invalid for both: the errors are jsonschema's, at the field's line."""
    from resumesync.model import Location, SourceMap

    document = {**RESUMES[0], "salary": {"amount": "lots", "currency": "RUR"}}
    source = SourceMap({("salary", "amount"): Location("resumes/x.yaml", 7)})
    findings = validation.check_resume_document(document, source)
    assert [str(problem.location) for problem in findings.errors] == ["resumes/x.yaml:7"]
    assert "salary.amount" in str(findings.errors[0])
