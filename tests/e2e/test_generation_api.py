"""Generation over HTTP against the running stack, with the offline template writer: generate,
review, regenerate the rejected ones, usage, balance refusals, SSE streams, bad requests."""

from decimal import Decimal
from uuid import uuid4

import httpx
import pytest

from tests.e2e.catalog_steps import call, new_project
from tests.e2e.generation_steps import (
    FINISHED,
    charges_per_reference,
    items_of,
    post,
    project_with_products,
    read_events,
    set_status,
    stack_balance,
    use_up_balance,
)
from tests.e2e.helpers import Tenant, new_tenant
from tests.support import Stack, wait_until


@pytest.fixture(scope="module")
def tenant(stack: Stack) -> Tenant:
    return new_tenant(stack, "Generation Shop")


def job_status(stack: Stack, tenant: Tenant, job_id: str) -> dict[str, object]:
    body: dict[str, object] = call(stack, "GET", f"/jobs/{job_id}", tenant.headers).json()
    return body


def test_generate_writes_every_pending_item_charges_it_and_lists_the_usage(
    stack: Stack, tenant: Tenant
) -> None:
    project, item_ids = project_with_products(stack, tenant, 5)
    before = sum(stack_balance(stack, tenant))
    response = post(stack, tenant, f"/projects/{project}/generate",
                    {"ai_provider": "template", "tone": "friendly"})
    assert response.status_code == 200, response.text
    results = response.json()
    job_id = response.headers["X-Job-Id"]
    assert sorted(r["item_id"] for r in results) == sorted(item_ids)
    assert all(r["status"] in ("generated", "flagged") for r in results)
    assert all(0 <= r["confidence_score"] <= 1 and Decimal(r["xct_cost"]) > 0 for r in results)
    items = items_of(stack, tenant, project)
    assert all(items[i]["status"] in ("generated", "flagged") for i in item_ids)
    assert all(items[i]["generated_content"]["short_description"] for i in item_ids)
    assert charges_per_reference(stack.settings, job_id) == {f"{job_id}:{i}": 1 for i in item_ids}
    charged = sum(Decimal(r["xct_cost"]) for r in results)
    wait_until(lambda: before - sum(stack_balance(stack, tenant)) == charged, 10,
               "the balance to show the charges")
    usage = call(stack, "GET", "/usage", tenant.headers).json()
    mine = [u for u in usage if str(u["reference_id"]).startswith(job_id)]
    assert len(mine) == 5
    assert {u["ai_provider"] for u in mine} == {"template"}
    assert {u["content_type"] for u in mine} == {"product_description"}
    assert all(u["input_tokens"] > 0 and u["output_tokens"] > 0 for u in mine)
    summary = call(stack, "GET", "/usage/summary", tenant.headers, params={"days": 7}).json()
    assert summary["by_provider"]["template"]["requests"] >= 5
    assert summary["by_content_type"]["product_description"]["requests"] >= 5
    assert summary["total_input_tokens"] >= sum(u["input_tokens"] for u in mine)


def test_regenerate_rejected_writes_only_the_rejected_items_again(
    stack: Stack, tenant: Tenant
) -> None:
    project, item_ids = project_with_products(stack, tenant, 5, prefix="R")
    first = post(stack, tenant, f"/projects/{project}/generate")
    assert first.status_code == 200, first.text
    set_status(stack, tenant, project, item_ids[0], "approved")
    set_status(stack, tenant, project, item_ids[1], "rejected")
    set_status(stack, tenant, project, item_ids[2], "rejected")
    set_status(stack, tenant, project, item_ids[3], "flagged")
    response = post(stack, tenant, f"/projects/{project}/regenerate-rejected")
    assert response.status_code == 200, response.text
    assert sorted(r["item_id"] for r in response.json()) == sorted(item_ids[1:3])
    items = items_of(stack, tenant, project)
    assert items[item_ids[0]]["status"] == "approved"
    assert items[item_ids[3]]["status"] == "flagged"
    assert {items[i]["status"] for i in item_ids[1:3]} <= {"generated", "flagged"}
    job_id = response.headers["X-Job-Id"]
    assert charges_per_reference(stack.settings, job_id) == {
        f"{job_id}:{i}": 1 for i in item_ids[1:3]}


