package com.nova.auction.repository;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/** The SQL of buyers' outcomes: the sale an outcome is about, and the outcome row kept once per source event. */
@ApplicationScoped
public class OutcomeRepository {

    /**
     * A lead as one buyer's outcome sees it: the lead's status, when this buyer bought it (null: it
     * did not), whether this buyer's sale was returned, and whether its conversion was applied. A
     * shared lead has one sale per buyer; each is judged on its own.
     */
    public record Sale(String status, OffsetDateTime soldAt, boolean returned, boolean converted) {
    }

    /**
     * One outcome as kept: {@code sourceEventId} is the source and its event id (unique across
     * sources), {@code refusal} why it changes nothing, or null when it applies.
     */
    public record OutcomeRow(String sourceEventId, UUID leadId, UUID buyerId, String kind, String reason, String refusal,
            OffsetDateTime receivedAt) {
    }

    /**
     * Locks the lead (outcomes of one lead apply one after the other) and reads this buyer's sale of
     * it; null for an unknown lead.
     */
    public Uni<Sale> lockSale(SqlConnection conn, UUID leadId, UUID buyerId) {
        return conn.preparedQuery("""
                select l.status,
                       (select r.booked_at from revenue_entry r where r.lead_id = l.id and r.buyer_id = $2 and r.kind = 'SALE') as sold_at,
                       exists (select 1 from revenue_entry r where r.lead_id = l.id and r.buyer_id = $2 and r.kind = 'RETURN') as returned,
                       exists (select 1 from lead_outcome o where o.lead_id = l.id and o.buyer_id = $2
                               and o.kind = 'CONVERTED' and o.applied) as converted
                from lead l where l.id = $1 for update of l""")
                .execute(Tuple.of(leadId, buyerId))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return null;
                    }
                    Row r = rows.iterator().next();
                    return new Sale(r.getString("status"), r.getOffsetDateTime("sold_at"), r.getBoolean("returned"),
                            r.getBoolean("converted"));
                });
    }

    /** Records the outcome once per source event; false when that event was recorded before. */
    public Uni<Boolean> insertOutcome(SqlConnection conn, OutcomeRow o) {
        return conn.preparedQuery("""
                insert into lead_outcome (source_event_id, lead_id, buyer_id, kind, reason, applied, refusal, received_at)
                values ($1, $2, $3, $4, $5, $6, $7, $8) on conflict (source_event_id) do nothing""")
                .execute(Tuple.from(new Object[] { o.sourceEventId(), o.leadId(), o.buyerId(), o.kind(), o.reason(),
                        o.refusal() == null, o.refusal(), o.receivedAt() }))
                .map(rows -> rows.rowCount() == 1);
    }
}
