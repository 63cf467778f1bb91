-- Billing read models: balances, the XCT ledger, usage records. Async projection (projector).
CREATE TABLE IF NOT EXISTS balances (
    org_id                uuid PRIMARY KEY,
    subscription_balance  numeric(20,2) NOT NULL DEFAULT 0,
    topup_balance         numeric(20,2) NOT NULL DEFAULT 0,
    overage_balance       numeric(20,2) NOT NULL DEFAULT 0,
    subscription_tier     text NOT NULL,
    overage_enabled       boolean NOT NULL DEFAULT false,
    token_rate_multiplier numeric(10,2) NOT NULL DEFAULT 1.00,
    updated_at            timestamptz NOT NULL
);

-- One row per balance movement; a usage charge drawing on several balances has one per part.
CREATE TABLE IF NOT EXISTS transactions (
    id               uuid PRIMARY KEY,
    org_id           uuid NOT NULL,
    position         bigint NOT NULL,
    part             smallint NOT NULL DEFAULT 0,
    transaction_type text NOT NULL,
    amount           numeric(20,2) NOT NULL,
    balance_type     text NOT NULL,
    description      text NOT NULL DEFAULT '',
    created_at       timestamptz NOT NULL,
    created_by       text
);
CREATE INDEX IF NOT EXISTS transactions_org ON transactions (org_id, position DESC, part);

CREATE TABLE IF NOT EXISTS usage (
    transaction_id uuid PRIMARY KEY,
    org_id         uuid NOT NULL,
    provider       text NOT NULL,
    model          text NOT NULL,
    tier           text NOT NULL,
    input_tokens   bigint NOT NULL,
    output_tokens  bigint NOT NULL,
    xct            numeric(20,2) NOT NULL,
    purpose        text NOT NULL,
    reference_id   text,
    created_at     timestamptz NOT NULL,
    content_type   text NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS usage_org_time ON usage (org_id, created_at);
