"""Custom tones (one per id and organization, deletable) and the organization's own AI keys
(sealed beside the event, which names only providers and fingerprints)."""

import dataclasses
from typing import Any
from uuid import uuid4

import pytest

from adapters.postgres.secrets import DROP_SQL, SEAL_SQL
from adapters.secret_box import SecretBox
from commands.catalog.tones import CreateTone, DeleteTone, create_tone, delete_tone
from commands.identity.ai_keys import (
    ChangeOrganizationAiKeys,
    SealedKey,
    change_organization_ai_keys,
)
from domain.catalog.events import ToneCreated, ToneDeleted
from domain.errors import AlreadyExistsError, InvalidCommandError, NotFoundError
from domain.identity.events import OrganizationAiKeysChanged
from domain.identity.organization import Organization
from tests.unit.catalog_world import World

BOX = SecretBox("unit-test-secret-" + "k" * 32)
RAW = "sk-ant-api03-" + "Z" * 40


@pytest.fixture
def world() -> World:
    return World()


def tone(world: World, key: str = "warm-expert", **changes: Any) -> CreateTone:
    return dataclasses.replace(CreateTone(
        org_id=world.org_id, key=key, name="Warm expert", description="Knows, and is kind",
        system_prompt="Write like a kind expert."), **changes)


def sealed(raw: str = RAW) -> SealedKey:
    return SealedKey(ciphertext=BOX.seal(raw), fingerprint=BOX.fingerprint(raw))


def test_a_tone_is_created_once_per_organization_and_id(world: World) -> None:
    world.when(create_tone, tone(world))
    assert isinstance(world.store.log[-1].event, ToneCreated)
    with pytest.raises(AlreadyExistsError):
        world.when(create_tone, tone(world, name="Other"))
    other_org = world.new_org()
    world.when(create_tone, tone(world, org_id=other_org))


def test_a_deleted_tone_is_gone_and_its_id_free_again(world: World) -> None:
    world.when(create_tone, tone(world))
    world.when(delete_tone, DeleteTone(org_id=world.org_id, key="warm-expert"))
    assert isinstance(world.store.log[-1].event, ToneDeleted)
    with pytest.raises(NotFoundError, match="tone not found"):
        world.when(delete_tone, DeleteTone(org_id=world.org_id, key="warm-expert"))
    world.when(create_tone, tone(world))


def test_another_organization_cannot_delete_a_tone(world: World) -> None:
    world.when(create_tone, tone(world))
    with pytest.raises(NotFoundError, match="tone not found"):
        world.when(delete_tone, DeleteTone(org_id=world.new_org(), key="warm-expert"))


@pytest.mark.parametrize(("changes", "message"), [
    ({"key": "Warm Expert"}, "id must be"), ({"key": ""}, "id must be"),
    ({"name": " "}, "name must be"), ({"system_prompt": ""}, "system_prompt must be"),
    ({"description": "x" * 501}, "description must be")])
def test_a_tone_needs_a_slug_id_a_name_and_a_prompt(
    world: World, changes: dict[str, str], message: str,
) -> None:
    with pytest.raises(InvalidCommandError, match=message):
        world.when(create_tone, tone(world, **changes))


def test_a_key_is_written_sealed_beside_an_event_that_holds_only_its_fingerprint(
    world: World,
) -> None:
    key = sealed()
    world.when(change_organization_ai_keys, ChangeOrganizationAiKeys(
        org_id=world.org_id, keys={"anthropic": key}))
    event = world.store.log[-1].event
    assert isinstance(event, OrganizationAiKeysChanged)
    assert event.fingerprints == {"anthropic": key.fingerprint}
    assert RAW not in repr(event) and RAW[-12:] not in repr(event)
    write = world.store.side_writes[-1]
    assert write.sql == SEAL_SQL
    assert write.params[1] == "llm:anthropic" and BOX.open(write.params[3]) == RAW
    assert RAW.encode() not in write.params[3]


def test_the_same_key_again_changes_nothing_and_an_empty_one_removes_it(world: World) -> None:
    change = ChangeOrganizationAiKeys(org_id=world.org_id, keys={"google": sealed()})
    world.when(change_organization_ai_keys, change)
    events, writes = len(world.store.log), len(world.store.side_writes)
    world.when(change_organization_ai_keys, change)
    world.when(change_organization_ai_keys, ChangeOrganizationAiKeys(
        org_id=world.org_id, keys={"deepseek": None}))
    assert (len(world.store.log), len(world.store.side_writes)) == (events, writes)
    world.when(change_organization_ai_keys, ChangeOrganizationAiKeys(
        org_id=world.org_id, keys={"google": None}))
    assert world.store.side_writes[-1].sql == DROP_SQL
    assert world.load(Organization, world.org_id).ai_key_fingerprints == {}


def test_only_known_providers_take_a_key(world: World) -> None:
    with pytest.raises(InvalidCommandError, match="unknown AI provider 'mistral'"):
        world.when(change_organization_ai_keys, ChangeOrganizationAiKeys(
            org_id=world.org_id, keys={"mistral": sealed()}))
    with pytest.raises(NotFoundError, match="organization not found"):
        world.when(change_organization_ai_keys, ChangeOrganizationAiKeys(
            org_id=uuid4(), keys={"google": sealed()}))
