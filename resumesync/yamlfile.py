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
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

import yaml
from yaml.composer import Composer
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from resumesync import yamlruns
from resumesync.model import JsonPath, Location, SourceMap
from resumesync.problems import Problem, ProblemsError, dotted
from resumesync.yamlerrors import describe_syntax_error

STR_TAG = "tag:yaml.org,2002:str"
INT_TAG = "tag:yaml.org,2002:int"
FLOAT_TAG = "tag:yaml.org,2002:float"
BOOL_TAG = "tag:yaml.org,2002:bool"
NULL_TAG = "tag:yaml.org,2002:null"
MERGE_TAG = "tag:yaml.org,2002:merge"
MAP_TAG = "tag:yaml.org,2002:map"
SEQ_TAG = "tag:yaml.org,2002:seq"

# Aliases can expand a small file into a huge tree ("billion laughs"): stop well before that.
MAX_NODES = 1_000_000
# ... and into huge text: a 1 MB string referenced 1,000 times is 1 GB for every later step
# (validation, diff, rendering), while MAX_NODES counts it as 1,000 values. Caps the characters
# of every scalar (keys too) as the document expands, aliases counted each time they are used.
MAX_EXPANDED_CHARS = 16_000_000

_DIGITS = list("0123456789")


class _Resolver(BaseResolver):
    """The implicit types described in the module docstring, nothing else."""

    yaml_implicit_resolvers: ClassVar[dict[Any, Any]] = {}
    yaml_path_resolvers: ClassVar[dict[Any, Any]] = {}

    def resolve(self, kind: type[Node], value: Any, implicit: Any) -> str:
        # Called for every node the parser composes (hundreds of thousands in an agency's
        # visibility.yaml): the common cases without BaseResolver's general loop. A quoted
        # scalar is a string; a plain one whose first character starts no implicit type is too.
        if kind is ScalarNode:
            if not implicit[0]:
                return STR_TAG if implicit[1] else BaseResolver.resolve(self, kind, value, implicit)
            if value and value[0] not in _IMPLICIT_FIRST:
                return STR_TAG
        elif kind is SequenceNode:
            return SEQ_TAG
        elif kind is MappingNode:
            return MAP_TAG
        return BaseResolver.resolve(self, kind, value, implicit)


_Resolver.add_implicit_resolver(
    BOOL_TAG, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Resolver.add_implicit_resolver(
    INT_TAG, re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), ["-", "+", *_DIGITS]
)
_Resolver.add_implicit_resolver(
    FLOAT_TAG,
    re.compile(
        r"""^(?:[-+]?[0-9]+\.[0-9]*(?:[eE][-+][0-9]+)?
        |\.[0-9]+(?:[eE][-+][0-9]+)?
        |[-+]?\.(?:inf|Inf|INF)
        |\.(?:nan|NaN|NAN))$""",
        re.X,
    ),
    ["-", "+", ".", *_DIGITS],
)
_Resolver.add_implicit_resolver(
    NULL_TAG, re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)
_Resolver.add_implicit_resolver(MERGE_TAG, re.compile(r"^<<$"), ["<"])
# Every first character that some implicit resolver above is registered for.
_IMPLICIT_FIRST = frozenset(
    first for first in _Resolver.yaml_implicit_resolvers if first is not None and first != ""
)


class _PyLoader(Reader, Scanner, Parser, Composer, _Resolver):
    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)
        _Resolver.__init__(self)


try:  # libyaml composes large files (long visibility lists) several times faster
    from yaml._yaml import CParser

    class _CLoader(CParser, _Resolver):  # type: ignore[misc, valid-type]
        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            _Resolver.__init__(self)

    _Loader: type = _CLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = _PyLoader


@dataclass(frozen=True)
class YamlDocument:
    """Plain data (dict / list / str / int / float / bool / None) and where each value is."""

    file: str  # path relative to the repository, as shown in messages
    data: Any
    lines: Mapping[JsonPath, int]  # every path (including () for the root) -> 1-based line
    interpolated: frozenset[JsonPath] = frozenset()  # values that came from ${VAR}

    @property
    def first_line(self) -> int:
        """The line of the first key (or of the root value): where whole-file problems point."""
        if isinstance(self.data, dict) and self.data:
            return self.lines.get((next(iter(self.data)),), 1)
        return self.lines.get((), 1)

    def location(self, path: JsonPath) -> Location:
        return self.source_map().locate(path) or Location(self.file, 1)

    def source_map(self) -> SourceMap:
        """Locations made only for the paths looked up: visibility.yaml can hold hundreds of
        thousands of values, and a plan looks up a handful of them."""
        return SourceMap(
            locations=LineLocations(self.file, self.lines),
            default=Location(self.file, self.first_line),
        )


