"""Derive schemas/resume.schema.json from hh.ru's official OpenAPI 3.0 specification.

    python scripts/gen_schemas.py [PATH_TO_OPENAPI_YML] [--check]

The writable resume fields are exactly the properties of `ResumeEditResumeRequest`; this script
follows its $ref closure and turns OpenAPI 3.0 into JSON Schema Draft 2020-12:

- `nullable: true` becomes a type list (`["string", "null"]`) or `anyOf: [{type: null}, ...]`
  when the schema is composed (allOf / oneOf / $ref); `_IncludesNullableObject` is `{type: null}`;
- annotations (description, title, example, ...) are dropped: only facts stay. The walk knows
  which keys are keywords and which are property names, so a property called `title` or
  `description` is kept;
- components go to `$defs`; `required` no longer lists what the server fills in itself
  (`name` of dictionary entries, `url`, a phone's parts: see SERVER_FILLED);
- dates the documentation describes as `ГГГГ-ММ-ДД` get `format: date` and a pattern;
- `photo` and each `portfolio` item may also be `{file: PATH}` (a local image, uploaded by apply);
- top level: the request's properties (without `access`, which lives in visibility.yaml), our
  own keys `id`, `publish`, `extends`, `clone`, `additionalProperties: false`, and every other
  property of the `get-resume` response as `{readOnly: true, not: {}}` so validation can say
  "read-only".

The output is committed; `--check` exits 1 when the committed file differs from a fresh run.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SPEC = ROOT.parent / "shared" / "hh-api" / "openapi.yml"
OUTPUT = ROOT / "schemas" / "resume.schema.json"

REQUEST = "ResumeEditResumeRequest"
VIEW_OPERATION = "get-resume"
NULL_COMPONENT = "_IncludesNullableObject"
REF_PREFIX = "#/components/schemas/"

# The spec reuses response shapes in requests. The server takes only ids from dictionary
# entries and artifacts, and builds a phone from either `formatted` or its three parts
# (resumesync.validation checks that rule), so these are not required in what a user writes.
SERVER_FILLED: dict[str, set[str]] = {
    "_IncludesIdName": {"name"},
    "_IncludesArea": {"name", "url"},
    "_IncludesIdNameUrl": {"url"},
    "EmployersEmployerInfoShort": {"name", "url", "alternate_url"},
    "ResumeObjectsIndustry": {"name"},
    "ResumeObjectsPhotoNoId": {"small", "medium"},
    "ResumeObjectsPortfolio": {"small", "medium"},
    "_IncludesContactPhoneValue": {"country", "city", "number", "formatted"},
}

# Managed through visibility.yaml, never through a resume file.
EXCLUDED_FIELDS = {"access"}

OUR_FIELDS: dict[str, Any] = {
    "id": {"type": "string", "minLength": 1},
    "publish": {"enum": [False, True, "renew"]},
    "extends": {"type": "string", "minLength": 1},
    # a file without `id` is a resume to create; `clone` names the file whose resume it copies
    "clone": {"type": "string", "minLength": 1},
}

# Besides the API's `{id: ...}`, a photo or portfolio image may name a local file, which apply
# uploads once (resumesync.lock) and replaces by its artifact id.
LOCAL_FILE = {"type": "string", "minLength": 1}
LOCAL_PHOTO = {
    "type": "object",
    "required": ["file"],
    "additionalProperties": False,
    "properties": {"file": LOCAL_FILE},
}
LOCAL_PORTFOLIO = {
    "type": "object",
    "required": ["file"],
    "additionalProperties": False,
    "properties": {"file": LOCAL_FILE, "description": {"type": ["string", "null"]}},
}

DATE_MARKERS = ("ГГГГ-ММ-ДД", "YYYY-MM-DD")
DATE = {"format": "date", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}

ANNOTATIONS = {"description", "title", "example", "examples", "externalDocs", "xml", "default"}
SCHEMA_LISTS = {"allOf", "oneOf", "anyOf"}
SCHEMA_VALUES = {"items", "not", "additionalProperties"}
PLAIN_FACTS = {
    "type",
    "enum",
    "format",
    "pattern",
    "required",
    "deprecated",
    "readOnly",
    "writeOnly",
    "uniqueItems",
    "multipleOf",
    "minimum",
    "maximum",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "minProperties",
    "maxProperties",
}


class SpecError(Exception):
    """The spec does not look the way this script expects: fail loudly, never guess."""


def component_name(ref: str) -> str:
    if not ref.startswith(REF_PREFIX):
        raise SpecError(f"unsupported $ref {ref!r}")
    return ref[len(REF_PREFIX) :]


def refs_in(schema: Any) -> Iterator[str]:
    """Every component name a schema references, directly."""
    if isinstance(schema, dict):
        for key, value in schema.items():
            if key == "$ref":
                yield component_name(value)
            elif key == "properties":
                for sub in value.values():
                    yield from refs_in(sub)
            elif key in SCHEMA_LISTS:
                for sub in value:
                    yield from refs_in(sub)
            elif key in SCHEMA_VALUES:
                yield from refs_in(value)


def closure(components: dict[str, Any], roots: list[Any]) -> list[str]:
    """Component names reachable from `roots`, in discovery order."""
    seen: list[str] = []
    pending = [name for root in roots for name in refs_in(root)]
    while pending:
        name = pending.pop(0)
        if name in seen:
            continue
        if name not in components:
            raise SpecError(f"missing component {name!r}")
        seen.append(name)
        pending.extend(refs_in(components[name]))
    return seen


def describes_date(schema: dict[str, Any]) -> bool:
    text = schema.get("description")
    return isinstance(text, str) and any(marker in text for marker in DATE_MARKERS)


def convert(schema: Any, dates: list[str], where: str) -> Any:
    """One OpenAPI 3.0 schema object -> JSON Schema 2020-12 (facts only)."""
    if isinstance(schema, bool):
        return schema
    if not isinstance(schema, dict):
        raise SpecError(f"{where}: a schema must be an object")
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key in ANNOTATIONS or key.startswith("x-") or key == "nullable":
            continue
        if key == "$ref":
            out["$ref"] = "#/$defs/" + component_name(value)
        elif key == "properties":
            out["properties"] = {
                name: convert(sub, dates, f"{where}.{name}") for name, sub in value.items()
            }
        elif key in SCHEMA_LISTS:
            out[key] = [convert(sub, dates, f"{where}/{key}") for sub in value]
        elif key in SCHEMA_VALUES:
            out[key] = convert(value, dates, f"{where}/{key}")
        elif key in ("exclusiveMinimum", "exclusiveMaximum"):
            # OpenAPI 3.0: a boolean next to minimum/maximum; 2020-12: the bound itself.
            if value is True:
                bound = "minimum" if key == "exclusiveMinimum" else "maximum"
                out[key] = schema[bound]
        elif key in PLAIN_FACTS:
            out[key] = value
        else:
            raise SpecError(f"{where}: unsupported keyword {key!r}")
    if describes_date(schema):
        out.update(DATE)
        dates.append(where)
    if schema.get("exclusiveMinimum") is True:
        out.pop("minimum", None)
    if schema.get("exclusiveMaximum") is True:
        out.pop("maximum", None)
    if schema.get("nullable") is True:
        out = nullable(out)
    return out


def nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """Let `schema` accept null, as OpenAPI's `nullable: true` means."""
    composed = any(key in schema for key in (*SCHEMA_LISTS, "$ref", "not"))
    if "enum" in schema:
        if None not in schema["enum"]:
            schema["enum"] = [*schema["enum"], None]
    elif composed or "type" not in schema:
        return {"anyOf": [{"type": "null"}, schema]}
    types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
    if "null" not in types:
        schema["type"] = [*types, "null"]
    return schema


