"""The plan as JSON (`plan --format json`): the plan file format, `schemas/plan.schema.json`.

A plan holds no token, so printing it never leaks one.
"""

from __future__ import annotations

from resumesync.model import Plan
from resumesync.planfile import dump_plan


def render_json(plan: Plan) -> str:
    return dump_plan(plan)
