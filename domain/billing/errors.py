"""The billing rules, each refused under its own name (api/errors.py maps the bases)."""

from domain.errors import AlreadyExistsError, InvalidCommandError, NotFoundError


class AccountNotOpenError(NotFoundError):
    """Every billing command but opening needs an opened account."""


class AccountAlreadyOpenError(AlreadyExistsError):
    """An organization has one billing account."""


class BalanceBelowZeroError(InvalidCommandError):
    """An adjustment may not take the subscription or top-up balance below zero."""