def test_regenerating_one_item_answers_the_item_with_its_new_copy(
    stack: Stack, tenant: Tenant
) -> None:
    project, item_ids = project_with_products(stack, tenant, 2, prefix="S")
    assert post(stack, tenant, f"/projects/{project}/generate").status_code == 200
    set_status(stack, tenant, project, item_ids[0], "rejected")
    response = post(stack, tenant, f"/projects/{project}/items/{item_ids[0]}/regenerate",
                    {"tone": "luxury", "max_short_chars": 150})
    assert response.status_code == 200, response.text
    item = response.json()
    assert item["id"] == item_ids[0] and item["status"] in ("generated", "flagged")
    assert len(item["generated_content"]["short_description"]) <= 150


def test_a_client_sees_the_stream_of_a_generation_in_order_ending_with_done(
    stack: Stack, tenant: Tenant
) -> None:
    project, item_ids = project_with_products(stack, tenant, 4, prefix="T")
    with httpx.stream("POST", f"{stack.base_url}/api/v1/projects/{project}/generate/stream",
                      headers=tenant.headers, json={}, timeout=60) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        events = read_events(response)
    names = [name for name, _ in events if name != "heartbeat"]
    assert names[-1] == "done" and "progress" in names
    assert sorted(d["detail"]["item_id"] for n, d in events if n == "item") == sorted(item_ids)
    done = events[-1][1]
    assert done["status"] == "completed" and done["succeeded"] == 4


def test_leaving_the_stream_does_not_stop_the_generation(stack: Stack, tenant: Tenant) -> None:
    project, _ = project_with_products(stack, tenant, 30, prefix="U")
    with httpx.stream("POST", f"{stack.base_url}/api/v1/projects/{project}/generate/stream",
                      headers=tenant.headers, json={}, timeout=60) as response:
        assert response.status_code == 200
        job_id = response.headers["X-Job-Id"]
        assert read_events(response, until="progress")[-1][0] == "progress"
    wait_until(lambda: job_status(stack, tenant, job_id)["status"] in FINISHED, 60,
               "the job to finish")
    assert job_status(stack, tenant, job_id)["succeeded"] == 30
    assert all(i["status"] != "pending" for i in items_of(stack, tenant, project).values())


def test_a_second_generation_while_one_runs_is_refused(stack: Stack, tenant: Tenant) -> None:
    project, _ = project_with_products(stack, tenant, 200, prefix="V")
    with httpx.stream("POST", f"{stack.base_url}/api/v1/projects/{project}/generate/stream",
                      headers=tenant.headers, json={}, timeout=60) as response:
        job_id = response.headers["X-Job-Id"]
        second = post(stack, tenant, f"/projects/{project}/regenerate")
    status = job_status(stack, tenant, job_id)["status"]
    if status not in FINISHED:  # the first one was still running when the second came
        assert second.status_code == 409, second.text
    wait_until(lambda: job_status(stack, tenant, job_id)["status"] in FINISHED, 90,
               "the job to finish")


def test_the_same_idempotency_key_does_not_start_a_second_generation(
    stack: Stack, tenant: Tenant
) -> None:
    project, _ = project_with_products(stack, tenant, 3, prefix="W")
    headers = {"Idempotency-Key": str(uuid4())}
    first = post(stack, tenant, f"/projects/{project}/generate", headers=headers)
    again = post(stack, tenant, f"/projects/{project}/generate", headers=headers)
    assert first.status_code == again.status_code == 200
    assert first.headers["X-Job-Id"] == again.headers["X-Job-Id"]
    jobs = call(stack, "GET", f"/projects/{project}/jobs", tenant.headers).json()
    assert len(jobs) == 1


