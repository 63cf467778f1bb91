"""No embedder: the server was set to embed nothing (`COPYDESK_EMBEDDINGS=off`)."""

from domain.errors import UnavailableError

MESSAGE = "search by meaning is turned off on this server"


class NoEmbedder:
    model = "off"
    dimension = 384

    async def embed_passages(self, texts: list[str]) -> list[list[float]]:
        raise UnavailableError(MESSAGE)

    async def embed_query(self, text: str) -> list[float]:
        raise UnavailableError(MESSAGE)

    async def close(self) -> None:
        return None
