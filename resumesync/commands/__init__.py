"""The commands, one module per command or group, each registered with one line of cli.py's
command table and imported only when it runs or shows its help (lazy.py).

Shared by them: console.py (streams, exit codes, failures), options.py (each shared option's
one definition), accounts.py (profiles to validated targets, per-account results) and
output.py (a plan in the chosen format, retries). The library is imported inside the
commands' bodies, when they run.
"""
