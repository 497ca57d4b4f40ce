"""Reading a paginated collection whole: page 0 says how many pages there are (never more
than the API can hold), the rest are read concurrently under the parallelism bound, and
every page must have the documented shape."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from resumesync.client.concurrency import bounded_map
from resumesync.client.errors import UnexpectedAnswerError

if TYPE_CHECKING:
    from resumesync.client.transport import Transport

PER_PAGE = 100  # the documented maximum of `per_page`
# hh.ru pages at most 2,000 items deep, and a visibility list holds at most `limit` (2,000)
# employers: a first page that claims more pages is not believed (a hostile server said
# "pages": 10000000).
MAX_LISTED_ITEMS = 2000


async def get_all_pages(
    client: Transport,
    path: str,
    params: dict[str, Any] | None = None,
    keep: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Page 0 first (it says how many pages there are), then the rest concurrently, each
    page's request created only when one of `parallelism` workers is free for it.
    `keep` trims each item as its page arrives, so that the pages of many long lists
    read at once are never all held whole. Every page must be an object whose `items`
    are objects (UnexpectedAnswerError otherwise)."""
    query = {**(params or {}), "per_page": PER_PAGE}

    async def page(number: int) -> dict[str, Any]:
        body = await client.request("GET", path, params={**query, "page": number})
        items = _page_items(body, path, number)
        if keep is not None:
            items = [keep(item) for item in items]
        return {**(body or {}), "items": items}

    first = await page(0)
    count = _page_count(first, path)
    rest = await bounded_map(page, range(1, count), client.settings.parallelism)
    items: list[dict[str, Any]] = []
    seen: set[str] = set()
    for body in [first, *rest]:
        for item in body["items"]:
            key = str(item.get("id"))
            if key not in seen:  # a list that moved between pages must not duplicate
                seen.add(key)
                items.append(item)
    return first, items


def _page_count(body: dict[str, Any], path: str) -> int:
    """How many pages the first page announces, never more than the API can hold."""
    pages = body.get("pages")
    if not (isinstance(pages, int) and not isinstance(pages, bool) and pages >= 1):
        pages = 1
        found, per_page = body.get("found"), body.get("per_page") or PER_PAGE
        if _is_count(found) and _is_count(per_page) and per_page > 0:
            pages = max(1, math.ceil(found / per_page))
    most = math.ceil(MAX_LISTED_ITEMS / PER_PAGE)
    if pages > most:
        raise UnexpectedAnswerError(
            "GET",
            path,
            f"it announces {pages} pages; a list holds at most {MAX_LISTED_ITEMS} items "
            f"({most} pages of {PER_PAGE})",
        )
    return pages


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _page_items(body: Any, path: str, number: int) -> list[dict[str, Any]]:
    if body is None:
        return []
    if not isinstance(body, dict):
        raise UnexpectedAnswerError("GET", path, f"page {number} is not a JSON object")
    items = body.get("items")
    if items is None:
        return []
    if not isinstance(items, list):
        raise UnexpectedAnswerError("GET", path, f"page {number}: `items` is not a list")
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise UnexpectedAnswerError(
                "GET", path, f"page {number}: items[{index}] is not an object"
            )
    return items
