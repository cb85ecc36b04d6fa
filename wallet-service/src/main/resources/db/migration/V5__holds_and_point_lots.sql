-- Holds (a charging session does not know its price when it starts) and point lots (points
-- expire a while after they were earned).
--
-- A hold reserves points without spending them: the wallet's balance stays the posted balance,
-- `held` grows, and what may be spent is the balance minus what is held. The database refuses an
-- available balance below zero, as it refuses a negative balance.
ALTER TABLE driver_wallets
    ADD COLUMN held BIGINT NOT NULL DEFAULT 0,
    ADD CONSTRAINT check_held_non_negative CHECK (held >= 0),
    ADD CONSTRAINT check_available_non_negative CHECK (nova_balance - held >= 0);

-- Entries are posted (they move a balance) or pending (they reserve: a hold writes pending entries,
-- its capture or release writes the opposite pending entries, and a capture posts what it spent).
-- So a driver's held points are the pending debits minus the pending credits on its account, and
-- its balance is still the posted credits minus the posted debits.
ALTER TABLE ledger_entry ADD COLUMN phase TEXT NOT NULL DEFAULT 'posted' CHECK (phase IN ('posted', 'pending'));
-- Balance at a time reads one account's entries up to an instant.
CREATE INDEX ledger_entry_account_time_idx ON ledger_entry (account, created_at);
DROP INDEX ledger_entry_account_idx;

-- Each phase balances on its own: a pending reservation is never paid for by a posted entry.
CREATE OR REPLACE FUNCTION ledger_entry_check_balanced() RETURNS trigger LANGUAGE plpgsql AS
$$
DECLARE
    imbalance BIGINT;
BEGIN
    SELECT coalesce(max(abs(s)), 0) INTO imbalance FROM (
        SELECT sum(CASE direction WHEN 'D' THEN amount ELSE -amount END) AS s
        FROM ledger_entry WHERE transaction_id = NEW.transaction_id GROUP BY phase) per_phase;
    IF imbalance <> 0 THEN
        RAISE EXCEPTION 'ledger transaction % is unbalanced by %', NEW.transaction_id, imbalance
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END;
$$;

ALTER TABLE ledger_transaction DROP CONSTRAINT ledger_transaction_kind_check;
ALTER TABLE ledger_transaction ADD CONSTRAINT ledger_transaction_kind_check
    CHECK (kind IN ('GRANT', 'REDEEM', 'REVERSAL', 'ADJUSTMENT', 'HOLD', 'CAPTURE', 'RELEASE', 'EXPIRY'));

-- A hold is the HOLD transaction that made it (same id); it ends once, in one terminal state, by
-- the CAPTURE or RELEASE transaction named in settle_transaction_id.
CREATE TABLE wallet_hold (
    id                     UUID        PRIMARY KEY REFERENCES ledger_transaction (id),
    seq                    BIGINT      GENERATED ALWAYS AS IDENTITY UNIQUE,
    driver_id              TEXT        NOT NULL CHECK (length(driver_id) BETWEEN 1 AND 128),
    merchant_id            TEXT        NOT NULL CHECK (length(merchant_id) BETWEEN 1 AND 128),
    amount                 BIGINT      NOT NULL CHECK (amount > 0),
    status                 TEXT        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'captured', 'voided', 'expired')),
    captured               BIGINT      CHECK (captured >= 0 AND captured <= amount),
    expires_at             TIMESTAMPTZ NOT NULL,
    created_at             TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    settled_at             TIMESTAMPTZ,
    settled_by             TEXT        CHECK (length(settled_by) <= 200),
    settle_transaction_id  UUID        REFERENCES ledger_transaction (id),
    CONSTRAINT wallet_hold_settled CHECK ((status = 'active') = (settled_at IS NULL)),
    CONSTRAINT wallet_hold_captured CHECK ((status = 'captured') = (captured IS NOT NULL))
);
CREATE INDEX wallet_hold_driver_idx ON wallet_hold (driver_id, seq DESC);
CREATE INDEX wallet_hold_due_idx ON wallet_hold (expires_at) WHERE status = 'active';

-- A terminal state is final: a hold captured, voided or expired never changes again.
CREATE FUNCTION wallet_hold_refuse_reopen() RETURNS trigger LANGUAGE plpgsql AS
$$
BEGIN
    IF OLD.status <> 'active' THEN
        RAISE EXCEPTION 'hold % is % already', OLD.id, OLD.status USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER wallet_hold_terminal BEFORE UPDATE ON wallet_hold
    FOR EACH ROW EXECUTE FUNCTION wallet_hold_refuse_reopen();

-- Points from each credit form a lot; spending takes from the lots that expire first, a refund's
-- reversal from the lot its payment granted. A driver's lots' remaining points add up to its
-- balance (reconciliation checks it). expires_at is null for points that never expire.
CREATE TABLE point_lot (
    id              BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    driver_id       TEXT        NOT NULL CHECK (length(driver_id) BETWEEN 1 AND 128),
    -- The credit that made the lot; null for the balances that existed before lots did.
    transaction_id  UUID        REFERENCES ledger_transaction (id),
    source          TEXT,
    payment_id      TEXT,
    points          BIGINT      NOT NULL CHECK (points > 0),
    remaining       BIGINT      NOT NULL CHECK (remaining >= 0 AND remaining <= points),
    expires_at      TIMESTAMPTZ,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX point_lot_open_idx ON point_lot (driver_id, id) WHERE remaining > 0;
CREATE INDEX point_lot_payment_idx ON point_lot (source, payment_id) WHERE payment_id IS NOT NULL;
CREATE INDEX point_lot_due_idx ON point_lot (expires_at) WHERE remaining > 0 AND expires_at IS NOT NULL;

-- Balances earned before lots existed: one lot each that never expires (when they were earned is
-- not known per point, and expiring them now would surprise every driver at once).
INSERT INTO point_lot (driver_id, points, remaining)
    SELECT driver_id, nova_balance, nova_balance FROM driver_wallets WHERE nova_balance > 0;
