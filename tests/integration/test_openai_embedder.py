"""The OpenAI embedder through the real SDK against a local fake of `POST /v1/embeddings`:
batched inputs at the index's dimension, retries on 429/5xx honouring `Retry-After`, and a
provider that stays down becoming `UnavailableError` with `retry_after`."""

import time

import numpy as np
import pytest

from adapters.embeddings.openai_embedder import OpenAIEmbedder
from adapters.llm.resilience import RetryPolicy
from domain.errors import UnavailableError
from tests.fakes.embeddings_server import FakeEmbeddings
from tests.fakes.llm_server import Failure

KEY = "sk-test-embeddings-key"


def embedder(fake: FakeEmbeddings, attempts: int = 3, batch: int = 256) -> OpenAIEmbedder:
    return OpenAIEmbedder(api_key=KEY, base_url=fake.openai_base_url, timeout=5.0, batch=batch,
                          retry=RetryPolicy(attempts=attempts, base_delay=0.05, max_delay=0.1))


async def test_inputs_go_in_batches_at_the_index_dimension(
    fake_embeddings: FakeEmbeddings,
) -> None:
    client = embedder(fake_embeddings, batch=2)
    try:
        vectors = await client.embed_passages(["red hoodie", "blue mug", "green cap"])
        query = await client.embed_query("roter Kapuzenpullover")
    finally:
        await client.close()
    assert [len(v) for v in vectors] == [384, 384, 384] and len(query) == 384
    assert abs(float(np.linalg.norm(vectors[0])) - 1.0) < 1e-4
    bodies = [r.body for r in fake_embeddings.requests]
    assert [b["input"] for b in bodies] == [["red hoodie", "blue mug"], ["green cap"],
                                            ["roter Kapuzenpullover"]]
    assert {(b["model"], b["dimensions"]) for b in bodies} == {("text-embedding-3-small", 384)}
    assert {r.api_key for r in fake_embeddings.requests} == {KEY}
    scores = [float(np.dot(query, v)) for v in vectors]
    assert scores.index(max(scores)) == 0  # the German query is nearest the red hoodie


async def test_a_429_is_retried_after_the_wait_the_provider_asks(
    fake_embeddings: FakeEmbeddings,
) -> None:
    fake_embeddings.fail(Failure("429", retry_after="1"), "500")
    client = embedder(fake_embeddings)
    started = time.monotonic()
    try:
        assert len(await client.embed_query("hoodie")) == 384
    finally:
        await client.close()
    assert time.monotonic() - started >= 1.0
    assert fake_embeddings.request_count == 3


async def test_a_provider_that_stays_down_is_unavailable_with_a_retry_after(
    fake_embeddings: FakeEmbeddings,
) -> None:
    fake_embeddings.fail("500", "500", Failure("429", retry_after="7"))
    client = embedder(fake_embeddings)
    try:
        with pytest.raises(UnavailableError) as raised:
            await client.embed_passages(["hoodie"])
        fake_embeddings.valid_keys = {"another-key"}
        with pytest.raises(UnavailableError) as refused:
            await client.embed_query("hoodie")
    finally:
        await client.close()
    assert raised.value.retry_after == 7 and "429" in str(raised.value)
    assert refused.value.retry_after is not None and KEY not in str(refused.value)


async def test_a_provider_that_hangs_is_given_up_after_the_timeout(
    fake_embeddings: FakeEmbeddings,
) -> None:
    fake_embeddings.fail("hang", "hang")
    client = OpenAIEmbedder(api_key=KEY, base_url=fake_embeddings.openai_base_url, timeout=0.5,
                            retry=RetryPolicy(attempts=2, base_delay=0.05, max_delay=0.1))
    started = time.monotonic()
    try:
        with pytest.raises(UnavailableError) as raised:
            await client.embed_query("hoodie")
    finally:
        await client.close()
    assert 1.0 <= time.monotonic() - started < 5.0
    assert "did not answer" in str(raised.value) and raised.value.retry_after is not None
