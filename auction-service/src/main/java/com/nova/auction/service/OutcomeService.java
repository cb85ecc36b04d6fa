package com.nova.auction.service;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.databind.JsonNode;
import com.nova.auction.config.AuctionConfig;
import com.nova.auction.repository.LeadRepository;
import com.nova.auction.repository.OutcomeRepository.OutcomeRow;
import com.nova.auction.repository.OutcomeRepository.Sale;
import com.nova.auction.repository.OutcomeRepository;
import com.nova.kit.audit.AuditTrail;
import com.nova.kit.events.EventContract;
import com.nova.kit.events.EventEnvelope;
import com.nova.kit.events.PoisonEventException;
import com.nova.kit.events.StreamConsumers;
import com.nova.kit.events.StreamSubscription;
import com.nova.kit.sql.Transactions;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Buyers' outcomes, forwarded by webhook-gateway on {@code auction.events}: accepted, rejected,
 * converted are recorded; returned also books the exact negation of that buyer's sale (a shared
 * lead's other sales stand), marks the lead RETURNED once all its sales are, and (unless the buyer bought with {@code capsBackOnReturn} off) gives the buyer back the
 * cap and budget the sale used. Each outcome of a buyer's own purchase applies once (keyed by its source and that
 * source's event id: message ids are unique per buyer, not across buyers); a second return, a
 * return after the buyer's conversion or after {@code auction.return-window} is kept, marked
 * refused, and changes nothing. An outcome from a buyer that did not buy the lead, or for an
 * unknown or unsold lead, changes nothing and leaves no row (only a metric and a log line), so a
 * buyer cannot fill our tables with outcomes for leads it never bought.
 */
@ApplicationScoped
public class OutcomeService {

    public static final String GROUP = "auction-service";

    /** What became of one outcome; {@code recorded} is false for a refusal left without a row. */
    private record Result(String refusal, boolean recorded, boolean firstTime) {
    }

    private final Transactions transactions;
    private final LeadRepository leads;
    private final OutcomeRepository outcomes;
    private final StreamConsumers consumers;
    private final AuditTrail audit;
    private final Clock clock;
    private final Duration returnWindow;
    private final MeterRegistry metrics;

    public OutcomeService(Transactions transactions, LeadRepository leads, OutcomeRepository outcomes, StreamConsumers consumers,
            AuditTrail audit, Clock clock, AuctionConfig config, MeterRegistry metrics) {
        this.transactions = transactions;
        this.leads = leads;
        this.outcomes = outcomes;
        this.consumers = consumers;
        this.audit = audit;
        this.clock = clock;
        this.returnWindow = config.returnWindow();
        this.metrics = metrics;
    }

    void start(@Observes StartupEvent event) {
        consumers.subscribe(new StreamSubscription(EventContract.Streams.AUCTION, GROUP, this::apply));
    }

    public Uni<Void> apply(EventEnvelope event) {
        String kind = switch (event.type()) {
            case EventContract.Types.LEAD_ACCEPTED -> "ACCEPTED";
            case EventContract.Types.LEAD_REJECTED -> "REJECTED";
            case EventContract.Types.LEAD_RETURNED -> "RETURNED";
            case EventContract.Types.LEAD_CONVERTED -> "CONVERTED";
            default -> throw new PoisonEventException("unknown outcome type " + event.type());
        };
        UUID leadId = uuid(event.data(), "leadId");
        UUID buyerId = uuid(event.data(), "buyerId");
        String reason = event.data().hasNonNull("reason") ? truncate(event.data().get("reason").asText(), 500) : null;
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        return transactions.inTransaction(conn -> outcomes.lockSale(conn, leadId, buyerId).chain(sale -> {
            String notTheirs = notTheirs(sale, buyerId);
            if (notTheirs != null) {
                return Uni.createFrom().item(new Result(notTheirs, false, true));
            }
            // The window is judged at the gateway's receipt, not when the stream got to it (lag, outages, retries).
            OffsetDateTime received = event.receivedAt() == null ? now : OffsetDateTime.ofInstant(event.receivedAt(), ZoneOffset.UTC);
            String refusal = refusal(kind, sale, received);
            OutcomeRow row = new OutcomeRow(event.source() + ":" + event.sourceEventId(), leadId, buyerId, kind, reason,
                    refusal, now);
            return outcomes.insertOutcome(conn, row)
                    .chain(inserted -> !inserted ? Uni.createFrom().item(new Result(refusal, true, false))
                            : effect(conn, event.sourceEventId(), row).replaceWith(new Result(refusal, true, true)));
        })).invoke(result -> {
            if (!result.firstTime()) {
                return; // already applied
            }
            metrics.counter("auction_outcomes_total", "kind", kind, "applied", Boolean.toString(result.refusal() == null),
                    "refusal", result.refusal() == null ? "none" : result.refusal()).increment();
            if (!result.recorded()) {
                // Ids we parsed or assigned only: the buyer's own message id and reason stay out of the log.
                Log.warnf("Refused %s outcome %s from buyer %s for lead %s: %s", kind, event.id(), buyerId, leadId,
                        result.refusal());
            }
        }).replaceWithVoid();
    }

    /** Why this buyer has no say about this lead, or null when it bought it (alone, or as one of those sharing it). */
    private static String notTheirs(Sale sale, UUID buyerId) {
        if (sale == null) {
            return "unknown-lead";
        }
        if (sale.soldAt() == null) {
            return sale.status().equals("SOLD") || sale.status().equals("RETURNED") ? "not-the-buyer" : "not-sold";
        }
        return null;
    }

    /** Why the buyer's outcome about its own purchase changes nothing, or null when it applies. */
    private String refusal(String kind, Sale sale, OffsetDateTime now) {
        if (!kind.equals("RETURNED")) {
            return null;
        }
        if (sale.returned()) {
            return "already-returned";
        }
        if (sale.converted()) {
            return "already-converted";
        }
        if (now.isAfter(sale.soldAt().plus(returnWindow))) {
            return "return-window-closed";
        }
        return null;
    }

    /** What a newly recorded outcome does: a return books the negation of the sale; each is audited. */
    private Uni<Void> effect(SqlConnection conn, String eventId, OutcomeRow o) {
        OffsetDateTime now = o.receivedAt();
        Uni<Void> effect = o.refusal() == null && o.kind().equals("RETURNED")
                ? leads.insertReturn(conn, o.leadId(), o.buyerId(), now)
                        .chain(() -> leads.markReturnedWhenAllAre(conn, o.leadId(), now))
                        .chain(() -> leads.giveBackUsage(conn, o.leadId(), o.buyerId()))
                : Uni.createFrom().voidItem();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("kind", o.kind());
        details.put("buyerId", o.buyerId().toString());
        details.put("eventId", eventId);
        if (o.reason() != null) {
            details.put("reason", o.reason());
        }
        if (o.refusal() != null) {
            details.put("refused", o.refusal());
        }
        String action = o.refusal() == null ? "lead.outcome." + o.kind().toLowerCase() : "lead.outcome.refused";
        return effect.chain(() -> audit.record(conn, "buyer:" + o.buyerId(), action, "lead:" + o.leadId(), details));
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