def test_an_empty_balance_is_refused_with_402_before_any_work(stack: Stack) -> None:
    broke = new_tenant(stack, "Broke Shop")
    project, item_ids = project_with_products(stack, broke, 3, prefix="X")
    use_up_balance(stack, broke)
    wait_until(lambda: sum(stack_balance(stack, broke)) == 0, 10, "the balance to be empty")
    for path in ("/generate", "/generate/stream", "/regenerate", f"/items/{item_ids[0]}/regenerate"):
        response = post(stack, broke, f"/projects/{project}{path}")
        assert response.status_code == 402, (path, response.text)
    assert call(stack, "GET", f"/projects/{project}/jobs", broke.headers).json() == []
    assert all(i["status"] == "pending" for i in items_of(stack, broke, project).values())


def test_another_organizations_project_is_not_found(stack: Stack, tenant: Tenant) -> None:
    other = new_tenant(stack, "Other Shop")
    project, item_ids = project_with_products(stack, other, 1, prefix="Y")
    for path in ("/generate", "/generate/stream", "/regenerate-rejected",
                 f"/items/{item_ids[0]}/regenerate"):
        response = post(stack, tenant, f"/projects/{project}{path}")
        assert response.status_code == 404, (path, response.text)
    assert post(stack, tenant, f"/projects/{uuid4()}/generate").status_code == 404


@pytest.mark.parametrize(("body", "named"), [
    ({"ai_provider": "skynet"}, "skynet"),
    ({"ai_provider": "anthropic", "ai_model": "gpt-4o-mini"}, "gpt-4o-mini"),
    ({"language": "tlh"}, "tlh"),
    ({"tone": "sarcastic"}, "sarcastic"),
    ({"content_type": "poem"}, "poem"),
    ({"max_short_chars": 0}, "max_short_chars"),
    ({"max_long_chars": 10_000_000}, "max_long_chars"),
    ({"max_short_chars": "long"}, "max_short_chars"),
    ({"generate_short": False, "generate_long": False}, "generate_short"),
    ({"item_ids": ["not-a-uuid"]}, "item_ids"),
    ({"item_ids": [str(uuid4())]}, "not found"),
])
def test_a_bad_generation_request_is_refused_naming_the_problem(
    stack: Stack, tenant: Tenant, body: dict[str, object], named: str
) -> None:
    project = new_project(stack, tenant)["id"]
    response = post(stack, tenant, f"/projects/{project}/generate", body)
    assert 400 <= response.status_code < 500, response.text
    assert named in response.text
    assert call(stack, "GET", f"/projects/{project}/jobs", tenant.headers).json() == []


def test_the_reference_lists_come_from_the_generation_context(stack: Stack, tenant: Tenant) -> None:
    providers = call(stack, "GET", "/ai-providers", tenant.headers).json()
    anthropic = next(p for p in providers if p["id"] == "anthropic")
    assert anthropic["default_model"] in anthropic["models"]
    assert {m["tier"] for m in anthropic["model_tiers"]} <= {"economy", "standard", "premium"}
    tones = call(stack, "GET", "/tones", tenant.headers).json()
    assert {"professional", "minimalist"} <= {t["id"] for t in tones if not t["is_custom"]}
    types = call(stack, "GET", "/content-types", tenant.headers).json()
    assert [t["id"] for t in types] == ["product_description", "seo_meta"]


def test_usage_dates_filter_the_records(stack: Stack, tenant: Tenant) -> None:
    future = call(stack, "GET", "/usage", tenant.headers,
                  params={"start_date": "2999-01-01T00:00:00Z"})
    assert future.status_code == 200 and future.json() == []
    backwards = call(stack, "GET", "/usage", tenant.headers,
                     params={"start_date": "2030-01-01T00:00:00Z",
                             "end_date": "2020-01-01T00:00:00Z"})
    assert backwards.status_code in (400, 422)
    assert call(stack, "GET", "/usage/summary", tenant.headers,
                params={"days": 0}).status_code == 400
