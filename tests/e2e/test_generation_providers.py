"""Generation through the real Anthropic and OpenAI clients against the fake LLM server.

It runs on `llm_stack` (tests/e2e/conftest.py), whose settings point the providers' base URLs
at the session's fake server and give platform keys, so the shared `stack` keeps the defaults.
The fake's latency and failures are scripted per test."""

from collections import Counter
from decimal import Decimal
from typing import Any
from uuid import uuid4

import psycopg
import pytest

from adapters.postgres.codec import decode_event
from domain.catalog.events import ContentGenerated
from tests.e2e.catalog_steps import call
from tests.e2e.conftest import PLATFORM_ANTHROPIC, PLATFORM_OPENAI
from tests.e2e.generation_steps import (
    FINISHED,
    charges_per_reference,
    items_of,
    post,
    project_with_products,
    set_status,
)
from tests.e2e.helpers import Tenant, new_tenant
from tests.fakes.llm_server import Failure, FakeLLM
from tests.support import Stack, wait_until

ANTHROPIC = {"ai_provider": "anthropic", "ai_model": "claude-haiku-4-5"}


@pytest.fixture(scope="module")
def tenant(llm_stack: Stack) -> Tenant:
    return new_tenant(llm_stack, "Provider Shop")


def one_item(stack: Stack, tenant: Tenant, prefix: str) -> tuple[str, str]:
    """A project with one product no earlier prompt has named (so nothing is cached)."""
    project, ids = project_with_products(stack, tenant, 1, prefix + uuid4().hex[:8])
    return project, ids[0]


def test_anthropic_writes_with_the_platform_key_the_tone_and_the_model(
    llm_stack: Stack, tenant: Tenant, fake_llm: FakeLLM
) -> None:
    project, item_ids = project_with_products(llm_stack, tenant, 3, "A")
    response = post(llm_stack, tenant, f"/projects/{project}/generate",
                    {**ANTHROPIC, "tone": "technical"})
    assert response.status_code == 200, response.text
    results = response.json()
    assert {r["ai_provider"] for r in results} == {"anthropic"}
    assert all(Decimal(r["xct_cost"]) > 0 and not r["cached"] for r in results)
    sent = [r for r in fake_llm.requests if r.api == "anthropic"]
    assert len(sent) == 3
    assert {r.api_key for r in sent} == {PLATFORM_ANTHROPIC}
    assert {r.model for r in sent} == {"claude-haiku-4-5"}
    assert all("technical voice" in r.system for r in sent)
    items = items_of(llm_stack, tenant, project)
    assert {items[i]["ai_model_used"] for i in item_ids} == {"claude-haiku-4-5"}


def test_the_organizations_own_key_comes_before_the_platform_key(
    llm_stack: Stack, tenant: Tenant, fake_llm: FakeLLM
) -> None:
    own = new_tenant(llm_stack, "Own Key Shop")
    changed = call(llm_stack, "PATCH", "/organization/api-keys", own.headers,
                   {"anthropic_api_key": "org-own-anthropic-key"})
    assert changed.status_code == 200, changed.text
    project, _ = one_item(llm_stack, own, "B")
    assert post(llm_stack, own, f"/projects/{project}/generate", ANTHROPIC).status_code == 200
    assert fake_llm.last_request.api_key == "org-own-anthropic-key"


def test_openai_writes_through_the_chat_completions_api(
    llm_stack: Stack, tenant: Tenant, fake_llm: FakeLLM
) -> None:
    project, _ = one_item(llm_stack, tenant, "C")
    response = post(llm_stack, tenant, f"/projects/{project}/generate",
                    {"ai_provider": "openai", "ai_model": "gpt-4o-mini", "language": "de"})
    assert response.status_code == 200, response.text
    assert response.json()[0]["ai_model"] == "gpt-4o-mini"
    request = fake_llm.last_request
    assert (request.api, request.api_key, request.model) == ("openai", PLATFORM_OPENAI,
                                                             "gpt-4o-mini")


def test_the_same_prompt_again_is_answered_from_the_cache_for_nothing_but_not_on_regenerate(
    llm_stack: Stack, tenant: Tenant, fake_llm: FakeLLM
) -> None:
    project, item_id = one_item(llm_stack, tenant, "D")
    first = post(llm_stack, tenant, f"/projects/{project}/generate", ANTHROPIC).json()[0]
    assert Decimal(first["xct_cost"]) > 0
    set_status(llm_stack, tenant, project, item_id, "pending")
    again = post(llm_stack, tenant, f"/projects/{project}/generate", ANTHROPIC)
    assert again.status_code == 200, again.text
    cached = again.json()[0]
    assert cached["cached"] and Decimal(cached["xct_cost"]) == 0
    assert charges_per_reference(llm_stack.settings, again.headers["X-Job-Id"]) == {}
    assert fake_llm.request_count == 1
    fresh = post(llm_stack, tenant, f"/projects/{project}/regenerate", ANTHROPIC)
    assert fresh.status_code == 200, fresh.text
    assert not fresh.json()[0]["cached"] and Decimal(fresh.json()[0]["xct_cost"]) > 0
    assert fake_llm.request_count == 2


