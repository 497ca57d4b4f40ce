"""What planning one resume gathers: its changes, notices and problems, and its list changes
sorted by whether they narrow or widen who may see it."""

from __future__ import annotations

from dataclasses import dataclass, field

from resumesync.model import Change, Notice
from resumesync.problems import Problem


@dataclass
class ResumePlan:
    changes: list[Change] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass
class ListPlan:
    tightening: list[Change] = field(default_factory=list)
    loosening: list[Change] = field(default_factory=list)
