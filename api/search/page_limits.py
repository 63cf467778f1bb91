"""The page index's rate limit: requests a minute per API key (or user), shared by its
routes; past it the seed answers 403."""

from adapters.postgres import rate_windows
from api.dependencies import AppServices
from api.principal import Principal
from domain.errors import ForbiddenError

REQUESTS_PER_MINUTE = 300


async def count_page_request(services: AppServices, principal: Principal) -> None:
    """Count this request; ForbiddenError (403) past the limit."""
    key = f"pages:{principal.api_key_id or principal.user_id or principal.org_id}"
    async with services.pool.connection() as conn:
        count, _ = await rate_windows.count_request(conn, key)
    if count > REQUESTS_PER_MINUTE:
        raise ForbiddenError(f"rate limit exceeded: more than {REQUESTS_PER_MINUTE} requests a"
                             " minute for this API key")
