"""Commands that live outside cli.py, each registered there with one line.

Each module imports only click at the top; the library and cli.py's helpers are imported when
the command runs, so `resumesync --help` stays fast and cli.py can import these modules.
"""
