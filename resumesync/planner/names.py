"""The names of the employers a resume's changes and notices mention, for the rendered plan."""

from __future__ import annotations

from resumesync.model import DesiredResume, LiveResume
from resumesync.planner.parts import ResumePlan


def collect_names(
    names: dict[str, str], resume: DesiredResume, live_resume: LiveResume, part: ResumePlan
) -> None:
    """Names of the employers this resume's changes and notices mention."""
    mentioned: set[str] = set()
    for change in part.changes:
        mentioned.update(change.employers)
    for item in part.notices:
        mentioned.update(item.employers)
    known: dict[str, str] = {}
    for desired_list in resume.lists.values():
        known.update(desired_list.names)
    for live_list in live_resume.lists.values():
        known.update({key: value for key, value in live_list.employers.items() if value})
    for employer in mentioned:
        if employer in known:
            names[employer] = known[employer]
