"""A user's two-factor authentication: its state, folded from the user's 2FA events.

`method` is the confirmed method; it is kept while an admin has the check suspended, so the
user can turn it back on without a new setup. A setup in progress is `pending_method` until
a code confirms it.
"""

import dataclasses
from datetime import datetime

from domain.errors import InvalidCommandError
from domain.events import DomainEvent
from domain.identity.events import (
    TwoFactorDisabled,
    TwoFactorEnabled,
    TwoFactorReset,
    TwoFactorSetupStarted,
    TwoFactorSuspended,
)

METHODS = ("totp", "email")
LOGIN = "login"
SETUP = "setup"
DISABLE = "disable"
CODE_PURPOSES = (LOGIN, SETUP, DISABLE)
"""What a one-time code is for: signing in, confirming a setup, turning 2FA off."""


def check_method(method: str) -> str:
    if method not in METHODS:
        raise InvalidCommandError(f"method must be one of: {', '.join(METHODS)}")
    return method


@dataclasses.dataclass(frozen=True, kw_only=True)
class TwoFactor:
    method: str | None = None
    enabled: bool = False
    suspended: bool = False
    pending_method: str | None = None
    backup_codes_generation: int = 0
    enabled_at: datetime | None = None

    @property
    def active_method(self) -> str | None:
        """The method checked at sign-in; None when 2FA is off or suspended."""
        return self.method if self.enabled and not self.suspended else None

    @property
    def confirmable_method(self) -> str | None:
        """What a confirmation would turn on: the pending setup, else a suspended method."""
        if self.pending_method is not None:
            return self.pending_method
        return self.method if self.enabled and self.suspended else None

    def code_method(self, purpose: str) -> str | None:
        """Which method a code for `purpose` is checked against (None: no code is expected)."""
        if purpose == LOGIN:
            return self.active_method
        if purpose == SETUP:
            return self.confirmable_method
        if purpose == DISABLE:
            return self.method if self.enabled else None
        return None

    def evolve(self, event: DomainEvent) -> "TwoFactor":
        match event:
            case TwoFactorSetupStarted(method=method):
                return dataclasses.replace(self, pending_method=method)
            case TwoFactorEnabled():
                return TwoFactor(method=event.method, enabled=True,
                                 backup_codes_generation=event.backup_codes_generation,
                                 enabled_at=event.occurred_at)
            case TwoFactorSuspended():
                return dataclasses.replace(self, suspended=True)
            case TwoFactorDisabled() | TwoFactorReset():
                # the generation counter survives, so a later set of backup codes is new
                return TwoFactor(backup_codes_generation=self.backup_codes_generation)
            case _:
                return self