class LineLocations(Mapping[JsonPath, Location]):
    """A read-only path -> Location view over one file's line numbers."""

    __slots__ = ("file", "lines")

    def __init__(self, file: str, lines: Mapping[JsonPath, int]) -> None:
        self.file = file
        self.lines = lines

    def __getitem__(self, path: JsonPath) -> Location:
        return Location(self.file, self.lines[path])

    def __contains__(self, path: object) -> bool:
        return path in self.lines

    def __iter__(self) -> Iterator[JsonPath]:
        return iter(self.lines)

    def __len__(self) -> int:
        return len(self.lines)


@dataclass
class _Walk:
    """State of one construction: a fresh one per document, never shared."""

    file: str
    lines: dict[JsonPath, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    active: set[int] = field(default_factory=set)  # ids of the nodes being built (alias loops)
    count: int = 0
    runs: dict[str, list[str | int]] | None = None  # compacted list items (yamlruns)
    # sequence path -> (first index, count, line of the first) of each expanded run
    run_lines: dict[JsonPath, list[tuple[int, int, int]]] = field(default_factory=dict)
    # One object per distinct path tuple and mapping key, shared by the files of a load
    # (parse_yaml's `shared`): 500 resumes of one shape hold 200,000 paths and 125,000 keys,
    # but only a few thousand different ones.
    shared: dict[Any, Any] = field(default_factory=dict)

    def at(self, path: JsonPath) -> JsonPath:
        return self.shared.setdefault(path, path)

    def key(self, key: str) -> str:
        return self.shared.setdefault(key, key)

    def problem(self, message: str, node: Node, path: JsonPath) -> None:
        location = Location(self.file, node.start_mark.line + 1)
        self.problems.append(Problem(message, location, dotted(path)))


class _NotCompactable(Exception):
    """The compacted text would not give what the whole text gives: parse the whole."""


def parse_yaml(text: str, file: str, *, shared: dict[Any, Any] | None = None) -> YamlDocument:
    """Parse one YAML document. Raises ProblemsError (syntax, duplicate keys, tags) at FILE:LINE.
    `shared`: the path tuples and keys of the other files of the same load (saves memory)."""
    shared = {} if shared is None else shared
    compacted = yamlruns.compact(text)
    if compacted is not None:
        try:
            document = _parse(compacted.text, file, compacted.runs, shared)
        except (_NotCompactable, ProblemsError):
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
    loader = _Loader(text)
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
    walk = _Walk(file, runs=runs, shared={} if shared is None else shared)
    try:
        if "&" in text:  # no anchor, no alias (one to an unknown anchor does not compose)
            check_alias_expansion(node, file)
        data = _build(node, (), walk)
    except RecursionError:
        raise ProblemsError([Problem("YAML nesting is too deep", Location(file, 1))]) from None
    if walk.problems:
        raise ProblemsError(walk.problems)
    lines = RunLines(walk.lines, walk.run_lines) if walk.run_lines else walk.lines
    return YamlDocument(file, data, lines)


class RunLines(Mapping[JsonPath, int]):
    """Line numbers with the expanded runs (yamlruns) kept as ranges: an item of a run is
    on the run's first line plus its offset, so 200,000 ids need no entry each."""

    __slots__ = ("plain", "runs")

    def __init__(
        self, plain: dict[JsonPath, int], runs: dict[JsonPath, list[tuple[int, int, int]]]
    ) -> None:
        self.plain = plain
        self.runs = runs

    def _run_line(self, path: object) -> int | None:
        if not isinstance(path, tuple) or not path or type(path[-1]) is not int:
            return None
        index = path[-1]
        for start, count, first in self.runs.get(path[:-1], ()):
            if start <= index < start + count:
                return first + index - start
        return None

    def __getitem__(self, path: JsonPath) -> int:
        line = self.plain.get(path)
        if line is None:
            line = self._run_line(path)
            if line is None:
                raise KeyError(path)
        return line

    def __contains__(self, path: object) -> bool:
        return path in self.plain or self._run_line(path) is not None

    def __iter__(self) -> Iterator[JsonPath]:
        yield from self.plain
        for prefix, spans in self.runs.items():
            for start, count, _ in spans:
                for index in range(start, start + count):
                    yield (*prefix, index)

    def __len__(self) -> int:
        return len(self.plain) + sum(count for spans in self.runs.values() for _, count, _ in spans)


def check_alias_expansion(node: Node, file: str, limit: int = MAX_EXPANDED_CHARS) -> None:
    """ProblemsError when the document's text, aliases expanded, exceeds `limit` characters.

    Linear in the size of the node graph: each node's expanded size is computed once (an alias
    is the same node object as its anchor), so measuring never does the expansion itself.
    """
    sizes: dict[int, int] = {}

    def size(current: Node) -> int:
        known = sizes.get(id(current))
        if known is not None:
            return known
        sizes[id(current)] = 0  # a node that contains itself: reported by _build
        if isinstance(current, ScalarNode):
            total = len(current.value)
        elif isinstance(current, SequenceNode):
            total = sum(size(item) for item in current.value)
        elif isinstance(current, MappingNode):
            total = sum(size(key) + size(value) for key, value in current.value)
        else:
            total = 0
        total = min(total, limit + 1)  # no need for exact huge numbers
        sizes[id(current)] = total
        return total

    if size(node) > limit:
        raise ProblemsError(
            [
                Problem(
                    f"the document expands to more than {limit:,} characters through "
                    "aliases (`*name`): not loaded",
                    Location(file, node.start_mark.line + 1),
                )
            ]
        )


def _build(node: Node, path: JsonPath, walk: _Walk) -> Any:
    walk.count += 1
    if walk.count > MAX_NODES:
        if walk.count == MAX_NODES + 1:
            walk.problem("too many values (aliases expanding without bound?)", node, path)
        return None
    walk.lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, ScalarNode):
        return _scalar(node, path, walk)
    if id(node) in walk.active:
        walk.problem("an alias refers to a value that contains it", node, path)
        return None
    walk.active.add(id(node))
    try:
        if isinstance(node, SequenceNode):
            if node.tag != SEQ_TAG:
                walk.problem(f"unsupported YAML tag {_short(node.tag)}", node, path)
            if walk.runs is not None:
                return _sequence_with_runs(node, path, walk)
            return [
                _build(item, walk.at((*path, index)), walk) for index, item in enumerate(node.value)
            ]
        if isinstance(node, MappingNode):
            if node.tag != MAP_TAG:
                walk.problem(f"unsupported YAML tag {_short(node.tag)}", node, path)
            return _mapping(node, path, walk)
        walk.problem("unsupported YAML node", node, path)
        return None
    finally:
        walk.active.discard(id(node))


