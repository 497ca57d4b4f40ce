"""Reads the live state of the resumes the files manage, concurrently and with no request twice.

Every resume id is known from the files, so once `/resumes/mine` is in (when it fails, the token
or the server is wrong, and nothing else is started), every managed resume and every managed
list start at once; the longest chain is `/resumes/mine` -> a list's page 0 -> its remaining
pages.

What only gates a write is read only for the resumes the plan writes (a no-op plan reads
nothing else): once a resume's document is in, `sent` (the planner's own PUT body) says which
fields the plan sends it, and for a resume that gets a PUT the reads go on, side by side with
the lists: its `GET /resumes/{id}/conditions`, `GET /metro/{area}` for a declared station the
apply would change (normalize.metro_to_check), and the dictionaries of the ids the body holds
(dictionaries.py: each endpoint once per run, `/areas/{id}` once per area). So the chain is
resume -> conditions, no longer than a list's page 0 -> its other pages.

Answers are checked before use (UnexpectedAnswerError): a resume that is not an object, an
employer id that is not a string of digits, a `limit` that is not a count. A hostile or broken
server must not make a plan send `id=None` or `id=True` in a DELETE.

The modules: `state` (read_live_state: what goes out when, the LiveState), `resume` (one
resume's document and lists), `gates` (conditions, metro, dictionaries: what gates a write),
`answers` (the answers checked before use).
"""

from resumesync.live.answers import checked_list, checked_object, summaries
from resumesync.live.gates import DictionaryReader, MetroDirectory, Sent, WriteGates
from resumesync.live.resume import OnResume
from resumesync.live.state import READ_AHEAD, NotInAccountError, read_live_state

__all__ = [
    "READ_AHEAD",
    "DictionaryReader",
    "MetroDirectory",
    "NotInAccountError",
    "OnResume",
    "Sent",
    "WriteGates",
    "checked_list",
    "checked_object",
    "read_live_state",
    "summaries",
]
