"""`pull`: what changed on hh.ru comes back into the files (Terraform's `-refresh-only`).

For every field a file declares whose live value differs (by the planner's own notion of equal,
normalize.fields_equal), the smallest set of edits that makes the declared value equal to the
live one is written into the file that holds the value's line, through yamlwrite (comments,
order and layout kept). Then `plan` is empty for those fields. Rules:

- a value that comes from a base (`_base.yaml`) is written into the base only when every resume
  sharing that base holds the same live value; otherwise into the variant that changed (the
  whole field: a base's lists are replaced, not merged, by a variant's);
- a value that came from `${VAR}` is never overwritten: it is reported, with its line;
- visibility.yaml: an exact list (a plain sequence in the resume's own entry) and the resume's
  `access` are updated; `include` lists and `defaults` are left alone (a difference in the
  defaults is reported);
- nothing is written unless every edited file, loaded again, holds exactly the intended data.

Reports never show a value: contacts and birth date are personal data.

The modules: `run` (pull and pull_async: the whole run), `repository` (where each edit goes),
`edits` (the edits of one field), `visibility` (visibility.yaml).
"""

from resumesync.pull.edits import (
    ENTRY_SERVER_KEYS,
    SERVER_KEYS,
    candidate_edits,
    clean,
    escape_interpolation,
    escaped,
    minimal_edits,
)
from resumesync.pull.run import BOM, FileChange, PullResult, pull, pull_async

__all__ = [
    "BOM",
    "ENTRY_SERVER_KEYS",
    "SERVER_KEYS",
    "FileChange",
    "PullResult",
    "candidate_edits",
    "clean",
    "escape_interpolation",
    "escaped",
    "minimal_edits",
    "pull",
    "pull_async",
]
