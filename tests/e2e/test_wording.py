"""What a newcomer reads: help texts, summaries and hints say what is true (issue 15 §4)."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner, Result

from resumesync.cli import cli

from .conftest import EXAMPLES


def run(*args: str) -> Result:
    return CliRunner().invoke(
        cli, list(args), env={"NO_COLOR": "1", "HH_TOKEN": None, "HH_API_URL": None}
    )


def test_the_first_step_of_the_help_works_in_an_empty_directory(tmp_path: Path) -> None:
    help_text = run("--help").output
    assert "resumesync import --sandbox --dir try" in help_text
    target = str(tmp_path / "try")
    imported = run("import", "--sandbox", "--dir", target)
    assert imported.exit_code == 0, imported.output
    resume = next((tmp_path / "try" / "resumes").glob("data-engineer.yaml"))
    resume.write_text(resume.read_text().replace("title: Data engineer", "title: Data engineer II"))
    planned = run("plan", "--sandbox", "--dir", target)
    assert planned.exit_code == 0, planned.output
    assert '~ title: "Data engineer" -> "Data engineer II"' in planned.output


def test_plan_in_a_directory_without_files_names_the_first_step(tmp_path: Path) -> None:
    result = run("plan", "--sandbox", "--dir", str(tmp_path))
    assert result.exit_code == 1
    assert f"`resumesync import --sandbox --dir {tmp_path}`" in result.output


def test_plan_format_has_help() -> None:
    text = run("plan", "--help").output
    section = text[text.index("--format") :].split("--detailed-exitcode")[0]
    assert "markdown" in section and "pull-request" in section and "hidden" in section


def test_sandbox_help_names_the_variables_and_the_seed_format() -> None:
    text = run("sandbox", "--help").output
    assert "HH_API_URL" in text and "HH_TOKEN" in text
    assert "account.json" in text and '"resumes"' in text


def test_apply_help_says_a_saved_plan_is_not_asked_about() -> None:
    text = " ".join(run("apply", "--help").output.split())
    assert "applied without asking, as Terraform does" in text


def test_markdown_notices_keep_their_code_spans(tmp_path: Path) -> None:
    repo = shutil.copytree(EXAMPLES / "basic", tmp_path / "basic")
    result = run("plan", "--sandbox", "--dir", str(repo), "--format", "markdown")
    assert result.exit_code == 0, result.output
    assert "as the list is `include`)" in result.stdout
    assert "\\`" not in result.stdout


def test_reset_with_nothing_to_reset_says_so(tmp_path: Path) -> None:
    result = run("sandbox", "--reset", "--dir", str(tmp_path))
    assert result.exit_code == 0
    assert result.output.startswith("Nothing to reset:")
    assert not (tmp_path / ".resumesync").exists()


def test_one_imported_resume_is_one_resume(tmp_path: Path) -> None:
    result = run(
        "import", "--sandbox", "--dir", str(tmp_path / "one"),
        "--resume", "2b4d6f8a0c1e3a5c7e9b1d3f5a7c9e1b3d5f7a",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Imported 1 resume. " in result.output
    validated = run("validate", "--dir", str(tmp_path / "one"))
    assert validated.output.strip().endswith("1 resume valid.")
