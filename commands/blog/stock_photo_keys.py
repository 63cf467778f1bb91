"""Blog commands on an organization's stock-photo provider keys. The key is sealed by the
caller and written beside the event into `secrets` (owner: the key's aggregate); the event
carries only its fingerprint."""

import dataclasses
from uuid import UUID

from adapters.postgres import secrets
from commands.unit_of_work import UnitOfWork
from domain.blog.stock_photo_key import StockPhotoKey

KEY_PURPOSE = "stock_photo_key"


@dataclasses.dataclass(frozen=True)
class SealedKey:
    ciphertext: bytes = dataclasses.field(repr=False)
    fingerprint: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class AddStockPhotoKey:
    org_id: UUID
    key_id: UUID
    provider: str
    key: SealedKey
    is_active: bool = True


@dataclasses.dataclass(frozen=True, kw_only=True)
class ChangeStockPhotoKey:
    """`None`: leave as it is."""

    org_id: UUID
    key_id: UUID
    key: SealedKey | None = None
    is_active: bool | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class DeleteStockPhotoKey:
    org_id: UUID
    key_id: UUID


def add_stock_photo_key(uow: UnitOfWork, cmd: AddStockPhotoKey) -> UUID:
    uow.get(StockPhotoKey, cmd.key_id).add(org_id=cmd.org_id, provider=cmd.provider,
                                           key_fingerprint=cmd.key.fingerprint,
                                           is_active=cmd.is_active)
    uow.write_beside(secrets.seal(cmd.key_id, KEY_PURPOSE, cmd.org_id, cmd.key.ciphertext,
                                  cmd.key.fingerprint))
    return cmd.key_id


def change_stock_photo_key(uow: UnitOfWork, cmd: ChangeStockPhotoKey) -> None:
    """Change what is given; NotFoundError when the organization has no such key."""
    key = uow.get(StockPhotoKey, cmd.key_id)
    before = key.key_fingerprint
    key.change(cmd.org_id, key_fingerprint=cmd.key.fingerprint if cmd.key else None,
               is_active=cmd.is_active)
    if cmd.key is not None and cmd.key.fingerprint != before:
        uow.write_beside(secrets.seal(cmd.key_id, KEY_PURPOSE, cmd.org_id, cmd.key.ciphertext,
                                      cmd.key.fingerprint))


def delete_stock_photo_key(uow: UnitOfWork, cmd: DeleteStockPhotoKey) -> None:
    uow.get(StockPhotoKey, cmd.key_id).delete(cmd.org_id)
    uow.write_beside(secrets.drop(cmd.key_id, KEY_PURPOSE))
