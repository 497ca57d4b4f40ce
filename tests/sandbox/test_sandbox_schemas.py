"""Answers match hh.ru's response schemas (the extracted OpenAPI subset), and the
extraction script keeps facts and drops annotations."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import httpx

from resumesync.sandbox import response_errors
from resumesync.sandbox.schema import component_errors, subset, writable_fields

from .support import BACKEND, DATA_ENGINEER, SYSADMIN, make_client

REPO = Path(__file__).resolve().parents[2]


def test_success_answers_match_their_schemas(client: httpx.Client) -> None:
    mine = client.get("/resumes/mine").json()
    assert response_errors("get-mine-resumes", 200, mine) == []
    for resume_id in (BACKEND, DATA_ENGINEER, SYSADMIN):
        resume = client.get(f"/resumes/{resume_id}").json()
        assert component_errors("ResumeResumeForApplicant", resume) == []
        assert response_errors("get-resume", 200, resume) == []
    for list_type in ("blacklist", "whitelist"):
        page = client.get(f"/resumes/{DATA_ENGINEER}/{list_type}").json()
        assert response_errors("get-resume-visibility-list", 200, page) == []


def test_error_answers_match_their_schemas(client: httpx.Client) -> None:
    assert response_errors("get-resume", 404, client.get("/resumes/ffff").json()) == []
    with make_client(client.base_url, token="USERnobody") as stranger:
        forbidden = stranger.get("/resumes/mine").json()
    assert response_errors("get-mine-resumes", 403, forbidden) == []
    per_page = client.get(f"/resumes/{BACKEND}/blacklist", params={"per_page": 500}).json()
    assert response_errors("get-resume-visibility-list", 400, per_page) == []
    bad = client.put(
        f"/resumes/{BACKEND}", content=b"{", headers={"Content-Type": "application/json"}
    ).json()
    assert response_errors("edit-resume", 400, bad) == []
    assert isinstance(bad["request_id"], str)


def test_a_wrong_answer_would_be_caught() -> None:
    assert response_errors("get-resume-access-types", 200, {"items": [{"id": 1}]}) != []
    assert component_errors("ResumeResumeForApplicant", {"id": "x"}) != []


def test_writable_fields_are_those_of_the_edit_request() -> None:
    fields = writable_fields()
    assert {"title", "access", "professional_roles", "contact", "experience"} <= fields
    assert (
        not {"id", "age", "created_at", "updated_at", "status", "download", "specialization"}
        & fields
    )


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "extract_openapi", REPO / "scripts" / "extract_openapi.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_annotations_are_stripped_but_properties_of_those_names_kept() -> None:
    script = load_script()
    schema = {
        "title": "Certificate",
        "description": "A certificate.",
        "example": {"x": 1},
        "type": "object",
        "properties": {
            "title": {"type": "string", "description": "Its name"},
            "description": {"type": "string", "title": "About"},
            "example": {"type": "string"},
        },
    }
    assert script.strip_annotations(schema) == {
        "type": "object",
        "properties": {
            "title": {"type": "string"},
            "description": {"type": "string"},
            "example": {"type": "string"},
        },
    }


def test_the_committed_subset_is_complete_and_annotation_free() -> None:
    data = subset()
    assert set(data["operations"]) == set(load_script().OPERATIONS)
    edit = data["operations"]["edit-resume"]
    assert (edit["method"], edit["path"]) == ("PUT", "/resumes/{resume_id}")
    assert edit["request"] == {"$ref": "#/components/schemas/ResumeEditResumeRequest"}
    text = (REPO / "resumesync" / "sandbox" / "data" / "openapi_subset.json").read_text()
    assert '"example"' not in text
    assert json.loads(text) == data
    certificate = data["components"]["schemas"]["ResumeObjectsCertificate"]
    assert "title" in certificate["properties"]


def test_nullable_becomes_a_null_type_in_its_own_object_only() -> None:
    script = load_script()
    schema = {
        "type": "object",
        "nullable": True,
        "properties": {
            # properties may carry keyword names: they are names, not keywords
            "type": {"type": "string", "nullable": True, "enum": ["a", None]},
            "nullable": {"type": "integer", "nullable": False},
            "ref": {"$ref": "#/components/schemas/X", "nullable": True},  # no type: no effect
        },
        "items": {"oneOf": [{"type": "number", "nullable": True}]},
    }
    assert script.translate_nullable(schema) == {
        "type": ["object", "null"],
        "properties": {
            "type": {"type": ["string", "null"], "enum": ["a", None]},
            "nullable": {"type": "integer"},
            "ref": {"$ref": "#/components/schemas/X"},
        },
        "items": {"oneOf": [{"type": ["number", "null"]}]},
    }


def test_the_committed_subset_is_plain_json_schema() -> None:
    """Regenerated with the translation: no OpenAPI-only `nullable` keyword is left."""
    from resumesync.sandbox import resources

    def keywords(node: object) -> set[str]:
        found: set[str] = set()
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("properties", "schemas") and isinstance(value, dict):
                    for sub in value.values():
                        found |= keywords(sub)
                else:
                    found.add(key)
                    found |= keywords(value)
        elif isinstance(node, list):
            for item in node:
                found |= keywords(item)
        return found

    subset = resources.load(resources.OPENAPI_SUBSET)
    assert "nullable" not in keywords(subset)
    assert "null" in str(subset["components"]["schemas"])


def test_bodies_are_read_as_openapi_30_reads_them() -> None:
    """null only where the spec said nullable; an integer is an int, not 1.0 (OpenAPI 3.0's
    draft-04 types); formats are not asserted (as openapi-schema-validator did not)."""
    from resumesync.sandbox import schema as sandbox_schema

    script = load_script()
    spec = {"type": "integer", "nullable": True}
    plain = {"type": "string", "format": "email"}
    validator = sandbox_schema._OpenApi30Reading(script.translate_nullable(spec))
    assert validator.is_valid(None) and validator.is_valid(3)
    assert not validator.is_valid(3.0) and not validator.is_valid("3")
    assert not validator.is_valid(True)
    strict = sandbox_schema._OpenApi30Reading(script.translate_nullable(plain))
    assert strict.is_valid("not an email") and not strict.is_valid(None)
