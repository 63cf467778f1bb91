"""Blog posts written by the language models over real HTTP (the session's fake LLM server):
Anthropic with the platform key and its answer cached, a provider that refuses, the
OpenAI-compatible providers through Chat Completions, and an organization that cannot pay."""

import json
from collections.abc import Iterator

import pytest

from adapters.embedded import EmbeddedServers
from tests.e2e.blog_post_steps import (
    PRODUCTS,
    blog_llm_stack,
    camping_project,
    create,
    wait_written,
)
from tests.e2e.catalog_steps import call, manual_source, new_project
from tests.e2e.conftest import PLATFORM_ANTHROPIC, PLATFORM_OPENAI
from tests.e2e.generation_steps import charges_per_reference, use_up_balance
from tests.e2e.helpers import Tenant, new_tenant
from tests.fakes.llm_server import FakeLLM
from tests.support import Stack


@pytest.fixture(scope="module")
def llm_stack(servers: EmbeddedServers, llm_server: FakeLLM,
              tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    yield from blog_llm_stack(servers, llm_server, tmp_path_factory)


@pytest.fixture(scope="module")
def tenant(llm_stack: Stack) -> Tenant:
    return new_tenant(llm_stack, "Camping Shop")


@pytest.fixture(scope="module")
def project(llm_stack: Stack, tenant: Tenant) -> tuple[str, list[str]]:
    return camping_project(llm_stack, tenant)


ANSWER = {
    "title": "Cold-night camping: the kit that matters",
    "content": "<p>Cold nights ask for a Ridge tent, a Down sleeping bag and a Foam sleeping"
               " mat.</p><script>alert(1)</script><h2>The kit</h2><p>Each is in our shop.</p>",
    "excerpt": "The kit for cold nights.", "focus_keyword": "cold-night camping",
    "meta_title": "Cold-night camping kit", "meta_description": "What to bring for cold nights.",
}


def test_a_language_model_writes_the_post_with_the_platform_key_and_its_answer_is_cached(
    llm_stack: Stack, tenant: Tenant, project: tuple[str, list[str]], fake_llm: FakeLLM
) -> None:
    project_id, item_ids = project
    fake_llm.answer = json.dumps(ANSWER)
    settings = {"ai_provider": "anthropic", "ai_model": "claude-haiku-4-5", "tone": "friendly"}
    made = create(llm_stack, tenant, project_id, topic="cold-night camping",
                  source_item_ids=item_ids, ai_settings=settings).json()
    post = wait_written(llm_stack, tenant, project_id, made["id"])
    assert post["status"] == "draft", post
    assert post["title"] == ANSWER["title"]
    assert "<script" not in post["content"] and "Ridge tent" in post["content"]
    assert post["seo_meta"] == {"title": "Cold-night camping kit",
                                "description": "What to bring for cold nights.",
                                "focus_keyword": "cold-night camping"}
    sent = [r for r in fake_llm.requests if r.api == "anthropic"]
    assert len(sent) == 1 and sent[0].api_key == PLATFORM_ANTHROPIC
    assert "Ridge tent" in sent[0].user and "friendly" in sent[0].user
    assert charges_per_reference(llm_stack.settings, made["job_id"]) == {
        f"{made['job_id']}:post": 1}
    twin = create(llm_stack, tenant, project_id, topic="cold-night camping",
                  source_item_ids=item_ids, ai_settings=settings).json()
    twin = wait_written(llm_stack, tenant, project_id, twin["id"])
    assert twin["title"] == ANSWER["title"] and twin["slug"] == post["slug"] + "-2"
    assert len([r for r in fake_llm.requests if r.api == "anthropic"]) == 1
    assert charges_per_reference(llm_stack.settings, twin["job_id"]) == {}


def test_a_provider_that_refuses_fails_the_post_at_no_cost(
    llm_stack: Stack, tenant: Tenant, project: tuple[str, list[str]], fake_llm: FakeLLM
) -> None:
    project_id, item_ids = project
    fake_llm.fail("401")
    made = create(llm_stack, tenant, project_id, topic="a refused post",
                  source_item_ids=item_ids[:1],
                  ai_settings={"ai_provider": "openai", "ai_model": "gpt-4o-mini"}).json()
    post = wait_written(llm_stack, tenant, project_id, made["id"])
    assert post["status"] == "generation_failed"
    assert post["generation_error"].startswith("openai")
    assert charges_per_reference(llm_stack.settings, made["job_id"]) == {}


@pytest.mark.parametrize(("provider", "model", "key"), [
    ("openai", "gpt-4o-mini", PLATFORM_OPENAI),
    ("deepseek", "deepseek-chat", "platform-deepseek-key"),
    ("google", "gemini-2.5-flash", "platform-google-key"),
])
def test_the_openai_compatible_providers_write_the_post_through_chat_completions(
    llm_stack: Stack, tenant: Tenant, project: tuple[str, list[str]], fake_llm: FakeLLM,
    provider: str, model: str, key: str
) -> None:
    project_id, item_ids = project
    fake_llm.answer = "Here is the post:\n```json\n" + json.dumps(ANSWER) + "\n```"
    made = create(llm_stack, tenant, project_id, topic=f"cold nights with {provider}",
                  source_item_ids=item_ids[:1],
                  ai_settings={"ai_provider": provider, "ai_model": model}).json()
    post = wait_written(llm_stack, tenant, project_id, made["id"])
    assert post["status"] == "draft" and post["title"] == ANSWER["title"], post
    sent = [r for r in fake_llm.requests if r.api == "openai"]
    assert len(sent) == 1 and (sent[0].api_key, sent[0].model) == (key, model)
    assert charges_per_reference(llm_stack.settings, made["job_id"]) == {
        f"{made['job_id']}:post": 1}


def test_an_organization_that_cannot_pay_gets_a_failed_post_and_is_charged_nothing(
    llm_stack: Stack
) -> None:
    broke = new_tenant(llm_stack, "Broke Shop")
    project_id = new_project(llm_stack, broke, "Broke")["id"]
    manual_source(llm_stack, broke, project_id, PRODUCTS[:1])
    item_id = call(llm_stack, "GET", f"/projects/{project_id}/items", broke.headers).json()[0]["id"]
    use_up_balance(llm_stack, broke)
    made = create(llm_stack, broke, project_id, source_item_ids=[item_id]).json()
    post = wait_written(llm_stack, broke, project_id, made["id"])
    assert (post["status"], post["generation_error"]) == ("generation_failed",
                                                         "insufficient XCT balance")
    assert charges_per_reference(llm_stack.settings, made["job_id"]) == {}
    assert call(llm_stack, "GET", f"/jobs/{made['job_id']}", broke.headers).json()[
        "status"] in ("completed", "failed")
