package com.nova.gateway.repository;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.nova.kit.sql.Filters;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** The {@code rejected_delivery} table: refused deliveries, never their bodies. */
@ApplicationScoped
public class RejectionRepository {

    /** One refused delivery as admins see it. */
    public record Entry(long id, OffsetDateTime receivedAt, String provider, String reason, String eventId,
            String buyerId, String clientIp, String requestId, String bodySha256, Long bodySize) {
    }

    private final Pool pool;

    public RejectionRepository(Pool pool) {
        this.pool = pool;
    }

    /** Deletes up to {@code batch} records received before {@code cutoff}; yields how many went. */
    public Uni<Integer> purgeBefore(OffsetDateTime cutoff, int batch) {
        return pool.preparedQuery("""
                delete from rejected_delivery where id in (
                    select id from rejected_delivery where received_at < $1 order by received_at, id limit $2)
                """).execute(Tuple.of(cutoff, batch)).map(rows -> rows.rowCount());
    }

    /** Inserts one record; {@code bodySha256} and {@code bodySize} are null when the body was never read. */
    public Uni<Void> insert(String provider, String reason, String eventId, String buyerId, String clientIp,
            String requestId, String bodySha256, Long bodySize) {
        Tuple args = Tuple.tuple()
                .addString(provider)
                .addString(reason)
                .addString(eventId)
                .addString(buyerId)
                .addString(clientIp)
                .addString(requestId)
                .addString(bodySha256)
                .addLong(bodySize);
        return pool.preparedQuery("insert into rejected_delivery (provider, reason, event_id, buyer_id, client_ip, "
                + "request_id, body_sha256, body_size) values ($1, $2, $3, $4, $5, $6, $7, $8)")
                .execute(args)
                .replaceWithVoid();
    }

    /** Up to {@code max} records matching the filters (each optional), newest first, with ids below {@code before}. */
    public Uni<List<Entry>> list(String provider, String reason, OffsetDateTime from, OffsetDateTime to, Long before,
            int max) {
        StringBuilder sql = new StringBuilder("select id, received_at, provider, reason, event_id, buyer_id, client_ip, "
                + "request_id, body_sha256, body_size from rejected_delivery where true");
        Tuple args = Tuple.tuple();
        Filters.where(sql, args, "provider =", provider);
        Filters.where(sql, args, "reason =", reason);
        Filters.where(sql, args, "received_at >=", from);
        Filters.where(sql, args, "received_at <", to);
        Filters.where(sql, args, "id <", before);
        args.addInteger(max);
        sql.append(" order by id desc limit $").append(args.size());
        return pool.preparedQuery(sql.toString()).execute(args).map(rows -> {
            List<Entry> items = new ArrayList<>();
            for (Row r : rows) {
                items.add(new Entry(r.getLong(0), r.getOffsetDateTime(1), r.getString(2), r.getString(3),
                        r.getString(4), r.getString(5), r.getString(6), r.getString(7), r.getString(8), r.getLong(9)));
            }
            return items;
        });
    }
}
