"""Finding employer ids for visibility.yaml: hh.ru's public employer search.

`GET /employers?text=` (search-employer) needs no account and no resume, so it works before a
repository exists; its items carry no area, so each employer shown is looked up once
(`GET /employers/{id}`, concurrently, as many as `limit`). No token is sent: both are public.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from typing import Any

from resumesync.client import ClientSettings, HHClient, NotFoundError, gather_or_cancel
from resumesync.endpoints import segment
from resumesync.settings import Settings

SEARCH_PATH = "/employers"
MAX_PER_PAGE = 100  # the API's cap for per_page


@dataclass(frozen=True)
class Employer:
    id: str
    name: str
    area: str | None  # the area's name; None when the API gives none


@dataclass(frozen=True)
class SearchResult:
    employers: list[Employer]
    found: int  # how many the API found (more than shown when past `limit`)


def public_client_settings(settings: Settings, on_retry: Any = None) -> ClientSettings:
    """Client settings without the token: employer search and lookup are public."""
    return ClientSettings.from_settings(settings, token=None, on_retry=on_retry)


async def search_employers_async(
    client: HHClient, text: str, *, area: str | None = None, limit: int = 20
) -> SearchResult:
    params: dict[str, Any] = {"text": text, "per_page": min(max(limit, 1), MAX_PER_PAGE)}
    if area:
        params["area"] = area
    body = await client.request("GET", SEARCH_PATH, params=params) or {}
    items = [item for item in body.get("items") or [] if isinstance(item, dict)][:limit]
    found = body.get("found")

    async def one(item: dict[str, Any]) -> Employer:
        employer_id, name = str(item.get("id", "")), str(item.get("name", ""))
        try:
            info = await client.request("GET", f"{SEARCH_PATH}/{segment(employer_id)}") or {}
        except NotFoundError:  # found by the search, gone since: shown without an area
            info = {}
        place = info.get("area") if isinstance(info, dict) else None
        area_name = place.get("name") if isinstance(place, dict) else None
        return Employer(employer_id, name, area_name if isinstance(area_name, str) else None)

    employers = await gather_or_cancel(one(item) for item in items)
    return SearchResult(employers, found if isinstance(found, int) else len(employers))


def search_employers(
    settings: Settings,
    text: str,
    *,
    area: str | None = None,
    limit: int = 20,
    on_retry: Any = None,
) -> SearchResult:
    async def run() -> SearchResult:
        async with HHClient(public_client_settings(settings, on_retry)) as client:
            return await search_employers_async(client, text, area=area, limit=limit)

    return asyncio.run(run())


# --- output ---------------------------------------------------------------------------------

# A scalar that reads back as the same string when written plain inside `{...}`: no flow
# indicators, no comment or mapping marks, nothing YAML would read as another type.
_PLAIN = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`][^,\[\]{}#:\n]*(?<!\s)$")
_NOT_STRINGS = re.compile(
    r"^(?:true|false|yes|no|on|off|y|n|null|~|[-+]?[0-9][0-9_.:eE+-]*|[-+]?\.(?:inf|nan))$",
    re.IGNORECASE,
)


def flow_scalar(text: str) -> str:
    """`text` as a YAML flow scalar: plain when that is unambiguous, else double-quoted."""
    if text.isprintable() and _PLAIN.match(text) and not _NOT_STRINGS.match(text):
        return text
    return double_quoted(text)


def double_quoted(text: str) -> str:
    """`text` as a YAML double-quoted scalar (escapes for anything unprintable)."""
    return '"' + "".join(_escaped(char) for char in text) + '"'


def _escaped(char: str) -> str:
    """One character inside a YAML double-quoted scalar."""
    if char in '"\\':
        return "\\" + char
    if char.isprintable():
        return char
    code = ord(char)
    return (
        f"\\x{code:02x}"
        if code <= 0xFF
        else f"\\u{code:04x}"
        if code <= 0xFFFF
        else f"\\U{code:08x}"
    )


def yaml_entry(employer: Employer) -> str:
    """`- {id: "1455", name: HeadHunter}  # Moscow`: one item of a visibility list."""
    entry = f"- {{id: {double_quoted(employer.id)}, name: {flow_scalar(employer.name)}}}"
    return f"{entry}  # {_one_line(employer.area)}" if employer.area else entry


def text_rows(employers: list[Employer]) -> list[str]:
    """Aligned `id  name  area` rows."""
    id_width = max((len(_one_line(employer.id)) for employer in employers), default=0)
    name_width = max((len(_one_line(employer.name)) for employer in employers), default=0)
    return [
        f"{_one_line(employer.id):<{id_width}}  {_one_line(employer.name):<{name_width}}  "
        f"{_one_line(employer.area or '-')}".rstrip()
        for employer in employers
    ]


def _one_line(text: str) -> str:
    """Server text on one line, without control characters."""
    return "".join(char if char.isprintable() else " " for char in text)
