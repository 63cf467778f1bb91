"""Steps of the catalog's end-to-end flows: projects, manual sources, generated results."""

import json
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import httpx

from commands.generation.results import RecordGeneration, record_generation
from domain.generation.settings import GeneratedTexts, Validation
from tests.e2e.helpers import Tenant, run_commands
from tests.support import Stack

PROJECT_FIELDS = {"id", "name", "platform", "status", "settings", "created_at", "completed_at",
                  "item_count", "flagged_count", "source_count", "deleted_at", "status_counts",
                  "store_connection_id", "store_connection_name"}
ITEM_FIELDS = {"id", "external_id", "item_type", "source_data", "generated_content",
               "confidence_score", "status", "ai_model_used", "created_at", "data_source_id",
               "data_source_name", "metadata", "excluded_at"}
SOURCE_FIELDS = {"id", "project_id", "type", "name", "config", "status", "item_count",
                 "last_synced_at", "error_message", "created_at"}
SHIRTS = [
    {"external_id": "TEE", "item_type": "parent", "name": "Linen tee", "sku": "TEE",
     "url_key": "linen-tee", "price": "29.00"},
    {"external_id": "TEE-S", "item_type": "variant", "parent_external_id": "TEE",
     "name": "Linen tee S", "sku": "TEE-S", "size": "S"},
    {"external_id": "TEE-M", "item_type": "variant", "parent_external_id": "TEE",
     "name": "Linen tee M", "sku": "TEE-M", "size": "M"},
    {"sku": "MUG-1", "name": "Stoneware mug", "description": "A mug, 350 ml."},
]


def call(stack: Stack, method: str, path: str, headers: dict[str, str], body: object = None,
         **kwargs: Any) -> httpx.Response:
    """A request to `/api/v1<path>` (JSON body unless `data=` or `files=` is given)."""
    if body is not None:
        kwargs["json"] = body
    return httpx.request(method, f"{stack.base_url}/api/v1{path}", headers=headers,
                         timeout=30, **kwargs)


def new_project(stack: Stack, tenant: Tenant, name: str = "Linen shop",
                platform: str = "woocommerce") -> dict[str, Any]:
    response = call(stack, "POST", "/projects", tenant.headers,
                    data={"name": name, "platform": platform})
    assert response.status_code == 200, response.text
    project: dict[str, Any] = response.json()
    return project


def manual_source(stack: Stack, tenant: Tenant, project_id: str,
                  items: list[dict[str, Any]] | None = None,
                  name: str = "Manual Entry") -> dict[str, Any]:
    form = {"name": name, "items": json.dumps(SHIRTS if items is None else items)}
    response = call(stack, "POST", f"/projects/{project_id}/sources/manual", tenant.headers,
                    data=form)
    assert response.status_code == 200, response.text
    source: dict[str, Any] = response.json()
    return source


def items_by_external_id(stack: Stack, tenant: Tenant, project_id: str) -> dict[str, Any]:
    response = call(stack, "GET", f"/projects/{project_id}/items", tenant.headers)
    assert response.status_code == 200, response.text
    return {item["external_id"]: item for item in response.json()}


def generate(stack: Stack, tenant: Tenant, project_id: str, item_id: str,
             score: float = 0.92, short: str = "Breathable linen.") -> None:
    """What a generation job records for one item, straight through the command bus."""
    run_commands(stack, (record_generation, RecordGeneration(
        org_id=tenant.org_id, project_id=UUID(project_id), item_id=UUID(item_id),
        job_id=uuid4(), texts=GeneratedTexts(
            name="Linen T-shirt", short_description=short,
            long_description=f"<p>{short}</p>", meta_title="Linen T-shirt",
            meta_description=short),
        validation=Validation(confidence_score=score, reasons=("claims unchecked",)),
        provider="template", model="template-writer", tier="economy", input_tokens=12,
        output_tokens=34, xct_cost=Decimal("46.00"), cached=False, prompt_key="p-1")))