def _sequence_with_runs(node: SequenceNode, path: JsonPath, walk: _Walk) -> list[Any]:
    """A sequence whose compacted runs (yamlruns) expand into their values, one line each."""
    runs = walk.runs
    assert runs is not None
    result: list[Any] = []
    for item in node.value:
        if isinstance(item, ScalarNode) and item.tag == yamlruns.RUN_TAG:
            values = runs.pop(item.value, None)
            if values is None:
                raise _NotCompactable
            walk.run_lines.setdefault(path, []).append(
                (len(result), len(values), item.start_mark.line + 1)
            )
            walk.count += len(values)
            if walk.count > MAX_NODES:
                raise _NotCompactable  # the whole parse reports it, at its line
            result.extend(values)
        else:
            result.append(_build(item, walk.at((*path, len(result))), walk))
    return result


def _mapping(node: MappingNode, path: JsonPath, walk: _Walk) -> dict[str, Any]:
    result: dict[str, Any] = {}
    key_lines: dict[str, int] = {}
    merges: list[Node] = []
    for key_node, value_node in node.value:
        if isinstance(key_node, ScalarNode) and key_node.tag == MERGE_TAG:
            merges.append(value_node)
            continue
        if not isinstance(key_node, ScalarNode):
            walk.problem("a mapping key must be a plain string", key_node, path)
            continue
        key = walk.key(key_node.value)  # the text as written: keys never change type
        line = key_node.start_mark.line + 1
        if key in key_lines:
            walk.problem(f"duplicate key (first at line {key_lines[key]})", key_node, (*path, key))
            continue
        key_lines[key] = line
        child = walk.at((*path, key))
        walk.lines[child] = line  # the key's line, not the value's (block scalars)
        result[key] = _build(value_node, child, walk)
    if merges:
        result = _merged(merges, result, path, walk)
    return result


def _merged(merges: list[Node], own: dict[str, Any], path: JsonPath, walk: _Walk) -> dict[str, Any]:
    """Apply `<<: *anchor` (or a list of anchors): own keys win, then earlier anchors."""
    sources: list[Node] = []
    for merge in merges:
        items = merge.value if isinstance(merge, SequenceNode) else [merge]
        for item in items:
            if isinstance(item, MappingNode) and id(item) in walk.active:
                walk.problem("a mapping cannot merge itself", item, path)
            elif isinstance(item, MappingNode):
                sources.append(item)
            else:
                walk.problem("`<<` merges mappings only", item, path)
    merged: dict[str, Any] = {}
    for source in sources:
        scratch = _Walk(walk.file, active=walk.active, count=walk.count, shared=walk.shared)
        data = _mapping(source, path, scratch)
        walk.count = scratch.count
        walk.problems.extend(scratch.problems)
        for key, value in data.items():
            if key in own or key in merged:
                continue
            merged[key] = value
            prefix = (*path, key)
            for sub, line in scratch.lines.items():
                if sub[: len(prefix)] == prefix:
                    walk.lines[sub] = line
    return {**merged, **own}


