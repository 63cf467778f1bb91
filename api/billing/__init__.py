"""Billing over HTTP: balances, the ledger, usage, and the admin's billing commands."""

from api.billing import accounts, usage
from api.routers import context_router

router = context_router([*accounts.ROUTES, *usage.ROUTES])
