"""Issue 12 §6: server text (resume titles, employer names, error descriptions) is shown
without control characters or terminal escapes, and cannot add markup to a PR comment."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner, Result

from resumesync.cli import cli
from resumesync.sandbox import Account, SandboxConfig, running_sandbox
from resumesync.textsafe import markdown_text, printable

from .conftest import TOKEN

UNMANAGED = "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e"
HOSTILE_TITLE = "Admin\x1b]0;pwned\x07\x1b[2J\r\n# Heading\u202eevil"
HOSTILE_NAME = (
    "VTB\n\n## Owned\n![x](https://evil.example/p.png) [click](https://evil.example) "
    "@org/team <img src=x>"
)


def _plan(repo: Path, output_format: str) -> Result:
    data = Account.example().to_json()
    data["resumes"][UNMANAGED]["title"] = HOSTILE_TITLE
    data["employers"]["4181"] = HOSTILE_NAME  # on a whitelist that no file declares
    config = SandboxConfig(accounts={TOKEN: Account.from_json(data)})
    with running_sandbox(config) as sandbox:
        return CliRunner().invoke(
            cli,
            [
                "plan", "--dir", str(repo), "--api-url", sandbox.url, "--token", TOKEN,
                "--format", output_format,
            ],
            env={"NO_COLOR": "1", "HH_TOKEN": None, "HH_API_URL": None},
            catch_exceptions=False,
        )  # fmt: skip


def test_text_plan_has_no_control_characters(repo: Path) -> None:
    result = _plan(repo, "text")
    assert result.exit_code == 0, result.output
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]", result.output)
    assert "Admin\\x1b]0;pwned\\x07" in result.output  # shown, escaped
    assert "VTB\\x0a\\x0a## Owned" in result.output


def test_markdown_plan_adds_no_heading_link_image_or_mention(repo: Path) -> None:
    result = _plan(repo, "markdown")
    assert result.exit_code == 0, result.output
    text = result.output
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert all(line.startswith(("## resumesync plan", "### ")) for line in headings), headings
    assert "## Owned" not in [line.strip() for line in text.splitlines()]
    # Outside code (where GitHub renders markup), nothing of the name is markup.
    prose = re.sub(r"```.*?```", "", text, flags=re.S)
    prose = re.sub(r"`[^`\n]*`", "", prose)
    assert "VTB" in text and "Admin" in prose  # the name is in code, the title in prose
    assert "](" not in prose.replace("\\](", "") and "<img" not in prose
    assert "@org" not in prose and "https://evil" not in prose
    code_spans = re.findall(r"`([^`\n]*)`", re.sub(r"```.*?```", "", text, flags=re.S))
    assert all("\n" not in span for span in code_spans)
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]", text)


def test_printable_and_markdown_text() -> None:
    assert printable("a\x1b[31mb\x9b\u202ec") == "a\\x1b[31mb\\x9b\\u202ec"
    assert printable("line\r\nnext") == "line\\x0d\\x0anext"
    assert markdown_text("[a](b) ![i](c) <b> # x") == "\\[a\\](b) \\!\\[i\\](c) \\<b\\> \\# x"
    assert markdown_text("Horns and hooves") == "Horns and hooves"


def test_error_descriptions_reach_stderr_without_escapes(repo: Path) -> None:
    from tests.client.hostile import hostile_server, json_body

    def route(method: str, path: str) -> object:
        body = {"description": "bad\x1b[2J\x1b]0;owned\x07 thing"}
        return lambda handler: json_body(handler, body, 400)

    with hostile_server(route) as server:
        result = CliRunner().invoke(
            cli,
            ["plan", "--dir", str(repo), "--api-url", server.url, "--token", "USERx"],
            env={"NO_COLOR": "1", "HH_TOKEN": None, "HH_API_URL": None},
            catch_exceptions=False,
        )
    assert result.exit_code == 1
    assert "bad\\x1b[2J\\x1b]0;owned\\x07 thing" in result.output
    assert "\x1b" not in result.output


def test_json_plan_escapes_c1_controls_and_direction_overrides(repo: Path) -> None:
    import json

    result = _plan(repo, "json")
    assert result.exit_code == 0, result.output
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]", result.output)
    titles = json.dumps(json.loads(result.output), ensure_ascii=False)
    assert "\u202e" in titles  # the same data, only written with escapes