def relax_required(name: str, schema: dict[str, Any]) -> None:
    """Drop what the server fills in from `required` (anywhere inside this component)."""
    fields = SERVER_FILLED.get(name)
    if not fields:
        return
    dropped: set[str] = set()
    for node in schema_nodes(schema):
        required = node.get("required")
        if isinstance(required, list):
            dropped.update(field for field in required if field in fields)
            kept = [field for field in required if field not in fields]
            if kept:
                node["required"] = kept
            else:
                del node["required"]
    if dropped != fields:
        raise SpecError(f"{name}: expected {sorted(fields)} in required, found {sorted(dropped)}")


def schema_nodes(schema: Any) -> Iterator[dict[str, Any]]:
    """Every schema object of a component that is not behind a $ref."""
    if not isinstance(schema, dict):
        return
    yield schema
    for key, value in schema.items():
        if key == "properties":
            for sub in value.values():
                yield from schema_nodes(sub)
        elif key in SCHEMA_LISTS:
            for sub in value:
                yield from schema_nodes(sub)
        elif key in SCHEMA_VALUES:
            yield from schema_nodes(value)


def top_level_properties(
    components: dict[str, Any], schema: dict[str, Any], strict: bool = True
) -> dict[str, Any]:
    """The properties of an object schema, following allOf / anyOf / oneOf and $ref.

    `strict`: a property declared twice with different schemas is an error (for the request,
    whose properties become our top level; the view response is only read for its names).
    """
    found: dict[str, Any] = {}

    def visit(node: dict[str, Any]) -> None:
        if "$ref" in node:
            visit(components[component_name(node["$ref"])])
        for sub in node.get("allOf", []) + node.get("anyOf", []) + node.get("oneOf", []):
            visit(sub)
        for prop, sub in node.get("properties", {}).items():
            if strict and prop in found and found[prop] != sub:
                raise SpecError(f"property {prop!r} is declared twice, differently")
            found[prop] = sub

    visit(schema)
    return found


