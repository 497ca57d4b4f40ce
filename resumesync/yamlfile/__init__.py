"""YAML with a line for every value, and `${VAR}` interpolation.

Scalars resolve by a strict subset of PyYAML's YAML 1.1 rules, so that no value changes type
behind the user's back:

- booleans are only `true` / `false` (also `True`, `TRUE`, ...): `yes`, `no`, `on`, `off`, `y`, `n`
  stay strings;
- dates stay strings (`start: 2019-03-01` is "2019-03-01"): there is no timestamp type;
- integers are plain decimals (`42`, `-7`); `0123`, `0x1F`, `1_000`, `1:30` stay strings, so
  phone codes with a leading zero keep it;
- floats need a dot (`1.5`, `1.0e+6`, `.inf`); `null`, `~` and an empty value are null;
- mapping keys are always the text written (`1455:` is the key "1455"); `<<` merge keys work.

A subset of YAML 1.1 also means anything `yaml.safe_dump` writes (which quotes every string
YAML 1.1 would read as another type) reads back unchanged.
Interpolation (`interpolate`) applies to string values only, never to keys, and its results are
strings: `amount: ${SALARY}` is "350000", not a number.

The modules, one job each: `parse` (bytes -> text -> YamlDocument, errors at FILE:LINE),
`resolver` (the tags above and the loaders), `construct` (nodes -> data with a line for every
path), `aliases` (bounds on alias expansion), `document` (YamlDocument and its line maps),
`interpolation` (`${VAR}`).
"""

from resumesync.yamlfile.aliases import MAX_EXPANDED_CHARS, MAX_NODES, check_alias_expansion
from resumesync.yamlfile.document import LineLocations, RunLines, YamlDocument
from resumesync.yamlfile.interpolation import interpolate
from resumesync.yamlfile.parse import parse_yaml, read_yaml_text
from resumesync.yamlfile.resolver import (
    BOOL_TAG,
    FLOAT_TAG,
    INT_TAG,
    MAP_TAG,
    MERGE_TAG,
    NULL_TAG,
    SEQ_TAG,
    STR_TAG,
)

__all__ = [
    "BOOL_TAG",
    "FLOAT_TAG",
    "INT_TAG",
    "MAP_TAG",
    "MAX_EXPANDED_CHARS",
    "MAX_NODES",
    "MERGE_TAG",
    "NULL_TAG",
    "SEQ_TAG",
    "STR_TAG",
    "LineLocations",
    "RunLines",
    "YamlDocument",
    "check_alias_expansion",
    "interpolate",
    "parse_yaml",
    "read_yaml_text",
]
