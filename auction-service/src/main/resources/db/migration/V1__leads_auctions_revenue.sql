-- auction-service: leads, their auctions, revenue, deliveries and buyer outcomes.
-- Money is NUMERIC(12,2) everywhere; statuses and amounts are checked by the database itself, so a
-- bug in the service cannot store an impossible row.

-- Exclusion constraints on (text =, range &&) need btree_gist (shipped with PostgreSQL's contrib).
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE lead (
    id                    UUID PRIMARY KEY,
    publisher_id          TEXT        NOT NULL CHECK (length(publisher_id) BETWEEN 1 AND 200),
    idempotency_key       TEXT        NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 200),
    request_hash          TEXT        NOT NULL CHECK (length(request_hash) = 64),
    vertical              TEXT        NOT NULL CHECK (vertical ~ '^[a-z][a-z0-9_-]{1,49}$'),
    first_name            TEXT        NOT NULL CHECK (length(first_name) BETWEEN 1 AND 100),
    last_name             TEXT        NOT NULL CHECK (length(last_name) BETWEEN 1 AND 100),
    email                 TEXT        NOT NULL CHECK (length(email) BETWEEN 3 AND 254 AND email = lower(email)),
    phone                 TEXT        NOT NULL CHECK (phone ~ '^\+1[2-9][0-9]{2}[2-9][0-9]{6}$'),
    zip                   TEXT        NOT NULL CHECK (zip ~ '^[0-9]{5}$'),
    state                 TEXT        NOT NULL CHECK (state ~ '^[A-Z]{2}$'),
    trusted_form_cert_url TEXT        NOT NULL CHECK (trusted_form_cert_url LIKE 'https://cert.trustedform.com/%'),
    consent               BOOLEAN     NOT NULL CHECK (consent),
    comments              TEXT        CHECK (length(comments) <= 4000 AND comments !~ '[<>]'),
    status                TEXT        NOT NULL CHECK (status IN ('HELD', 'SOLD', 'UNSOLD', 'REJECTED', 'RETURNED')),
    status_reason         TEXT        CHECK (length(status_reason) <= 200),
    buyer_id              UUID,
    price                 NUMERIC(12,2) CHECK (price > 0),
    held_attempts         INT         NOT NULL DEFAULT 0 CHECK (held_attempts >= 0),
    next_check_at         TIMESTAMPTZ,
    created_at            TIMESTAMPTZ NOT NULL,
    updated_at            TIMESTAMPTZ NOT NULL,
    version               BIGINT      NOT NULL DEFAULT 0,
    CONSTRAINT lead_idempotency_key UNIQUE (publisher_id, idempotency_key),
    -- A sold (or sold, then returned) lead has its buyer and price; no other lead has either.
    CONSTRAINT lead_sale_has_buyer_and_price
        CHECK ((status IN ('SOLD', 'RETURNED')) = (buyer_id IS NOT NULL AND price IS NOT NULL)),
    CONSTRAINT lead_held_has_next_check CHECK ((status = 'HELD') = (next_check_at IS NOT NULL))
);
CREATE INDEX lead_publisher_idx ON lead (publisher_id, created_at DESC);
CREATE INDEX lead_held_idx ON lead (next_check_at) WHERE status = 'HELD';

-- The duplicate rule: one lead per person (normalized e-mail, and separately E.164 phone) within
-- a window. Each lead claims [created_at, created_at + window) for a hash of each key; two claims
-- of one key overlap exactly when the leads are closer than the window, and the exclusion
-- constraint refuses the second even when both transactions run at the same instant.
CREATE TABLE lead_person_claim (
    lead_id       UUID      NOT NULL REFERENCES lead (id) DEFERRABLE INITIALLY DEFERRED,
    person_key    TEXT      NOT NULL CHECK (length(person_key) = 64),
    active_during TSTZRANGE NOT NULL CHECK (NOT isempty(active_during)),
    PRIMARY KEY (lead_id, person_key),
    CONSTRAINT lead_person_claim_no_duplicate EXCLUDE USING gist (person_key WITH =, active_during WITH &&)
);

CREATE TABLE auction (
    lead_id       UUID          PRIMARY KEY REFERENCES lead (id),
    decided_at    TIMESTAMPTZ   NOT NULL,
    winner_id     UUID,
    price         NUMERIC(12,2) CHECK (price > 0),
    deciding_rule TEXT          NOT NULL CHECK (deciding_rule IN
        ('HIGHEST_BID', 'PRIORITY', 'REGISTRATION_ORDER', 'ONLY_BIDDER', 'NO_ELIGIBLE_BUYER')),
    considered    INT           NOT NULL CHECK (considered >= 0),
    CONSTRAINT auction_winner_pays CHECK ((winner_id IS NULL) = (price IS NULL)),
    CONSTRAINT auction_no_winner_rule CHECK ((winner_id IS NULL) = (deciding_rule = 'NO_ELIGIBLE_BUYER'))
);
CREATE INDEX auction_winner_idx ON auction (winner_id, decided_at) WHERE winner_id IS NOT NULL;

