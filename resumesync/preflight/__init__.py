"""Preflight: the server's own rules for each resume, checked before the first write.

`GET /resumes/{id}/conditions` (resumes.en.md, "Conditions to fill in the fields of a resume")
publishes, per field: required, min_length, max_length, not_in, min_count, max_count,
min_value, max_value, min_date, max_date, regexp, and `fields` for the parts of an object or of
each list item. conditions_schema() turns them into a JSON Schema; a Preflight validates every
managed resume with it (each distinct conditions document compiled once per plan, each resume
checked as soon as its own reads are in, while the other reads are in flight)
and points each violation at the YAML line of the field (`resumes/backend.yaml:4: title:
...`), so that a plan the server would reject fails before any write.

Which document the rules judge: what the plan sends. A PUT carries top-level fields only,
each replacing the live value whole, and only the fields that changed (planner.planned_body).
A field the PUT does not carry is not judged, whatever it holds live, declared or not: the
server keeps it as it is (hh.ru's rules change; old resumes keep old values), and a
`required` field still empty live only matters for publishing, which the planner checks
against `progress.mandatory` (a draft is saved step by step, resumes.en.md "CV status"). A
sent field is judged whole: a `required` top-level field sent empty is an error at its line
(the user is clearing a mandatory field), and every rule inside it, `required` of an
experience entry's `start` included, holds for the sent value.

A nested field the server fills with a documented default when a body leaves it out is not
`required` of the user, whatever the conditions say (SERVER_DEFAULTS): the official spec's
example conditions mark `contact[].preferred` required, while the docs say "if preferred flag
is not sent default value for this parameter is `false`" (resumes.en.md, Object `contact`).

One documented rule needs a directory rather than the conditions: the server drops a metro
station outside the resume's area (DESIGN.md, normalisation), which would leave a perpetual
diff. metro_problems() refuses such a station at its line, from the metro directory of the
area (`GET /metro/{area}`) that the plan reads only for a declared station the apply would
change (normalize.metro_to_check). An error rather than a quiet skip in the planner: the
user's file says something the account can never hold, and only the user can fix that.

The conditions and the metro directory are not part of a saved plan's fingerprint
(fingerprint.py): they gate the plan without shaping it, the conditions' date bounds move every
day, and `apply plan.json` reads neither.

As on the server, the rules of a field apply to a value that is not empty: an empty value
(null, "", [], {}) is an error only when the field is required. Rules for text apply to a text
and to each text of a list (skill_set), `fields` to an object and to each object of a list.

The JSON Schema (draft 2020-12) uses the standard keyword wherever it means what the docs say:
required, minItems / maxItems (min_count / max_count), minimum / maximum (min_value /
max_value, inclusive), not + enum (not_in, compared as written) and format "date". The docs
measure text and dates in ways JSON Schema cannot, and a regexp from the server must not run
in a backtracking engine, so five keywords of our own carry them (see VOCABULARY):
`serverRegexp` searches with RE2 (linear time; serverregex.py: the server's patterns anchor
themselves, and one RE2 cannot run is reported as such),
`textMinLength` counts the text without "\\r\\n", `textMaxLength` the text trimmed of outer
white space, `formatMinimum` / `formatMaximum` (named as in ajv-keywords) bound a YYYY-MM-DD
date, inclusive. A rule with a malformed bound, or a regexp Python cannot compile, is left to
the server (it still answers at apply time, pointed at the same line: server_errors.py).

The modules, one job each: `conditions` (conditions -> JSON Schema, pure), `keywords` (our
keywords and the fast `if`), `validator` (the schema compiled, once per distinct document),
`violations` (violations -> Problems at FILE:LINE), `rules` (the documented rules and the metro
directory, on what the plan sends), `bodies` (what the plan sends), `run` (the Preflight of one
plan).
"""

from resumesync.preflight.bodies import clone_put_body, new_resume_body, sent_fields
from resumesync.preflight.conditions import (
    DIALECT,
    EMPTY,
    SERVER_DEFAULTS,
    conditions_schema,
    parse_date,
)
from resumesync.preflight.keywords import VOCABULARY, is_empty, text_max_length, text_min_length
from resumesync.preflight.rules import RULE_SUFFIX, metro_problems, rule_problems
from resumesync.preflight.run import Preflight, preflight_problems
from resumesync.preflight.validator import CompiledConditions, conditions_validator, schema_errors
from resumesync.preflight.violations import SUFFIX, explain, resume_problems

__all__ = [
    "DIALECT",
    "EMPTY",
    "RULE_SUFFIX",
    "SERVER_DEFAULTS",
    "SUFFIX",
    "VOCABULARY",
    "CompiledConditions",
    "Preflight",
    "clone_put_body",
    "conditions_schema",
    "conditions_validator",
    "explain",
    "is_empty",
    "metro_problems",
    "new_resume_body",
    "parse_date",
    "preflight_problems",
    "resume_problems",
    "rule_problems",
    "schema_errors",
    "sent_fields",
    "text_max_length",
    "text_min_length",
]
