"""Identity commands for users: register, update, deactivate (with the keys they made),
record a login."""

import dataclasses
from uuid import UUID

from commands.identity.api_keys import revoke_keys_of
from commands.identity.mails import link, welcome_mail
from commands.identity.organization import (
    claim_email,
    load_user,
    register_member,
    release_email,
    write_password,
)
from commands.mail import queue_mail
from commands.unit_of_work import UnitOfWork
from domain.identity.organization import Organization
from domain.identity.user import User


@dataclasses.dataclass(frozen=True, kw_only=True)
class RegisterUser:
    """An admin adds a user; `public_url` is the base of the sign-in link in the welcome mail."""

    org_id: UUID
    user_id: UUID
    email: str
    password_hash: str
    role: str = "member"
    first_name: str | None = None
    last_name: str | None = None
    phone_number: str | None = None
    public_url: str = ""


@dataclasses.dataclass(frozen=True, kw_only=True)
class UpdateUser:
    """Change some of a user's fields; None keeps a field, "" clears an optional text.

    Serves both PATCH /users/me and PATCH /users/{id}: the route decides who may
    change `role` and `is_active`.
    """

    org_id: UUID
    user_id: UUID
    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    phone_number: str | None = None
    password_hash: str | None = None
    role: str | None = None
    is_active: bool | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class DeactivateUser:
    org_id: UUID
    user_id: UUID
    actor_id: UUID


@dataclasses.dataclass(frozen=True, kw_only=True)
class RecordLogin:
    org_id: UUID
    user_id: UUID


def register_user(uow: UnitOfWork, cmd: RegisterUser) -> User:
    """Register a user in the acting organization and queue their welcome mail (without the
    password); ConflictError if the e-mail is taken."""
    org = uow.get_existing(Organization, cmd.org_id, "organization")
    user = register_member(
        uow, org, user_id=cmd.user_id, email=cmd.email, password_hash=cmd.password_hash,
        role=cmd.role, first_name=cmd.first_name, last_name=cmd.last_name,
        phone_number=cmd.phone_number,
    )
    text = welcome_mail(org_name=org.name, email=user.email,
                        sign_in_url=link(cmd.public_url, "/login") if cmd.public_url else None)
    queue_mail(uow, org_id=org.id, to=user.email, subject=text.subject, body=text.body,
               kind="welcome")
    return user


def update_user(uow: UnitOfWork, cmd: UpdateUser) -> User:
    """Apply the given changes; the organization keeps at least one active admin."""
    user = load_user(uow, cmd.org_id, cmd.user_id)
    org = uow.get_existing(Organization, cmd.org_id, "organization")
    if cmd.email is not None:
        _change_email(uow, org.id, user, cmd.email)
    user.change_profile(
        first_name=cmd.first_name, last_name=cmd.last_name, phone_number=cmd.phone_number,
    )
    if cmd.password_hash is not None:
        write_password(uow, user.id, cmd.password_hash)
        user.change_password()
    if cmd.role is not None:
        user.change_role(cmd.role)
        if user.is_active:
            org.change_member_role(user.id, user.role)
    if cmd.is_active is False:
        _deactivate(uow, org, user)
    elif cmd.is_active is True:
        user.reactivate()
        org.admit_member(user.id, user.role)
    return user


def deactivate_user(uow: UnitOfWork, cmd: DeactivateUser) -> User:
    """Deactivate a user of the acting organization (not its last active admin), and the API
    keys they made."""
    user = load_user(uow, cmd.org_id, cmd.user_id)
    _deactivate(uow, uow.get_existing(Organization, cmd.org_id, "organization"), user)
    return user


def record_login(uow: UnitOfWork, cmd: RecordLogin) -> User:
    """Record that an active user signed in (sets `last_login_at`)."""
    user = load_user(uow, cmd.org_id, cmd.user_id)
    user.record_login()
    return user


def _change_email(uow: UnitOfWork, org_id: UUID, user: User, email: str) -> None:
    old_email = user.email
    user.change_email(email)
    if user.email != old_email:
        claim_email(uow, org_id, user.id, user.email)
        release_email(uow, org_id, user.id, old_email)


def _deactivate(uow: UnitOfWork, org: Organization, user: User) -> None:
    org.remove_member(user.id)
    user.deactivate()
    revoke_keys_of(uow, user)
