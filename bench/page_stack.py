"""What the page-index benchmarks share: product pages made from the real Magento export, an
organization with API keys on a running API, HTTP upserts, the embedding worker run in this
process (the real `workers.embeddings.EmbeddingWorker`, with the embedder the bench gives),
and the page statuses counted."""

from __future__ import annotations

import asyncio
import csv
import hashlib
import html
import json
import re
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import psycopg

from adapters.embeddings import Embedder
from bench.load import HttpConnection, http_request
from bench.servers import BenchEnv
from projections.search.page_queries import EMBED_CHARS
from tests.e2e.helpers import new_tenant
from tests.support import Stack
from workers.embeddings import EmbeddingWorker

MAGENTO_EXPORT = Path("/work/shared/reference/catalogs/magento2-configurable-products-export.csv")
_TAG = re.compile(r"<[^>]+>")


def plain(text: str) -> str:
    return " ".join(html.unescape(_TAG.sub(" ", text)).split())


def magento_products(path: Path = MAGENTO_EXPORT) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def embedded_text(page: dict[str, Any]) -> str:
    """What the worker embeds of a page (`claim_pending_pages`): the title, then the start of
    the content."""
    return "\n".join(x for x in (page["title"], page["content"][:EMBED_CHARS]) if x)


def product_pages(count: int) -> list[dict[str, Any]]:
    """`count` pages of distinct texts: the export's products (name, plain description, sku,
    price, last category), again with a numbered name once they run out."""
    rows = magento_products()
    pages = []
    for i in range(count):
        row, round_ = rows[i % len(rows)], i // len(rows)
        name = row["name"] + (f" ({round_ + 1})" if round_ else "")
        category = row["categories"].split("|")[0].rsplit("/", 1)[-1]
        pages.append({"url": f"https://luma.test/p/{i}/{row['url_key']}", "title": name,
                      "content": plain(row["description"]) or name,
                      "metadata": {"sku": row["sku"], "price": float(row["price"] or 0),
                                   "category": category}})
    return pages


def api_keys(env: BenchEnv, base_url: str, count: int) -> list[str]:
    """`count` API keys of one new organization (the page routes allow 300 requests a minute
    per key)."""
    tenant = new_tenant(Stack(env.settings, base_url, env.processes), "Bench Pages")
    keys = []
    for i in range(count):
        created = httpx.post(f"{base_url}/api/v1/api-keys", json={"name": f"pages {i}"},
                             headers=tenant.headers, timeout=30)
        created.raise_for_status()
        keys.append(created.json()["key"])
    return keys


async def upsert_all(host: str, port: int, keys: Sequence[str], bodies: Sequence[Any],
                     clients: int) -> list[dict[str, Any]]:
    """POST each body (a page or a list of pages) to /v1/pages/upsert from `clients`
    keep-alive connections, keys taken in turn; the results of every page, in order."""
    answers: list[Any] = [None] * len(bodies)
    queue = list(enumerate(bodies))[::-1]

    async def client(n: int) -> None:
        conn = HttpConnection(host, port)
        try:
            while queue:
                i, body = queue.pop()
                headers = {"Authorization": f"Bearer {keys[i % len(keys)]}",
                           "Content-Type": "application/json"}
                status, _, raw = await conn.request(http_request(
                    "POST", "/v1/pages/upsert", host, port, headers, json.dumps(body).encode()))
                if status != 202:
                    raise RuntimeError(f"upsert answered {status}: {raw[:300]!r}")
                answers[i] = json.loads(raw)
        finally:
            await conn.close()

    await asyncio.gather(*(client(n) for n in range(clients)))
    return [r for answer in answers for r in (answer if isinstance(answer, list) else [answer])]


def statuses(database_url: str) -> dict[str, int]:
    with psycopg.connect(database_url) as conn:
        rows = conn.execute("SELECT status, count(*) FROM rm_search.pages GROUP BY status")
        return {status: count for status, count in rows}


class WorkerThread:
    """The embedding worker on a thread of its own (its own event loop) until `stop()`."""

    def __init__(self, database_url: str, embedder: Embedder, batch: int | None = None) -> None:
        options = {} if batch is None else {"batch": batch}
        self.worker = EmbeddingWorker(database_url, embedder, **options)
        self._loop = asyncio.new_event_loop()
        self._stop = asyncio.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        self._loop.run_until_complete(self.worker.run(self._stop))

    def start(self) -> WorkerThread:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(60)


class CountingEmbedder:
    """A fast embedder for benchmarks that measure everything but the model: a unit vector
    from the text's hash; it counts the texts it was given."""

    model = "bench-hash"
    dimension = 384

    def __init__(self) -> None:
        self.texts = 0

    async def embed_passages(self, texts: list[str]) -> list[list[float]]:
        self.texts += len(texts)
        return [self._vector(t) for t in texts]

    async def embed_query(self, text: str) -> list[float]:
        return self._vector(text)

    async def close(self) -> None:
        return None

    def _vector(self, text: str) -> list[float]:
        seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")
        vector = np.random.default_rng(seed).standard_normal(self.dimension)
        return [float(x) for x in vector / np.linalg.norm(vector)]
