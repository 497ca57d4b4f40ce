"""Executes a Plan: resumes concurrently, each resume's changes in the plan's (privacy) order.

Within one resume, consecutive changes of one privacy stage go out together as one phase:
tightening (blacklist additions, whitelist removals or clear: both only narrow who may see
the resume, whatever its access type, so any mix of them is never wider than before), the
PUT, loosening (blacklist removals or clear, whitelist additions: each only widens towards
the final state, so any mix of them is never wider than after), publish. The next phase
starts only when the previous one fully succeeded, so a failed tightening is never followed
by a loosening. A failure stops that resume only. No rollback: the next run converges, since
every call is idempotent. The resumes with the most phases are started first: they are the
longest chains of calls that wait for one another.

The modules: `apply` (apply_plan, the hooks around a create and an upload), `stages` (the
privacy stages and phases), `calls` (the one call of a change, with the ids this apply learnt
in place of their stand-ins), `outcomes` (events, outcomes, the result), `fielderrors` (the
server's per-field errors, RFC 6901 pointers).
"""

from resumesync.applier.apply import IMAGE_ACTIONS, CreationHooks, apply_plan
from resumesync.applier.calls import bind_pending, bind_uploads, create_path, send
from resumesync.applier.fielderrors import (
    ServerFieldError,
    path_to_pointer,
    pointer_to_path,
)
from resumesync.applier.outcomes import (
    ApplyEvent,
    ApplyResult,
    ChangeOutcome,
    CreatedResume,
    EventKind,
    Outcome,
    describe_change,
    rerun_may_help,
)
from resumesync.applier.stages import Stage, phases, stage

__all__ = [
    "IMAGE_ACTIONS",
    "ApplyEvent",
    "ApplyResult",
    "ChangeOutcome",
    "CreatedResume",
    "CreationHooks",
    "EventKind",
    "Outcome",
    "ServerFieldError",
    "Stage",
    "apply_plan",
    "bind_pending",
    "bind_uploads",
    "create_path",
    "describe_change",
    "path_to_pointer",
    "phases",
    "pointer_to_path",
    "rerun_may_help",
    "send",
    "stage",
]
