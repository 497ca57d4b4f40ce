"""A file's bytes -> text -> YamlDocument, every error a Problem at FILE:LINE; the compacted
text (yamlruns) first when it gives what the whole text gives.
"""

from __future__ import annotations

from typing import Any

import yaml

from resumesync import yamlruns
from resumesync.model import Location
from resumesync.problems import Problem, ProblemsError
from resumesync.yamlerrors import describe_syntax_error
from resumesync.yamlfile.aliases import check_alias_expansion
from resumesync.yamlfile.construct import NotCompactable, Walk, build
from resumesync.yamlfile.document import RunLines, YamlDocument
from resumesync.yamlfile.resolver import Loader


def parse_yaml(text: str, file: str, *, shared: dict[Any, Any] | None = None) -> YamlDocument:
    """Parse one YAML document. Raises ProblemsError (syntax, duplicate keys, tags) at FILE:LINE.
    `shared`: the path tuples and keys of the other files of the same load (saves memory)."""
    shared = {} if shared is None else shared
    compacted = yamlruns.compact(text)
    if compacted is not None:
        try:
            document = _parse(compacted.text, file, compacted.runs, shared)
        except (NotCompactable, ProblemsError):
            pass  # the whole text decides (and words any error)
        else:
            if not compacted.runs:  # every run came back as list items
                return document
    return _parse(text, file, None, shared)


def _parse(
    text: str,
    file: str,
    runs: dict[str, list[str | int]] | None,
    shared: dict[Any, Any] | None = None,
) -> YamlDocument:
    loader = Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        reason, line = describe_syntax_error(error, text)  # plain words, the line to fix
        raise ProblemsError(
            [Problem(f"YAML syntax error: {reason}", Location(file, line))]
        ) from None
    except yaml.reader.ReaderError as error:
        line = text.count("\n", 0, max(error.position, 0)) + 1
        raise ProblemsError(
            [Problem(f"YAML syntax error: {error.reason}", Location(file, line))]
        ) from None
    except yaml.YAMLError as error:
        raise ProblemsError([Problem(f"YAML syntax error: {error}", Location(file, 1))]) from None
    except RecursionError:
        raise ProblemsError([Problem("YAML nesting is too deep", Location(file, 1))]) from None
    finally:
        loader.dispose()
    if node is None:
        return YamlDocument(file, None, {(): 1})
    walk = Walk(file, runs=runs, shared={} if shared is None else shared)
    try:
        if "&" in text:  # no anchor, no alias (one to an unknown anchor does not compose)
            check_alias_expansion(node, file)
        data = build(node, (), walk)
    except RecursionError:
        raise ProblemsError([Problem("YAML nesting is too deep", Location(file, 1))]) from None
    if walk.problems:
        raise ProblemsError(walk.problems)
    lines = RunLines(walk.lines, walk.run_lines) if walk.run_lines else walk.lines
    return YamlDocument(file, data, lines)


def read_yaml_text(raw: bytes, file: str) -> str:
    """Decode a file's bytes (UTF-8, with or without a BOM) or report it at FILE:LINE."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise ProblemsError([Problem("not UTF-8 text", Location(file, line))]) from None
