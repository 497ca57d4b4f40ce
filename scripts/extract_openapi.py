"""Extract the part of hh.ru's OpenAPI spec that the sandbox serves into a small JSON file.

Usage: python scripts/extract_openapi.py [PATH_TO_OPENAPI_YML]
(default: ../shared/hh-api/openapi.yml relative to the repository root)

Writes resumesync/sandbox/data/openapi_subset.json: the operations the sandbox implements
(method, path, request schema, response schema by status) and the closure of component
schemas they reference. Facts only: the human annotations (`description`, `title`,
`example`, `examples`) are stripped, but never a *property* that happens to be called
`title` or `description` (a certificate has a `title`, an employer a `description`).
The sandbox reads this file at run time; it never reads the spec itself.

The schemas are written as plain JSON Schema, so that the sandbox checks bodies with
jsonschema alone: OpenAPI 3.0's `nullable: true` becomes `"null"` among the `type`s of the
same schema object (OpenAPI 3.0.3: nullable means something only next to a `type`, and
only in its own object), and `nullable` itself is dropped.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SPEC = REPO_ROOT / ".." / "shared" / "hh-api" / "openapi.yml"
OUTPUT = REPO_ROOT / "resumesync" / "sandbox" / "data" / "openapi_subset.json"

OPERATIONS = (
    "get-mine-resumes",
    "get-resume",
    "edit-resume",
    "publish-resume",
    "get-resume-conditions",
    "get-resume-access-types",
    "get-resume-visibility-list",
    "add-resume-visibility-list",
    "delete-resume-visibility-list",
    "delete-employer-from-resume-visibility-list",
    "get-employer-info",
    "search-employer",
    "get-resume-visibility-employers-list",
    "get-metro-stations-in-city",
    "get-artifact-photos",
    "get-artifacts-portfolio",
    "load-artifact",
    "edit-artifact",
    "delete-artifact",
)
HTTP_METHODS = ("get", "put", "post", "delete", "patch")
ANNOTATIONS = ("description", "title")  # stripped when they annotate (string values)
EXAMPLES = ("example", "examples")  # stripped wherever they are keywords
SCHEMA_PREFIX = "#/components/schemas/"
BODY_TYPES = ("application/json", "multipart/form-data")


def strip_annotations(node: Any) -> Any:
    """A schema without its human annotations; property names are kept whatever they are."""
    if isinstance(node, list):
        return [strip_annotations(item) for item in node]
    if not isinstance(node, dict):
        return node
    result: dict[str, Any] = {}
    for key, value in node.items():
        if key in EXAMPLES or (key in ANNOTATIONS and not isinstance(value, dict)):
            continue
        if key == "properties" and isinstance(value, dict):
            # A map of property names to schemas: every name stays, each schema is stripped.
            result[key] = {name: strip_annotations(schema) for name, schema in value.items()}
        else:
            result[key] = strip_annotations(value)
    return result


SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions")  # name -> schema


def translate_nullable(node: Any) -> Any:
    """An OpenAPI 3.0 schema as plain JSON Schema: `type: X, nullable: true` -> `type: [X,
    "null"]`; `nullable` without a `type` in the same object, or false, is dropped (it allows
    nothing there). Maps of property names are walked as maps: a property may be called
    `type` or `nullable`."""
    if isinstance(node, list):
        return [translate_nullable(item) for item in node]
    if not isinstance(node, dict):
        return node
    result: dict[str, Any] = {}
    for key, value in node.items():
        if key == "nullable" and isinstance(value, bool):
            continue
        if key in SCHEMA_MAPS and isinstance(value, dict):
            result[key] = {name: translate_nullable(schema) for name, schema in value.items()}
        else:
            result[key] = translate_nullable(value)
    if node.get("nullable") is True and "type" in result:
        types = result["type"] if isinstance(result["type"], list) else [result["type"]]
        result["type"] = [*types, "null"] if "null" not in types else types
    return result


def schema_refs(node: Any) -> set[str]:
    """Names of the component schemas that `node` references directly."""
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith(SCHEMA_PREFIX):
                found.add(value.removeprefix(SCHEMA_PREFIX))
            else:
                found |= schema_refs(value)
    elif isinstance(node, list):
        for item in node:
            found |= schema_refs(item)
    return found


def body_schema(content: dict[str, Any] | None) -> dict[str, Any] | None:
    """The schema of a request or response body (JSON or multipart), or None if it has none."""
    for media_type in BODY_TYPES:
        schema = (content or {}).get(media_type, {}).get("schema")
        if schema:
            return schema
    return None


def find_operations(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    responses_by_name = spec["components"].get("responses", {})
    operations: dict[str, dict[str, Any]] = {}
    for path, path_item in spec["paths"].items():
        for method in HTTP_METHODS:
            operation = path_item.get(method)
            if not operation or operation.get("operationId") not in OPERATIONS:
                continue
            request = body_schema(operation.get("requestBody", {}).get("content"))
            responses: dict[str, Any] = {}
            for status, response in operation.get("responses", {}).items():
                if "$ref" in response:  # a shared response such as SuccessNoContent
                    response = responses_by_name[response["$ref"].rsplit("/", 1)[-1]]
                responses[str(status)] = body_schema(response.get("content"))
            operations[operation["operationId"]] = {
                "method": method.upper(),
                "path": path,
                "request": request,
                "deprecated": bool(operation.get("deprecated", False)),
                "responses": responses,
            }
    missing = sorted(set(OPERATIONS) - set(operations))
    if missing:
        raise SystemExit(f"operations missing from the spec: {', '.join(missing)}")
    return operations


def schema_closure(schemas: dict[str, Any], roots: set[str]) -> dict[str, Any]:
    selected: dict[str, Any] = {}
    pending = sorted(roots)
    while pending:
        name = pending.pop()
        if name in selected:
            continue
        selected[name] = strip_annotations(schemas[name])
        pending.extend(sorted(schema_refs(selected[name]) - set(selected)))
    return selected


def extract(spec: dict[str, Any]) -> dict[str, Any]:
    operations = find_operations(spec)
    roots = schema_refs(operations)
    schemas = schema_closure(spec["components"]["schemas"], roots)
    return {
        "openapi": spec.get("openapi"),
        "info": {
            "source": "hh.ru OpenAPI specification",
            "version": spec["info"]["version"],
            "dialect": "JSON Schema 2020-12 (OpenAPI 3.0 nullable translated)",
        },
        "operations": {
            name: {
                **operation,
                "request": translate_nullable(operation["request"]),
                "responses": {
                    status: translate_nullable(schema)
                    for status, schema in operation["responses"].items()
                },
            }
            for name, operation in strip_annotations(operations).items()
        },
        "components": {
            "schemas": {name: translate_nullable(schema) for name, schema in schemas.items()}
        },
    }


def main(argv: list[str]) -> int:
    spec_path = Path(argv[1]) if len(argv) > 1 else DEFAULT_SPEC
    with spec_path.open(encoding="utf-8") as stream:
        spec = yaml.load(stream, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    subset = extract(spec)
    text = json.dumps(subset, ensure_ascii=False, sort_keys=True, indent=1) + "\n"
    OUTPUT.write_text(text, encoding="utf-8")
    count = len(subset["components"]["schemas"])
    print(f"wrote {OUTPUT.relative_to(REPO_ROOT)}: {len(OPERATIONS)} operations, {count} schemas")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
