"""The planner: a pure function from (desired state, live state) to an ordered Plan.

No I/O. Each Change is exactly one HTTP call; see DESIGN "The plan". Per resume, privacy first:

1. tightening list changes (blacklist additions, whitelist removals or clear);
2. the update PUT (which carries a new `access.type`);
3. loosening list changes (blacklist removals or clear, whitelist additions);
4. publish.

An employer hidden from a resume before and after the apply is then hidden at every step: while
the old access type holds, the whitelist only shrinks and the blacklist only grows; once the PUT
switched the type, the new lists are already complete on the hiding side.

The modules: `plan` (build_plan over every resume), `resume` (one resume's changes in that
order), `update` (the PUT body, access breadth), `lists` (list additions, removals, clears in
batches), `publish` (the publish call and why it is not made), `names` (employer names the plan
mentions), `parts` (what planning one resume gathers).
"""

from resumesync.planner.lists import BATCH_SIZE
from resumesync.planner.plan import build_plan
from resumesync.planner.publish import MANDATORY_ALIASES
from resumesync.planner.update import ACCESS_BREADTH, access_widens, json_safe, planned_body
from resumesync.policy import UnsafePlanError as UnsafePlanError  # re-exported
from resumesync.policy import raise_if_unsafe as raise_if_unsafe  # re-exported

__all__ = [
    "ACCESS_BREADTH",
    "BATCH_SIZE",
    "MANDATORY_ALIASES",
    "UnsafePlanError",
    "access_widens",
    "build_plan",
    "json_safe",
    "planned_body",
    "raise_if_unsafe",
]
