"""multipart/form-data and urlencoded form bodies, with the standard library's email parser
(the cgi module is gone from newer Pythons)."""

from __future__ import annotations

from dataclasses import dataclass
from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP
from urllib.parse import parse_qs


@dataclass(frozen=True)
class FormFile:
    filename: str
    content_type: str
    content: bytes


def parse_form(content_type: str, body: bytes) -> dict[str, str | FormFile]:
    """The fields of a form body; files as FormFile. Raises ValueError for a broken body."""
    if content_type.lower().startswith("application/x-www-form-urlencoded"):
        return {name: values[-1] for name, values in parse_qs(body.decode("utf-8")).items()}
    if not content_type.lower().startswith("multipart/form-data"):
        raise ValueError("not a form")
    header = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = BytesParser(policy=HTTP).parsebytes(header + body)
    if not message.is_multipart():
        raise ValueError("not a multipart body")
    fields: dict[str, str | FormFile] = {}
    for part in message.iter_parts():
        name = _disposition_name(part)
        if name is None:
            continue
        content = part.get_payload(decode=True) or b""
        filename = part.get_filename()
        if filename is not None:
            fields[name] = FormFile(filename, part.get_content_type(), content)
        else:
            fields[name] = content.decode(part.get_content_charset() or "utf-8")
    return fields


def _disposition_name(part: Message) -> str | None:
    name = part.get_param("name", header="content-disposition")
    return name if isinstance(name, str) else None
