"""The visual page builder over real HTTP (`/api/ai-pages/pages/<id>/build/`): the offline
agent following plain instructions, Claude's tool use against the fake server in a scripted
session (with an invalid operation refused and reported back to it), the user's own
operations, the page's history of who changed what, and another organization's page."""

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from adapters.embedded import EmbeddedServers
from tests.e2e.catalog_steps import manual_source, new_project
from tests.e2e.generation_steps import read_events
from tests.e2e.helpers import Tenant, new_tenant
from tests.e2e.test_landing_pages_api import CATALOG, ai
from tests.fakes.llm_server import FakeLLM
from tests.support import Stack, own_stack


def build(stack: Stack, tenant: Tenant, page_id: int, body: dict[str, Any]) -> list[tuple[str, Any]]:
    with httpx.stream("POST", f"{stack.base_url}/api/ai-pages/pages/{page_id}/build/",
                      headers=tenant.headers, json=body, timeout=60) as response:
        assert response.status_code == 200, response.read()
        return read_events(response)


def new_page(stack: Stack, tenant: Tenant, slug: str) -> dict[str, Any]:
    created = ai(stack, "POST", "/pages/", tenant.headers, {"slug": slug, "title": slug.title()})
    assert created.status_code == 201, created.text
    page: dict[str, Any] = created.json()
    return page


@pytest.fixture(scope="module")
def shop(stack: Stack) -> Tenant:
    tenant = new_tenant(stack, "Builder Shop")
    project = new_project(stack, tenant, "Apparel")
    manual_source(stack, tenant, project["id"], CATALOG)
    return tenant


def test_the_offline_agent_follows_plain_instructions(stack: Stack, shop: Tenant) -> None:
    page = new_page(stack, shop, "winter")
    events = build(stack, shop, page["id"], {
        "message": "Add a hero titled “Winter sale”. Show hoodie under 60 €.", "agent": "offline"})
    blocks = [data for name, data in events if name == "block"]
    assert [(b["operation"], b["block"]["type"]) for b in blocks] == [  # events: see below
        ("add", "hero"), ("add", "product_grid")], events
    assert blocks[0]["block"]["props"]["headline"] == "Winter sale"  # words: no embeddings here
    assert blocks[1]["block"]["props"]["product_skus"] == ["HOOD-1"], "64.00 is over 60"
    assert all(b["by"] == "agent" for b in blocks)
    assert events[-1][0] == "done" and events[-1][1]["applied"] == 2
    stored = ai(stack, "GET", f"/pages/{page['id']}/", shop.headers).json()
    assert [b["type"] for b in stored["blocks"]] == ["hero", "product_grid"]
    assert stored["product_skus"] == ["HOOD-1"]

    more = build(stack, shop, page["id"], {
        "message": "add a testimonial from Ana: Lovely fit; move the testimonial to the top;"
                   " remove the hero; sing a song", "agent": "offline"})
    assert [d["operation"] for n, d in more if n == "block"] == ["add", "move", "remove"]
    said = " ".join(d["text"] for n, d in more if n == "text")
    assert "did not understand “sing a song”" in said
    assert [b["type"] for b in more[-1][1]["blocks"]] == ["testimonial", "product_grid"]


def test_a_users_operations_are_checked_and_the_history_says_who(
    stack: Stack, shop: Tenant,
) -> None:
    page = new_page(stack, shop, "history")
    path = f"/pages/{page['id']}/operations/"
    added = ai(stack, "POST", path, shop.headers,
               {"operation": "add", "type": "hero", "props": {"headline": "Hello"}})
    assert added.status_code == 200, added.text
    assert added.json()["block_id"] == "hero-1"
    bad = ai(stack, "POST", path, shop.headers,
             {"operation": "update", "block_id": "hero-1", "props": {"headline": ""}})
    assert bad.status_code == 422 and "props.headline" in bad.json()["detail"], bad.text
    unknown = ai(stack, "POST", path, shop.headers, {"operation": "remove", "block_id": "nope"})
    assert unknown.status_code == 422 and "no block 'nope'" in unknown.json()["detail"]
    build(stack, shop, page["id"], {"message": "change the headline to Bye", "agent": "offline"})
    history = ai(stack, "GET", f"/pages/{page['id']}/history/", shop.headers).json()
    assert [(h["operation"], h["block_id"], h["actor"]) for h in history] == [
        ("add", "hero-1", "user"), ("update", "hero-1", "agent")]
    assert all(h["user_id"] for h in history), "the agent acts for the user who asked"


