"""resumesync: hh.ru resumes and their visibility lists as code."""

__version__ = "0.1.0"
