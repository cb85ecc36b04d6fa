package com.nova.wallet.repository;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/** The consumer inbox ({@code processed_event}): which events a consumer applied already. */
@ApplicationScoped
public class InboxRepository {

    /** Records the event in the caller's transaction; true the first time this consumer sees {@code sourceEventId}. */
    public Uni<Boolean> markProcessed(SqlConnection conn, String consumer, String source, String sourceEventId,
            String eventType) {
        return conn.preparedQuery("""
                insert into processed_event (consumer, source, source_event_id, event_type) values ($1, $2, $3, $4)
                on conflict do nothing
                """).execute(Tuple.of(consumer, source, sourceEventId, eventType)).map(rows -> rows.rowCount() == 1);
    }
}
