"""Organizations: creation with a unique slug and a first admin, details, admin membership."""

import dataclasses
from uuid import UUID, uuid4

import pytest

from adapters.memory_store import InMemoryEventStore
from commands.bus import CommandBus
from commands.identity.organization import (
    ChangeOrganizationDetails,
    CreateOrganization,
    change_organization_details,
    create_organization,
    email_claim_id,
    slug_claim_id,
    slugify,
)
from domain.claims import KeyClaimed, UniqueClaim
from domain.errors import ConflictError, InvalidCommandError, NotFoundError
from domain.identity.errors import LastAdminError
from domain.identity.events import (
    OrganizationCreated,
    OrganizationDetailsChanged,
    OrganizationMemberJoined,
    OrganizationMemberLeft,
    OrganizationMemberRoleChanged,
)
from domain.identity.organization import Organization
from domain.log import EventMeta
from projections.identity.queries import PASSWORD_SQL
from tests.unit.world import given, then

ORG = UUID(int=10)
ALICE, BOB = UUID(int=1), UUID(int=2)
META = EventMeta(actor_type="user")


CREATED = OrganizationCreated(org_id=ORG, name="Acme", slug="acme")
DETAILS = OrganizationDetailsChanged(
    org_id=ORG, name="Acme", settings={"locale": "en"}, address="1 Main St",
    phone_number="+1 555", tax_id="VAT1", billing_email="bills@acme.test", enforce_2fa=False,
)


def create(name: str = "Acme Corp", email: str | None = None) -> CreateOrganization:
    return CreateOrganization(
        org_id=uuid4(), name=name, admin_user_id=uuid4(),
        admin_email=email or f"{uuid4().hex[:8]}@acme.test", admin_password_hash="argon2$x",
        admin_first_name="Ada", admin_last_name="Admin",
    )


# --- the aggregate ----------------------------------------------------------------------


def test_changing_one_detail_records_the_full_new_details() -> None:
    org = given(Organization, CREATED, DETAILS, id=ORG)
    org.change_details(name="Acme Ltd")
    then(org, dataclasses.replace(DETAILS, name="Acme Ltd"))


def test_changing_nothing_records_nothing() -> None:
    org = given(Organization, CREATED, DETAILS, id=ORG)
    org.change_details(name="Acme", address="1 Main St", enforce_2fa=False)
    then(org)


def test_an_empty_string_clears_an_optional_detail() -> None:
    org = given(Organization, CREATED, DETAILS, id=ORG)
    org.change_details(address="", billing_email=" ", settings={})
    then(org, dataclasses.replace(DETAILS, address=None, billing_email=None, settings={}))


def test_a_billing_email_is_normalised() -> None:
    org = given(Organization, CREATED, id=ORG)
    org.change_details(billing_email=" Bills@ACME.test ")
    assert org.billing_email == "bills@acme.test"


@pytest.mark.parametrize(("changes", "field"), [
    ({"name": ""}, "name"),
    ({"name": "   "}, "name"),
    ({"name": "x" * 201}, "name"),
    ({"billing_email": "not-an-email"}, "billing_email"),
    ({"billing_email": "a@b"}, "billing_email"),
    ({"tax_id": "x" * 51}, "tax_id"),
])
def test_invalid_details_are_refused_naming_the_field(
    changes: dict[str, str], field: str,
) -> None:
    org = given(Organization, CREATED, id=ORG)
    with pytest.raises(InvalidCommandError, match=field):
        org.change_details(**changes)  # type: ignore[arg-type]
    then(org)


def test_a_name_of_two_hundred_characters_is_accepted() -> None:
    org = given(Organization, CREATED, id=ORG)
    org.change_details(name="x" * 200)
    assert org.name == "x" * 200


def test_an_organization_cannot_be_created_twice() -> None:
    org = given(Organization, CREATED, id=ORG)
    with pytest.raises(ConflictError):
        org.create(name="Acme", slug="acme")


def test_the_last_active_admin_cannot_leave() -> None:
    org = given(Organization, CREATED,
                OrganizationMemberJoined(org_id=ORG, user_id=ALICE, role="admin"), id=ORG)
    with pytest.raises(LastAdminError):
        org.remove_member(ALICE)
    then(org)


def test_the_last_active_admin_cannot_become_a_member() -> None:
    org = given(Organization, CREATED,
                OrganizationMemberJoined(org_id=ORG, user_id=ALICE, role="admin"), id=ORG)
    with pytest.raises(LastAdminError):
        org.change_member_role(ALICE, "member")


