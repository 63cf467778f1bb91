"""The store context's rules, each refused under its own name (api/errors.py maps the bases)."""

from domain.errors import ConflictError, InvalidCommandError


class ConnectionInUseError(ConflictError):
    """A connection is deleted only once no project is linked to it."""


class PlatformMismatchError(InvalidCommandError):
    """A project links only a connection of its own platform."""


class MissingCredentialsError(InvalidCommandError):
    """A platform's credentials come complete (WooCommerce: key and secret)."""
