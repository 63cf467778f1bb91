"""A person who signs in to one organization, and the rules of a user's fields."""

from datetime import datetime
from uuid import UUID

from domain.aggregate import Aggregate
from domain.errors import AlreadyExistsError, InvalidCommandError
from domain.events import DomainEvent
from domain.identity.errors import (
    NoEmailCodeExpectedError,
    NoTwoFactorSetupError,
    TwoFactorAlreadyEnabledError,
    TwoFactorEnforcedError,
    TwoFactorNotEnabledError,
    TwoFactorSetupChangedError,
    UserDeactivatedError,
)
from domain.identity.events import (
    TwoFactorDisabled,
    TwoFactorEmailCodeSent,
    TwoFactorEnabled,
    TwoFactorReset,
    TwoFactorSetupStarted,
    TwoFactorSuspended,
    UserApiKeyIssued,
    UserDeactivated,
    UserEmailChanged,
    UserLoggedIn,
    UserPasswordChanged,
    UserProfileChanged,
    UserReactivated,
    UserRegistered,
    UserRoleChanged,
)
from domain.identity.two_factor import CODE_PURPOSES, TwoFactor, check_method

ROLES = ("admin", "member")
MAX_EMAIL_LENGTH = 254
MAX_NAME_LENGTH = 100
MAX_PHONE_LENGTH = 50
TWO_FACTOR_STEP = "two_factor"
TWO_FACTOR_SETUP_STEP = "two_factor_setup"
ALREADY_ENABLED = "two-factor authentication is already enabled; disable it first"
NOT_ENABLED = "two-factor authentication is not enabled"
ENFORCED = "your organization requires two-factor authentication; it cannot be disabled"


def check_role(role: str) -> str:
    if role not in ROLES:
        raise InvalidCommandError(f"role must be one of: {', '.join(ROLES)}")
    return role


def normalize_email(raw: str, field: str = "email") -> str:
    """The e-mail stripped and lower-cased; InvalidCommandError naming `field` if it is not one."""
    email = raw.strip().lower()
    local, at, domain = email.partition("@")
    looks_right = (
        at == "@"
        and local
        and "@" not in domain
        and "." in domain
        and not domain.startswith(".")
        and not domain.endswith(".")
        and not any(c.isspace() for c in email)
        and len(email) <= MAX_EMAIL_LENGTH
    )
    if not looks_right:
        raise InvalidCommandError(f"{field} must be a valid e-mail address")
    return email


def optional_text(value: str | None, field: str, max_length: int) -> str | None:
    """The stripped text, None when empty; InvalidCommandError naming `field` if too long."""
    if value is None:
        return None
    text = value.strip()
    if len(text) > max_length:
        raise InvalidCommandError(f"{field} must be at most {max_length} characters")
    return text or None


