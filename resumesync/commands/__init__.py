"""Commands that live outside cli.py, each registered there with one line.

Each module imports only click at the top and is a factory taking cli.py's shared options; the
library and cli.py's helpers are imported when the command runs.
"""
