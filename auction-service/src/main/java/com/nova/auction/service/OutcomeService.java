package com.nova.auction.service;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.databind.JsonNode;
import com.nova.auction.repository.LeadStore;
import com.nova.kit.audit.AuditTrail;
import com.nova.kit.events.EventEnvelope;
import com.nova.kit.events.PoisonEventException;
import com.nova.kit.events.StreamConsumers;
import com.nova.kit.events.StreamSubscription;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Buyers' outcomes, forwarded by webhook-gateway on {@code auction.events}: accepted, rejected,
 * converted are recorded; returned also books the exact negation of the sale and marks the lead
 * RETURNED. Each event applies once (keyed by its source and that source's event id: message ids
 * are unique per buyer, not across buyers); an outcome from a buyer that
 * did not buy the lead, for a lead not sold, or a second return is kept, marked refused, and
 * changes nothing.
 */
@ApplicationScoped
public class OutcomeService {

    public static final String STREAM = "auction.events";
    public static final String GROUP = "auction-service";

    private final Pool pool;
    private final LeadStore store;
    private final StreamConsumers consumers;
    private final AuditTrail audit;
    private final Clock clock;
    private final MeterRegistry metrics;

    public OutcomeService(Pool pool, LeadStore store, StreamConsumers consumers, AuditTrail audit, Clock clock, MeterRegistry metrics) {
        this.pool = pool;
        this.store = store;
        this.consumers = consumers;
        this.audit = audit;
        this.clock = clock;
        this.metrics = metrics;
    }

    void start(@Observes StartupEvent event) {
        consumers.subscribe(new StreamSubscription(STREAM, GROUP, this::apply));
    }

    public Uni<Void> apply(EventEnvelope event) {
        String kind = switch (event.type()) {
            case "lead.accepted" -> "ACCEPTED";
            case "lead.rejected" -> "REJECTED";
            case "lead.returned" -> "RETURNED";
            case "lead.converted" -> "CONVERTED";
            default -> throw new PoisonEventException("unknown outcome type " + event.type());
        };
        UUID leadId = uuid(event.data(), "leadId");
        UUID buyerId = uuid(event.data(), "buyerId");
        String reason = event.data().hasNonNull("reason") ? truncate(event.data().get("reason").asText(), 500) : null;
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        return pool.withTransaction(conn -> conn
                .preparedQuery("select status, buyer_id from lead where id = $1 for update")
                .execute(Tuple.of(leadId))
                .chain(rows -> {
                    String refusal;
                    if (rows.size() == 0) {
                        refusal = "unknown-lead";
                    } else {
                        var row = rows.iterator().next();
                        String status = row.getString("status");
                        if (!buyerId.equals(row.getUUID("buyer_id"))) {
                            refusal = status.equals("SOLD") || status.equals("RETURNED") ? "not-the-buyer" : "not-sold";
                        } else if (kind.equals("RETURNED") && status.equals("RETURNED")) {
                            refusal = "already-returned";
                        } else {
                            refusal = null;
                        }
                    }
                    return conn.preparedQuery("""
                            insert into lead_outcome (source_event_id, lead_id, buyer_id, kind, reason, applied, refusal, received_at)
                            values ($1, $2, $3, $4, $5, $6, $7, $8) on conflict (source_event_id) do nothing""")
                            .execute(Tuple.from(new Object[] { event.source() + ":" + event.sourceEventId(), leadId, buyerId, kind, reason,
                                    refusal == null, refusal, now }))
                            .chain(inserted -> {
                                if (inserted.rowCount() == 0) {
                                    return Uni.createFrom().voidItem(); // already applied
                                }
                                metrics.counter("auction_outcomes_total", "kind", kind, "applied", Boolean.toString(refusal == null)).increment();
                                Uni<Void> effect = refusal == null && kind.equals("RETURNED") ? returned(conn, leadId, now)
                                        : Uni.createFrom().voidItem();
                                Map<String, Object> details = new LinkedHashMap<>();
                                details.put("kind", kind);
                                details.put("buyerId", buyerId.toString());
                                details.put("eventId", event.sourceEventId());
                                if (reason != null) {
                                    details.put("reason", reason);
                                }
                                if (refusal != null) {
                                    details.put("refused", refusal);
                                }
                                String action = refusal == null ? "lead.outcome." + kind.toLowerCase() : "lead.outcome.refused";
                                return effect.chain(() -> audit.record(conn, "buyer:" + buyerId, action, "lead:" + leadId, details));
                            });
                }));
    }

    private Uni<Void> returned(SqlConnection conn, UUID leadId, OffsetDateTime now) {
        return store.insertReturn(conn, leadId, now).chain(() -> store.markReturned(conn, leadId, now));
    }

    private static UUID uuid(JsonNode data, String field) {
        try {
            return UUID.fromString(data.get(field).asText());
        } catch (RuntimeException e) {
            throw new PoisonEventException("outcome without a valid " + field);
        }
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
