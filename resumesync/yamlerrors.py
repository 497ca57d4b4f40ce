"""YAML syntax errors in plain words, at the line where the mistake is.

The parser (libyaml, or PyYAML's own) reports where it gave up, in its own terms: an unclosed
`[` is "did not find expected ',' or ']'" on the line after the list, because it only notices
when the next key arrives. `describe_syntax_error` maps the parser's error to what a person
would say and to the line to fix. It knows both parsers' wordings and falls back to the
parser's words at the parser's line.
"""

from __future__ import annotations

import re

import yaml

CLOSERS = {"[": "]", "{": "}"}
KINDS = {"[": "list", "{": "mapping"}


def describe_syntax_error(error: yaml.MarkedYAMLError, text: str) -> tuple[str, int]:
    """(message, 1-based line) for a syntax error of `text`."""
    lines = text.splitlines()
    context = (error.context or "").lower()
    problem = (error.problem or "").lower()
    problem_line = _line(error.problem_mark) or _line(error.context_mark) or 1
    context_line = _line(error.context_mark)

    if "flow sequence" in context or "flow mapping" in context:
        opener = "[" if "sequence" in context else "{"
        return _unclosed_flow(opener, lines, context_line or problem_line, problem_line)
    if "quoted scalar" in context and ("end of stream" in problem or "document" in problem):
        quote = _char(lines, error.context_mark) or '"'
        line = context_line or problem_line
        return (
            f"the quote {quote} opened on this line is never closed: add the closing {quote}",
            line,
        )
    if "tab" in problem or "'\\t'" in problem:
        return "a tab is used for indentation: YAML allows only spaces there", problem_line
    if "mapping values are not allowed" in problem:
        return _colon_in_value(lines, problem_line)
    if "could not find expected ':'" in problem and context_line:
        word = _content(lines, context_line).strip()
        return (
            f"`{_short(word)}` is neither `key: value` nor a `- item`: add the `:` "
            "(or the `- `), or join it to the line above",
            context_line,
        )
    if "expected '-' indicator" in problem or "block collection" in context:
        return (
            "this line is not indented like the list items above it: start it with `- ` "
            "or line it up with the keys of its item",
            problem_line,
        )
    if "undefined alias" in problem:
        return "`*name` refers to an anchor `&name` that is not defined above it", problem_line
    if "another document" in problem:
        return "a second document (`---`) in one file: a file holds one document", problem_line
    if "cannot start any token" in problem:
        char = _char(lines, error.problem_mark) or "this character"
        return (
            f'a value cannot start with {char}: put the value in quotes ("{char}...")',
            problem_line,
        )
    directive = next((n for n, t in enumerate(lines, 1) if t.startswith("%")), None)
    if "directive" in problem or ("document start" in problem and directive):
        return "a line cannot start with `%`: put the value in quotes", directive or problem_line
    if "did not find expected key" in problem or "expected <block end>" in problem:
        char = _char(lines, error.problem_mark)
        if char == "-":
            return (
                "a list item `- ` among the keys of a mapping: put the list under a key "
                "(`key:` on the line above) or indent it like the other items",
                problem_line,
            )
        if char in ("]", "}"):
            return f"an extra `{char}`: nothing was opened for it to close", problem_line
        return "this line is indented differently from the keys above it", problem_line
    if "node content" in problem:
        char = _char(lines, error.problem_mark)
        if char in ("]", "}", ","):
            return f"an unexpected `{char}`: put the value in quotes if it is text", problem_line
    return error.problem or error.context or "invalid YAML", problem_line


def _unclosed_flow(
    opener: str, lines: list[str], open_line: int, problem_line: int
) -> tuple[str, int]:
    """A `[...]` or `{...}` the parser could not finish: unclosed, or with a bad item."""
    closer, kind = CLOSERS[opener], KINDS[opener]
    if _closes_on_its_line(_content(lines, open_line), opener):
        return (
            f"an item of this {kind} is not followed by `,` or `{closer}`: "
            "put items that contain `:`, `,`, `[`, `]`, `{` or `}` in quotes",
            problem_line,
        )
    # The list ends on the first line after its opening that does not end with a comma.
    end = open_line
    while end < problem_line - 1 and _content(lines, end).rstrip().endswith(","):
        end += 1
    where = "on this line" if end == open_line else f"on line {open_line}"
    return (
        f"the {kind} opened with `{opener}` {where} is not closed: add `{closer}` after its "
        "last item",
        end,
    )


def _closes_on_its_line(line: str, opener: str) -> bool:
    """Whether the bracket opened on `line` is closed there (quotes respected, roughly)."""
    start = line.find(opener)
    depth, quote = 0, ""
    for char in line[start:] if start >= 0 else "":
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
            if depth == 0:
                return True
        elif char == "#":
            break
    return False


def _colon_in_value(lines: list[str], line: int) -> tuple[str, int]:
    """ "mapping values are not allowed here": a `: ` inside a value, a key without a space
    after its colon on the line above, or a line indented under a plain value."""
    above = _previous_content_line(lines, line)
    if above and re.match(r"^\s*[^\s:#][^:#]*:[^\s]", _content(lines, above)):
        key = _content(lines, above).strip().split(":", 1)[0]
        return f"put a space after the colon of `{_short(key)}:` (`{_short(key)}: value`)", above
    current = _content(lines, line)
    if re.match(r"^\s*[^\s:#-][^:#]*:\s+\S.*:(\s|$)", current):
        return (
            'a value that contains `: ` must be put in quotes (`title: "Senior: Python"`)',
            line,
        )
    if above and _indent(current) > _indent(_content(lines, above)):
        return (
            "this line is indented more than the line above it, whose value is already "
            "given: line them up (or remove the value above to nest this under it)",
            line,
        )
    return "a `key: value` where none can be: put the value in quotes", line


def _previous_content_line(lines: list[str], line: int) -> int | None:
    for number in range(line - 1, 0, -1):
        text = _content(lines, number).strip()
        if text and not text.startswith("#"):
            return number
    return None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _content(lines: list[str], line: int) -> str:
    return lines[line - 1] if 0 < line <= len(lines) else ""


def _line(mark: yaml.Mark | None) -> int | None:
    return mark.line + 1 if mark is not None else None


def _char(lines: list[str], mark: yaml.Mark | None) -> str | None:
    if mark is None:
        return None
    text = _content(lines, mark.line + 1)
    return text[mark.column] if 0 <= mark.column < len(text) else None


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
