"""One HTTP request of the login flows (the token endpoint, `GET /me`), bounded as the API
client's requests are: the whole attempt by the timeout, not each read of the socket (which a
server sending one byte a second never lets expire), and the body by a size cap.

The flows are synchronous (a command, or a worker thread of the token provider), so the
request runs on an event loop of its own, where `asyncio.timeout` can bound all of it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass

import httpx


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes | None  # None: longer than the cap, not read to its end


def bounded_request(
    method: str,
    url: str,
    *,
    timeout: float,
    max_bytes: int,
    headers: Mapping[str, str],
    data: Mapping[str, str] | None = None,
) -> Answer:
    """The answer to one attempt; httpx.TimeoutException when it took longer than `timeout`
    seconds in all, another httpx.HTTPError when the server could not be reached."""
    return asyncio.run(_request(method, url, timeout, max_bytes, dict(headers), data))


async def _request(
    method: str,
    url: str,
    timeout: float,
    max_bytes: int,
    headers: dict[str, str],
    data: Mapping[str, str] | None,
) -> Answer:
    try:
        async with (
            asyncio.timeout(timeout),
            httpx.AsyncClient(timeout=timeout, verify=not url.startswith("http://")) as http,
            http.stream(method, url, data=data, headers=headers) as response,
        ):
            chunks: list[bytes] = []
            size = 0
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    return Answer(response.status_code, None)
                chunks.append(chunk)
            return Answer(response.status_code, b"".join(chunks))
    except TimeoutError:
        raise httpx.TimeoutException(f"no answer within {timeout:g} s") from None