def view_schema(spec: dict[str, Any]) -> dict[str, Any]:
    for methods in spec["paths"].values():
        for operation in methods.values():
            if isinstance(operation, dict) and operation.get("operationId") == VIEW_OPERATION:
                content = operation["responses"]["200"]["content"]["application/json"]
                return content["schema"]
    raise SpecError(f"operation {VIEW_OPERATION!r} not found")


def build(spec: dict[str, Any]) -> dict[str, Any]:
    components: dict[str, Any] = spec["components"]["schemas"]
    if REQUEST not in components:
        raise SpecError(f"component {REQUEST!r} not found")
    request = {
        name: sub
        for name, sub in top_level_properties(components, components[REQUEST]).items()
        if name not in EXCLUDED_FIELDS
    }
    readable = top_level_properties(components, view_schema(spec), strict=False)

    dates: list[str] = []
    properties: dict[str, Any] = dict(OUR_FIELDS)
    for name, sub in request.items():
        properties[name] = convert(sub, dates, name)
    if "photo" in properties:
        properties["photo"] = {"anyOf": [properties["photo"], LOCAL_PHOTO]}
    if "items" in properties.get("portfolio", {}):
        items = properties["portfolio"]["items"]
        properties["portfolio"]["items"] = {"anyOf": [items, LOCAL_PORTFOLIO]}
    for name in sorted(set(readable) - set(request) - set(OUR_FIELDS) - EXCLUDED_FIELDS):
        properties[name] = {"readOnly": True, "not": {}}

    defs: dict[str, Any] = {}
    for name in sorted(closure(components, list(request.values()))):
        if name == NULL_COMPONENT:
            defs[name] = {"type": "null"}
            continue
        converted = convert(components[name], dates, name)
        relax_required(name, converted)
        defs[name] = converted
    missing = set(SERVER_FILLED) - set(defs)
    if missing:
        raise SpecError(f"components no longer referenced: {sorted(missing)}")
    if not dates:
        raise SpecError("no date fields found: the date markers changed?")

    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$comment": (
            f"Generated by scripts/gen_schemas.py from {REQUEST} in hh.ru's OpenAPI "
            "specification. Do not edit by hand."
        ),
        "type": "object",
        "additionalProperties": False,
        "properties": properties,
        "$defs": defs,
    }


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("spec", nargs="?", type=Path, default=DEFAULT_SPEC)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--check", action="store_true", help="fail if the output is outdated")
    args = parser.parse_args(argv)

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the spec is 1.5 MB: prefer libyaml
    spec = yaml.load(args.spec.read_text(encoding="utf-8"), Loader=loader)
    text = render(build(spec))
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != text:
            print(f"{args.output} is outdated: run scripts/gen_schemas.py", file=sys.stderr)
            return 1
        return 0
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
