"""Text embedders: the port, the offline multilingual-e5 default, OpenAI, and the cache."""

from typing import Protocol


class Embedder(Protocol):
    """Turns texts into unit vectors of `dimension` floats. A passage is a text to be found,
    a query the text it is found by (e5 models embed them differently). Raises
    `domain.errors.UnavailableError` (with `retry_after`) when the provider cannot serve."""

    model: str
    dimension: int

    async def embed_passages(self, texts: list[str]) -> list[list[float]]: ...

    async def embed_query(self, text: str) -> list[float]: ...

    async def close(self) -> None: ...
