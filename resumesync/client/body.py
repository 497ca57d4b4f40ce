"""Reading an answer's body: streamed, decompressed by us, and refused past a size cap, so a
hostile server (a gzip bomb, an endless body) stays bounded in memory; then parsed."""

from __future__ import annotations

import json as jsonlib
import zlib
from typing import Any

import httpx

from resumesync.client.errors import ApiError, UnexpectedAnswerError

# The largest answer body we accept, counted after decompression (a gzip bomb expands
# 1,000-fold): a resume is tens of KB, a page of 100 employers a few.
MAX_RESPONSE_BYTES = 16 * 1024 * 1024


async def read_capped(response: httpx.Response, method: str, path: str) -> bytes:
    """The decoded (decompressed) body, refused past MAX_RESPONSE_BYTES.

    gzip and deflate are decompressed here, never more than the cap at a time: httpx would
    expand each network chunk whole (64 KB of a gzip bomb is 64 MB)."""
    declared = response.headers.get("Content-Length", "")
    encoding = response.headers.get("Content-Encoding", "").strip().lower()
    if declared.isdigit() and int(declared) > MAX_RESPONSE_BYTES and not encoding:
        raise _too_large(method, path)
    if encoding in ("gzip", "x-gzip", "deflate"):
        return await _inflate_capped(response, encoding, method, path)
    chunks: list[bytes] = []
    total = 0
    async for chunk in response.aiter_bytes():
        total += len(chunk)
        if total > MAX_RESPONSE_BYTES:
            raise _too_large(method, path)
        chunks.append(chunk)
    return b"".join(chunks)


async def _inflate_capped(response: httpx.Response, encoding: str, method: str, path: str) -> bytes:
    # gzip; deflate as zlib data (RFC 9110), or raw deflate as some servers send it
    wbits = 16 + zlib.MAX_WBITS if encoding != "deflate" else zlib.MAX_WBITS
    inflater = zlib.decompressobj(wbits)
    chunks: list[bytes] = []
    total = 0
    first = True
    try:
        async for raw in response.aiter_raw():
            if first and encoding == "deflate" and raw[:1] and (raw[0] & 0x0F) != 8:
                inflater = zlib.decompressobj(-zlib.MAX_WBITS)
            first = False
            pending = raw
            while pending:
                data = inflater.decompress(pending, MAX_RESPONSE_BYTES + 1 - total)
                total += len(data)
                if total > MAX_RESPONSE_BYTES:
                    raise _too_large(method, path)
                chunks.append(data)
                pending = inflater.unconsumed_tail
        chunks.append(inflater.flush())
    except zlib.error as error:
        raise httpx.DecodingError(f"cannot decompress the answer: {error}") from None
    if total + len(chunks[-1]) > MAX_RESPONSE_BYTES:
        raise _too_large(method, path)
    return b"".join(chunks)


def _too_large(method: str, path: str) -> UnexpectedAnswerError:
    megabytes = MAX_RESPONSE_BYTES // (1024 * 1024)
    return UnexpectedAnswerError(method, path, f"the body is larger than {megabytes} MB")


def success_body(response: httpx.Response, content: bytes, method: str, path: str) -> Any:
    """A success's parsed JSON, or None when it is empty; ApiError when it is not JSON."""
    if response.status_code == 204 or not content:
        return None
    try:
        return jsonlib.loads(content)
    except (ValueError, RecursionError):
        raise ApiError(
            response.status_code,
            method,
            path,
            message="the server answered with a body that is not JSON",
        ) from None


def json_or_none(content: bytes) -> Any:
    try:
        return jsonlib.loads(content) if content else None
    except (ValueError, RecursionError):
        return None  # 5xx answers may carry HTML: the status alone decides (errors.md)
