"""Long runs of plain list items composed without a YAML node each.

An agency's visibility.yaml lists hundreds of thousands of employer ids, one per line
(`- '3529'`, `- 3529`, `- 3529  # Sberbank`). PyYAML's C parser still makes a Python node with
two marks for each, and the resolver runs on each: most of the time of loading such a file.
`compact` replaces each run of such lines (the same indentation, one after another) by one
placeholder item, `- !resumesync-run 'N'`, and blank lines, so that every other line keeps its
number; yamlfile expands the placeholder back into the run's values, each with its own line.

The result must be exactly what the whole parse gives, so the fast path gives up (yamlfile then
parses the original text) whenever it could differ: a file with anchors or with the
placeholder's tag in it is never compacted, and yamlfile falls back when a placeholder does not
come back as a list item (it was inside a block scalar, a quoted or a plain multi-line scalar)
or the compacted text does not parse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

RUN_TAG = "!resumesync-run"
MIN_TEXT = 32_768  # smaller files are not worth it
MIN_RUN = 8  # lines

# Exactly what yamlfile's resolver reads as a string (quoted digits) or an int (plain digits
# without a leading zero): other values end a run and are parsed as usual.
_VALUE = r"'[0-9]+'|\"[0-9]+\"|[1-9][0-9]{0,17}"
_ITEM = rf"- (?:{_VALUE})(?:[ \t]+#[^\n]*|[ \t]*)\n"  # a comment needs a blank before `#`
_RUN = re.compile(rf"^( *){_ITEM}(?:\1{_ITEM}){{{MIN_RUN - 1},}}", re.M)
_VALUES = re.compile(rf"^ *- ({_VALUE})", re.M)  # at line starts: not in a comment


@dataclass(frozen=True)
class Compacted:
    text: str  # the text with each run replaced by a placeholder and blank lines
    runs: dict[str, list[str | int]]  # placeholder id -> the run's values, in order


def compact(text: str) -> Compacted | None:
    """None when there is nothing worth compacting (or it would not be safe to try)."""
    if len(text) < MIN_TEXT or "&" in text or RUN_TAG in text:
        return None
    runs: dict[str, list[str | int]] = {}
    parts: list[str] = []
    last = 0
    for match in _RUN.finditer(text):
        key = str(len(runs))
        runs[key] = [
            int(value) if value[0] not in "'\"" else value[1:-1]
            for value in _VALUES.findall(match.group(0))
        ]
        parts.append(text[last : match.start()])
        parts.append(f"{match.group(1)}- {RUN_TAG} '{key}'\n" + "\n" * (len(runs[key]) - 1))
        last = match.end()
    if not runs:
        return None
    parts.append(text[last:])
    return Compacted("".join(parts), runs)
