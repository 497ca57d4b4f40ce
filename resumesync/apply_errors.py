"""Errors of an apply that are not the server's: a local write, a refused call, an image."""

from __future__ import annotations

from resumesync.client import ClientError


class LocalWriteError(ClientError):
    """A file of the repository could not be written (nothing was sent)."""


class RefusedCallError(ClientError):
    """A change that is not one of the calls resumesync makes (nothing was sent)."""


class ImageError(ClientError):
    """An image could not be uploaded or used (read, processing failed, never ready)."""
