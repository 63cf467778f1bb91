"""The job rules, each refused under its own name (api/errors.py maps the bases)."""

from domain.errors import ConflictError


class JobAlreadyRunningError(ConflictError):
    """A job that conflicts with the one asked for runs on the project."""


class JobAlreadyEndedError(ConflictError):
    """A completed or failed job cannot be cancelled."""
