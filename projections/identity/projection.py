"""IdentityDirectory — why: sign-in, user lists, the organization page, API-key checks and
invitations; how: `rm_identity.organizations`, `users`, `api_keys`, `invitations`; when: async
(projector)."""


import msgspec

from domain.identity import events as e
from domain.log import RecordedEvent
from projections.base import Projection
from projections.writes import Writes

SCHEMA = "rm_identity"


class IdentityDirectory(Projection):
    name = "identity"
    schema = SCHEMA
    topics = frozenset(
        cls.topic() for cls in (
            e.OrganizationCreated, e.OrganizationDetailsChanged, e.UserRegistered,
            e.UserProfileChanged, e.UserEmailChanged, e.UserRoleChanged, e.UserDeactivated,
            e.UserReactivated, e.UserLoggedIn, e.ApiKeyCreated, e.ApiKeyDeactivated,
            e.ApiKeyDeleted, e.TwoFactorEnabled, e.TwoFactorSuspended, e.TwoFactorDisabled,
            e.TwoFactorReset, e.OrganizationAiKeysChanged, e.InvitationCreated, e.InvitationResent,
            e.InvitationRevoked, e.InvitationAccepted,
        )
    )

    def apply(self, writes: Writes, record: RecordedEvent) -> None:
        event, aid = record.event, record.aggregate_id
        match event:
            case e.OrganizationCreated():
                writes.add(
                    "INSERT INTO organizations (id, name, slug, created_at) VALUES (%s, %s, %s, %s)"
                    " ON CONFLICT (id) DO NOTHING", (aid, event.name, event.slug, event.occurred_at))
            case e.OrganizationDetailsChanged():
                writes.add(
                    "UPDATE organizations SET name = %s, settings = %s::jsonb, address = %s,"
                    " phone_number = %s, tax_id = %s, billing_email = %s, enforce_2fa = %s"
                    " WHERE id = %s",
                    (event.name, msgspec.json.encode(event.settings).decode(), event.address,
                     event.phone_number, event.tax_id, event.billing_email, event.enforce_2fa,
                     aid))
            case e.OrganizationAiKeysChanged():
                writes.add("UPDATE organizations SET ai_key_fingerprints = %s::jsonb WHERE id = %s",
                           (msgspec.json.encode(event.fingerprints).decode(), aid))
            case e.UserRegistered():
                writes.add(
                    "INSERT INTO users (id, org_id, email, first_name, last_name, phone_number,"
                    " role, is_super_admin, created_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
                    " ON CONFLICT (id) DO NOTHING",
                    (aid, event.org_id, event.email, event.first_name, event.last_name,
                     event.phone_number, event.role, event.is_super_admin, event.occurred_at))
            case e.UserProfileChanged():
                writes.add(
                    "UPDATE users SET first_name = %s, last_name = %s, phone_number = %s"
                    " WHERE id = %s", (event.first_name, event.last_name, event.phone_number, aid))
            case e.UserEmailChanged():
                writes.add("UPDATE users SET email = %s WHERE id = %s",
                                  (event.new_email, aid))
            case e.UserRoleChanged():
                writes.add("UPDATE users SET role = %s WHERE id = %s", (event.role, aid))
            case e.UserDeactivated() | e.UserReactivated():
                writes.add("UPDATE users SET is_active = %s WHERE id = %s",
                                  (isinstance(event, e.UserReactivated), aid))
            case e.UserLoggedIn():
                writes.add("UPDATE users SET last_login_at = %s WHERE id = %s",
                                  (event.occurred_at, aid))
            case e.TwoFactorEnabled():
                writes.add("UPDATE users SET two_factor_enabled = true, two_factor_method = %s"
                           " WHERE id = %s", (event.method, aid))
            case e.TwoFactorSuspended():
                writes.add("UPDATE users SET two_factor_enabled = false WHERE id = %s", (aid,))
            case e.TwoFactorDisabled() | e.TwoFactorReset():
                writes.add("UPDATE users SET two_factor_enabled = false, two_factor_method = NULL"
                           " WHERE id = %s", (aid,))
            case e.ApiKeyCreated():
                writes.add(
                    "INSERT INTO api_keys (id, org_id, name, prefix, fingerprint, created_by,"
                    " scope, created_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
                    " ON CONFLICT (id) DO NOTHING",
                    (aid, event.org_id, event.name, event.prefix, event.fingerprint,
                     event.created_by, event.scope, event.occurred_at))
            case e.ApiKeyDeactivated():
                writes.add("UPDATE api_keys SET is_active = false WHERE id = %s", (aid,))
            case e.ApiKeyDeleted():
                writes.add(
                    "UPDATE api_keys SET deleted = true, is_active = false WHERE id = %s", (aid,))
            case e.InvitationCreated():
                writes.add(
                    "INSERT INTO invitations (id, org_id, email, role, invited_by, created_at,"
                    " expires_at) VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (id) DO NOTHING",
                    (aid, event.org_id, event.email, event.role, event.invited_by,
                     event.occurred_at, event.expires_at))
            case e.InvitationResent():
                writes.add("UPDATE invitations SET expires_at = %s WHERE id = %s",
                           (event.expires_at, aid))
            case e.InvitationRevoked():
                writes.add("UPDATE invitations SET status = 'revoked' WHERE id = %s", (aid,))
            case e.InvitationAccepted():
                writes.add(
                    "UPDATE invitations SET status = 'accepted', accepted_at = %s, user_id = %s"
                    " WHERE id = %s", (event.occurred_at, event.user_id, aid))
