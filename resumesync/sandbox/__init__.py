"""The sandbox: a faithful local hh.ru-compatible API server, seeded with example resumes.

It implements the documented behaviour of the applicant methods resumesync uses (see
../shared/hh-api): bearer-token auth, pagination, visibility-list limits, `bad_json_data`
errors with JSON pointers, publish intervals, server-side normalisation on save, and fault
injection. It shares no code with the rest of resumesync: it is an independent reading of
the docs, so that it can catch the client's misreadings of them.

    from resumesync.sandbox import SandboxConfig, running_sandbox, Account
    with running_sandbox(SandboxConfig(accounts={"USERtoken": Account.example()})) as sandbox:
        sandbox.url, sandbox.requests, sandbox.account("USERtoken"), sandbox.set_faults(...)
        sandbox.hold(...), sandbox.gate(...)   # test hooks: stop requests at exact points
"""

from resumesync.sandbox.account import Account, Artifact, Resume, ResumeState
from resumesync.sandbox.clock import ManualClock
from resumesync.sandbox.config import Faults, SandboxConfig
from resumesync.sandbox.holds import Arrival, Gate, Hold
from resumesync.sandbox.oauth import Application
from resumesync.sandbox.persistence import (
    SANDBOX_TOKEN,
    created_resume_ids,
    persistent_sandbox,
    reset_persistent_sandbox,
    state_path,
)
from resumesync.sandbox.requestlog import LoggedRequest
from resumesync.sandbox.schema import response_errors
from resumesync.sandbox.server import DEFAULT_TOKEN
from resumesync.sandbox.serving import RunningSandbox, connection_help, running_sandbox, serve

__all__ = [
    "DEFAULT_TOKEN",
    "SANDBOX_TOKEN",
    "Account",
    "Application",
    "Arrival",
    "Artifact",
    "Faults",
    "Gate",
    "Hold",
    "LoggedRequest",
    "ManualClock",
    "Resume",
    "ResumeState",
    "RunningSandbox",
    "SandboxConfig",
    "connection_help",
    "created_resume_ids",
    "persistent_sandbox",
    "reset_persistent_sandbox",
    "response_errors",
    "running_sandbox",
    "serve",
    "state_path",
]
