"""resumesync.yaml: its schema."""

from __future__ import annotations

from typing import Any

from resumesync.model import SourceMap
from resumesync.problems import Problem
from resumesync.validation.report import Report
from resumesync.validation.schema_check import check_schema

CONFIG_SCHEMA = "config.schema.json"


def validate_config(doc: Any, source: SourceMap) -> list[Problem]:
    report = Report(source)
    check_schema(CONFIG_SCHEMA, doc, report)
    return report.findings().errors
