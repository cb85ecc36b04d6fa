package com.nova.kit.outbox;

import jakarta.enterprise.context.ApplicationScoped;

import com.nova.kit.events.EventEnvelope;
import com.nova.kit.events.EventPublisher;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Writes an event into the {@code outbox} table inside the caller's transaction, so the event
 * exists if and only if the change it describes committed. {@link OutboxRelay} publishes it.
 */
@ApplicationScoped
public class Outbox {

    private final EventPublisher publisher;

    public Outbox(EventPublisher publisher) {
        this.publisher = publisher;
    }

    /** An outbox row as {@link #enqueue} writes it, for a caller that writes it in a statement of its own (with others). */
    public record Row(String stream, String eventId, String type, String envelope) {
    }

    /** The row {@link #enqueue(SqlConnection, String, EventEnvelope)} would insert for this event. */
    public Row row(String stream, EventEnvelope envelope) {
        EventEnvelope traced = publisher.traced(envelope);
        return new Row(stream, traced.id(), traced.type(), publisher.toJson(traced));
    }

    /** Must be called inside a reactive transaction. */
    public Uni<Void> enqueue(String stream, EventEnvelope envelope) {
        EventEnvelope traced = publisher.traced(envelope);
        return Panache.getSession().chain(session -> session.createNativeQuery(
                "insert into outbox (stream, event_id, event_type, envelope) values (?1, ?2, ?3, ?4)")
                .setParameter(1, stream)
                .setParameter(2, traced.id())
                .setParameter(3, traced.type())
                .setParameter(4, publisher.toJson(traced))
                .executeUpdate())
                .replaceWithVoid();
    }

    /** Writes the event on the caller's connection, inside the transaction it holds open there. */
    public Uni<Void> enqueue(SqlConnection conn, String stream, EventEnvelope envelope) {
        Row row = row(stream, envelope);
        return conn.preparedQuery("insert into outbox (stream, event_id, event_type, envelope) values ($1, $2, $3, $4)")
                .execute(Tuple.of(row.stream(), row.eventId(), row.type(), row.envelope()))
                .replaceWithVoid();
    }
}
