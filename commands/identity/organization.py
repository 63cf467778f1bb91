"""Identity commands for organizations, and the helpers the user and API-key handlers share.

Secrets arrive already hashed (hashing happens in `api/`); they are written beside the
events in the same transaction (`write_beside`), never into an event.
"""

import dataclasses
import re
import unicodedata
from uuid import UUID

from commands.unit_of_work import UnitOfWork
from domain.claims import UniqueClaim, claim_id
from domain.errors import AlreadyExistsError, InvalidCommandError, KeyTakenError, NotFoundError
from domain.identity.errors import EmailTakenError, OrganizationNameTakenError
from domain.identity.organization import Organization, check_organization_name
from domain.identity.user import User
from projections.identity.queries import password_write

EMAIL_TAKEN = "email already registered"
MAX_SLUG_LENGTH = 60
MAX_SLUG_ATTEMPTS = 100


@dataclasses.dataclass(frozen=True, kw_only=True)
class CreateOrganization:
    """Open an organization with its first admin (the billing account is opened apart)."""

    org_id: UUID
    name: str
    admin_user_id: UUID
    admin_email: str
    admin_password_hash: str
    admin_first_name: str | None = None
    admin_last_name: str | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class ChangeOrganizationDetails:
    """Change some details; None keeps a field, an empty string clears an optional one."""

    org_id: UUID
    actor_id: UUID
    name: str | None = None
    settings: dict[str, object] | None = None
    address: str | None = None
    phone_number: str | None = None
    tax_id: str | None = None
    billing_email: str | None = None
    enforce_2fa: bool | None = None


def create_organization(uow: UnitOfWork, cmd: CreateOrganization) -> Organization:
    """Create the organization, claim a free slug, register its admin and claim the e-mail."""
    org = uow.get(Organization, cmd.org_id)
    if org.exists:
        raise AlreadyExistsError("organization already exists")
    name = check_organization_name(cmd.name)
    org.create(name=name, slug=claim_free_slug(uow, cmd.org_id, name))
    register_member(
        uow, org, user_id=cmd.admin_user_id, email=cmd.admin_email,
        password_hash=cmd.admin_password_hash, role="admin",
        first_name=cmd.admin_first_name, last_name=cmd.admin_last_name,
    )
    return org


def change_organization_details(uow: UnitOfWork, cmd: ChangeOrganizationDetails) -> Organization:
    """Change the details of the acting organization (the route checks the actor is admin)."""
    org = uow.get_existing(Organization, cmd.org_id, "organization")
    org.change_details(
        name=cmd.name, settings=cmd.settings, address=cmd.address,
        phone_number=cmd.phone_number, tax_id=cmd.tax_id, billing_email=cmd.billing_email,
        enforce_2fa=cmd.enforce_2fa,
    )
    return org


# --- helpers shared by the identity handlers ----------------------------------------------


def slugify(name: str) -> str:
    """A URL-safe lower-case slug of `name` ("org" when nothing of it is left)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug[:MAX_SLUG_LENGTH].strip("-") or "org"


def email_claim_id(email: str) -> UUID:
    """The id of the claim that owns an e-mail; its `owner_id` is the user's id."""
    return claim_id("email", email.strip().lower())


def slug_claim_id(slug: str) -> UUID:
    return claim_id("org-slug", slug)


def claim_free_slug(uow: UnitOfWork, org_id: UUID, name: str) -> str:
    """Claim the slug of `name`, or the first free of `<slug>-2`, `<slug>-3`, …"""
    base = slugify(name)
    for n in range(1, MAX_SLUG_ATTEMPTS + 1):
        slug = base if n == 1 else f"{base}-{n}"
        claim = uow.get(UniqueClaim, slug_claim_id(slug))
        if claim.owner_id is None or claim.owner_id == org_id:
            claim.claim(org_id, "org-slug", org_id, KeyTakenError("slug already taken"))
            return slug
    raise OrganizationNameTakenError("too many organizations have this name; choose another")


def claim_email(uow: UnitOfWork, org_id: UUID, user_id: UUID, email: str) -> None:
    uow.get(UniqueClaim, email_claim_id(email)).claim(org_id, "email", user_id,
                                                     EmailTakenError(EMAIL_TAKEN))


def release_email(uow: UnitOfWork, org_id: UUID, user_id: UUID, email: str) -> None:
    uow.get(UniqueClaim, email_claim_id(email)).release(org_id, "email", user_id)


def write_password(uow: UnitOfWork, user_id: UUID, password_hash: str) -> None:
    if not password_hash:
        raise InvalidCommandError("password_hash must not be empty")
    uow.write_beside(password_write(user_id, password_hash))


def load_user(uow: UnitOfWork, org_id: UUID, user_id: UUID) -> User:
    """The user of this organization; NotFoundError also when it belongs to another one."""
    user = uow.get_existing(User, user_id, "user")
    if user.org_id != org_id:
        raise NotFoundError("user not found")
    return user


def register_member(
    uow: UnitOfWork, org: Organization, *, user_id: UUID, email: str, password_hash: str,
    role: str, first_name: str | None = None, last_name: str | None = None,
    phone_number: str | None = None,
) -> User:
    """Register a user in `org`: the user, its e-mail claim, its membership, its password."""
    user = uow.get(User, user_id)
    user.register(
        org_id=org.id, email=email, role=role, first_name=first_name, last_name=last_name,
        phone_number=phone_number,
    )
    claim_email(uow, org.id, user.id, user.email)
    org.admit_member(user.id, user.role)
    write_password(uow, user.id, password_hash)
    return user
