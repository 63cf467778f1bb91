"""Per organization, the embedder its texts and queries go through: when the index uses the
OpenAI model and the organization has an OpenAI key of its own, an embedder on that key (one
per key, each with its own circuit breaker, so a bad key trips only its organization's);
otherwise the platform's embedder. Keys are read from `secrets` at each call (a changed key
is used at once) and are never logged."""

import hashlib
from collections import OrderedDict
from typing import Any
from uuid import UUID

from psycopg import AsyncConnection

from adapters.embeddings import Embedder
from adapters.embeddings.factory import openai_embedder
from adapters.llm_keys import organization_key
from adapters.secret_box import SecretBox
from adapters.settings import Settings

OPENAI = "openai"
MAX_KEYS = 256
"""Embedders on organizations' keys kept at once; the least recently used is closed."""


class OrganizationEmbedders:
    def __init__(self, platform: Embedder, settings: Settings | None = None, *,
                 interactive: bool = False) -> None:
        """`settings` None: every organization uses `platform` (no own keys)."""
        self.platform = platform
        self._settings = settings
        self._interactive = interactive
        self._box = SecretBox(settings.secret_key) if settings is not None else None
        self._by_key: OrderedDict[str, Embedder] = OrderedDict()

    @property
    def uses_own_keys(self) -> bool:
        return (self._settings is not None and self._box is not None
                and self._settings.embeddings_provider == OPENAI)

    async def for_org(self, conn: AsyncConnection[Any], org_id: UUID) -> Embedder:
        if not self.uses_own_keys or self._settings is None or self._box is None:
            return self.platform
        key = (await organization_key(conn, self._box, org_id, OPENAI) or "").strip()
        if not key:
            return self.platform
        fingerprint = hashlib.sha256(key.encode()).hexdigest()
        embedder = self._by_key.get(fingerprint)
        if embedder is None:
            embedder = openai_embedder(self._settings, key, interactive=self._interactive)
            self._by_key[fingerprint] = embedder
            if len(self._by_key) > MAX_KEYS:
                _, oldest = self._by_key.popitem(last=False)
                await oldest.close()
        self._by_key.move_to_end(fingerprint)
        return embedder

    async def close(self) -> None:
        for embedder in self._by_key.values():
            await embedder.close()
        self._by_key.clear()
        await self.platform.close()
