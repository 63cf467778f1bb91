"""Which Anthropic key a pages feature that can also work offline asks Claude with."""

from adapters.llm.registry import platform_key
from adapters.llm_keys import organization_key
from adapters.secret_box import SecretBox
from api.auth import Caller
from api.dependencies import AppServices
from domain.errors import InvalidCommandError


async def anthropic_key(services: AppServices, caller: Caller, *, offline: bool,
                        required: bool, field: str) -> str:
    """The organization's key, else the platform's; "" when `offline` is asked for or there
    is none; InvalidCommandError when Claude was asked for (`required`) and there is none."""
    if offline:
        return ""
    async with services.pool.connection() as conn:
        own = await organization_key(conn, SecretBox(services.settings.secret_key),
                                     caller.org_id, "anthropic")
    key = (own or "").strip() or platform_key("anthropic", services.settings).strip()
    if required and not key:
        raise InvalidCommandError("no Anthropic key: add one with PATCH"
                                  f" /api/v1/organization/api-keys, or use {field} offline")
    return key
