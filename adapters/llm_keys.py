"""Reading an organization's own AI provider keys (BYOK) back from `secrets`."""

from typing import Any
from uuid import UUID

import structlog
from psycopg import AsyncConnection

from adapters.llm.registry import MissingProviderKeyError, platform_key
from adapters.postgres import secrets
from adapters.secret_box import SecretBox, hint
from adapters.settings import Settings
from domain.generation.reference import TEMPLATE_PROVIDER
from domain.identity.organization import AI_KEY_PROVIDERS, PURPOSE_PREFIX, key_purpose

log = structlog.get_logger("copydesk.llm_keys")


async def organization_key(
    conn: AsyncConnection[Any], secret_box: SecretBox, org_id: UUID, provider: str,
) -> str | None:
    """The organization's key for `provider` in clear, for a call to that provider; None
    when it has none (or it was sealed with another secret key)."""
    sealed = await secrets.sealed(conn, org_id, key_purpose(provider))
    if sealed is None:
        return None
    try:
        return secret_box.open(sealed)
    except ValueError:
        log.warning("ai_key_unreadable", org_id=str(org_id), provider=provider)
        return None


async def organization_key_hints(
    conn: AsyncConnection[Any], secret_box: SecretBox, org_id: UUID,
) -> dict[str, str]:
    """Per provider the organization has a key for, what a user may see of it ("…x9Qa")."""
    hints: dict[str, str] = {}
    for purpose, ciphertext in await secrets.sealed_by_prefix(conn, org_id, PURPOSE_PREFIX):
        try:
            hints[purpose.removeprefix(PURPOSE_PREFIX)] = hint(secret_box.open(ciphertext))
        except ValueError:
            hints[purpose.removeprefix(PURPOSE_PREFIX)] = "…"
    return hints


async def check_provider_key(
    conn: AsyncConnection[Any], secret_box: SecretBox, settings: Settings, org_id: UUID,
    provider: str,
) -> None:
    """MissingProviderKeyError unless `provider` can be called: the template writer, or a
    key of the organization's or the platform's for it (checked before any work starts)."""
    if provider == TEMPLATE_PROVIDER or platform_key(provider, settings).strip():
        return
    if provider in AI_KEY_PROVIDERS and (
            await organization_key(conn, secret_box, org_id, provider) or "").strip():
        return
    raise MissingProviderKeyError(provider)
