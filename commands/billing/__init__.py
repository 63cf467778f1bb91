"""Billing commands: the organization's XCT account — grants, top-ups, usage charges."""
