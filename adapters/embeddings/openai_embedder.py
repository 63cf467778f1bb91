"""OpenAI `text-embedding-3-small` (or the model the settings name) through the official
SDK, shortened to the index's dimension (the API's `dimensions`). Inputs go in batches; each
call passes the provider's gate (calls in flight, timeout, retries on 429/5xx honouring
`Retry-After`, a circuit breaker). Failures that outlast the retries become
`UnavailableError` with `retry_after`."""

import math
from typing import Any

import openai

from adapters.llm.errors import (
    ProviderError,
    RetryableProviderError,
    classify_status,
    parse_retry_after,
    scrub,
)
from adapters.llm.resilience import BreakerPolicy, ProviderGate, RetryPolicy
from domain.errors import UnavailableError

MODEL = "text-embedding-3-small"
BATCH = 256
"""Inputs per request (the API takes up to 2,048)."""
PROVIDER = "openai embeddings"
DEFAULT_RETRY_AFTER = 5


class OpenAIEmbedder:
    def __init__(self, *, api_key: str, base_url: str, model: str = MODEL, dimension: int = 384,
                 concurrency: int = 8, timeout: float = 30.0, batch: int = BATCH,
                 retry: RetryPolicy | None = None, breaker: BreakerPolicy | None = None) -> None:
        self.model = model
        self.dimension = dimension
        self.batch = batch
        self._key = api_key
        self._timeout = timeout
        self._client = openai.AsyncOpenAI(api_key=api_key, base_url=base_url, max_retries=0,
                                          timeout=timeout)
        self._gate = ProviderGate(PROVIDER, concurrency=concurrency, timeout=timeout,
                                  retry=retry or RetryPolicy(attempts=3, max_retry_after=10.0),
                                  breaker=breaker)

    async def embed_passages(self, texts: list[str]) -> list[list[float]]:
        vectors: list[list[float]] = []
        for start in range(0, len(texts), self.batch):
            vectors.extend(await self._embed(texts[start:start + self.batch]))
        return vectors

    async def embed_query(self, text: str) -> list[float]:
        return (await self._embed([text]))[0]

    async def close(self) -> None:
        await self._client.close()

    async def _embed(self, texts: list[str]) -> list[list[float]]:
        try:
            return await self._gate.call(lambda: self._request(texts))
        except ProviderError as error:
            wait = getattr(error, "retry_after", None)
            raise UnavailableError(
                f"the embedding provider is unavailable: {error}",
                retry_after=max(1, math.ceil(wait)) if wait else DEFAULT_RETRY_AFTER) from None

    async def _request(self, texts: list[str]) -> list[list[float]]:
        try:
            answer = await self._client.embeddings.create(
                model=self.model, input=texts, dimensions=self.dimension,
                encoding_format="float")
        except openai.APIStatusError as error:
            headers = dict(error.response.headers)
            raise classify_status(PROVIDER, error.status_code, scrub(error.message, self._key),
                                  _code(error.body), parse_retry_after(headers)) from None
        except openai.APITimeoutError:
            raise RetryableProviderError(PROVIDER, f"{PROVIDER} did not answer within"
                                         f" {self._timeout:g}s (timeout)") from None
        except openai.APIConnectionError as error:
            raise RetryableProviderError(PROVIDER, f"{PROVIDER} cannot be reached: "
                                         f"{type(error).__name__}") from None
        rows = sorted(answer.data, key=lambda row: row.index)
        if len(rows) != len(texts) or any(len(r.embedding) != self.dimension for r in rows):
            raise RetryableProviderError(PROVIDER, f"{PROVIDER} answered {len(rows)} vectors"
                                         f" for {len(texts)} texts")
        return [list(row.embedding) for row in rows]


def _code(body: Any) -> str | None:
    error = body.get("error") if isinstance(body, dict) else None
    code = error.get("code") if isinstance(error, dict) else None
    return code if isinstance(code, str) else None
