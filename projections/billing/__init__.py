"""Billing read models: balances, the ledger and usage records, and their queries."""
