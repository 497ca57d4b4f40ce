"""Issue 16: a run's end costs no collection of what it made. The interpreter's last
collections walk every object of the run (20-40 ms for an apply, more at agency scale) only
for exit to free them: the command line freezes them first (cli.main)."""

from __future__ import annotations

import gc

import pytest

from resumesync import cli


def test_main_leaves_the_collector_nothing_to_walk(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.argv", ["resumesync", "--version"])
    gc.unfreeze()
    try:
        with pytest.raises(SystemExit) as done:
            cli.main()
        assert done.value.code == 0
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()  # the test process goes on collecting
