"""The one module that edits the user's YAML files, changing the edited values and not one
byte more.

Two kinds of edit live here:

- `insert_id_line` / `remove_id_line` (create): the `id:` line of a newly created resume goes
  in before the first top-level key, and nothing else moves, so `git diff` shows exactly one
  added line;
- `apply_edits` (pull, import into an existing repository): ruamel.yaml (imported here only;
  the loader stays PyYAML) composes the file into nodes that know where they start and end;
  each edit is then a splice of new text at those positions, so comments, key order, quoting,
  flow or block style and blank lines everywhere else stay exactly as they were. Edits name
  JSON paths of the document:

  - `Edit.set(path, value)`: replace the value at `path`;
  - `Edit.add(path, value)`: add key `path[-1]` to the mapping at `path[:-1]` (last);
  - `Edit.append(path, items)`: append items to the sequence at `path`;
  - `Edit.truncate(path, n)`: keep the first `n` items of the sequence at `path`;
  - `Edit.remove(path)`: remove the item `path[-1]` (an index) of the sequence at `path[:-1]`.

  `apply_edits` refuses (YamlEditError) what it cannot place; callers load the result again
  and compare it with `apply_to_data`, so a splice that would change anything else is never
  written.

The modules: `idline` (the `id:` line), `edit` (Edit, YamlEditError), `apply` (apply_edits,
apply_to_data), `splice` (placing one edit), `positions` (where things are in the file).
"""

from resumesync.yamlwrite.apply import apply_edits, apply_to_data
from resumesync.yamlwrite.edit import Edit, JsonPath, YamlEditError
from resumesync.yamlwrite.idline import (
    IdWriteError,
    id_line,
    insert_id_line,
    remove_id_line,
    with_id_line,
    without_id_line,
)

__all__ = [
    "Edit",
    "IdWriteError",
    "JsonPath",
    "YamlEditError",
    "apply_edits",
    "apply_to_data",
    "id_line",
    "insert_id_line",
    "remove_id_line",
    "with_id_line",
    "without_id_line",
]
