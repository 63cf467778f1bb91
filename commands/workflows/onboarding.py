"""Onboarding: an organization, its first admin and its billing account, in one append."""

import dataclasses
from uuid import UUID

from commands.billing.accounts import OpenBillingAccount, open_billing_account
from commands.identity.organization import CreateOrganization, create_organization
from commands.unit_of_work import UnitOfWork


@dataclasses.dataclass(frozen=True, kw_only=True)
class OnboardOrganization:
    org_id: UUID
    name: str
    admin_user_id: UUID
    admin_email: str
    admin_password_hash: str
    tier: str = "starter"


def onboard_organization(uow: UnitOfWork, cmd: OnboardOrganization) -> UUID:
    create_organization(uow, CreateOrganization(
        org_id=cmd.org_id, name=cmd.name, admin_user_id=cmd.admin_user_id,
        admin_email=cmd.admin_email, admin_password_hash=cmd.admin_password_hash,
    ))
    open_billing_account(uow, OpenBillingAccount(org_id=cmd.org_id, tier=cmd.tier))
    return cmd.org_id
