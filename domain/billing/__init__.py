"""The XCT billing context: one account per organization, its balances and its ledger."""
