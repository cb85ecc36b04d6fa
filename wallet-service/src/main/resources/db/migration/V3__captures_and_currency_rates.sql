-- Earning follows what was captured, in the currency it was paid in.
--
-- A payment may be captured in steps (an EV charger authorises, then captures less, or captures
-- again): the grant remembers the rate it used, so a later, larger capture grants exactly the
-- difference at the same rate, and refunds take back at that rate too.
ALTER TABLE purchase_grant ADD COLUMN points_per_unit NUMERIC(10, 4);

-- Rates for currencies other than the program's: per merchant, or for every merchant ('*').
-- A purchase in a currency with no rate earns nothing until an admin attributes it.
CREATE TABLE currency_earn_rate (
    merchant_id      TEXT        NOT NULL CHECK (length(merchant_id) BETWEEN 1 AND 128),
    currency         CHAR(3)     NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    points_per_unit  NUMERIC(10, 4) NOT NULL CHECK (points_per_unit > 0),
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    updated_by       TEXT        NOT NULL,
    PRIMARY KEY (merchant_id, currency)
);

-- Why a purchase waits for an admin, and which driver it named (if any).
ALTER TABLE parked_purchase
    ADD COLUMN reason TEXT NOT NULL DEFAULT 'unknown_driver' CHECK (reason IN ('unknown_driver', 'unsupported_currency')),
    ADD COLUMN driver_id TEXT CHECK (length(driver_id) BETWEEN 1 AND 128);
