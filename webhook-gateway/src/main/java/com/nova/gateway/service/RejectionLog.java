package com.nova.gateway.service;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.nova.kit.requestid.RequestIds;
import com.nova.kit.sql.Filters;
import com.nova.kit.text.Digests;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** Records refused deliveries in the gateway database and lists them for admins. */
@ApplicationScoped
public class RejectionLog {

    /** One refused delivery as admins see it. */
    public record Entry(long id, OffsetDateTime receivedAt, String provider, String reason, String eventId,
            String buyerId, String clientIp, String requestId, String bodySha256, Long bodySize) {
    }

    public record Page(List<Entry> items, String nextCursor) {
    }

    private final Pool pool;

    public RejectionLog(Pool pool) {
        this.pool = pool;
    }

    /** Deletes up to {@code batch} records received before {@code cutoff}; yields how many went. */
    public Uni<Integer> purgeBefore(OffsetDateTime cutoff, int batch) {
        return pool.preparedQuery("""
                delete from rejected_delivery where id in (
                    select id from rejected_delivery where received_at < $1 order by received_at, id limit $2)
                """).execute(Tuple.of(cutoff, batch)).map(rows -> rows.rowCount());
    }

    /**
     * Records a rejection before the sender is answered. If the database cannot take it, the
     * delivery is refused all the same and the loss is logged (never the body).
     */
    public Uni<Void> record(String provider, Rejection rejection, String buyerId, String clientIp, byte[] body) {
        Tuple args = Tuple.tuple()
                .addString(provider)
                .addString(rejection.reason().code)
                .addString(rejection.eventId())
                .addString(buyerId)
                .addString(clientIp)
                .addString(RequestIds.current())
                .addString(body == null ? null : sha256(body))
                .addLong(body == null ? null : (long) body.length);
        return pool.preparedQuery("insert into rejected_delivery (provider, reason, event_id, buyer_id, client_ip, "
                + "request_id, body_sha256, body_size) values ($1, $2, $3, $4, $5, $6, $7, $8)")
                .execute(args)
                .replaceWithVoid()
                .onFailure().recoverWithItem(e -> {
                    Log.errorf("Could not record a rejected %s delivery (%s): %s", provider, rejection.reason().code,
                            e.getMessage());
                    return null;
                });
    }

    public Uni<Page> list(String provider, String reason, OffsetDateTime from, OffsetDateTime to, Long before, int limit) {
        StringBuilder sql = new StringBuilder("select id, received_at, provider, reason, event_id, buyer_id, client_ip, "
                + "request_id, body_sha256, body_size from rejected_delivery where true");
        Tuple args = Tuple.tuple();
        Filters.where(sql, args, "provider =", provider);
        Filters.where(sql, args, "reason =", reason);
        Filters.where(sql, args, "received_at >=", from);
        Filters.where(sql, args, "received_at <", to);
        Filters.where(sql, args, "id <", before);
        args.addInteger(limit + 1);
        sql.append(" order by id desc limit $").append(args.size());
        return pool.preparedQuery(sql.toString()).execute(args).map(rows -> {
            List<Entry> items = new ArrayList<>();
            for (Row r : rows) {
                items.add(new Entry(r.getLong(0), r.getOffsetDateTime(1), r.getString(2), r.getString(3),
                        r.getString(4), r.getString(5), r.getString(6), r.getString(7), r.getString(8), r.getLong(9)));
            }
            String next = null;
            if (items.size() > limit) {
                items = items.subList(0, limit);
                next = Long.toString(items.get(items.size() - 1).id());
            }
            return new Page(List.copyOf(items), next);
        });
    }


    private static String sha256(byte[] body) {
        return Digests.sha256Hex(body);
    }
}
