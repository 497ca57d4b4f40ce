"""Issue 12 §5/§6: files are read from inside the repository only, and stay bounded.

Each case is a reproduction from the security review: before the fix the outside file was read
(its keys showed up in errors, or it was merged into the plan) or the load ran for minutes.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from resumesync import files
from resumesync.files import load_config, load_repository
from resumesync.safefs import UnsafePathError, read_confined
from resumesync.yamlfile import MAX_EXPANDED_CHARS, parse_yaml

from .helpers import VALID_RESUME, problems, write_repo

OUTSIDE_KEYS = "secret_outside_key: 1\nanother_outside_key: 2\n"


def _outside(tmp_path: Path) -> Path:
    """A YAML file next to (not inside) the repository."""
    target = tmp_path / "outside.yaml"
    target.write_text(OUTSIDE_KEYS, encoding="utf-8")
    return target


def _resume_extending(target: str) -> str:
    return f"extends: {target}\n" + VALID_RESUME


@pytest.mark.parametrize("reference", ["/proc/self/status", "../../outside.yaml", "ABSOLUTE"])
def test_extends_outside_the_repository_is_an_error_at_its_line(
    tmp_path: Path, reference: str
) -> None:
    outside = _outside(tmp_path)
    reference = str(outside) if reference == "ABSOLUTE" else reference
    root = write_repo(tmp_path / "repo", {"resumes/a.yaml": _resume_extending(reference)})
    found = problems(lambda: load_repository(root, {}))
    assert len(found) == 1, found
    assert found[0].startswith("resumes/a.yaml:1: extends: ")
    assert "outside the repository" in found[0]
    text = "\n".join(found)
    assert "outside_key" not in text and "Name:" not in text  # nothing of the file was read


def test_extends_etc_passwd_through_dotdot(tmp_path: Path) -> None:
    depth = len(Path(tmp_path).parts) + 2
    reference = "../" * depth + "etc/passwd"
    root = write_repo(tmp_path / "repo", {"resumes/a.yaml": _resume_extending(reference)})
    found = problems(lambda: load_repository(root, {}))
    assert len(found) == 1 and "outside the repository" in found[0], found
    assert "root" not in found[0].split("(")[0]  # no content of /etc/passwd


def test_symlinked_base_pointing_outside_is_not_merged(tmp_path: Path) -> None:
    outside = _outside(tmp_path)
    root = write_repo(tmp_path / "repo", {"resumes/a.yaml": _resume_extending("_base.yaml")})
    os.symlink(outside, root / "resumes" / "_base.yaml")
    found = problems(lambda: load_repository(root, {}))
    assert len(found) == 1, found
    assert found[0].startswith("resumes/a.yaml:1: extends: ")
    assert "outside the repository" in found[0]
    assert "outside_key" not in "\n".join(found)


def test_symlink_inside_the_repository_still_works(tmp_path: Path) -> None:
    root = write_repo(
        tmp_path / "repo",
        {"resumes/a.yaml": _resume_extending("_base.yaml"), "shared/base.yaml": "title: Base\n"},
    )
    os.symlink(root / "shared" / "base.yaml", root / "resumes" / "_base.yaml")
    state = load_repository(root, {})
    assert state.resumes[0].fields["title"] == "Python developer"


@pytest.mark.parametrize("name", ["resumes/b.yaml", "visibility.yaml"])
def test_symlinked_resume_or_visibility_file_pointing_outside(tmp_path: Path, name: str) -> None:
    outside = _outside(tmp_path)
    root = write_repo(tmp_path / "repo", {"resumes/a.yaml": VALID_RESUME})
    os.symlink(outside, root / name)
    found = problems(lambda: load_repository(root, {}))
    assert found == [
        f"{name}:1: {name} is outside the repository ({outside})"
        ": files are only read from inside it"
    ]


def test_symlinked_config_pointing_outside(tmp_path: Path) -> None:
    outside = _outside(tmp_path)
    root = write_repo(tmp_path / "repo", {"resumes/a.yaml": VALID_RESUME})
    os.symlink(outside, root / "resumesync.yaml")
    found = problems(lambda: load_config(root))
    assert len(found) == 1 and found[0].startswith("resumesync.yaml:1: ")
    assert "outside the repository" in found[0]


def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.yaml")
    with pytest.raises(UnsafePathError, match=r"pipe\.yaml is not a regular file"):
        read_confined(tmp_path, tmp_path / "pipe.yaml")


def test_file_size_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(files.run, "MAX_YAML_FILE_BYTES", 1000)  # where Run.read looks it up
    root = write_repo(tmp_path / "repo", {"resumes/a.yaml": VALID_RESUME + "#" * 1000 + "\n"})
    found = problems(lambda: load_repository(root, {}))
    assert found == ["resumes/a.yaml:1: resumes/a.yaml is larger than 1000 bytes: not read"]


def test_file_size_cap_default_is_generous_and_finite() -> None:
    assert 1024 * 1024 <= files.MAX_YAML_FILE_BYTES <= 16 * 1024 * 1024


def test_extends_depth_is_capped(tmp_path: Path) -> None:
    depth = files.MAX_EXTENDS_DEPTH + 5
    chain = {f"resumes/_b{i}.yaml": f"extends: _b{i + 1}.yaml\n" for i in range(depth)}
    chain[f"resumes/_b{depth}.yaml"] = "title: bottom\n"
    root = write_repo(tmp_path / "repo", {"resumes/a.yaml": _resume_extending("_b0.yaml"), **chain})
    found = problems(lambda: load_repository(root, {}))
    assert len(found) == 1, found
    assert f"`extends` chain deeper than {files.MAX_EXTENDS_DEPTH} files" in found[0]


def test_extends_chain_at_the_cap_loads(tmp_path: Path) -> None:
    depth = files.MAX_EXTENDS_DEPTH - 1
    chain = {f"resumes/_b{i}.yaml": f"extends: _b{i + 1}.yaml\n" for i in range(depth)}
    chain[f"resumes/_b{depth}.yaml"] = "title: bottom\nskill_set: [Go]\n"
    root = write_repo(tmp_path / "repo", {"resumes/a.yaml": _resume_extending("_b0.yaml"), **chain})
    state = load_repository(root, {})
    assert state.resumes[0].fields["skill_set"] == ["Go"]


# --- aliases -----------------------------------------------------------------------------------


def _alias_bomb(string_chars: int, copies: int) -> str:
    refs = ", ".join(["*a"] * copies)
    return f'anchor: &a "{"x" * string_chars}"\nrepeated: [{refs}]\n'


def test_aliases_expanding_into_huge_text_are_refused() -> None:
    # 1,000 values (far below the node cap) but 20 M characters once expanded.
    text = _alias_bomb(20_000, 1_000)
    found = problems(lambda: parse_yaml(text, "resumes/a.yaml"))
    assert len(found) == 1
    assert found[0].startswith("resumes/a.yaml:1: the document expands to more than")


def test_aliases_nested_expansion_is_measured_without_expanding() -> None:
    # Each level multiplies by 10: 10**9 characters if expanded, measured in microseconds.
    text = 'a: &a "xxxxxxxxxx"\n' + "".join(
        f"l{i}: &l{i} [{', '.join([f'*{prev}'] * 10)}]\n"
        for i, prev in enumerate(["a", *[f"l{j}" for j in range(7)]])
    )
    found = problems(lambda: parse_yaml(text, "f.yaml"))
    assert "expands to more than" in found[0]


def test_aliases_within_the_cap_still_load() -> None:
    text = _alias_bomb(100, 10)
    document = parse_yaml(text, "f.yaml")
    assert document.data["repeated"] == ["x" * 100] * 10
    assert MAX_EXPANDED_CHARS > 1_000_000


@pytest.mark.parametrize("directory", ["..", "/etc", "../elsewhere"])
def test_a_profile_dir_outside_the_repository_is_an_error_at_its_line(
    tmp_path: Path, directory: str
) -> None:
    (tmp_path / "elsewhere").mkdir()
    config = f"profiles:\n  anna:\n    dir: {directory}\n    token_env: HH_TOKEN_ANNA\n"
    root = write_repo(tmp_path / "repo", {"resumesync.yaml": config})
    found = problems(lambda: load_config(root))
    assert len(found) == 1, found
    assert found[0].startswith("resumesync.yaml:3: profiles.anna.dir: ")
    assert "outside the repository" in found[0]
