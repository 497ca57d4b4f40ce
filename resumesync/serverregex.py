"""Regular expressions that come from the server (`regexp` in `GET /resumes/{id}/conditions`),
run by RE2, whose matching time is linear in the text whatever the pattern.

A hostile or broken server can send a pattern with catastrophic backtracking (`^(a+)+$`):
Python's `re` would spend minutes on one resume field. RE2 runs every pattern it accepts in
linear time; a pattern it refuses (backreferences, lookaround: features that need backtracking)
is reported as such instead of being run.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

# Patterns beyond this are not a field rule anyone writes; RE2 would also refuse huge programs.
MAX_PATTERN_CHARS = 10_000


@lru_cache(maxsize=512)
def compile_server_regexp(pattern: str) -> tuple[Any, str | None]:
    """(compiled pattern, None), or (None, why it cannot be run in linear time)."""
    import re2  # google-re2: only plans that check server conditions pay for the import

    if len(pattern) > MAX_PATTERN_CHARS:
        return None, f"longer than {MAX_PATTERN_CHARS:,} characters"
    options = re2.Options()
    options.max_mem = 8 << 20  # a bounded program, even for a pattern made to be huge
    try:
        return re2.compile(pattern, options), None
    except re2.error as error:
        reason = error.args[0] if error.args else "invalid"
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        return None, str(reason)
    except (TypeError, ValueError) as error:
        return None, str(error)


def regexp_problem(pattern: str, text: str) -> str | None:
    """The message for `text` not matching `pattern` (searched, as the server does), or for a
    pattern that cannot be run in linear time; None when `text` matches."""
    compiled, reason = compile_server_regexp(pattern)
    if compiled is None:
        return (
            f"cannot be checked: the server's regexp {pattern[:80]!a} needs a backtracking "
            f"engine ({reason}), which could run for hours on hostile input; it is not run"
        )
    if compiled.search(text) is not None:
        return None
    # RE2's `$` is the end of the text only; the server's (like Python's and Java's) also
    # matches before a final newline, so "\n" is a title for `^[a-z ]*$` there.
    if text.endswith("\n") and compiled.search(text[:-1]) is not None:
        return None
    return f"must match {pattern}"
