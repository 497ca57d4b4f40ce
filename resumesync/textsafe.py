"""Text from the server (resume titles, employer names, error descriptions), made safe to show.

A hostile or compromised server, or anyone who can name an employer, controls these strings.
On a terminal, control characters and escape sequences could rewrite what the user sees (move
the cursor, hide a line, retitle the window); in a pull-request comment, markdown could add
headings, links, images or @-mentions. So:

- `printable` replaces every control character (C0, DEL, C1 such as the 8-bit CSI \\x9b) and
  the invisible direction overrides (U+202A-U+202E, U+2066-U+2069) by a visible escape;
- `markdown_text` also escapes markdown and HTML punctuation and breaks the patterns GitHub
  turns into links or mentions by itself (`https://`, `www.`, `@name`).
"""

from __future__ import annotations

import re

_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# Markdown and HTML punctuation; `:` and `@` so that the links and mentions below can be
# broken. Server text never starts a line (it follows "- " or "### "), so `-`, `+`, `=` and
# digits, which only mean something there, stay as they are.
_UNSAFE_IN_JSON = re.compile(r"[\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_MARKDOWN = re.compile(r"([\\`*_{}\[\]<>#!|~&:@])")  # `(` is harmless once `[` `]` are
_ZERO_WIDTH = "\u200b"  # invisible, but keeps GitHub from linking or mentioning


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(text: str) -> str:
    """`text` on one line with no control character or direction override left in it."""
    return _UNSAFE.sub(_escape, text)


def printable_lines(text: str) -> str:
    """Like `printable`, but line breaks between lines stay line breaks (messages we compose
    over several lines); a carriage return never does."""
    return "\n".join(printable(line) for line in text.split("\n"))


def markdown_text(text: str) -> str:
    """`text` as literal markdown text: no markup, no HTML, no autolink, no mention."""
    text = _MARKDOWN.sub(r"\\\1", printable(text))
    text = text.replace("\\://", f"\\:{_ZERO_WIDTH}//")
    text = re.sub(r"(?i)\bwww\.", f"www{_ZERO_WIDTH}.", text)
    return text.replace("\\@", f"\\@{_ZERO_WIDTH}")


def json_text(text: str) -> str:
    """JSON text (as json.dumps writes it with ensure_ascii=False) with the characters that
    `printable` escapes written as \\u escapes: the same JSON value, safe on a terminal.
    They can only occur inside JSON strings, where the escape means the same character (json
    already escapes C0 controls there; the raw line breaks left are the layout's)."""
    return _UNSAFE_IN_JSON.sub(lambda match: f"\\u{ord(match.group(0)):04x}", text)


def code_block_line(text: str) -> str:
    """A line inside a fenced code block: printable, and unable to close the fence."""
    return printable(text).replace("```", "`\u200b``").replace("~~~", "~\u200b~~")
