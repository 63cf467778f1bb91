"""The organization's own AI provider keys (BYOK): sealed by the caller, written beside the
event into `secrets`; the event names only the providers and the keys' fingerprints."""

import dataclasses
from uuid import UUID

from adapters.postgres import secrets
from commands.unit_of_work import UnitOfWork
from domain.identity.organization import Organization, key_purpose


@dataclasses.dataclass(frozen=True)
class SealedKey:
    """A provider key encrypted with the secret box, and its keyed fingerprint."""

    ciphertext: bytes = dataclasses.field(repr=False)
    fingerprint: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class ChangeOrganizationAiKeys:
    """Per provider named: a new sealed key, or None to remove the key."""

    org_id: UUID
    keys: dict[str, SealedKey | None]


def change_organization_ai_keys(uow: UnitOfWork, cmd: ChangeOrganizationAiKeys) -> Organization:
    """Record the change on the organization; keys that did not change are not rewritten."""
    org = uow.get_existing(Organization, cmd.org_id, "organization")
    before = dict(org.ai_key_fingerprints)
    org.change_ai_keys({provider: sealed.fingerprint if sealed else None
                        for provider, sealed in cmd.keys.items()})
    for provider, sealed in cmd.keys.items():
        if sealed is None and provider in before:
            uow.write_beside(secrets.drop(cmd.org_id, key_purpose(provider)))
        elif sealed is not None and before.get(provider) != sealed.fingerprint:
            uow.write_beside(secrets.seal(cmd.org_id, key_purpose(provider), cmd.org_id,
                                          sealed.ciphertext, sealed.fingerprint))
    return org
