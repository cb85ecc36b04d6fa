-- Shared by every service (service-kit): the append-only audit trail.
-- Admin actions, credential reads, secret and key rotations are written here, in the same
-- transaction as what they record. The database itself refuses UPDATE, DELETE and TRUNCATE.
CREATE TABLE audit_log (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    actor       TEXT        NOT NULL CHECK (length(actor) BETWEEN 1 AND 200),
    action      TEXT        NOT NULL CHECK (length(action) BETWEEN 1 AND 100),
    target      TEXT        CHECK (length(target) <= 300),
    request_id  TEXT        CHECK (length(request_id) <= 128),
    details     JSONB       NOT NULL DEFAULT '{}'::jsonb
);

CREATE INDEX audit_log_occurred_at_idx ON audit_log (occurred_at DESC, id DESC);
CREATE INDEX audit_log_actor_idx ON audit_log (actor, occurred_at DESC);
CREATE INDEX audit_log_action_idx ON audit_log (action, occurred_at DESC);
CREATE INDEX audit_log_target_idx ON audit_log (target, occurred_at DESC);

CREATE FUNCTION audit_log_refuse_change() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_log_no_update_or_delete
    BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();

CREATE TRIGGER audit_log_no_truncate
    BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
