"""The tags a scalar may resolve to (the strict subset of YAML 1.1 the package docstring
describes) and the loaders that compose a document with them, libyaml's when built in.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from yaml.composer import Composer
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

STR_TAG = "tag:yaml.org,2002:str"
INT_TAG = "tag:yaml.org,2002:int"
FLOAT_TAG = "tag:yaml.org,2002:float"
BOOL_TAG = "tag:yaml.org,2002:bool"
NULL_TAG = "tag:yaml.org,2002:null"
MERGE_TAG = "tag:yaml.org,2002:merge"
MAP_TAG = "tag:yaml.org,2002:map"
SEQ_TAG = "tag:yaml.org,2002:seq"

_DIGITS = list("0123456789")


class _Resolver(BaseResolver):
    """The implicit types the package docstring (resumesync.yamlfile) describes, nothing else."""

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

    Loader: type = _CLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    Loader = _PyLoader
