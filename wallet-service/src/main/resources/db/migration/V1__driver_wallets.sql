-- Driver wallets. Nova are integer points; a balance can never be negative (000:P0-2): the
-- database refuses it even if application code were wrong.
CREATE TABLE driver_wallets (
    driver_id    TEXT        PRIMARY KEY CHECK (length(driver_id) BETWEEN 1 AND 128),
    nova_balance BIGINT      NOT NULL DEFAULT 0,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT check_nova_balance_non_negative CHECK (nova_balance >= 0)
);
