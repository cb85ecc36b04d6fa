-- webhook-gateway: every delivery refused for a reason its sender caused, kept for audit and
-- investigation. The body itself is never stored (it may hold personal data): its SHA-256 and
-- size identify it.
CREATE TABLE rejected_delivery (
    id           BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    received_at  TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    provider     TEXT        NOT NULL CHECK (provider IN ('stripe', 'square', 'purchase', 'buyer', 'unknown')),
    reason       TEXT        NOT NULL CHECK (length(reason) BETWEEN 1 AND 50),
    event_id     TEXT        CHECK (length(event_id) <= 200),
    buyer_id     TEXT        CHECK (length(buyer_id) <= 64),
    client_ip    TEXT        CHECK (length(client_ip) <= 64),
    request_id   TEXT        CHECK (length(request_id) <= 128),
    body_sha256  TEXT        CHECK (body_sha256 ~ '^[0-9a-f]{64}$'),
    body_size    BIGINT      CHECK (body_size >= 0)
);

CREATE INDEX rejected_delivery_received_idx ON rejected_delivery (received_at DESC, id DESC);
CREATE INDEX rejected_delivery_reason_idx ON rejected_delivery (provider, reason, id DESC);
