"""API keys: created with only a prefix and fingerprint in the log, deactivated, deleted;
noted on their creator, and revoked when that user is deactivated."""

import dataclasses
import hashlib
from uuid import UUID, uuid4

import pytest

from commands.identity.api_keys import (
    CreateApiKey,
    DeactivateApiKey,
    DeleteApiKey,
    create_api_key,
    deactivate_api_key,
    delete_api_key,
)
from commands.identity.organization import CreateOrganization, create_organization
from commands.identity.users import (
    DeactivateUser,
    RegisterUser,
    UpdateUser,
    deactivate_user,
    register_user,
    update_user,
)
from domain.errors import ConflictError, ForbiddenError, InvalidCommandError, NotFoundError
from domain.identity.api_key import CREATOR_DEACTIVATED, ApiKey
from domain.identity.events import (
    ApiKeyCreated,
    ApiKeyDeactivated,
    ApiKeyDeleted,
    UserApiKeyIssued,
    UserDeactivated,
)
from domain.identity.user import User
from projections.identity.queries import API_KEY_SQL
from tests.unit.world import InMemoryWorld

RAW_KEY = "xcs_live_0123456789abcdefghijklmnopqrstuv"
KEY_HASH = hashlib.sha256(RAW_KEY.encode()).hexdigest()


class World(InMemoryWorld):
    def __init__(self) -> None:
        super().__init__()
        self.org = CreateOrganization(
            org_id=uuid4(), name="Acme", admin_user_id=uuid4(),
            admin_email=f"{uuid4().hex[:8]}@acme.test", admin_password_hash="argon2$admin")
        self.when(create_organization, self.org)

    def new_org(self) -> CreateOrganization:
        cmd = dataclasses.replace(self.org, org_id=uuid4(), admin_user_id=uuid4(),
                                  admin_email=f"{uuid4().hex[:8]}@acme.test")
        self.when(create_organization, cmd)
        return cmd

    def admin(self) -> UUID:
        """Another admin of the organization."""
        user_id = uuid4()
        self.when(register_user, RegisterUser(
            org_id=self.org.org_id, user_id=user_id, email=f"{uuid4().hex[:8]}@acme.test",
            password_hash="argon2$user", role="admin"))
        return user_id

    def create_key(self, name: str = "shop sync", org_id: UUID | None = None,
                   key_hash: str = KEY_HASH, created_by: UUID | None = None) -> UUID:
        key_id = uuid4()
        self.when(create_api_key, CreateApiKey(
            org_id=org_id or self.org.org_id, key_id=key_id, name=name, prefix=RAW_KEY[:12],
            key_hash=key_hash, created_by=created_by or self.org.admin_user_id))
        return key_id

    def user(self, user_id: UUID) -> User:
        return self.load(User, user_id)

    def key(self, key_id: UUID) -> ApiKey:
        return self.load(ApiKey, key_id)


@pytest.fixture
def world() -> World:
    return World()


def test_creating_a_key_records_its_prefix_and_fingerprint_only(world: World) -> None:
    key_id = world.create_key()
    created = world.events_of(key_id)[-1]
    assert created == ApiKeyCreated(
        org_id=world.org.org_id, name="shop sync", prefix="xcs_live_012", fingerprint=KEY_HASH[:8],
        created_by=world.org.admin_user_id, occurred_at=created.occurred_at)
    assert world.store.side_writes[-1].sql == API_KEY_SQL
    assert world.store.side_writes[-1].params == (key_id, KEY_HASH)
    for record in world.store.log:
        fields = repr(dataclasses.asdict(record.event))
        assert KEY_HASH not in fields
        assert RAW_KEY not in fields
    key = world.key(key_id)
    assert (key.is_active, key.name, key.org_id) == (True, "shop sync", world.org.org_id)


