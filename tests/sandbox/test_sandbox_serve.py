"""serve() in the foreground (what `resumesync sandbox` runs) and seeds from a directory."""

from __future__ import annotations

import _thread
import json
import threading
from pathlib import Path

import pytest

from resumesync.sandbox import Account, SandboxConfig, connection_help, serve

from .support import make_client


def test_serve_answers_until_interrupted(example_account: Account) -> None:
    seen: list[int] = []

    def use_then_interrupt(url: str) -> None:
        def run() -> None:
            with make_client(url, token="USERcli") as client:
                seen.append(client.get("/resumes/mine").status_code)
            _thread.interrupt_main()  # what Ctrl+C does

        threading.Thread(target=run, daemon=True).start()

    serve(SandboxConfig(accounts={"USERcli": example_account.copy()}), on_ready=use_then_interrupt)
    assert seen == [200]  # and serve() returned by itself on KeyboardInterrupt


def test_serve_refuses_anything_but_loopback() -> None:
    with pytest.raises(ValueError, match="loopback"):
        serve(SandboxConfig(), host="0.0.0.0")


def test_connection_help_names_the_variables() -> None:
    assert connection_help("http://127.0.0.1:8000", "USERx") == (
        "HH_API_URL=http://127.0.0.1:8000\nHH_TOKEN=USERx"
    )


def test_seed_directory(tmp_path: Path, example_account: Account) -> None:
    data = example_account.to_json()
    data["employers"] = {"555": "Seeded employer"}
    (tmp_path / "account.json").write_text(json.dumps(data))
    seeded = Account.from_seed_dir(tmp_path)
    assert list(seeded.resumes) == list(example_account.resumes)
    assert seeded.employers == {"555": "Seeded employer"}
    with pytest.raises(ValueError, match=r"account\.json"):
        Account.from_seed_dir(tmp_path / "missing")


def test_a_seed_with_a_bad_resume_is_refused_with_its_pointer(example_account: Account) -> None:
    data = example_account.to_json()
    next(iter(data["resumes"].values()))["gender"] = {"id": "robot"}
    with pytest.raises(ValueError, match="/gender/id"):
        Account.from_json(data)