def test_another_organizations_page_is_not_found_and_bad_bodies_are_refused(
    stack: Stack, shop: Tenant,
) -> None:
    page = new_page(stack, shop, "private")
    stranger = new_tenant(stack, "Builder Stranger")
    for method, tail, body in [("POST", "build/", {"message": "add a hero titled X"}),
                               ("POST", "operations/", {"operation": "remove", "block_id": "x"}),
                               ("GET", "history/", None)]:
        answer = ai(stack, method, f"/pages/{page['id']}/{tail}", stranger.headers, body)
        assert answer.status_code == 404, (tail, answer.text)
    assert ai(stack, "POST", f"/pages/{page['id']}/build/", shop.headers,
              {"message": ""}).status_code == 400
    assert ai(stack, "POST", f"/pages/{page['id']}/build/", shop.headers,
              {"message": "x" * 5000}).status_code == 400
    no_key = ai(stack, "POST", f"/pages/{page['id']}/build/", shop.headers,
                {"message": "hi", "agent": "claude"})
    assert no_key.status_code == 422 and "Anthropic" in no_key.json()["detail"]


def test_the_builder_is_closed_while_the_organization_is_past_its_page_limit(
    stack: Stack,
) -> None:
    small = new_tenant(stack, "Builder Small")

    def limit(pages: int) -> None:
        answer = httpx.patch(f"{stack.base_url}/api/v1/organization", headers=small.headers,
                             json={"settings": {"page_limit": pages}}, timeout=30)
        assert answer.status_code == 200, answer.text

    limit(2)
    first, second = new_page(stack, small, "first"), new_page(stack, small, "second")
    assert build(stack, small, first["id"], {"message": "add a hero titled Hello"})
    limit(1)  # the organization now has one page more than it may have
    for tail, body in [("build/", {"message": "add a hero titled Again"}),
                       ("operations/", {"operation": "add", "type": "hero",
                                        "props": {"title": "Mine"}})]:
        refused = ai(stack, "POST", f"/pages/{first['id']}/{tail}", small.headers, body)
        assert refused.status_code == 403 and "page limit" in refused.json()["detail"], tail
    assert ai(stack, "DELETE", f"/pages/{second['id']}/", small.headers).status_code == 204
    events = build(stack, small, first["id"], {"message": "add a hero titled Again"})
    assert any(name == "block" for name, _ in events), events


@pytest.fixture(scope="module")
def claude_stack(servers: EmbeddedServers, llm_server: FakeLLM,
                 tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with own_stack(servers.database_url, tmp_path_factory.mktemp("builder-stack"), worker=False,
                   anthropic_base_url=llm_server.anthropic_base_url,
                   anthropic_api_key="platform-anthropic-builder-key",
                   llm_timeout_seconds=5.0) as stack:
        yield stack


def _use(name: str, **arguments: Any) -> dict[str, Any]:
    return {"type": "tool_use", "name": name, "input": arguments}


def test_claude_adds_updates_moves_and_removes_and_hears_of_its_invalid_operation(
    claude_stack: Stack, fake_llm: FakeLLM,
) -> None:
    tenant = new_tenant(claude_stack, "Builder Claude")
    page = new_page(claude_stack, tenant, "claude")
    fake_llm.script_turns(
        [{"type": "text", "text": "Let me look."}, _use("read_page")],
        [_use("add_block", type="hero", props={"headline": "Spring"}),
         _use("add_block", type="cta_banner", props={"text": "Buy"}),
         _use("add_block", type="text_section", props={"body": "Fresh picks."})],
        [_use("update_block", block_id="hero-1", props={"subheadline": "New in"}),
         _use("move_block", block_id="text_section-1", position=0),
         _use("remove_block", block_id="hero-1")],
        [{"type": "text", "text": "Done: a text section remains."}],
    )
    events = build(claude_stack, tenant, page["id"], {"message": "make a spring page"})
    names = [name for name, _ in events]
    assert names.count("block") == 5 and names[-1] == "done"
    errors = [data for name, data in events if name == "error"]
    assert len(errors) == 1 and errors[0]["recoverable"] is True
    assert "button_text" in errors[0]["detail"] or "button_url" in errors[0]["detail"]
    texts = [data["text"] for name, data in events if name == "text"]
    assert texts == ["Let me look.", "Done: a text section remains."]
    assert [b["type"] for b in events[-1][1]["blocks"]] == ["text_section"]
    assert (events[-1][1]["applied"], events[-1][1]["refused"]) == (5, 1)

    sent = [r for r in fake_llm.requests if r.api == "anthropic"]
    assert len(sent) == 4 and sent[0].api_key == "platform-anthropic-builder-key"
    assert {t["name"] for t in sent[0].body["tools"]} >= {
        "read_page", "search_products", "add_block", "update_block", "remove_block", "move_block"}
    answers = sent[2].body["messages"][-1]["content"]
    assert [a["is_error"] for a in answers] == [False, True, False]
    assert "button" in answers[1]["content"], "the refusal is told to Claude in words"
    history = ai(claude_stack, "GET", f"/pages/{page['id']}/history/", tenant.headers).json()
    assert [h["operation"] for h in history] == ["add", "add", "update", "move", "remove"]
    assert {h["actor"] for h in history} == {"agent"}
