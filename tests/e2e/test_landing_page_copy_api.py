"""Landing pages written by a text model over real HTTP: a regeneration and a bulk
generation naming `ai_provider` send the page's products to the model (the fake OpenAI and
Anthropic servers), put its texts on the page and charge its tokens once; copy inventing a
number or a claim is refused and the page keeps what it had; an unknown provider or one
nobody has a key for is refused before anything is queued."""

import json
from decimal import Decimal
from typing import Any

import httpx
import pytest

from tests.e2e.catalog_steps import manual_source, new_project
from tests.e2e.helpers import Tenant, new_tenant
from tests.e2e.test_landing_pages_api import CATALOG, ai, wait_for_job
from tests.fakes.llm_server import FakeLLM
from tests.support import Stack


def shop_with_catalog(stack: Stack, name: str) -> Tenant:
    shop = new_tenant(stack, name)
    project = new_project(stack, shop, "Apparel")
    manual_source(stack, shop, project["id"], CATALOG)
    return shop


def usage(stack: Stack, shop: Tenant) -> list[dict[str, Any]]:
    ledger = httpx.get(f"{stack.base_url}/api/v1/billing/transactions", headers=shop.headers,
                       timeout=30).json()["transactions"]
    return [t for t in ledger if t["transaction_type"] == "usage"]


@pytest.mark.parametrize("provider", ["openai", "anthropic"])
def test_a_regeneration_with_a_model_writes_the_pages_texts_from_its_products(
    llm_stack: Stack, fake_llm: FakeLLM, provider: str,
) -> None:
    shop = shop_with_catalog(llm_stack, f"Copy Writer {provider}")
    page = ai(llm_stack, "POST", "/pages/", shop.headers,
              {"slug": "hoodies", "title": "hoodie"}).json()
    queued = ai(llm_stack, "POST", f"/pages/{page['id']}/regenerate/", shop.headers,
                {"ai_provider": provider})
    assert queued.status_code == 202, queued.text

    job = wait_for_job(llm_stack, shop, queued.json()["job_id"])

    assert job["status"] == "completed", job
    sent = [r for r in fake_llm.requests if r.user.startswith("Landing page:")]
    assert len(sent) == 1 and sent[0].api == provider
    assert "Hooded sweatshirt" in sent[0].user or "Zip hoodie" in sent[0].user
    written = ai(llm_stack, "GET", f"/pages/{page['id']}/", shop.headers).json()
    assert written["intro_copy"] == "Welcome to hoodie, a page picked for you from our store."
    text = next(b for b in written["blocks"] if b["type"] == "text_section")
    assert text["props"]["body"].startswith("On this page:")
    charged = usage(llm_stack, shop)
    assert len(charged) == 1 and Decimal(charged[0]["amount"]) != 0


def test_copy_that_invents_a_number_or_a_claim_is_refused_and_the_page_kept(
    llm_stack: Stack, fake_llm: FakeLLM,
) -> None:
    shop = shop_with_catalog(llm_stack, "Copy Refused")
    page = ai(llm_stack, "POST", "/pages/", shop.headers,
              {"slug": "hoodie", "title": "hoodie"}).json()
    first = ai(llm_stack, "POST", f"/pages/{page['id']}/regenerate/", shop.headers)
    assert wait_for_job(llm_stack, shop, first.json()["job_id"])["status"] == "completed"
    before = ai(llm_stack, "GET", f"/pages/{page['id']}/", shop.headers).json()
    fake_llm.answer = json.dumps({"intro_copy": "Award-winning hoodies, now 30% off!",
                                  "body": "The best you can buy."})

    queued = ai(llm_stack, "POST", f"/pages/{page['id']}/regenerate/", shop.headers,
                {"ai_provider": "openai", "ai_model": "gpt-4o-mini"})
    job = wait_for_job(llm_stack, shop, queued.json()["job_id"])

    assert job["status"] == "failed", job
    assert fake_llm.last_request.model == "gpt-4o-mini"
    detail = json.dumps(job["progress_detail"])
    assert "refused" in detail and "30" in detail, detail
    after = ai(llm_stack, "GET", f"/pages/{page['id']}/", shop.headers).json()
    assert after["intro_copy"] == before["intro_copy"]
    assert len(usage(llm_stack, shop)) == 1, "only the first, offline, generation is charged"


def test_a_bulk_generation_with_a_model_writes_every_page_with_it(
    llm_stack: Stack, fake_llm: FakeLLM,
) -> None:
    shop = shop_with_catalog(llm_stack, "Copy Bulk")
    for text in ("hoodie", "coffee mug"):
        ai(llm_stack, "POST", "/queries/", shop.headers, {"text": text})
    queued = ai(llm_stack, "POST", "/pages/bulk-generate/", shop.headers,
                {"ai_provider": "anthropic"})
    assert queued.status_code == 202, queued.text
    wait_for_job(llm_stack, shop, queued.json()["job_id"])

    pages = ai(llm_stack, "GET", "/pages/", shop.headers).json()
    assert len(pages) == 2
    for listed in pages:
        page = ai(llm_stack, "GET", f"/pages/{listed['id']}/", shop.headers).json()
        assert page["intro_copy"].startswith("Welcome to "), page
    assert sum(r.user.startswith("Landing page:") for r in fake_llm.requests) == 2
    assert len(usage(llm_stack, shop)) == 2


def test_an_unknown_provider_or_one_without_a_key_is_refused_before_queueing(
    stack: Stack,
) -> None:
    shop = new_tenant(stack, "Copy Bad Input")
    page = ai(stack, "POST", "/pages/", shop.headers, {"slug": "p", "title": "P"}).json()
    for body, named in [({"ai_provider": "nobody"}, "nobody"),
                        ({"ai_provider": "deepseek"}, "deepseek"),
                        ({"ai_provider": "openai", "ai_model": "m" * 101}, "ai_model"),
                        ({"ai_provider": "openai", "colour": "red"}, "colour")]:
        for path in (f"/pages/{page['id']}/regenerate/", "/pages/bulk-generate/"):
            refused = ai(stack, "POST", path, shop.headers, body)
            assert refused.status_code in (400, 422), (body, refused.text)
            assert named in refused.text, (body, refused.text)
    assert ai(stack, "GET", "/bulk-jobs/", shop.headers).json() == []
    assert ai(stack, "GET", f"/pages/{page['id']}/", shop.headers).json()["generated_at"] is None
