"""The YAML an import writes: PyYAML's safe dumper, tuned so the files read like hand-written
ones and read back (through resumesync.yamlfile) as exactly the data that was dumped."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any

import yaml


class FlowMap(dict[str, Any]):
    """A mapping written on one line: `{id: "1", name: Moscow}`."""


class _Dumper(yaml.SafeDumper):
    """safe_dump's dumper, with list items indented under their key, double quotes where
    quotes are needed ("2019-03-01", "0123", "yes" stay strings), multi-line text as `|`
    blocks and FlowMap on one line."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)

    def choose_scalar_style(self) -> str:
        style = super().choose_scalar_style()
        return '"' if style == "'" else style


# Line breaks a `|` block cannot keep: YAML reads each as a plain newline.
_BLOCK_BREAKS = frozenset("\r\x85\u2028\u2029")


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    if _BLOCK_BREAKS.intersection(value):
        style = '"'  # escaped, so that it reads back unchanged
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_flow(dumper: yaml.SafeDumper, value: FlowMap) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", value, flow_style=True)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(FlowMap, _represent_flow)


def dump_yaml(data: Any) -> str:
    """YAML that resumesync.yamlfile reads back as `data` (`${` escaped as `$${`)."""
    return yaml.dump(
        escape_interpolation(data),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=sys.maxsize,  # no folding: long text stays on one line, editors wrap it
    )


def escape_interpolation(value: Any) -> Any:
    """Text that contains `${` is written as `$${`, so that loading does not interpolate it."""
    if isinstance(value, str):
        return value.replace("${", "$${")
    if isinstance(value, FlowMap):
        return FlowMap({key: escape_interpolation(item) for key, item in value.items()})
    if isinstance(value, Mapping):
        return {key: escape_interpolation(item) for key, item in value.items()}
    if isinstance(value, list):
        return [escape_interpolation(item) for item in value]
    return value
