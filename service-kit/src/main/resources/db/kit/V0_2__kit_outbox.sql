-- Shared by every service (service-kit): the transactional outbox.
-- A service writes the events of a change in the same transaction as the change; the relay moves
-- them to their Redis stream afterwards and deletes them. A crash or a Redis outage delays an
-- event, never drops it; a crash between XADD and DELETE can repeat one, which consumers absorb
-- (they are idempotent on the envelope).
CREATE TABLE outbox (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    stream      TEXT        NOT NULL CHECK (length(stream) BETWEEN 1 AND 200),
    event_id    TEXT        NOT NULL CHECK (length(event_id) BETWEEN 1 AND 200),
    event_type  TEXT        NOT NULL CHECK (length(event_type) BETWEEN 1 AND 200),
    envelope    TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
);
