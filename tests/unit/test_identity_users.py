"""Users: registration with a unique e-mail, updates, the last admin, tenancy, no secrets."""

from typing import Any
from uuid import UUID, uuid4

import pytest

from commands.identity.organization import (
    CreateOrganization,
    create_organization,
    email_claim_id,
)
from commands.identity.users import (
    DeactivateUser,
    RecordLogin,
    RegisterUser,
    UpdateUser,
    deactivate_user,
    record_login,
    register_user,
    update_user,
)
from commands.unit_of_work import UnitOfWork
from domain.claims import UniqueClaim
from domain.errors import ConflictError, ForbiddenError, InvalidCommandError, NotFoundError
from domain.identity.errors import EmailTakenError, LastAdminError
from domain.identity.events import UserProfileChanged, UserRegistered
from domain.identity.user import User
from projections.identity.queries import PASSWORD_SQL
from tests.unit.world import InMemoryWorld


def fresh_email() -> str:
    return f"{uuid4().hex[:8]}@acme.test"


class World(InMemoryWorld):
    def org(self, admin_email: str | None = None) -> CreateOrganization:
        cmd = CreateOrganization(
            org_id=uuid4(), name="Acme", admin_user_id=uuid4(),
            admin_email=fresh_email() if admin_email is None else admin_email,
            admin_password_hash="argon2$admin",
        )
        self.when(create_organization, cmd)
        return cmd

    def user(self, org_id: UUID, email: str | None = None, role: str = "member") -> UUID:
        user_id = uuid4()
        self.when(register_user, RegisterUser(
            org_id=org_id, user_id=user_id, email=fresh_email() if email is None else email,
            password_hash="argon2$user", role=role))
        return user_id

    def load_user(self, user_id: UUID) -> User:
        return self.load(User, user_id)

    def email_owner(self, email: str) -> UUID | None:
        return self.load(UniqueClaim, email_claim_id(email)).owner_id


@pytest.fixture
def world() -> World:
    return World()


def test_registering_records_the_user_its_email_claim_and_membership(world: World) -> None:
    org = world.org()
    user_id = world.user(org.org_id, email="  Bob@Example.COM ")
    topics = [r.topic for r in world.store.log if r.position > 5]
    assert sorted(topics) == [
        "claims.KeyClaimed", "identity.OrganizationMemberJoined", "identity.UserRegistered"]
    user = world.load_user(user_id)
    assert (user.email, user.role, user.is_active, user.org_id) == (
        "bob@example.com", "member", True, org.org_id)
    assert world.email_owner("bob@example.com") == user_id


def test_an_email_registered_in_another_organization_is_refused(world: World) -> None:
    first, second = world.org(), world.org()
    world.user(first.org_id, email="bob@example.com")
    with pytest.raises(EmailTakenError):
        world.user(second.org_id, email="BOB@example.com")


def test_an_organization_admin_email_already_registered_is_refused(world: World) -> None:
    world.org(admin_email="ada@acme.test")
    before = len(world.store.log)
    with pytest.raises(EmailTakenError):
        world.org(admin_email="ada@acme.test")
    assert len(world.store.log) == before


def test_an_unknown_role_is_refused_listing_the_roles(world: World) -> None:
    org = world.org()
    with pytest.raises(InvalidCommandError, match="admin, member"):
        world.user(org.org_id, role="owner")


@pytest.mark.parametrize("email", [
    "", "bob", "bob@", "@example.com", "bob@example", "bob@@example.com", "b ob@example.com",
    "bob@example.", "bob@.example.com", "b@" + "x" * 250 + ".com",
])
def test_an_invalid_email_is_refused(world: World, email: str) -> None:
    org = world.org()
    with pytest.raises(InvalidCommandError, match="email"):
        world.user(org.org_id, email=email)


def test_registering_in_an_unknown_organization_is_not_found(world: World) -> None:
    with pytest.raises(NotFoundError):
        world.user(uuid4())


def test_changing_the_email_moves_the_claim_and_frees_the_old_one(world: World) -> None:
    org = world.org()
    bob = world.user(org.org_id, email="bob@example.com")
    world.when(update_user, UpdateUser(org_id=org.org_id, user_id=bob, email="Robert@Example.com"))
    assert world.load_user(bob).email == "robert@example.com"
    assert world.email_owner("robert@example.com") == bob
    assert world.email_owner("bob@example.com") is None
    other = world.user(world.org().org_id, email="bob@example.com")
    assert world.email_owner("bob@example.com") == other


def test_changing_the_email_to_a_taken_one_changes_nothing(world: World) -> None:
    org = world.org()
    world.user(org.org_id, email="ann@example.com")
    bob = world.user(org.org_id, email="bob@example.com")
    before = len(world.store.log)
    with pytest.raises(EmailTakenError):
        world.when(update_user, UpdateUser(
            org_id=org.org_id, user_id=bob, email="ann@example.com", first_name="Bob"))
    assert len(world.store.log) == before


def test_a_profile_change_keeps_what_is_not_given_and_clears_empty_strings(world: World) -> None:
    org = world.org()
    bob = world.user(org.org_id)
    world.when(update_user, UpdateUser(
        org_id=org.org_id, user_id=bob, first_name="Bob", last_name="Stone", phone_number="+1"))
    world.when(update_user, UpdateUser(org_id=org.org_id, user_id=bob, phone_number=""))
    user = world.load_user(bob)
    assert (user.first_name, user.last_name, user.phone_number) == ("Bob", "Stone", None)


