"""One load of a repository: its root and environment, every file parsed so far (each is
read once, however many resumes extend it) and the problems found.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from resumesync.credentials import interpolation_problem
from resumesync.model import Location
from resumesync.problems import Problem, ProblemsError
from resumesync.safefs import UnsafePathError, read_confined
from resumesync.yamlfile import YamlDocument, interpolate, parse_yaml, read_yaml_text

# Repository files are untrusted (a pull request can change any of them): caps that keep a
# hostile one bounded. A resume file is a few KB, a long visibility.yaml a few hundred.
MAX_YAML_FILE_BYTES = 4 * 1024 * 1024


class Run:
    """The state of one load: the root, the environment, parsed files and problems so far."""

    def __init__(self, root: Path, env: Mapping[str, str]) -> None:
        self.root = root
        self.env = env
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.documents: dict[Path, YamlDocument | None] = {}
        self.unreadable: set[str] = set()  # keys of resume files that could not be parsed
        self.token_envs: tuple[str, ...] = ()  # the profiles' token variables, once read
        self.shared: dict[Any, Any] = {}  # the files' path tuples and keys (yamlfile.parse_yaml)

    def refused_variable(self, name: str) -> str | None:
        """Why `${name}` may not be read: it holds a credential (credentials.py)."""
        return interpolation_problem(name, self.token_envs)

    def relative(self, path: Path) -> str:
        return Path(os.path.relpath(path, self.root)).as_posix()

    def read(
        self,
        path: Path,
        env: Mapping[str, str] | None = None,
        named_at: Location | None = None,
    ) -> YamlDocument | None:
        """Parse (and interpolate) a file once; None, with its problems recorded, if it fails.

        The file's real path must lie inside the repository (symlinks resolved); a refusal is
        reported at `named_at`, the line that named the file (an `extends:`), if any.
        """
        path = Path(os.path.normpath(path))
        if path in self.documents:
            return self.documents[path]
        file = self.relative(path)
        document: YamlDocument | None = None
        try:
            raw = read_confined(self.root, path, limit=MAX_YAML_FILE_BYTES)
            document = parse_yaml(read_yaml_text(raw, file), file, shared=self.shared)
            if env is not None:
                document = interpolate(document, env, refuse=self.refused_variable)
        except UnsafePathError as error:
            where = named_at or Location(file, 1)
            self.problems.append(Problem(error.reason, where, "extends" if named_at else ""))
            document = None
        except OSError as error:
            self.problems.append(Problem(f"cannot read: {error.strerror}", Location(file, 1)))
            document = None
        except ProblemsError as error:
            self.problems.extend(error.problems)
            document = None
        self.documents[path] = document
        return document