def test_deactivating_a_key_records_it_once(world: World) -> None:
    key_id = world.create_key()
    world.when(deactivate_api_key, DeactivateApiKey(org_id=world.org.org_id, key_id=key_id))
    world.when(deactivate_api_key, DeactivateApiKey(org_id=world.org.org_id, key_id=key_id))
    assert [type(r.event) for r in world.store.log if r.aggregate_id == key_id] == [
        ApiKeyCreated, ApiKeyDeactivated]
    assert not world.key(key_id).is_active


def test_a_deleted_key_can_be_neither_deactivated_nor_deleted_again(world: World) -> None:
    key_id = world.create_key()
    world.when(delete_api_key, DeleteApiKey(org_id=world.org.org_id, key_id=key_id))
    assert type(world.store.log[-1].event) is ApiKeyDeleted
    with pytest.raises(NotFoundError, match="api key not found"):
        world.when(deactivate_api_key, DeactivateApiKey(org_id=world.org.org_id, key_id=key_id))
    with pytest.raises(NotFoundError, match="api key not found"):
        world.when(delete_api_key, DeleteApiKey(org_id=world.org.org_id, key_id=key_id))


def test_a_key_given_deleted_when_deactivated_then_not_found() -> None:
    org = uuid4()
    key = ApiKey.rebuild(uuid4(), [
        ApiKeyCreated(org_id=org, name="k", prefix="p", fingerprint="f", created_by=None),
        ApiKeyDeleted(org_id=org),
    ])
    with pytest.raises(NotFoundError):
        key.deactivate()
    assert key.collect() == []


def test_a_key_of_another_organization_is_not_found(world: World) -> None:
    theirs = world.new_org()
    key_id = world.create_key(org_id=theirs.org_id, created_by=theirs.admin_user_id)
    for handler, cmd in [
        (deactivate_api_key, DeactivateApiKey(org_id=world.org.org_id, key_id=key_id)),
        (delete_api_key, DeleteApiKey(org_id=world.org.org_id, key_id=key_id)),
        (delete_api_key, DeleteApiKey(org_id=world.org.org_id, key_id=uuid4())),
    ]:
        with pytest.raises(NotFoundError, match="api key not found"):
            world.when(handler, cmd)
    assert world.key(key_id).is_active


@pytest.mark.parametrize("name", ["", "   ", "x" * 101])
def test_a_key_name_must_have_one_to_a_hundred_characters(world: World, name: str) -> None:
    with pytest.raises(InvalidCommandError, match="name"):
        world.create_key(name=name)
    assert world.key(world.create_key(name="x" * 100)).name == "x" * 100


@pytest.mark.parametrize("key_hash", ["", RAW_KEY, KEY_HASH.upper(), KEY_HASH[:-1]])
def test_a_key_hash_must_be_a_sha256_hex_digest(world: World, key_hash: str) -> None:
    with pytest.raises(InvalidCommandError, match="key_hash"):
        world.create_key(key_hash=key_hash)


def test_a_key_for_an_unknown_organization_is_not_found(world: World) -> None:
    with pytest.raises(NotFoundError, match="organization not found"):
        world.create_key(org_id=uuid4())


def test_a_key_id_cannot_be_created_twice(world: World) -> None:
    key_id = world.create_key()
    with pytest.raises(ConflictError):
        world.when(create_api_key, CreateApiKey(
            org_id=world.org.org_id, key_id=key_id, name="again", prefix="p", key_hash=KEY_HASH))


# --- a key and its creator -----------------------------------------------------------------


def test_creating_a_key_notes_it_on_its_creator(world: World) -> None:
    key_id = world.create_key()
    issued = world.events_of(world.org.admin_user_id)[-1]
    assert issued == UserApiKeyIssued(org_id=world.org.org_id, key_id=key_id,
                                      occurred_at=issued.occurred_at)
    assert world.user(world.org.admin_user_id).api_key_ids == [key_id]


