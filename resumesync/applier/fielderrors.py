"""The server's per-field errors (400 `bad_json_data`), their RFC 6901 pointers read as
paths into the document, for mapping to YAML lines."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from resumesync.model import JsonPath
from resumesync.problems import dotted

_INDEX = re.compile(r"0|[1-9][0-9]*")


@dataclass(frozen=True)
class ServerFieldError:
    """One `bad_json_data` error of the server, with its pointer as a path into the document."""

    pointer: str
    path: JsonPath
    reason: str = ""
    value: str = ""  # the field the server names
    description: str = ""

    def __str__(self) -> str:
        where = dotted(self.path) or self.value or "(body)"
        return f"{where}: {self.description or self.reason or 'rejected by the server'}"


def field_error(raw: dict[str, Any]) -> ServerFieldError:
    pointer = str(raw.get("pointer") or "")
    value = str(raw.get("value") or "")
    path = pointer_to_path(pointer) if pointer else ((value,) if value else ())
    return ServerFieldError(
        pointer=pointer,
        path=path,
        reason=str(raw.get("reason") or ""),
        value=value,
        description=str(raw.get("description") or ""),
    )


def pointer_to_path(pointer: str) -> JsonPath:
    """RFC 6901: "/education/additional/1/year" -> ("education", "additional", 1, "year").

    Array indexes become ints; "~1" and "~0" unescape to "/" and "~" (in that order, as the
    RFC requires). A pointer without the leading "/" is read as if it had one.
    """
    if pointer == "":
        return ()
    body = pointer[1:] if pointer.startswith("/") else pointer
    path: list[str | int] = []
    for token in body.split("/"):
        text = token.replace("~1", "/").replace("~0", "~")
        path.append(int(text) if _INDEX.fullmatch(text) else text)
    return tuple(path)


def path_to_pointer(path: JsonPath) -> str:
    """The inverse of pointer_to_path: ("a/b", 0) -> "/a~1b/0"."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)
