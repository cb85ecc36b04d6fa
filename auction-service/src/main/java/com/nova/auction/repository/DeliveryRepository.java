package com.nova.auction.repository;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The SQL of deliveries: a worker claims a delivery by its version (of two workers holding the
 * same lead exactly one update matches), and every later change is conditional on the version it
 * claimed.
 */
@ApplicationScoped
public class DeliveryRepository {

    /** The longest {@code last_error} the column takes. */
    static final int ERROR_MAX = 500;

    /** A delivery and the sold lead it carries. */
    public record PendingDelivery(UUID leadId, UUID buyerId, String status, int attempts, long version,
            OffsetDateTime claimedUntil, SoldLead lead) {
    }

    /** What the buyer receives. */
    public record SoldLead(String vertical, String firstName, String lastName, String email, String phone, String zip,
            String state, String trustedFormCertUrl, String comments, BigDecimal price, OffsetDateTime soldAt) {
    }

    private final Pool pool;

    public DeliveryRepository(Pool pool) {
        this.pool = pool;
    }

    /** A delivery as read, and whether this read also took it ({@code delivery.version()} is the version it was taken at). */
    public record Found(PendingDelivery delivery, boolean claimed) {
    }

    /**
     * The delivery of a lead's sale to this buyer, with the price that buyer pays, taken for one
     * more attempt in the same round trip when it is free: pending, or in flight past its lease.
     * Taken by its version, so of two workers reading it at once exactly one takes it (the other's
     * update, re-checked on the changed row, matches nothing). Null when there is no such delivery;
     * {@code buyerId} null (an event from before shared leads) finds the lead's one delivery.
     */
    public Uni<Found> findAndClaim(UUID leadId, UUID buyerId, String worker, OffsetDateTime now, OffsetDateTime until) {
        return pool.preparedQuery("""
                with found as (
                    select d.buyer_id, d.status, d.attempts, d.version, d.claimed_until, l.vertical, l.first_name, l.last_name,
                           l.email, l.phone, l.zip, l.state, l.trusted_form_cert_url, l.comments, s.price, l.updated_at
                    from delivery d join lead l on l.id = d.lead_id
                    join revenue_entry s on s.lead_id = d.lead_id and s.buyer_id = d.buyer_id and s.kind = 'SALE'
                    where d.lead_id = $1 and ($2::uuid is null or d.buyer_id = $2)
                    order by d.buyer_id limit 1),
                taken as (
                    update delivery t set status = 'IN_FLIGHT', attempts = t.attempts + 1, claimed_by = $3, claimed_until = $5,
                           version = t.version + 1
                    from found f
                    where t.lead_id = $1 and t.buyer_id = f.buyer_id and t.version = f.version
                      and (f.status = 'PENDING' or (f.status = 'IN_FLIGHT' and f.claimed_until < $4))
                    returning t.version)
                select found.*, exists (select 1 from taken) as taken from found""")
                .execute(Tuple.of(leadId, buyerId, worker, now, until))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return null;
                    }
                    Row r = rows.iterator().next();
                    SoldLead lead = new SoldLead(r.getString("vertical"), r.getString("first_name"), r.getString("last_name"),
                            r.getString("email"), r.getString("phone"), r.getString("zip"), r.getString("state"),
                            r.getString("trusted_form_cert_url"), r.getString("comments"), r.getBigDecimal("price"),
                            r.getOffsetDateTime("updated_at"));
                    return new Found(new PendingDelivery(leadId, r.getUUID("buyer_id"), r.getString("status"), r.getInteger("attempts"),
                            r.getLong("version"), r.getOffsetDateTime("claimed_until"), lead), r.getBoolean("taken"));
                });
    }

    /** False when the claim lapsed and another worker took the delivery meanwhile. */
    public Uni<Boolean> delivered(UUID leadId, UUID buyerId, long version, OffsetDateTime at, int status) {
        return pool.preparedQuery("""
                update delivery set status = 'DELIVERED', delivered_at = $3, response_code = $4, claimed_until = null,
                       last_error = null, version = version + 1
                where lead_id = $1 and version = $2 and buyer_id = $5""")
                .execute(Tuple.of(leadId, version, at, status, buyerId))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Back to PENDING for a later attempt, with why this one failed. */
    public Uni<Void> release(UUID leadId, UUID buyerId, long version, String error, Integer status) {
        return unclaim(leadId, buyerId, version, "PENDING", error, status);
    }

    /** FAILED for good, with why. */
    public Uni<Void> failed(UUID leadId, UUID buyerId, long version, String error, Integer status) {
        return unclaim(leadId, buyerId, version, "FAILED", error, status);
    }

    /** Gives up this worker's claim (by version), leaving the delivery in {@code state} with why. */
    private Uni<Void> unclaim(UUID leadId, UUID buyerId, long version, String state, String error, Integer status) {
        return pool.preparedQuery("""
                update delivery set status = $5, claimed_until = null, last_error = $3, response_code = $4,
                       version = version + 1
                where lead_id = $1 and version = $2 and buyer_id = $6""")
                .execute(Tuple.from(new Object[] { leadId, version, truncate(error), status, state, buyerId }))
                .replaceWithVoid();
    }

    private static String truncate(String error) {
        return error == null || error.length() <= ERROR_MAX ? error : error.substring(0, ERROR_MAX);
    }
}
