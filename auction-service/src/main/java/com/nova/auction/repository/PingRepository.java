package com.nova.auction.repository;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** The pings of ping/post: stored once per Idempotency-Key, used by one post. */
@ApplicationScoped
public class PingRepository {

    /** A stored ping; {@code bid}, {@code price} and {@code buyerId} are null when nobody bid. */
    public record Ping(UUID id, String publisherId, String idempotencyKey, String requestHash, String vertical, String zip,
            String state, BigDecimal bid, BigDecimal price, UUID buyerId, int considered, OffsetDateTime createdAt,
            OffsetDateTime expiresAt, UUID leadId) {
    }

    private static final String COLUMNS = """
            id, publisher_id, idempotency_key, request_hash, vertical, zip, state, bid, price, buyer_id, considered,
            created_at, expires_at, lead_id""";

    public Uni<Void> insert(SqlClient db, Ping p) {
        return db.preparedQuery("insert into lead_ping (" + COLUMNS + ") values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, null)")
                .execute(Tuple.from(new Object[] { p.id(), p.publisherId(), p.idempotencyKey(), p.requestHash(), p.vertical(), p.zip(),
                        p.state(), p.bid(), p.price(), p.buyerId(), p.considered(), p.createdAt(), p.expiresAt() }))
                .replaceWithVoid();
    }

    public Uni<Ping> findByKey(SqlClient db, String publisherId, String key) {
        return db.preparedQuery("select " + COLUMNS + " from lead_ping where publisher_id = $1 and idempotency_key = $2")
                .execute(Tuple.of(publisherId, key)).map(rows -> rows.size() == 0 ? null : ping(rows.iterator().next()));
    }

    /** The publisher's own ping (another publisher's does not exist for it). */
    public Uni<Ping> find(SqlClient db, UUID id, String publisherId) {
        return db.preparedQuery("select " + COLUMNS + " from lead_ping where id = $1 and publisher_id = $2")
                .execute(Tuple.of(id, publisherId)).map(rows -> rows.size() == 0 ? null : ping(rows.iterator().next()));
    }

    /**
     * Takes the ping for this lead inside the lead's decision transaction: only a ping nobody used and not
     * expired at {@code now} (a concurrent post waits for this row and then finds it used). Null when taken;
     * otherwise why not: "used" or "expired".
     */
    public Uni<String> use(SqlClient db, UUID id, UUID leadId, OffsetDateTime now) {
        return db.preparedQuery("update lead_ping set lead_id = $2, used_at = $3 where id = $1 and lead_id is null and expires_at > $3")
                .execute(Tuple.of(id, leadId, now)).chain(rows -> rows.rowCount() == 1 ? Uni.createFrom().<String>nullItem()
                        // A statement of its own: its snapshot sees the post that took the ping while this one waited.
                        : db.preparedQuery("select lead_id is not null as used from lead_ping where id = $1").execute(Tuple.of(id))
                                .map(r -> r.iterator().next().getBoolean("used") ? "used" : "expired"));
    }

    private static Ping ping(Row r) {
        return new Ping(r.getUUID("id"), r.getString("publisher_id"), r.getString("idempotency_key"), r.getString("request_hash"),
                r.getString("vertical"), r.getString("zip"), r.getString("state"), r.getBigDecimal("bid"), r.getBigDecimal("price"),
                r.getUUID("buyer_id"), r.getInteger("considered"), r.getOffsetDateTime("created_at"), r.getOffsetDateTime("expires_at"),
                r.getUUID("lead_id"));
    }
}
