-- buyer-registry: buyers, their bidding fields and limits, delivery endpoint and encrypted
-- credentials, webhook secrets. Money is NUMERIC with two decimals; status and amounts are
-- constrained by the database, not only by the application (003:17.1).
CREATE TABLE buyer (
    id                UUID        PRIMARY KEY,
    -- Strict registration order: the auction's last tie-breaker ("registered earlier wins").
    registration_seq  BIGINT      GENERATED ALWAYS AS IDENTITY UNIQUE,
    name              TEXT        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    status            TEXT        NOT NULL CONSTRAINT buyer_status_known CHECK (status IN ('ACTIVE', 'PAUSED', 'DEACTIVATED')),
    verticals         TEXT[]      NOT NULL CHECK (cardinality(verticals) BETWEEN 1 AND 50),
    states            TEXT[]      NOT NULL CHECK (cardinality(states) BETWEEN 1 AND 60),
    zip_prefixes      TEXT[]      NOT NULL DEFAULT '{}' CHECK (cardinality(zip_prefixes) <= 1000),
    bid_amount        NUMERIC(12, 2) NOT NULL CONSTRAINT buyer_bid_amount_positive CHECK (bid_amount > 0),
    priority          INTEGER     NOT NULL DEFAULT 0 CHECK (priority BETWEEN 0 AND 1000),
    daily_cap         INTEGER     CHECK (daily_cap > 0),
    monthly_cap       INTEGER     CHECK (monthly_cap > 0),
    daily_budget      NUMERIC(12, 2) CONSTRAINT buyer_daily_budget_positive CHECK (daily_budget > 0),
    delivery_url      TEXT        NOT NULL CHECK (length(delivery_url) BETWEEN 1 AND 2048),
    auth_type         TEXT        NOT NULL CHECK (auth_type IN ('basic', 'bearer', 'header')),
    -- A masked hint safe to show (last characters only); never the credential.
    auth_hint         TEXT        NOT NULL CHECK (length(auth_hint) <= 200),
    -- Tink AEAD ciphertext of the credential JSON, bound to this buyer id.
    auth_ciphertext   BYTEA,
    auth_key_id       BIGINT,
    -- Legacy rows from before encryption (003:5.5). The service encrypts and clears them; V3 will
    -- drop the column once no environment has any.
    auth_plaintext    TEXT,
    created_at        TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    updated_at        TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    version           BIGINT      NOT NULL DEFAULT 0,
    CONSTRAINT buyer_caps_ordered CHECK (daily_cap IS NULL OR monthly_cap IS NULL OR daily_cap <= monthly_cap),
    CONSTRAINT buyer_credential_present CHECK (auth_ciphertext IS NOT NULL OR auth_plaintext IS NOT NULL),
    CONSTRAINT buyer_key_id_with_ciphertext CHECK ((auth_ciphertext IS NULL) = (auth_key_id IS NULL))
);

CREATE INDEX buyer_active_verticals_idx ON buyer USING gin (verticals) WHERE status = 'ACTIVE';
CREATE INDEX buyer_auth_key_idx ON buyer (auth_key_id);
CREATE INDEX buyer_legacy_plaintext_idx ON buyer (id) WHERE auth_plaintext IS NOT NULL;

CREATE TABLE buyer_webhook_secret (
    id           BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    buyer_id     UUID        NOT NULL REFERENCES buyer (id),
    ciphertext   BYTEA,
    key_id       BIGINT,
    plaintext    TEXT,
    created_at   TIMESTAMPTZ NOT NULL,
    -- NULL while current; set to the end of the grace period when a newer secret replaces it.
    expires_at   TIMESTAMPTZ,
    CONSTRAINT webhook_secret_present CHECK (ciphertext IS NOT NULL OR plaintext IS NOT NULL),
    CONSTRAINT webhook_secret_key_id_with_ciphertext CHECK ((ciphertext IS NULL) = (key_id IS NULL))
);

CREATE INDEX webhook_secret_buyer_idx ON buyer_webhook_secret (buyer_id, expires_at);
CREATE INDEX webhook_secret_key_idx ON buyer_webhook_secret (key_id);
CREATE INDEX webhook_secret_legacy_idx ON buyer_webhook_secret (id) WHERE plaintext IS NOT NULL;
-- At most one current secret per buyer.
CREATE UNIQUE INDEX webhook_secret_one_current_idx ON buyer_webhook_secret (buyer_id) WHERE expires_at IS NULL;
