"""Client CPU per request at zero latency, layer by layer.

`python -m benchmarks.clientcpu serve` answers every request at once with one fixed list page
(100 employers, as hh.ru sends them), HTTP/1.1 keep-alive; it runs in a process of its own, so
that its CPU is not the client's. `measure(url, requests)` then runs, in the calling process,
the same GETs (8 at a time) through each layer of the stack and reports CPU time per request:

- bare asyncio: 8 `asyncio.open_connection` streams writing requests and parsing answers by
  hand, plus `json.loads`: the floor of any Python client on this machine;
- httpcore: `httpcore.AsyncConnectionPool` (with anyio, h11) and `json.loads`;
- httpx: `httpx.AsyncClient.get(...).json()` on that pool;
- HHClient: resumesync's `HHClient.request` (semaphore, rate limiter lifted, retry wrapper,
  error mapping) on httpx.

The differences between rows are what each layer costs.
"""

from __future__ import annotations

import asyncio
import cProfile
import io
import json
import pstats
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

PARALLELISM = 8
PATH = "/resumes/0123456789abcdef/blacklist"
QUERY = "per_page=100&page=1"


def page_body() -> bytes:
    items = [
        {
            "id": str(1_000_000 + n),
            "name": f"Employer number {n}",
            "url": f"https://api.hh.ru/employers/{1_000_000 + n}",
            "alternate_url": f"https://hh.ru/employer/{1_000_000 + n}",
            "logo_urls": None,
        }
        for n in range(100)
    ]
    document = {"items": items, "found": 2000, "pages": 20, "page": 1, "per_page": 100}
    return json.dumps(document).encode()


# --- the server ---------------------------------------------------------------------------------


async def _serve() -> None:
    body = page_body()
    answer = (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
        + body
    )

    async def connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":", 1)[1])
                if length:
                    await reader.readexactly(length)
                writer.write(answer)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(connection, "127.0.0.1", 0, backlog=128)
    port = server.sockets[0].getsockname()[1]
    print(f"http://127.0.0.1:{port}", flush=True)
    async with server:
        await server.serve_forever()


# --- the clients ------------------------------------------------------------------------------


Fetch = Callable[[], Awaitable[object]]


async def _bare(url: str, count: int) -> None:
    host, port = url.removeprefix("http://").split(":")
    request = (
        f"GET {PATH}?{QUERY} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: application/json\r\n"
        "Authorization: Bearer USERbench\r\n\r\n"
    ).encode()

    async def worker(share: int) -> None:
        reader, writer = await asyncio.open_connection(host, int(port))
        for _ in range(share):
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            json.loads(await reader.readexactly(length))
        writer.close()

    await asyncio.gather(*(worker(share) for share in _shares(count)))


async def _fetch_all(fetch: Fetch, count: int) -> None:
    async def worker(share: int) -> None:
        for _ in range(share):
            await fetch()

    await asyncio.gather(*(worker(share) for share in _shares(count)))


async def _httpcore(url: str, count: int) -> None:
    import httpcore

    headers = [(b"Accept", b"application/json"), (b"Authorization", b"Bearer USERbench")]
    async with httpcore.AsyncConnectionPool(max_connections=PARALLELISM) as pool:

        async def fetch() -> object:
            response = await pool.request("GET", f"{url}{PATH}?{QUERY}", headers=headers)
            return json.loads(response.content)

        await _fetch_all(fetch, count)


async def _httpx(url: str, count: int) -> None:
    import httpx

    limits = httpx.Limits(max_connections=PARALLELISM, max_keepalive_connections=PARALLELISM)
    headers = {"Accept": "application/json", "Authorization": "Bearer USERbench"}
    async with httpx.AsyncClient(base_url=url, limits=limits, headers=headers) as client:

        async def fetch() -> object:
            response = await client.get(PATH, params={"per_page": 100, "page": 1})
            return response.json()

        await _fetch_all(fetch, count)


async def _hhclient(url: str, count: int) -> None:
    from resumesync.client import ClientSettings, HHClient

    settings = ClientSettings(base_url=url, token="USERbench", parallelism=PARALLELISM, max_rps=1e6)
    async with HHClient(settings) as client:

        async def fetch() -> object:
            return await client.request("GET", PATH, params={"per_page": 100, "page": 1})

        await _fetch_all(fetch, count)


def _shares(count: int) -> list[int]:
    return [count // PARALLELISM + (i < count % PARALLELISM) for i in range(PARALLELISM)]


LAYERS: dict[str, Callable[[str, int], Awaitable[None]]] = {
    "bare asyncio streams + json.loads": _bare,
    "httpcore pool (anyio, h11)": _httpcore,
    "httpx.AsyncClient": _httpx,
    "resumesync HHClient.request": _hhclient,
}


@dataclass(frozen=True)
class LayerResult:
    layer: str
    cpu_ms_per_request: float
    wall_ms_per_request: float


def measure(url: str, requests: int, *, rounds: int = 3) -> list[LayerResult]:
    """Each layer `rounds` times, interleaved (best CPU shown), after one warm-up run each
    (first imports, first connections, anyio's backend)."""
    best: dict[str, LayerResult] = {}
    with asyncio.Runner() as runner:
        for layer in LAYERS.values():
            runner.run(layer(url, PARALLELISM * 4))
        for _ in range(rounds):
            for name, layer in LAYERS.items():
                started, cpu = time.perf_counter(), time.process_time()
                runner.run(layer(url, requests))
                cpu, wall = time.process_time() - cpu, time.perf_counter() - started
                result = LayerResult(name, 1000 * cpu / requests, 1000 * wall / requests)
                if name not in best or result.cpu_ms_per_request < best[name].cpu_ms_per_request:
                    best[name] = result
    return list(best.values())


def profile(url: str, requests: int, lines: int = 25) -> str:
    """cProfile of HHClient.request, the `lines` functions with the most time of their own."""
    with asyncio.Runner() as runner:
        runner.run(_hhclient(url, PARALLELISM * 4))
        profiler = cProfile.Profile()
        profiler.enable()
        runner.run(_hhclient(url, requests))
        profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(lines)
    return out.getvalue()


def main(argv: list[str]) -> None:
    if argv != ["serve"]:
        raise SystemExit("usage: python -m benchmarks.clientcpu serve")
    asyncio.run(_serve())


if __name__ == "__main__":
    main(sys.argv[1:])
