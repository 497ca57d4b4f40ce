"""`${VAR}` in string values, from the environment."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from resumesync.model import JsonPath
from resumesync.problems import Problem, ProblemsError, dotted
from resumesync.yamlfile.document import YamlDocument

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
