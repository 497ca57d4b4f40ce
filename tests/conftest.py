"""Suite-wide: no test sees the developer's own token store or settings."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings


@pytest.fixture(autouse=True)
def isolated_config_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """`resumesync login` stores pairs in the user's config directory: point it at an empty
    one, and drop the variables that name another store or a refresh token."""
    directory = tmp_path_factory.mktemp("config")
    monkeypatch.setenv("RESUMESYNC_CONFIG_DIR", str(directory))
    for name in ("HH_TOKEN_FILE", "HH_REFRESH_TOKEN", "HH_CLIENT_ID", "HH_CLIENT_SECRET"):
        monkeypatch.delenv(name, raising=False)
    return directory


# Every property test draws the same examples on every run and machine (CI included): a red
# build is then reproducible, never the luck of a draw. Examples change only with the test or
# with Hypothesis itself.
settings.register_profile("resumesync", derandomize=True, database=None, print_blob=True)
settings.load_profile("resumesync")
