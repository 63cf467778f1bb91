"""Billing over HTTP: balances, the ledger, usage, and the admin's billing commands."""

from api.billing import accounts, usage

ROUTES = [*accounts.ROUTES, *usage.ROUTES]
