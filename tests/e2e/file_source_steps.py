"""Steps of the file-source flows: upload a catalog file, count what the read model holds."""

import json
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

from adapters.catalog_files import read_catalog
from tests.e2e.catalog_steps import call
from tests.e2e.helpers import Tenant
from tests.support import Stack, scalar

CATALOGS = Path(__file__).resolve().parent.parent / "fixtures" / "catalogs"


def upload(stack: Stack, tenant: Tenant, project_id: str, filename: str, content: bytes,
           column_mapping: dict[str, str] | None = None, base_url: str = "") -> httpx.Response:
    data = {} if column_mapping is None else {"column_mapping": json.dumps(column_mapping)}
    return httpx.post(f"{base_url or stack.base_url}/api/v1/projects/{project_id}/sources/file",
                      headers=tenant.headers, files={"file": (filename, content)}, data=data,
                      timeout=120)


def uploaded(stack: Stack, tenant: Tenant, project_id: str, filename: str,
             content: bytes) -> dict[str, Any]:
    response = upload(stack, tenant, project_id, filename, content)
    assert response.status_code == 200, response.text
    source: dict[str, Any] = response.json()
    return source


def fixture(name: str) -> bytes:
    return (CATALOGS / name).read_bytes()


def kinds_in_file(platform: str, path: Path) -> Counter[str]:
    with path.open("rb") as stream:
        return Counter(r.item_type for r in read_catalog(platform, stream, filename=path.name))


def kinds_imported(stack: Stack, source_id: str) -> Counter[str]:
    counts: Counter[str] = Counter()
    for kind in ("simple", "parent", "variant"):
        counts[kind] = int(scalar(stack.settings, "SELECT count(*) FROM rm_catalog.items"
                                  " WHERE source_id = %s AND item_type = %s", source_id, kind))
    return +counts


def linked_variants(stack: Stack, source_id: str) -> int:
    """Variants whose parent item is an item of the same source."""
    return int(scalar(stack.settings, "SELECT count(*) FROM rm_catalog.items v"
                      " JOIN rm_catalog.items p ON p.id = v.parent_id AND p.source_id = v.source_id"
                      " WHERE v.source_id = %s AND v.item_type = 'variant'", source_id))


def source_items(stack: Stack, tenant: Tenant, project_id: str, source_id: str) -> list[Any]:
    response = call(stack, "GET", f"/projects/{project_id}/items?source_id={source_id}",
                    tenant.headers)
    assert response.status_code == 200, response.text
    items: list[Any] = response.json()
    return items