def _scalar(node: ScalarNode, path: JsonPath, walk: _Walk) -> Any:
    value: str = node.value
    tag = node.tag
    if walk.runs is not None and (tag == yamlruns.RUN_TAG or yamlruns.RUN_TAG in value):
        raise _NotCompactable  # a placeholder that is not a list item: inside some scalar
    if tag in (STR_TAG, MERGE_TAG):
        return value
    if tag == NULL_TAG:
        if value in ("", "~", "null", "Null", "NULL"):
            return None
    elif tag == BOOL_TAG:
        if value.lower() in ("true", "false"):
            return value.lower() == "true"
    elif tag == INT_TAG:
        try:
            return int(value.replace("_", ""), 0 if value.lstrip("+-")[:2] in ("0x", "0o") else 10)
        except ValueError:
            pass
    elif tag == FLOAT_TAG:
        number = _float(value)
        if number is not None:
            return number
    else:
        walk.problem(f"unsupported YAML tag {_short(tag)}", node, path)
        return None
    walk.problem(f"not a valid {tag.rsplit(':', 1)[-1]}", node, path)
    return None


def _short(tag: str) -> str:
    """tag:yaml.org,2002:timestamp -> !!timestamp, as people write it."""
    prefix = "tag:yaml.org,2002:"
    return "!!" + tag[len(prefix) :] if tag.startswith(prefix) else tag


def _float(text: str) -> float | None:
    lowered = text.lower()
    if lowered in (".inf", "+.inf"):
        return math.inf
    if lowered == "-.inf":
        return -math.inf
    if lowered == ".nan":
        return math.nan
    try:
        return float(text.replace("_", ""))
    except ValueError:
        return None


# --- interpolation -----------------------------------------------------------------------

_REFERENCE = re.compile(r"\$\$\{|\$\{([^{}]*)\}|\$\{")
_BODY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?", re.S)


def interpolate(
    document: YamlDocument,
    env: Mapping[str, str],
    *,
    refuse: Callable[[str], str | None] | None = None,
) -> YamlDocument:
    """Replace `${VAR}` in string values from `env`.

    `${VAR:-default}` uses the default when VAR is unset or empty (as the shell does);
    `$${` writes a literal `${`. An unset variable without a default is an error naming it and
    its FILE:LINE; every such error of the document is reported at once. `refuse(name)` says
    why a variable may not be read at all (set or not), as an error at its line.
    """
    problems: list[Problem] = []
    interpolated: set[JsonPath] = set(document.interpolated)

    def substitute(text: str, path: JsonPath) -> str:
        used = False

        def one(match: re.Match[str]) -> str:
            nonlocal used
            token = match.group(0)
            if token == "$${":
                return "${"
            body = _BODY.fullmatch(match.group(1) or "") if token != "${" else None
            if body is None:
                problems.append(
                    Problem(
                        "malformed reference: write ${NAME} or ${NAME:-default} ($${ for `${`)",
                        document.location(path),
                        dotted(path),
                    )
                )
                return token
            name, default = body.group(1), body.group(2)
            why = refuse(name) if refuse is not None else None
            if why:
                problems.append(Problem(why, document.location(path), dotted(path)))
                return ""
            value = env.get(name)
            used = True
            if value is None or (value == "" and default is not None):
                if default is None:
                    problems.append(
                        Problem(
                            f"environment variable {name} is not set",
                            document.location(path),
                            dotted(path),
                        )
                    )
                    return ""
                return default
            return value

        result = _REFERENCE.sub(one, text)
        if used:
            interpolated.add(path)
        return result

    def walk(value: Any, path: JsonPath) -> Any:
        if isinstance(value, str):
            return substitute(value, path) if "${" in value else value
        if isinstance(value, dict):
            return {key: walk(item, (*path, key)) for key, item in value.items()}
        if isinstance(value, list):
            return [walk(item, (*path, index)) for index, item in enumerate(value)]
        return value

    data = walk(document.data, ())
    if problems:
        raise ProblemsError(problems)
    return replace(document, data=data, interpolated=frozenset(interpolated))


def read_yaml_text(raw: bytes, file: str) -> str:
    """Decode a file's bytes (UTF-8, with or without a BOM) or report it at FILE:LINE."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise ProblemsError([Problem("not UTF-8 text", Location(file, line))]) from None