-- Every considered buyer's outcome, so "why didn't I win" has an answer.
CREATE TABLE auction_bid (
    lead_id  UUID          NOT NULL REFERENCES auction (lead_id),
    buyer_id UUID          NOT NULL,
    bid      NUMERIC(12,2) NOT NULL,
    outcome  TEXT          NOT NULL CHECK (outcome IN ('WON', 'OUTBID', 'LOST_TIE_PRIORITY',
        'LOST_TIE_REGISTRATION', 'FILTERED_ZIP', 'OVER_DAILY_CAP', 'OVER_MONTHLY_CAP', 'OVER_DAILY_BUDGET',
        'INVALID_BID')),
    PRIMARY KEY (lead_id, buyer_id),
    CONSTRAINT auction_bid_winner_bid_positive CHECK (outcome <> 'WON' OR bid > 0)
);
CREATE INDEX auction_bid_buyer_idx ON auction_bid (buyer_id, lead_id);

-- Caps and budget counters, one row per buyer, reserved by one conditional UPDATE with the win.
-- Days and months are UTC calendar days and months.
CREATE TABLE buyer_usage (
    buyer_id    UUID          PRIMARY KEY,
    day         DATE          NOT NULL,
    day_leads   INT           NOT NULL CHECK (day_leads >= 0),
    day_spend   NUMERIC(14,2) NOT NULL CHECK (day_spend >= 0),
    month       DATE          NOT NULL CHECK (extract(day FROM month) = 1),
    month_leads INT           NOT NULL CHECK (month_leads >= 0)
);

-- Revenue: a sale books price = payout + margin; a return books the exact negation, once.
CREATE TABLE revenue_entry (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    lead_id      UUID          NOT NULL REFERENCES lead (id),
    kind         TEXT          NOT NULL CHECK (kind IN ('SALE', 'RETURN')),
    buyer_id     UUID          NOT NULL,
    publisher_id TEXT          NOT NULL,
    vertical     TEXT          NOT NULL,
    price        NUMERIC(12,2) NOT NULL,
    payout       NUMERIC(12,2) NOT NULL,
    margin       NUMERIC(12,2) NOT NULL,
    booked_at    TIMESTAMPTZ   NOT NULL,
    CONSTRAINT revenue_entry_once_per_kind UNIQUE (lead_id, kind),
    CONSTRAINT revenue_entry_split_exact CHECK (price = payout + margin),
    CONSTRAINT revenue_entry_signs CHECK (
        (kind = 'SALE' AND price > 0 AND payout >= 0 AND margin >= 0)
        OR (kind = 'RETURN' AND price < 0 AND payout <= 0 AND margin <= 0))
);
-- Serves the revenue report (a range of booked_at, grouped by day, buyer or vertical) from the index alone.
CREATE INDEX revenue_entry_booked_idx ON revenue_entry (booked_at)
    INCLUDE (kind, buyer_id, vertical, price, payout, margin);

-- One delivery per sold lead. Workers claim it by version (optimistic locking) and a lease.
CREATE TABLE delivery (
    lead_id       UUID        PRIMARY KEY REFERENCES lead (id),
    buyer_id      UUID        NOT NULL,
    status        TEXT        NOT NULL CHECK (status IN ('PENDING', 'IN_FLIGHT', 'DELIVERED', 'FAILED')),
    attempts      INT         NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    claimed_by    TEXT,
    claimed_until TIMESTAMPTZ,
    last_error    TEXT        CHECK (length(last_error) <= 500),
    response_code INT,
    delivered_at  TIMESTAMPTZ,
    created_at    TIMESTAMPTZ NOT NULL,
    version       BIGINT      NOT NULL DEFAULT 0,
    CONSTRAINT delivery_in_flight_is_claimed CHECK ((status = 'IN_FLIGHT') = (claimed_until IS NOT NULL)),
    CONSTRAINT delivery_delivered_at CHECK ((status = 'DELIVERED') = (delivered_at IS NOT NULL))
);
CREATE INDEX delivery_open_idx ON delivery (status, created_at) WHERE status IN ('PENDING', 'IN_FLIGHT', 'FAILED');

-- Buyers' outcomes from auction.events, once per source event; refused ones are kept with why.
CREATE TABLE lead_outcome (
    source_event_id TEXT        PRIMARY KEY CHECK (length(source_event_id) BETWEEN 1 AND 300),
    lead_id         UUID        NOT NULL,
    buyer_id        UUID        NOT NULL,
    kind            TEXT        NOT NULL CHECK (kind IN ('ACCEPTED', 'REJECTED', 'RETURNED', 'CONVERTED')),
    reason          TEXT        CHECK (length(reason) <= 500),
    applied         BOOLEAN     NOT NULL,
    refusal         TEXT        CHECK (refusal IN ('unknown-lead', 'not-the-buyer', 'not-sold', 'already-returned')),
    received_at     TIMESTAMPTZ NOT NULL,
    CONSTRAINT lead_outcome_refusal CHECK (applied = (refusal IS NULL))
);
CREATE INDEX lead_outcome_lead_idx ON lead_outcome (lead_id, received_at);
