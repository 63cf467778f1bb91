"""The catalog's rules, each refused under its own name (api/errors.py maps the bases)."""

from domain.errors import ConflictError, InvalidCommandError


class ItemExcludedError(ConflictError):
    """An excluded item is neither reviewed, edited nor written until it is restored."""


class NothingToReviewError(ConflictError):
    """An item gets a review status only once it has content."""


class ItemNotApprovedError(ConflictError):
    """Only an approved item is synced to the store."""


class NotAReviewStatusError(InvalidCommandError):
    """A reviewer sets approved, rejected, flagged or pending, nothing else."""


class ProjectInTrashError(ConflictError):
    """A project in the trash is restored before it changes."""


class UnknownToneError(InvalidCommandError):
    """The tone is neither built in nor one of the organization's custom tones."""


class SourceHasNoFileError(InvalidCommandError):
    """Only a data source with an uploaded file can be imported from it."""