def test_a_worker_killed_mid_job_leaves_one_outcome_and_one_charge_per_item(
    llm_stack: Stack, tenant: Tenant, fake_llm: FakeLLM
) -> None:
    # before the failure tests below: a worker's circuit breaker they open would fail items fast
    fake_llm.latency = 0.5
    project, item_ids = project_with_products(llm_stack, tenant, 40, "G")
    response = post(llm_stack, tenant, f"/projects/{project}/jobs",
                    {"job_type": "content.generate", "payload": {"settings": ANTHROPIC}})
    assert response.status_code == 200, response.text
    job_id = response.json()["job_id"]
    wait_until(lambda: fake_llm.request_count >= 6, 30, "the job to be under way")
    llm_stack.processes.kill("worker")
    try:
        wait_until(lambda: call(llm_stack, "GET", f"/jobs/{job_id}", tenant.headers)
                   .json()["status"] in FINISHED, 120, "the job to finish")
    finally:
        llm_stack.processes.start("worker", "worker")
    job = call(llm_stack, "GET", f"/jobs/{job_id}", tenant.headers).json()
    errors = Counter(i["error"] for i in job["progress_detail"] if i["error"])
    assert (job["status"], job["succeeded"]) == ("completed", 40), errors
    assert charges_per_reference(llm_stack.settings, job_id) == {
        f"{job_id}:{i}": 1 for i in item_ids}
    assert generated_per_item(llm_stack, job_id) == Counter(item_ids)


@pytest.mark.parametrize("failures", [
    ["500"], ["529"], [Failure("429", retry_after="1")],
])
def test_a_provider_failing_once_is_retried_and_the_item_written(
    llm_stack: Stack, tenant: Tenant, fake_llm: FakeLLM, failures: list[Any]
) -> None:
    project, _ = one_item(llm_stack, tenant, "E")
    fake_llm.fail(*failures)
    response = post(llm_stack, tenant, f"/projects/{project}/generate", ANTHROPIC)
    assert response.status_code == 200, response.text
    assert response.json()[0]["status"] in ("generated", "flagged")
    sent = fake_llm.requests
    assert len(sent) == 2
    if isinstance(failures[0], Failure):
        assert sent[1].at - sent[0].at >= 0.9  # the retry-after was honoured


@pytest.mark.parametrize("kind", ["529", "hang"])
def test_a_provider_failing_every_attempt_fails_the_item_for_nothing_and_the_job_ends(
    llm_stack: Stack, tenant: Tenant, fake_llm: FakeLLM, kind: str
) -> None:
    project, item_id = one_item(llm_stack, tenant, "F")
    fake_llm.fail(*[kind] * 4)
    response = post(llm_stack, tenant, f"/projects/{project}/generate", ANTHROPIC)
    assert response.status_code == 200, response.text
    [result] = response.json()
    assert result["status"] == "failed" and Decimal(result["xct_cost"]) == 0
    assert result["error"]
    job_id = response.headers["X-Job-Id"]
    job = call(llm_stack, "GET", f"/jobs/{job_id}", tenant.headers).json()
    assert (job["status"], job["failed"]) == ("failed", 1)  # it ended: its only item failed
    assert charges_per_reference(llm_stack.settings, job_id) == {}
    assert items_of(llm_stack, tenant, project)[item_id]["status"] == "pending"
    # it recovers: at once, or once the worker's circuit breaker (opened by failures in a row
    # there) lets a trial call through after its cooldown
    wait_until(lambda: post(llm_stack, tenant, f"/projects/{project}/generate", ANTHROPIC)
               .json()[0]["status"] in ("generated", "flagged"), 60, "the provider to answer again")


def generated_per_item(stack: Stack, job_id: str) -> Counter[str]:
    with psycopg.connect(stack.settings.database_url) as conn:
        rows = conn.execute("SELECT originator_id, topic, state FROM events WHERE topic LIKE %s",
                            ("%ContentGenerated%",)).fetchall()
    return Counter(str(origin) for origin, topic, state in rows
                   if isinstance(event := decode_event(topic, bytes(state))[0], ContentGenerated)
                   and str(event.job_id) == job_id)