def test_a_user_given_a_profile_when_it_is_resent_then_nothing_is_recorded() -> None:
    org = uuid4()
    user = User.rebuild(uuid4(), [
        UserRegistered(org_id=org, email="bob@example.com", first_name="Bob", last_name=None,
                       phone_number=None, role="member", is_super_admin=False),
        UserProfileChanged(org_id=org, first_name="Bob", last_name="Stone", phone_number=None),
    ])
    user.change_profile(first_name="Bob", last_name="Stone")
    user.change_role("member")
    user.reactivate()
    assert user.collect() == []


@pytest.mark.parametrize("cmd", [
    lambda org, uid: (update_user, UpdateUser(org_id=org, user_id=uid, first_name="X")),
    lambda org, uid: (deactivate_user, DeactivateUser(org_id=org, user_id=uid, actor_id=uid)),
    lambda org, uid: (record_login, RecordLogin(org_id=org, user_id=uid)),
])
def test_a_user_of_another_organization_is_not_found(world: World, cmd: Any) -> None:
    ours, theirs = world.org(), world.org()
    bob = world.user(theirs.org_id)
    handler, command = cmd(ours.org_id, bob)
    with pytest.raises(NotFoundError, match="user not found"):
        world.when(handler, command)
    with pytest.raises(NotFoundError, match="user not found"):
        world.when(handler, cmd(ours.org_id, uuid4())[1])


def test_the_last_active_admin_cannot_deactivate_themselves(world: World) -> None:
    org = world.org()
    admin = org.admin_user_id
    with pytest.raises(LastAdminError):
        world.when(deactivate_user, DeactivateUser(org_id=org.org_id, user_id=admin,
                                                   actor_id=admin))
    with pytest.raises(LastAdminError):
        world.when(update_user, UpdateUser(org_id=org.org_id, user_id=admin, is_active=False))
    assert world.load_user(admin).is_active


def test_the_last_active_admin_cannot_demote_themselves(world: World) -> None:
    org = world.org()
    with pytest.raises(LastAdminError):
        world.when(update_user, UpdateUser(
            org_id=org.org_id, user_id=org.admin_user_id, role="member"))
    assert world.load_user(org.admin_user_id).role == "admin"


def test_a_deactivated_admin_does_not_count_as_an_active_admin(world: World) -> None:
    org = world.org()
    second = world.user(org.org_id, role="admin")
    world.when(deactivate_user, DeactivateUser(
        org_id=org.org_id, user_id=second, actor_id=org.admin_user_id))
    with pytest.raises(LastAdminError):
        world.when(update_user, UpdateUser(
            org_id=org.org_id, user_id=org.admin_user_id, role="member"))


def test_an_admin_may_step_down_when_another_admin_stays(world: World) -> None:
    org = world.org()
    bob = world.user(org.org_id)
    world.when(update_user, UpdateUser(org_id=org.org_id, user_id=bob, role="admin"))
    world.when(update_user, UpdateUser(org_id=org.org_id, user_id=org.admin_user_id,
                                       role="member"))
    with pytest.raises(ConflictError):
        world.when(deactivate_user, DeactivateUser(org_id=org.org_id, user_id=bob, actor_id=bob))


def test_a_reactivated_admin_counts_again(world: World) -> None:
    org = world.org()
    bob = world.user(org.org_id, role="admin")
    world.when(update_user, UpdateUser(org_id=org.org_id, user_id=bob, is_active=False))
    assert not world.load_user(bob).is_active
    world.when(update_user, UpdateUser(org_id=org.org_id, user_id=bob, is_active=True))
    world.when(deactivate_user, DeactivateUser(
        org_id=org.org_id, user_id=org.admin_user_id, actor_id=bob))
    assert world.load_user(bob).is_active
    assert not world.load_user(org.admin_user_id).is_active


def test_a_new_password_is_written_beside_and_no_event_carries_a_hash(world: World) -> None:
    org = world.org()
    bob = world.user(org.org_id)
    world.when(update_user, UpdateUser(org_id=org.org_id, user_id=bob,
                                       password_hash="argon2$secret-new"))
    assert world.store.side_writes[-1].sql == PASSWORD_SQL
    assert world.store.side_writes[-1].params == (bob, "argon2$secret-new")
    assert world.store.log[-1].topic == "identity.UserPasswordChanged"
    for secret in ("argon2$secret-new", "argon2$user", "argon2$admin"):
        assert not world.events_mention(secret)


def test_an_empty_password_hash_is_refused(world: World) -> None:
    org = world.org()
    bob = world.user(org.org_id)
    with pytest.raises(InvalidCommandError, match="password"):
        world.when(update_user, UpdateUser(org_id=org.org_id, user_id=bob, password_hash=""))


def test_a_login_sets_the_last_login_time(world: World) -> None:
    org = world.org()
    user = world.when(record_login, RecordLogin(org_id=org.org_id, user_id=org.admin_user_id))
    assert user.last_login_at == world.store.log[-1].event.occurred_at


def test_a_deactivated_user_cannot_log_in(world: World) -> None:
    org = world.org()
    bob = world.user(org.org_id)
    world.when(deactivate_user, DeactivateUser(org_id=org.org_id, user_id=bob,
                                               actor_id=org.admin_user_id))
    with pytest.raises(ForbiddenError):
        world.when(record_login, RecordLogin(org_id=org.org_id, user_id=bob))


def test_a_handler_only_records_what_the_bus_then_appends(world: World) -> None:
    org = world.org()
    uow = UnitOfWork(world.store)
    update_user(uow, UpdateUser(org_id=org.org_id, user_id=org.admin_user_id, first_name="Ada"))
    new = uow.new_events()
    assert [(type(n.event), n.aggregate_id, n.aggregate_version) for n in new] == [
        (UserProfileChanged, org.admin_user_id, 2)]
