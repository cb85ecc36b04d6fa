package com.nova.auction.repository;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.nova.auction.Auction;
import com.nova.auction.Auction.LiveBid;
import com.nova.auction.Auction.LiveBidReason;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** The pings of ping/post: stored once per Idempotency-Key, used by one post. */
@ApplicationScoped
public class PingRepository {

    /** A stored ping; {@code bid}, {@code price} and {@code buyerId} are null when nobody bid. */
    public record Ping(UUID id, String publisherId, String idempotencyKey, String requestHash, String vertical, String zip,
            String state, BigDecimal bid, BigDecimal price, UUID buyerId, int considered, OffsetDateTime createdAt,
            OffsetDateTime expiresAt, UUID leadId, List<LiveBid> liveBids, Auction.SaleMode mode, List<UUID> sharers) {

        /** The live bids that count, by buyer. */
        public Map<UUID, BigDecimal> countingLiveBids() {
            Map<UUID, BigDecimal> bids = new HashMap<>();
            liveBids.stream().filter(LiveBid::counts).forEach(b -> bids.put(b.buyerId(), b.bid()));
            return bids;
        }
    }

    private static final String COLUMNS = """
            id, publisher_id, idempotency_key, request_hash, vertical, zip, state, bid, price, buyer_id, considered,
            created_at, expires_at, lead_id, live_bids, mode, sharers""";

    public Uni<Void> insert(SqlClient db, Ping p) {
        // The answers as one JSON array, one row: amounts as decimal strings, never JSON numbers.
        JsonArray answers = new JsonArray();
        for (LiveBid b : p.liveBids()) {
            JsonObject a = new JsonObject().put("buyerId", b.buyerId().toString()).put("reason", b.reason().name());
            if (b.bid() != null) {
                a.put("bid", b.bid().toPlainString());
            }
            if (b.latencyMs() != null) {
                a.put("latencyMs", b.latencyMs());
            }
            answers.add(a);
        }
        return db.preparedQuery("insert into lead_ping (" + COLUMNS + ") values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, null, $14, $15, $16)")
                .execute(Tuple.from(new Object[] { p.id(), p.publisherId(), p.idempotencyKey(), p.requestHash(), p.vertical(), p.zip(),
                        p.state(), p.bid(), p.price(), p.buyerId(), p.considered(), p.createdAt(), p.expiresAt(), answers,
                        p.mode() == null ? null : p.mode().name(), p.sharers() == null ? null : p.sharers().toArray(UUID[]::new) }))
                .replaceWithVoid();
    }

    /**
     * Deletes at most {@code batch} pings that no post used and that expired before {@code cutoff};
     * yields how many. A ping being used right now is locked by its post and skipped.
     */
    public Uni<Integer> purgeUnusedBefore(SqlClient db, OffsetDateTime cutoff, int batch) {
        return db.preparedQuery("""
                delete from lead_ping where id in (
                    select id from lead_ping where lead_id is null and expires_at < $1
                    order by expires_at limit $2 for update skip locked)""")
                .execute(Tuple.of(cutoff, batch)).map(rows -> rows.rowCount());
    }

    /** The live bids of the ping a lead was posted with (none for a direct post). */
    public Uni<List<LiveBid>> liveBidsOfLead(SqlClient db, UUID leadId) {
        return db.preparedQuery("select live_bids from lead_ping where lead_id = $1").execute(Tuple.of(leadId))
                .map(rows -> rows.size() == 0 ? List.of() : liveBids(rows.iterator().next().getJsonArray("live_bids")));
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
                r.getUUID("lead_id"), liveBids(r.getJsonArray("live_bids")),
                // A priced ping the previous release wrote has no mode: it was exclusive.
                r.getString("mode") != null ? Auction.SaleMode.valueOf(r.getString("mode"))
                        : r.getBigDecimal("bid") != null ? Auction.SaleMode.EXCLUSIVE : null,
                r.getArrayOfUUIDs("sharers") == null ? null : List.of(r.getArrayOfUUIDs("sharers")));
    }

    private static List<LiveBid> liveBids(JsonArray stored) {
        List<LiveBid> list = new ArrayList<>();
        if (stored == null) {
            return list;
        }
        for (int i = 0; i < stored.size(); i++) {
            JsonObject a = stored.getJsonObject(i);
            String bid = a.getString("bid");
            list.add(new LiveBid(UUID.fromString(a.getString("buyerId")), bid == null ? null : new BigDecimal(bid),
                    a.getInteger("latencyMs"), LiveBidReason.valueOf(a.getString("reason"))));
        }
        return list;
    }
}
