"""Files shipped inside the package (JSON Schemas)."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any


@cache
def load_schema(name: str) -> dict[str, Any]:
    """A JSON Schema from `schemas/` by file name, e.g. "resume.schema.json"."""
    text = resources.files("resumesync.schemas").joinpath(name).read_text(encoding="utf-8")
    return json.loads(text)
