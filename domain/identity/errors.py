"""The identity rules, each refused under its own name (api/errors.py maps the bases)."""

from domain.errors import ConflictError, ForbiddenError, KeyTakenError


class UserDeactivatedError(ForbiddenError):
    """A deactivated user does nothing until reactivated."""


class LastAdminError(ConflictError):
    """An organization keeps at least one active admin."""


class EmailTakenError(KeyTakenError):
    """An e-mail address belongs to one user."""


class InvitationPendingError(KeyTakenError):
    """An e-mail address has at most one pending invitation."""


class InvitationClosedError(ConflictError):
    """An accepted or revoked invitation is neither resent nor revoked again."""


class OrganizationNameTakenError(ConflictError):
    """No free slug is left for the organization's name."""


class TwoFactorAlreadyEnabledError(ConflictError):
    """A new two-factor setup starts only once the current method is disabled."""


class TwoFactorNotEnabledError(ConflictError):
    """There is no two-factor method to disable or suspend."""


class TwoFactorEnforcedError(ForbiddenError):
    """The organization requires two-factor authentication: it stays on."""


class NoEmailCodeExpectedError(ConflictError):
    """A code is e-mailed only when the e-mail method expects one for the purpose."""


class NoTwoFactorSetupError(ConflictError):
    """There is no two-factor setup in progress to confirm."""


class TwoFactorSetupChangedError(ConflictError):
    """The setup being confirmed is no longer the one in progress."""
