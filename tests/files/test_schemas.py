"""The committed JSON Schemas, and the generator on a small made-up spec (never ../shared)."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from resumesync.resources import load_schema

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "gen_schemas.py"


@pytest.fixture(scope="module")
def gen() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_schemas", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def resume() -> dict[str, Any]:
    return load_schema("resume.schema.json")


def schema_objects(schema: Any) -> Iterator[dict[str, Any]]:
    """Every schema object (not property-name maps) of a JSON Schema."""
    if not isinstance(schema, dict):
        return
    yield schema
    for key, value in schema.items():
        if key in ("properties", "$defs"):
            for sub in value.values():
                yield from schema_objects(sub)
        elif key in ("allOf", "oneOf", "anyOf"):
            for sub in value:
                yield from schema_objects(sub)
        elif key in ("items", "not", "additionalProperties"):
            yield from schema_objects(value)


@pytest.mark.parametrize("name", ["resume", "visibility", "config"])
def test_schemas_are_valid_draft_2020_12(name: str) -> None:
    schema = load_schema(f"{name}.schema.json")
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


# --- resume.schema.json: facts derived from the spec ----------------------------------------


def test_top_level_is_closed_with_our_keys(resume: dict[str, Any]) -> None:
    assert resume["additionalProperties"] is False
    assert "required" not in resume  # a file without `id` is a resume to create
    props = resume["properties"]
    assert props["clone"]["type"] == "string"
    assert props["id"]["type"] == "string"
    assert props["publish"] == {"enum": [False, True, "renew"]}
    assert props["extends"]["type"] == "string"
    assert "access" not in props  # visibility.yaml owns it
    assert "specialization" not in props


def test_writable_and_read_only_fields(resume: dict[str, Any]) -> None:
    props = resume["properties"]
    writable = {name for name, sub in props.items() if not sub.get("readOnly")}
    for name in ("title", "salary", "contact", "experience", "skill_set", "professional_roles"):
        assert name in writable
    for name in ("age", "created_at", "updated_at", "status", "download", "alternate_url"):
        assert props[name] == {"readOnly": True, "not": {}}
    for name in ("total_views", "can_publish_or_update", "next_publish_at"):
        assert props[name]["readOnly"] is True


def test_server_filled_fields_are_not_required(resume: dict[str, Any]) -> None:
    defs = resume["$defs"]
    for name in ("_IncludesIdName", "_IncludesArea", "_IncludesIdNameUrl"):
        required = {r for node in schema_objects(defs[name]) for r in node.get("required", [])}
        assert required.isdisjoint({"name", "url"}), name
    assert defs["_IncludesArea"]["required"] == ["id"]
    phone = defs["_IncludesContactPhoneValue"]
    assert "required" not in phone
    assert set(phone["properties"]) == {"country", "city", "number", "formatted"}


def test_real_requirements_stay(resume: dict[str, Any]) -> None:
    defs = resume["$defs"]
    assert set(defs["ResumeObjectsExperience"]["required"]) == {"start", "position", "industries"}
    assert set(defs["ResumeObjectsContact"]["required"]) == {"type", "value"}
    assert defs["_IncludesId"]["required"] == ["id"]
    assert set(defs["ResumeObjectsSalaryAddEdit"]["required"]) == {"currency", "amount"}


def test_dates_have_format_and_pattern(resume: dict[str, Any]) -> None:
    defs = resume["$defs"]
    experience = defs["ResumeObjectsExperiencePropertiesShort"]["properties"]
    for schema in (
        resume["properties"]["birth_date"],
        experience["start"],
        experience["end"],
        defs["ResumeObjectsCertificate"]["properties"]["achieved_at"],
    ):
        assert schema["format"] == "date"
        assert schema["pattern"] == "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
    assert experience["end"]["type"] == ["string", "null"]


def test_openapi_is_gone_and_annotations_stripped(resume: dict[str, Any]) -> None:
    for node in schema_objects(resume):
        assert "nullable" not in node
        assert not isinstance(node.get("description"), str)
        assert not isinstance(node.get("example"), str)
        ref = node.get("$ref")
        if ref is not None:
            assert ref.startswith("#/$defs/") and ref[len("#/$defs/") :] in resume["$defs"]
    assert resume["$defs"]["_IncludesNullableObject"] == {"type": "null"}
    # Property *names* that look like annotations survive.
    assert "title" in resume["$defs"]["ResumeObjectsCertificate"]["properties"]
    assert "description" in resume["$defs"]["ResumeObjectsPortfolio"]["properties"]


def test_committed_schema_accepts_a_full_resume(resume: dict[str, Any]) -> None:
    document = {
        "id": "abc",
        "publish": "renew",
        "title": "Dev",
        "area": {"id": "1", "name": "Moscow", "url": "https://api.hh.ru/areas/1"},
        "salary": {"amount": 1, "currency": "RUR"},
        "experience": [
            {"position": "Dev", "start": "2019-03-01", "end": None, "industries": [{"id": "7"}]}
        ],
        "contact": [
            {"type": {"id": "email"}, "value": "me@example.com"},
            {"type": {"id": "cell"}, "value": {"formatted": "+7 999 123-45-67"}},
        ],
        "photo": {"id": "1337"},
        "education": {"level": {"id": "higher"}, "primary": [{"name": "X", "year": 2012}]},
        "metro": None,
    }
    validator = Draft202012Validator(resume, format_checker=Draft202012Validator.FORMAT_CHECKER)
    assert [error.message for error in validator.iter_errors(document)] == []


# --- the generator, on a made-up spec --------------------------------------------------------

TINY_SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "paths": {
        "/resumes/{id}": {
            "get": {
                "operationId": "get-resume",
                "responses": {
                    "200": {
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/View"}}
                        }
                    }
                },
            }
        }
    },
    "components": {
        "schemas": {
            "ResumeEditResumeRequest": {
                "allOf": [
                    {"$ref": "#/components/schemas/Base"},
                    {
                        "type": "object",
                        "properties": {
                            "title": {"type": "string", "nullable": True, "description": "x"},
                            "access": {"type": "object"},
                        },
                    },
                ],
                "title": "Resume",
            },
            "Base": {
                "type": "object",
                "properties": {
                    "birth_date": {
                        "type": "string",
                        "nullable": True,
                        "description": "Birthday (`YYYY-MM-DD`)",
                    },
                    "area": {
                        "nullable": True,
                        "oneOf": [
                            {"$ref": "#/components/schemas/_IncludesIdName"},
                            {"$ref": "#/components/schemas/_IncludesNullableObject"},
                        ],
                    },
                    "certificate": {
                        "type": "array",
                        "items": {"$ref": "#/components/schemas/Certificate"},
                    },
                },
            },
            "Certificate": {
                "type": "object",
                "example": {"title": "x"},
                "properties": {
                    "title": {"type": "string", "description": "the name"},
                    "description": {"type": "string"},
                    "score": {"type": "number", "minimum": 0, "exclusiveMinimum": True},
                },
            },
            "_IncludesIdName": {
                "allOf": [
                    {"$ref": "#/components/schemas/_IncludesId"},
                    {
                        "type": "object",
                        "properties": {"name": {"type": "string"}},
                        "required": ["name"],
                    },
                ]
            },
            "_IncludesId": {
                "type": "object",
                "properties": {"id": {"type": "string"}},
                "required": ["id"],
            },
            "_IncludesNullableObject": {"type": "string", "nullable": True, "enum": [None]},
            "Unused": {"type": "object"},
            "View": {
                "type": "object",
                "properties": {"title": {}, "age": {"type": "number"}, "id": {"type": "string"}},
            },
        }
    },
}


@pytest.fixture()
def tiny(gen: ModuleType, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    monkeypatch.setattr(gen, "SERVER_FILLED", {"_IncludesIdName": {"name"}})
    return gen.build(TINY_SPEC)


def test_generator_converts_openapi(tiny: dict[str, Any]) -> None:
    props = tiny["properties"]
    assert props["title"] == {"type": ["string", "null"]}
    assert props["birth_date"] == {
        "type": ["string", "null"],
        "format": "date",
        "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
    }
    assert props["area"] == {
        "anyOf": [
            {"type": "null"},
            {
                "oneOf": [
                    {"$ref": "#/$defs/_IncludesIdName"},
                    {"$ref": "#/$defs/_IncludesNullableObject"},
                ]
            },
        ]
    }
    assert "access" not in props
    assert props["age"] == {"readOnly": True, "not": {}}
    assert props["id"] == {"type": "string", "minLength": 1}  # ours, not the view's
    assert tiny["additionalProperties"] is False


def test_generator_defs_closure_and_facts_only(tiny: dict[str, Any]) -> None:
    defs = tiny["$defs"]
    assert set(defs) == {"Certificate", "_IncludesIdName", "_IncludesId", "_IncludesNullableObject"}
    assert defs["_IncludesNullableObject"] == {"type": "null"}
    assert defs["Certificate"] == {
        "type": "object",
        "properties": {
            "title": {"type": "string"},
            "description": {"type": "string"},
            "score": {"type": "number", "exclusiveMinimum": 0},
        },
    }
    name_part = defs["_IncludesIdName"]["allOf"][1]
    assert "required" not in name_part
    assert defs["_IncludesId"]["required"] == ["id"]


def test_generator_fails_loudly_on_surprises(
    gen: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(gen, "SERVER_FILLED", {"_IncludesId": {"name"}})
    with pytest.raises(gen.SpecError):
        gen.build(TINY_SPEC)
    with pytest.raises(gen.SpecError):
        gen.convert({"type": "string", "discriminator": {}}, [], "x")
