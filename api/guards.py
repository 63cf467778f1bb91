"""Route guards: who may call a route, checked before its dependencies and its body are read.

The caller is resolved once per request: the guard leaves it where the `principal`
dependency finds it. Without a caller a guard answers 401, so 401 always comes before 403.
"""

from typing import Any

from litestar.connection import ASGIConnection
from litestar.handlers import BaseRouteHandler

from api.auth import provide_principal
from api.dependencies import services_of


async def admin_only(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """403 unless the caller has the admin role (an API key has it)."""
    (await provide_principal(connection, services_of(connection))).require_admin()


async def admin_user_only(connection: ASGIConnection[Any, Any, Any, Any],
                          _: BaseRouteHandler) -> None:
    """403 unless the caller is a signed-in admin: an API key is refused, whatever it may do."""
    principal = await provide_principal(connection, services_of(connection))
    principal.require_user()
    principal.require_admin()