def test_a_key_cannot_be_made_for_a_user_of_another_organization(world: World) -> None:
    theirs = world.new_org()
    with pytest.raises(NotFoundError, match="user not found"):
        world.create_key(created_by=theirs.admin_user_id)
    assert world.user(theirs.admin_user_id).api_key_ids == []


def test_a_deactivated_user_cannot_make_a_key(world: World) -> None:
    other = world.admin()
    world.when(deactivate_user, DeactivateUser(
        org_id=world.org.org_id, user_id=other, actor_id=world.org.admin_user_id))
    with pytest.raises(ForbiddenError, match="deactivated"):
        world.create_key(created_by=other)


def test_deactivating_a_user_deactivates_the_keys_they_made_in_the_same_append(
    world: World,
) -> None:
    other = world.admin()
    theirs, mine = world.create_key(created_by=other), world.create_key()
    before = len(world.store.log)
    world.when(deactivate_user, DeactivateUser(
        org_id=world.org.org_id, user_id=other, actor_id=world.org.admin_user_id))
    appended = [(r.aggregate_id, type(r.event)) for r in world.store.log[before:]]
    assert (other, UserDeactivated) in appended
    assert (theirs, ApiKeyDeactivated) in appended
    revoked = world.events_of(theirs)[-1]
    assert revoked == ApiKeyDeactivated(org_id=world.org.org_id, reason=CREATOR_DEACTIVATED,
                                        occurred_at=revoked.occurred_at)
    assert not world.key(theirs).is_active
    assert world.key(mine).is_active


def test_deactivating_a_user_through_an_update_also_revokes_their_keys(world: World) -> None:
    other = world.admin()
    key_id = world.create_key(created_by=other)
    world.when(update_user, UpdateUser(org_id=world.org.org_id, user_id=other, is_active=False))
    assert not world.key(key_id).is_active


def test_revoking_leaves_deleted_and_stopped_keys_as_they_are(world: World) -> None:
    other = world.admin()
    deleted, stopped = world.create_key(created_by=other), world.create_key(created_by=other)
    world.when(delete_api_key, DeleteApiKey(org_id=world.org.org_id, key_id=deleted))
    world.when(deactivate_api_key, DeactivateApiKey(org_id=world.org.org_id, key_id=stopped))
    world.when(deactivate_user, DeactivateUser(
        org_id=world.org.org_id, user_id=other, actor_id=world.org.admin_user_id))
    assert [type(e) for e in world.events_of(deleted)] == [ApiKeyCreated, ApiKeyDeleted]
    assert world.events_of(stopped)[1:] == [ApiKeyDeactivated(
        org_id=world.org.org_id, occurred_at=world.events_of(stopped)[1].occurred_at)]


def test_reactivating_a_user_does_not_bring_their_keys_back(world: World) -> None:
    other = world.admin()
    key_id = world.create_key(created_by=other)
    world.when(update_user, UpdateUser(org_id=world.org.org_id, user_id=other, is_active=False))
    world.when(update_user, UpdateUser(org_id=world.org.org_id, user_id=other, is_active=True))
    assert not world.key(key_id).is_active


def test_demoting_a_user_keeps_their_keys_active(world: World) -> None:
    other = world.admin()
    key_id = world.create_key(created_by=other)
    world.when(update_user, UpdateUser(org_id=world.org.org_id, user_id=other, role="member"))
    assert world.key(key_id).is_active  # the role cap is applied when the key authenticates


def test_a_key_given_active_when_its_creator_leaves_then_one_revocation_is_recorded() -> None:
    org = uuid4()
    key = ApiKey.rebuild(uuid4(), [
        ApiKeyCreated(org_id=org, name="k", prefix="p", fingerprint="f", created_by=uuid4()),
    ])
    key.revoke_for_deactivated_creator()
    key.revoke_for_deactivated_creator()
    assert [(type(e), getattr(e, "reason", None)) for e in key.collect()] == [
        (ApiKeyDeactivated, CREATOR_DEACTIVATED)]
