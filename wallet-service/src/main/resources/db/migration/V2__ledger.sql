-- The Nova ledger. Every change of a balance is a transaction with balanced, append-only entries
-- (double entry against system accounts); the wallet row is a cached balance kept equal to the
-- driver account's entries in the same database transaction, and reconciliation proves it.
--
-- Accounts: 'driver:<id>' (what the driver holds), 'issuer' (where grants come from and reversals
-- go), 'merchant:<id>' (clearing for redemptions at a merchant), 'adjustments' (admin corrections).
-- A driver's balance = credits - debits on 'driver:<id>'.

CREATE TABLE ledger_transaction (
    id                 UUID        PRIMARY KEY,
    seq                BIGINT      GENERATED ALWAYS AS IDENTITY UNIQUE,
    driver_id          TEXT        NOT NULL CHECK (length(driver_id) BETWEEN 1 AND 128),
    kind               TEXT        NOT NULL CHECK (kind IN ('GRANT', 'REDEEM', 'REVERSAL', 'ADJUSTMENT')),
    status             TEXT        NOT NULL CHECK (status IN ('COMMITTED', 'REJECTED')),
    points             BIGINT      NOT NULL CHECK (points >= 0),
    -- What a REVERSAL could not take back because the driver had already spent it.
    shortfall          BIGINT      NOT NULL DEFAULT 0 CHECK (shortfall >= 0),
    -- The idempotency key is scoped (per driver for redemptions, per provider for grants); its
    -- outcome, COMMITTED or REJECTED, never changes, and the hash of the request it answered
    -- tells a retry from a different request under the same key.
    idempotency_scope  TEXT        NOT NULL CHECK (length(idempotency_scope) BETWEEN 1 AND 200),
    idempotency_key    TEXT        NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 200),
    request_hash       TEXT        NOT NULL CHECK (request_hash ~ '^[0-9a-f]{64}$'),
    merchant_id        TEXT        CHECK (length(merchant_id) <= 128),
    reference          TEXT        CHECK (length(reference) <= 200),
    reason             TEXT        CHECK (length(reason) <= 500),
    actor              TEXT        CHECK (length(actor) <= 200),
    -- The balance right after this transaction, so a retried request gets the very same answer.
    balance_after      BIGINT,
    created_at         TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    CONSTRAINT ledger_transaction_idempotency UNIQUE (idempotency_scope, idempotency_key)
);
CREATE INDEX ledger_transaction_driver_idx ON ledger_transaction (driver_id, seq DESC);

CREATE TABLE ledger_entry (
    id              BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    transaction_id  UUID        NOT NULL REFERENCES ledger_transaction (id),
    account         TEXT        NOT NULL CHECK (length(account) BETWEEN 1 AND 200),
    direction       CHAR(1)     NOT NULL CHECK (direction IN ('D', 'C')),
    amount          BIGINT      NOT NULL CHECK (amount > 0),
    created_at      TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX ledger_entry_account_idx ON ledger_entry (account);
CREATE INDEX ledger_entry_transaction_idx ON ledger_entry (transaction_id);

CREATE FUNCTION ledger_entry_refuse_change() RETURNS trigger LANGUAGE plpgsql AS
$$
BEGIN
    RAISE EXCEPTION 'ledger_entry is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER ledger_entry_no_update_or_delete BEFORE UPDATE OR DELETE ON ledger_entry
    FOR EACH ROW EXECUTE FUNCTION ledger_entry_refuse_change();
CREATE TRIGGER ledger_entry_no_truncate BEFORE TRUNCATE ON ledger_entry
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_entry_refuse_change();

-- Debits equal credits in every transaction, checked by the database at commit.
CREATE FUNCTION ledger_entry_check_balanced() RETURNS trigger LANGUAGE plpgsql AS
$$
DECLARE
    imbalance BIGINT;
BEGIN
    SELECT coalesce(sum(CASE direction WHEN 'D' THEN amount ELSE -amount END), 0) INTO imbalance
    FROM ledger_entry WHERE transaction_id = NEW.transaction_id;
    IF imbalance <> 0 THEN
        RAISE EXCEPTION 'ledger transaction % is unbalanced by %', NEW.transaction_id, imbalance
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END;
$$;
CREATE CONSTRAINT TRIGGER ledger_entry_balanced AFTER INSERT ON ledger_entry
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_entry_check_balanced();

-- Stream events already applied, per consumer: a redelivered or replayed entry applies once,
-- even if Redis forgot the gateway's duplicate keys.
CREATE TABLE processed_event (
    consumer         TEXT        NOT NULL,
    source           TEXT        NOT NULL,
    source_event_id  TEXT        NOT NULL,
    event_type       TEXT        NOT NULL,
    processed_at     TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (consumer, source, source_event_id, event_type)
);

-- What each granted purchase earned, so refunds reverse it proportionally.
CREATE TABLE purchase_grant (
    source           TEXT        NOT NULL,
    payment_id       TEXT        NOT NULL,
    driver_id        TEXT        NOT NULL,
    merchant_id      TEXT,
    amount_minor     BIGINT      NOT NULL CHECK (amount_minor >= 0),
    currency         CHAR(3)     NOT NULL,
    points           BIGINT      NOT NULL CHECK (points >= 0),
    refunded_minor   BIGINT      NOT NULL DEFAULT 0 CHECK (refunded_minor >= 0 AND refunded_minor <= amount_minor),
    reversed_points  BIGINT      NOT NULL DEFAULT 0 CHECK (reversed_points >= 0 AND reversed_points <= points),
    transaction_id   UUID        NOT NULL REFERENCES ledger_transaction (id),
    PRIMARY KEY (source, payment_id)
);

-- Purchases whose driver is unknown: kept, visible to admins, granted when attributed.
CREATE TABLE parked_purchase (
    id               BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source           TEXT        NOT NULL,
    payment_id       TEXT        NOT NULL,
    merchant_id      TEXT,
    amount_minor     BIGINT      NOT NULL CHECK (amount_minor >= 0),
    refunded_minor   BIGINT      NOT NULL DEFAULT 0 CHECK (refunded_minor >= 0),
    currency         CHAR(3)     NOT NULL,
    occurred_at      TIMESTAMPTZ NOT NULL,
    parked_at        TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    attributed_to    TEXT,
    attributed_at    TIMESTAMPTZ,
    attributed_by    TEXT,
    CONSTRAINT parked_purchase_payment UNIQUE (source, payment_id)
);
CREATE INDEX parked_purchase_open_idx ON parked_purchase (id) WHERE attributed_to IS NULL;

-- Earn rates per merchant (Nova per whole currency unit); the default comes from configuration.
CREATE TABLE merchant_earn_rate (
    merchant_id      TEXT        PRIMARY KEY CHECK (length(merchant_id) BETWEEN 1 AND 128),
    points_per_unit  NUMERIC(10, 4) NOT NULL CHECK (points_per_unit > 0),
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    updated_by       TEXT        NOT NULL
);
