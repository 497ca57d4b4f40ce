"""Issue 11 §6: import fits an existing repository. `import --resume ID` merges that resume's
entry into an existing visibility.yaml (every other entry and every comment kept); the
`$schema` line works on every clone; errors about `id` point at the `id:` line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from resumesync import files
from resumesync.importer import SCHEMAS_DIR
from resumesync.problems import ProblemsError
from resumesync.resources import load_schema

from .support import BACKEND, DATA_ENGINEER, SYSADMIN, import_into, plan_for

EXISTING = f"""\
# Our visibility rules. Reviewed by Anna.
resumes:
  {BACKEND}:   # an entry may name the resume by its id
    access: blacklist   # everyone but these
    blacklist:
      - {{id: "3529", name: Sberbank}}
"""


def test_import_of_one_resume_adds_its_entry_and_keeps_the_rest(
    sandbox: Any, tmp_path: Path
) -> None:
    import_into(sandbox.url, tmp_path, resume_ids=[BACKEND])
    (tmp_path / "visibility.yaml").write_text(EXISTING, encoding="utf-8")

    result = import_into(sandbox.url, tmp_path, resume_ids=[DATA_ENGINEER])

    text = (tmp_path / "visibility.yaml").read_text(encoding="utf-8")
    assert text.startswith(EXISTING)  # every byte of the file as it was, comments included
    assert "  data-engineer:\n    access: " in text[len(EXISTING) :]
    assert not any("replaced" in note for note in result.notes)
    data = files.load_repository(tmp_path, {})
    assert {resume.resume_id for resume in data.resumes} == {BACKEND, DATA_ENGINEER}
    # The imported resume's plan is empty; backend keeps the entry the user wrote.
    changes = plan_for(sandbox.url, tmp_path).changes
    assert {change.resume_id for change in changes} <= {BACKEND}


def test_import_of_a_resume_with_an_entry_updates_that_entry_only(
    sandbox: Any, tmp_path: Path
) -> None:
    import_into(sandbox.url, tmp_path, resume_ids=[BACKEND, DATA_ENGINEER])
    mine = EXISTING + "  data-engineer:   # the data job\n    access: no_one\n"
    (tmp_path / "visibility.yaml").write_text(mine, encoding="utf-8")

    import_into(sandbox.url, tmp_path, resume_ids=[DATA_ENGINEER], force=True)

    text = (tmp_path / "visibility.yaml").read_text(encoding="utf-8")
    assert text.startswith(EXISTING + "  data-engineer:   # the data job\n")
    assert "access: no_one" not in text  # the live access type
    plan = plan_for(sandbox.url, tmp_path)
    assert [c for c in plan.changes if c.resume == "data-engineer"] == []


def test_a_full_import_still_refuses_an_existing_visibility_yaml(
    sandbox: Any, tmp_path: Path
) -> None:
    (tmp_path / "visibility.yaml").write_text(EXISTING, encoding="utf-8")
    with pytest.raises(ProblemsError, match=r"visibility\.yaml exists"):
        import_into(sandbox.url, tmp_path)
    assert (tmp_path / "visibility.yaml").read_text(encoding="utf-8") == EXISTING


def test_the_schema_line_names_a_copy_the_repository_carries(sandbox: Any, tmp_path: Path) -> None:
    result = import_into(sandbox.url, tmp_path)
    for path in [p for p in result.written if p.suffix == ".yaml"]:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema=")
        target = first.split("$schema=", 1)[1]
        assert "://" not in target and not Path(target).is_absolute()  # no machine's path
        schema = path.parent / target
        name = "visibility.schema.json" if path.name == "visibility.yaml" else "resume.schema.json"
        assert schema.resolve() == (tmp_path / SCHEMAS_DIR / name).resolve()
        # The copy is the schema `validate` uses: the same on every clone and in CI.
        assert json.loads(schema.read_text(encoding="utf-8")) == load_schema(name)
    assert tmp_path / SCHEMAS_DIR / "resume.schema.json" in result.written


def test_an_id_that_is_not_in_the_account_is_reported_at_the_id_line(
    sandbox: Any, tmp_path: Path
) -> None:
    import_into(sandbox.url, tmp_path, resume_ids=[SYSADMIN])
    path = next((tmp_path / "resumes").glob("*.yaml"))
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    line = next(i for i, text in enumerate(lines, 1) if text.startswith("id: "))
    assert line > 1  # the schema line and the comments come first
    lines[line - 1] = "id: 00000000000000000000000000000000000000\n"
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(ProblemsError) as refused:
        plan_for(sandbox.url, tmp_path)
    relative = path.relative_to(tmp_path).as_posix()
    assert [str(p) for p in refused.value.problems] == [
        f"{relative}:{line}: id: resume 00000000000000000000000000000000000000 is not in "
        "this account"
    ]
