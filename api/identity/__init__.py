"""Identity over HTTP: sign-in, two-factor, users, the organization, API keys, invitations, AI keys."""

from api.identity import (
    ai_keys,
    api_keys,
    auth,
    invitations,
    organization,
    two_factor,
    two_factor_admin,
    two_factor_login,
    users,
)
from api.routers import context_router

router = context_router([
    *auth.ROUTES, *two_factor.ROUTES, *two_factor_login.ROUTES, *users.ROUTES, *two_factor_admin.ROUTES,
    *organization.ROUTES, *api_keys.ROUTES, *invitations.ROUTES, *ai_keys.ROUTES,
])
