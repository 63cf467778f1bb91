"""Broken rules, raised by aggregates and handlers; `api/` maps each kind to HTTP once."""


class DomainError(Exception):
    """A rule of the domain refused a command. The message is safe to show the caller."""


class NotFoundError(DomainError):
    """The thing does not exist, or belongs to another organization."""


class ConflictError(DomainError):
    """The command conflicts with the current state (taken name, concurrent write)."""


class ForbiddenError(DomainError):
    """The actor may not do this (role, scope)."""


class InvalidCommandError(DomainError):
    """The command is well-formed but makes no sense for this state (422)."""


class InsufficientBalanceError(DomainError):
    """Not enough XCT to pay for the work (402)."""


class AlreadyExistsError(ConflictError):
    """The thing to create exists already (a create repeated, a key someone holds)."""


class KeyTakenError(AlreadyExistsError):
    """A key that is unique across aggregates (an e-mail, a slug) is held by another."""


class ConcurrencyError(ConflictError):
    """Another writer changed the aggregate first and the command may not be retried."""


class MalformedInputError(DomainError):
    """The input cannot be read (a broken file, a wrong encoding) (400); says where."""


class TooLargeError(DomainError):
    """The input is larger than allowed (413)."""


class UnavailableError(DomainError):
    """A dependency (an LLM provider, a store) cannot serve now (503); try again later."""

    def __init__(self, message: str, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class GoneError(DomainError):
    """The thing existed but can no longer be used: an expired, revoked or used link (410)."""
