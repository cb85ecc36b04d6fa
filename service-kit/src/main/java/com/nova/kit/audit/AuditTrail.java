package com.nova.kit.audit;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nova.kit.requestid.RequestIds;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Writes to the append-only {@code audit_log} table (migration {@code db/kit}) inside the caller's
 * transaction, so an audited change and its audit row commit or roll back together.
 */
@ApplicationScoped
public class AuditTrail {

    private final ObjectMapper mapper;

    public AuditTrail(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** An audit row as {@link #record} writes it, for a caller that writes it in a statement of its own (with others). */
    public record Row(String actor, String action, String target, String requestId, String details) {
    }

    /** The row {@link #record(SqlConnection, String, String, String, Map)} would insert now. */
    public Row row(String actor, String action, String target, Map<String, ?> details) {
        return new Row(actor, action, target, RequestIds.current(), toJson(details));
    }

    /** Records one action; must be called inside a reactive transaction. */
    public Uni<Void> record(String actor, String action, String target, Map<String, ?> details) {
        String json = toJson(details);
        return Panache.getSession().chain(session -> session.createNativeQuery(
                "insert into audit_log (actor, action, target, request_id, details) values (?1, ?2, ?3, ?4, cast(cast(?5 as text) as jsonb))")
                .setParameter(1, actor)
                .setParameter(2, action)
                .setParameter(3, target)
                .setParameter(4, RequestIds.current())
                .setParameter(5, json)
                .executeUpdate())
                .replaceWithVoid();
    }

    /** Records one action on the caller's connection, inside the transaction it holds open there. */
    public Uni<Void> record(SqlConnection conn, String actor, String action, String target, Map<String, ?> details) {
        Row row = row(actor, action, target, details);
        return conn.preparedQuery("insert into audit_log (actor, action, target, request_id, details) values ($1, $2, $3, $4, cast($5 as jsonb))")
                .execute(Tuple.of(row.actor(), row.action(), row.target(), row.requestId(), row.details()))
                .replaceWithVoid();
    }

    private String toJson(Map<String, ?> details) {
        try {
            return mapper.writeValueAsString(details == null ? Map.of() : details);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Audit details cannot be serialized", e);
        }
    }
}
