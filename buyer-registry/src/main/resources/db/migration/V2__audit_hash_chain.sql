-- Tamper evidence for the audit trail (003:16): each row carries the SHA-256 of its content
-- chained over the previous row's hash. Rows are chained in commit order: the trigger takes a
-- transaction-scoped lock, so chain_seq order is the order in which the chain was extended.
-- Rows from before this migration have no hash; the chain starts after them.
ALTER TABLE audit_log ADD COLUMN chain_seq BIGINT UNIQUE;
ALTER TABLE audit_log ADD COLUMN prev_hash BYTEA;
ALTER TABLE audit_log ADD COLUMN hash BYTEA;

CREATE SEQUENCE audit_log_chain_seq;

CREATE FUNCTION audit_log_row_hash(prev BYTEA, r audit_log) RETURNS BYTEA
    LANGUAGE sql IMMUTABLE AS
$$
SELECT sha256(coalesce(prev, '\x'::bytea) || convert_to(concat_ws(E'\x1f',
        r.chain_seq::text,
        r.id::text,
        to_char(r.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        r.actor,
        r.action,
        coalesce(r.target, ''),
        coalesce(r.request_id, ''),
        r.details::text), 'UTF8'))
$$;

CREATE FUNCTION audit_log_chain() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    -- One chain writer at a time until commit; the last committed hash is then visible here.
    PERFORM pg_advisory_xact_lock(hashtext('audit_log_chain'));
    NEW.chain_seq := nextval('audit_log_chain_seq');
    SELECT hash INTO NEW.prev_hash FROM audit_log WHERE chain_seq IS NOT NULL ORDER BY chain_seq DESC LIMIT 1;
    NEW.hash := audit_log_row_hash(NEW.prev_hash, NEW);
    RETURN NEW;
END;
$$;

CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_chain();