class User(Aggregate):
    def __init__(self, aggregate_id: UUID) -> None:
        super().__init__(aggregate_id)
        self.org_id: UUID | None = None
        self.email = ""
        self.first_name: str | None = None
        self.last_name: str | None = None
        self.phone_number: str | None = None
        self.role = "member"
        self.is_active = False
        self.is_super_admin = False
        self.created_at: datetime | None = None
        self.last_login_at: datetime | None = None
        self.two_factor = TwoFactor()
        self.api_key_ids: list[UUID] = []  # the keys this user made

    def register(
        self, *, org_id: UUID, email: str, role: str, first_name: str | None = None,
        last_name: str | None = None, phone_number: str | None = None,
        is_super_admin: bool = False,
    ) -> None:
        if self.exists:
            raise AlreadyExistsError("user already exists")
        self._record(UserRegistered(
            org_id=org_id,
            email=normalize_email(email),
            first_name=optional_text(first_name, "first_name", MAX_NAME_LENGTH),
            last_name=optional_text(last_name, "last_name", MAX_NAME_LENGTH),
            phone_number=optional_text(phone_number, "phone_number", MAX_PHONE_LENGTH),
            role=check_role(role),
            is_super_admin=is_super_admin,
        ))

    def change_profile(
        self, *, first_name: str | None = None, last_name: str | None = None,
        phone_number: str | None = None,
    ) -> None:
        """None keeps a field, an empty string clears it."""
        new = (
            self._keep(first_name, self.first_name, "first_name", MAX_NAME_LENGTH),
            self._keep(last_name, self.last_name, "last_name", MAX_NAME_LENGTH),
            self._keep(phone_number, self.phone_number, "phone_number", MAX_PHONE_LENGTH),
        )
        if new != (self.first_name, self.last_name, self.phone_number):
            self._record(UserProfileChanged(
                org_id=self._org_id, first_name=new[0], last_name=new[1], phone_number=new[2],
            ))

    def change_email(self, email: str) -> None:
        new_email = normalize_email(email)
        if new_email != self.email:
            self._record(UserEmailChanged(
                org_id=self._org_id, old_email=self.email, new_email=new_email,
            ))

    def change_role(self, role: str) -> None:
        if check_role(role) != self.role:
            self._record(UserRoleChanged(org_id=self._org_id, role=role))

    def change_password(self) -> None:
        self._record(UserPasswordChanged(org_id=self._org_id))

    def deactivate(self) -> None:
        if self.is_active:
            self._record(UserDeactivated(org_id=self._org_id))

    def reactivate(self) -> None:
        if not self.is_active:
            self._record(UserReactivated(org_id=self._org_id))

    def issue_api_key(self, key_id: UUID) -> None:
        self.check_is_active()
        if key_id not in self.api_key_ids:
            self._record(UserApiKeyIssued(org_id=self._org_id, key_id=key_id))

    def record_login(self) -> None:
        self.check_is_active()
        self._record(UserLoggedIn(org_id=self._org_id))

    def sign_in_step(self, *, org_enforces_2fa: bool) -> str | None:
        """What must follow a right password: a code, a 2FA setup, or nothing (signed in)."""
        self.check_is_active()
        if self.two_factor.active_method is not None:
            return TWO_FACTOR_STEP
        return TWO_FACTOR_SETUP_STEP if org_enforces_2fa else None

    def begin_two_factor_setup(self, method: str) -> None:
        self.check_is_active()
        if self.two_factor.active_method is not None:
            raise TwoFactorAlreadyEnabledError(ALREADY_ENABLED)
        self._record(TwoFactorSetupStarted(org_id=self._org_id, method=check_method(method)))

    def send_two_factor_code(self, purpose: str) -> None:
        """Record that a code for `purpose` is e-mailed; only the e-mail method uses them."""
        self.check_is_active()
        if purpose not in CODE_PURPOSES:
            raise InvalidCommandError(f"purpose must be one of: {', '.join(CODE_PURPOSES)}")
        method = self.two_factor.code_method(purpose)
        if method is None:
            raise NoEmailCodeExpectedError(f"no two-factor code is expected to {purpose}")
        if method != "email":
            raise NoEmailCodeExpectedError(
                f"two-factor method is {method}: use a code from your authenticator app")
        self._record(TwoFactorEmailCodeSent(org_id=self._org_id, purpose=purpose))

    def confirm_two_factor(self, method: str) -> int:
        """Turn on the setup in progress (or the suspended method); the new backup codes' id."""
        self.check_is_active()
        confirmable = self.two_factor.confirmable_method
        if confirmable is None:
            raise NoTwoFactorSetupError("no two-factor setup is in progress")
        if confirmable != method:
            raise TwoFactorSetupChangedError("the two-factor setup changed meanwhile; start it again")
        generation = self.two_factor.backup_codes_generation + 1
        self._record(TwoFactorEnabled(org_id=self._org_id, method=method,
                                      backup_codes_generation=generation))
        return generation

    def disable_two_factor(self, *, org_enforces_2fa: bool) -> None:
        self.check_is_active()
        method = self.two_factor.method
        if not self.two_factor.enabled or method is None:
            raise TwoFactorNotEnabledError(NOT_ENABLED)
        if org_enforces_2fa:
            raise TwoFactorEnforcedError(ENFORCED)
        self._record(TwoFactorDisabled(org_id=self._org_id, method=method))

    def suspend_two_factor(self, by: UUID | None) -> None:
        method = self.two_factor.method
        if not self.two_factor.enabled or method is None:
            raise TwoFactorNotEnabledError(f"{NOT_ENABLED} for this user")
        if not self.two_factor.suspended:
            self._record(TwoFactorSuspended(org_id=self._org_id, method=method, by=by))

    def reset_two_factor(self, by: UUID | None) -> None:
        if self.two_factor.enabled or self.two_factor.pending_method is not None:
            self._record(TwoFactorReset(org_id=self._org_id, by=by))

    def check_is_active(self) -> None:
        if not self.is_active:
            raise UserDeactivatedError("this user is deactivated")

    @property
    def _org_id(self) -> UUID:
        assert self.org_id is not None, "the user is not registered"
        return self.org_id

    @staticmethod
    def _keep(value: str | None, current: str | None, field: str, max_length: int) -> str | None:
        return current if value is None else optional_text(value, field, max_length)

    def evolve(self, event: DomainEvent) -> None:
        match event:
            case UserRegistered():
                self.org_id = event.org_id
                self.email = event.email
                self.first_name = event.first_name
                self.last_name = event.last_name
                self.phone_number = event.phone_number
                self.role = event.role
                self.is_super_admin = event.is_super_admin
                self.is_active = True
                self.created_at = event.occurred_at
            case UserProfileChanged():
                self.first_name = event.first_name
                self.last_name = event.last_name
                self.phone_number = event.phone_number
            case UserEmailChanged(new_email=new_email):
                self.email = new_email
            case UserRoleChanged(role=role):
                self.role = role
            case UserDeactivated():
                self.is_active = False
            case UserReactivated():
                self.is_active = True
            case UserApiKeyIssued(key_id=key_id):
                self.api_key_ids.append(key_id)
            case UserLoggedIn(occurred_at=occurred_at):
                self.last_login_at = occurred_at
            case _:
                self.two_factor = self.two_factor.evolve(event)
