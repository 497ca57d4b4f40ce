"""The sandbox's reserved /_sandbox/ endpoints: the request log, the state, reset, faults."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from resumesync.sandbox.calls import bearer_token
from resumesync.sandbox.state import Request, Response

if TYPE_CHECKING:
    from resumesync.sandbox.server import SandboxServer

CONTROL_PREFIX = "/_sandbox/"


def control(server: SandboxServer, request: Request) -> Response:
    """The reserved /_sandbox/ endpoints: inspection and control, never faults or logging.

    They need a sandbox token like every API call: a form that a web page posts to
    127.0.0.1 (CSRF) cannot carry an Authorization header, so it cannot change the faults,
    reset the account or read the log."""
    state = server.state
    if bearer_token(request) not in state.tokens:
        return Response(403, {"errors": [{"type": "oauth", "value": "bad_authorization"}]})
    name = request.path.removeprefix(CONTROL_PREFIX).strip("/")
    if (request.method, name) == ("GET", "requests"):
        return Response(200, {"requests": [entry.to_json() for entry in server.logged()]})
    if (request.method, name) == ("GET", "state"):
        with state.lock:
            accounts = [
                {"account": index, **state.accounts[token].to_json()}
                for index, token in enumerate(state.tokens)
            ]
        return Response(200, {"accounts": accounts, "now": state.now()})
    if (request.method, name) == ("POST", "reset"):
        state.reset()
        server.clear_log()
        return Response(204)
    if (request.method, name) == ("GET", "faults"):
        return Response(200, vars(server.dice.faults))
    if (request.method, name) == ("POST", "faults"):
        try:
            server.dice.set(**json.loads(request.body or b"{}"))
        except (ValueError, TypeError) as error:
            return Response(400, {"errors": [{"type": "bad_argument", "value": str(error)}]})
        return Response(204)
    return Response(404, {"errors": [{"type": "not_found"}]})
