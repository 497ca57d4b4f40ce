"""Live account -> files (`resumesync import`): one YAML file per resume and visibility.yaml.

The contract is "a plan right after an import is empty". A resume file holds the writable fields
the live resume has, simplified only where normalize.py already treats both forms as equal:

- dictionary entries become `{id, name}` (`url` and other server-filled keys dropped; a language
  keeps `{id, name, level: {id, name}}`);
- nested nulls and empty lists are dropped (normalize rule 4); top-level fields that are empty
  are left out, so the file manages only what the resume has (add `field: null` or `[]` to
  manage an empty one);
- server-set contact keys (`verified`, `kind`, ...), `formatted` of a phone that has country,
  city and number, `employer` in experience, and photo / portfolio image URLs are dropped;
- `total_experience` is not written: the server computes it from experience on every read, so
  a declared value would turn into a perpetual diff at the first edit of experience.

Every simplified field is checked against normalize.py before it is written: a field whose
simplified form would not compare equal to the live one is written as the server returned it.

visibility.yaml gets every imported resume's access type and both of its lists (a list left out
would be unmanaged), employers as `{id, name}`. The blacklist is an exact list; the whitelist is
`{include: [...]}`, because hh.ru adds employers to it when the user applies to their vacancies
and an exact whitelist would undo that on the next apply (see DESIGN, visibility.yaml).

Each file starts with a `yaml-language-server` line naming, by a relative path, a copy of the
schema that import writes into the repository (`schemas/*.schema.json`, the installed version's
own): editors validate against exactly the schema `validate` uses, offline, on every clone and
in CI (a file URI into one machine's site-packages worked only there). Running import again
refreshes the copies after an upgrade.

`import --resume ID` into a repository that has a visibility.yaml merges that resume's entry
into it (visibility_merge: every other entry and comment kept) instead of replacing the file.
Nothing is printed or logged here; notes name fields and ids, never values.

The modules, one job each: `account` (the import: reads, checks, writes), `names` (which file
each resume goes to), `fields` (a live document -> the fields of its file), `render` (the
text of a resume file and of visibility.yaml), `yamlout` (the YAML dumper they share).
"""

from resumesync.importer.account import (
    ImportedResume,
    ImportRefusedError,
    ImportResult,
    import_account,
    import_account_sync,
)
from resumesync.importer.fields import (
    FIELD_ORDER,
    SERVER_COMPUTED,
    resume_fields,
    simplify_field,
    writable_fields,
)
from resumesync.importer.names import existing_resume_files, slugify, target_paths, unique_stem
from resumesync.importer.render import (
    PUBLISH_COMMENT,
    SCHEMAS_DIR,
    WHITELIST_MODE_COMMENT,
    render_resume_file,
    render_visibility,
    schema_comment,
    visibility_entry,
)
from resumesync.importer.yamlout import FlowMap, dump_yaml, escape_interpolation

__all__ = [
    "FIELD_ORDER",
    "PUBLISH_COMMENT",
    "SCHEMAS_DIR",
    "SERVER_COMPUTED",
    "WHITELIST_MODE_COMMENT",
    "FlowMap",
    "ImportRefusedError",
    "ImportResult",
    "ImportedResume",
    "dump_yaml",
    "escape_interpolation",
    "existing_resume_files",
    "import_account",
    "import_account_sync",
    "render_resume_file",
    "render_visibility",
    "resume_fields",
    "schema_comment",
    "simplify_field",
    "slugify",
    "target_paths",
    "unique_stem",
    "visibility_entry",
    "writable_fields",
]
