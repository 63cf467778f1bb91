"""Billing over HTTP: balances, the ledger, usage, and the admin's billing commands."""

from litestar import Router

from api.billing import accounts, usage
from api.dependencies import SERVICES

router = Router(path="/", dependencies=SERVICES, route_handlers=[*accounts.ROUTES, *usage.ROUTES])
