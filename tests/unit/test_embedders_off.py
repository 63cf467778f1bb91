"""`COPYDESK_EMBEDDINGS=off`: nothing is embedded, and a search ranks by words alone."""

import asyncio

import pytest

from adapters.embeddings.cached import embed_query
from adapters.embeddings.factory import embedder_for
from adapters.settings import Settings
from domain.errors import UnavailableError
from workers.embeddings import run_embeddings


def test_with_embeddings_off_the_embedder_refuses_and_a_query_has_no_vector() -> None:
    embedder = embedder_for(Settings(embeddings_provider="off"), interactive=True)
    with pytest.raises(UnavailableError, match="turned off"):
        asyncio.run(embedder.embed_query("hoodie"))
    with pytest.raises(UnavailableError):
        asyncio.run(embedder.embed_passages(["a hoodie"]))
    # the connection is never used: no vector is looked up or computed
    assert asyncio.run(embed_query(None, embedder, "hoodie")) is None  # type: ignore[arg-type]


def test_with_embeddings_off_the_worker_loop_ends_at_once() -> None:
    # an unreachable database: the loop would fail if it tried to claim rows
    settings = Settings(embeddings_provider="off", database_url="postgresql:///nowhere?host=/nonexistent")
    asyncio.run(asyncio.wait_for(run_embeddings(settings, asyncio.Event()), 2))


def test_an_unknown_embeddings_provider_is_named() -> None:
    with pytest.raises(ValueError, match="COPYDESK_EMBEDDINGS"):
        embedder_for(Settings(embeddings_provider="nope"))