def test_an_admin_may_leave_while_another_admin_stays() -> None:
    org = given(
        Organization,
        CREATED,
        OrganizationMemberJoined(org_id=ORG, user_id=ALICE, role="admin"),
        OrganizationMemberJoined(org_id=ORG, user_id=BOB, role="member"),
        OrganizationMemberRoleChanged(org_id=ORG, user_id=BOB, role="admin"),
        id=ORG,
    )
    org.remove_member(ALICE)
    then(org, OrganizationMemberLeft(org_id=ORG, user_id=ALICE))
    assert org.admin_ids == {BOB}


def test_a_member_may_leave_when_a_single_admin_stays() -> None:
    org = given(
        Organization,
        CREATED,
        OrganizationMemberJoined(org_id=ORG, user_id=ALICE, role="admin"),
        OrganizationMemberJoined(org_id=ORG, user_id=BOB, role="member"),
        id=ORG,
    )
    org.remove_member(BOB)
    then(org, OrganizationMemberLeft(org_id=ORG, user_id=BOB))


def test_replay_ignores_events_it_does_not_know() -> None:
    org = given(Organization, CREATED, KeyClaimed(org_id=ORG, kind="email", owner_id=ALICE),
                OrganizationMemberRoleChanged(org_id=ORG, user_id=BOB, role="admin"),
                OrganizationMemberLeft(org_id=ORG, user_id=BOB), id=ORG)
    assert org.name == "Acme"
    assert org.admin_ids == set()


# --- the handlers -----------------------------------------------------------------------


def test_creating_an_organization_records_org_slug_claim_admin_email_claim_membership() -> None:
    store = InMemoryEventStore()
    cmd = create(email=" Ada@Acme.TEST ")
    org = CommandBus(store).execute(create_organization, cmd, META).result

    assert sorted(r.topic for r in store.log) == [
        "claims.KeyClaimed", "claims.KeyClaimed", "identity.OrganizationCreated",
        "identity.OrganizationMemberJoined", "identity.UserRegistered",
    ]
    assert (org.name, org.slug, org.admin_ids) == ("Acme Corp", "acme-corp", {cmd.admin_user_id})
    slug_claim = UniqueClaim.rebuild(
        slug_claim_id("acme-corp"), store.load(slug_claim_id("acme-corp")))
    assert slug_claim.owner_id == cmd.org_id
    email_claim = UniqueClaim.rebuild(
        email_claim_id("ada@acme.test"), store.load(email_claim_id("ada@acme.test")))
    assert email_claim.owner_id == cmd.admin_user_id
    assert [(w.sql, w.params) for w in store.side_writes] == [
        (PASSWORD_SQL, (cmd.admin_user_id, "argon2$x"))]


def test_two_organizations_with_the_same_name_get_different_slugs() -> None:
    bus = CommandBus(InMemoryEventStore())
    slugs = [bus.execute(create_organization, create("Acme"), META).result.slug
             for _ in range(3)]
    assert slugs == ["acme", "acme-2", "acme-3"]


@pytest.mark.parametrize(("name", "slug"), [
    ("Acme Corp", "acme-corp"),
    ("  Café  Déjà-Vu! ", "cafe-deja-vu"),
    ("!!!", "org"),
    ("x" * 80, "x" * 60),
])
def test_slugify_joins_lower_case_ascii_words_with_dashes(name: str, slug: str) -> None:
    assert slugify(name) == slug


def test_an_organization_with_an_empty_name_is_refused_and_nothing_is_stored() -> None:
    store = InMemoryEventStore()
    with pytest.raises(InvalidCommandError, match="name"):
        CommandBus(store).execute(create_organization, create(" "), META)
    assert store.log == []
    assert store.side_writes == []


def test_changing_details_through_the_bus_keeps_what_is_not_given() -> None:
    store = InMemoryEventStore()
    bus = CommandBus(store)
    cmd = create("Acme")
    bus.execute(create_organization, cmd, META)
    bus.execute(change_organization_details, ChangeOrganizationDetails(
        org_id=cmd.org_id, actor_id=cmd.admin_user_id, address="1 Main St",
        settings={"tone": "warm"}), META)
    org = bus.execute(change_organization_details, ChangeOrganizationDetails(
        org_id=cmd.org_id, actor_id=cmd.admin_user_id, enforce_2fa=True), META).result
    assert (org.name, org.slug, org.address, org.settings, org.enforce_2fa) == (
        "Acme", "acme", "1 Main St", {"tone": "warm"}, True)


def test_changing_details_of_an_unknown_organization_is_not_found() -> None:
    with pytest.raises(NotFoundError):
        CommandBus(InMemoryEventStore()).execute(change_organization_details,
            ChangeOrganizationDetails(org_id=uuid4(), actor_id=uuid4(), name="X"), META)
