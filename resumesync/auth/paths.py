"""Where the token store and the user's own settings live: the user's config directory
(platformdirs: ~/.config/resumesync on Linux), or RESUMESYNC_CONFIG_DIR when set; the
store can be any file (`--token-file` / HH_TOKEN_FILE, which CI uses)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

STORE_NAME = "tokens.json"
SETTINGS_NAME = "settings.json"


def config_dir(env: Mapping[str, str]) -> Path:
    override = env.get("RESUMESYNC_CONFIG_DIR")
    if override:
        return Path(override)
    import platformdirs  # only when a store is actually looked for

    return Path(platformdirs.user_config_dir("resumesync", appauthor=False))


def store_path(env: Mapping[str, str], token_file: str | Path | None = None) -> Path:
    """`token_file` (an option) wins over HH_TOKEN_FILE, which wins over the config dir."""
    chosen = token_file or env.get("HH_TOKEN_FILE")
    return Path(chosen).expanduser() if chosen else config_dir(env) / STORE_NAME


def settings_path(env: Mapping[str, str]) -> Path:
    return config_dir(env) / SETTINGS_NAME


def load_user_settings(env: Mapping[str, str]) -> dict[str, Any]:
    """The user's own settings (the user agent that login asked for); {} when there are none
    or the file is unreadable (it only ever holds defaults)."""
    try:
        data = json.loads(settings_path(env).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def stored_user_agent(env: Mapping[str, str]) -> str | None:
    agent = load_user_settings(env).get("user_agent")
    return agent if isinstance(agent, str) and agent.strip() else None
