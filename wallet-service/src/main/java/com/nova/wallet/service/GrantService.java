package com.nova.wallet.service;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.nova.kit.events.EventEnvelope;
import com.nova.kit.events.PoisonEventException;
import com.nova.wallet.config.WalletConfig;
import com.nova.wallet.repository.Ledger;
import com.nova.wallet.repository.Ledger.Entry;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Applies {@code wallet.events}: a purchase grants points, a refund reverses them proportionally.
 * Each event applies in one database transaction with its inbox row (000:P1-2): it commits whole
 * or not at all, and a redelivered or replayed event finds its inbox row and changes nothing.
 */
@ApplicationScoped
public class GrantService {

    public static final String CONSUMER = "wallet-grants";

    private final Pool pool;
    private final Ledger ledger;
    private final WalletConfig config;
    private final GrantFaults faults;
    private final MeterRegistry metrics;

    public GrantService(Pool pool, Ledger ledger, WalletConfig config, GrantFaults faults, MeterRegistry metrics) {
        this.pool = pool;
        this.ledger = ledger;
        this.config = config;
        this.faults = faults;
        this.metrics = metrics;
    }

    /** The stream handler: completes after the transaction committed. */
    @WithSpan
    public Uni<Void> apply(EventEnvelope event) {
        return switch (event.type()) {
            case "purchase.completed" -> pool.withTransaction(conn -> once(conn, event).chain(fresh -> fresh
                    ? purchase(conn, event) : Uni.createFrom().voidItem()));
            case "purchase.refunded" -> pool.withTransaction(conn -> once(conn, event).chain(fresh -> fresh
                    ? refund(conn, event) : Uni.createFrom().voidItem()));
            default -> {
                Log.debugf("wallet.events: %s is not for the wallet", event.type());
                yield Uni.createFrom().voidItem();
            }
        };
    }

    /** The inbox: true the first time this consumer sees the event's source id. */
    private Uni<Boolean> once(SqlConnection conn, EventEnvelope e) {
        return ledger.update(conn, """
                insert into processed_event (consumer, source, source_event_id, event_type) values ($1, $2, $3, $4)
                on conflict do nothing
                """, CONSUMER, e.source(), e.sourceEventId(), e.type()).map(n -> n == 1);
    }

    private Uni<Void> purchase(SqlConnection conn, EventEnvelope e) {
        JsonNode d = e.data();
        String paymentId = text(d, "paymentId");
        long amount = minor(d);
        String currency = text(d, "currency");
        String merchant = d.path("merchantId").isTextual() ? d.get("merchantId").asText() : null;
        if (e.subject() == null || e.subject().isBlank()) {
            metrics.counter("wallet_purchases_parked_total").increment();
            return ledger.update(conn, """
                    insert into parked_purchase (source, payment_id, merchant_id, amount_minor, currency, occurred_at)
                    values ($1, $2, $3, $4, $5, $6) on conflict (source, payment_id) do nothing
                    """, e.source(), paymentId, merchant, amount, currency, e.occurredAt().atOffset(ZoneOffset.UTC))
                    .replaceWithVoid();
        }
        return grant(conn, e.source(), paymentId, e.subject(), merchant, amount, currency, "system:" + CONSUMER);
    }

    /**
     * Grants a purchase to a driver once per provider payment; used by the stream and by an admin
     * attributing a parked purchase. Yields nothing when the payment was granted before.
     */
    public Uni<Void> grant(SqlConnection conn, String source, String paymentId, String driverId, String merchant,
            long amountMinor, String currency, String actor) {
        return rateOf(conn, merchant).chain(rate -> {
            long points = Points.earned(amountMinor, currency, rate);
            UUID id = UUID.randomUUID();
            return ledger.claim(conn, id, driverId, "GRANT", points, "grant:" + source, paymentId,
                    hash(source, paymentId, driverId, Long.toString(amountMinor), currency), merchant, paymentId, null, actor)
                    .chain(existing -> {
                        if (existing != null) {
                            return Uni.createFrom().voidItem(); // this payment was granted already
                        }
                        return ledger.ensureWallet(conn, driverId)
                                .chain(() -> ledger.credit(conn, driverId, points))
                                .invoke(() -> faults.afterBalanceUpdate(paymentId))
                                .chain(() -> points == 0 ? Uni.createFrom().voidItem()
                                        : ledger.entries(conn, id, List.of(new Entry(Ledger.ISSUER, 'D', points),
                                                new Entry(Ledger.driverAccount(driverId), 'C', points))))
                                .chain(() -> ledger.settle(conn, id, driverId, "COMMITTED", points, 0, null))
                                .chain(() -> ledger.update(conn, """
                                        insert into purchase_grant (source, payment_id, driver_id, merchant_id, amount_minor,
                                            currency, points, transaction_id) values ($1, $2, $3, $4, $5, $6, $7, $8)
                                        """, source, paymentId, driverId, merchant, amountMinor, currency, points, id))
                                .invoke(() -> {
                                    metrics.counter("wallet_operations_total", "kind", "GRANT", "outcome", "committed").increment();
                                    metrics.counter("wallet_points_granted_total").increment(points);
                                })
                                .replaceWithVoid();
                    });
        });
    }

    private Uni<Void> refund(SqlConnection conn, EventEnvelope e) {
        JsonNode d = e.data();
        String paymentId = text(d, "paymentId");
        String refundId = text(d, "refundId");
        long refundMinor = minor(d);
        return conn.preparedQuery("""
                select driver_id, amount_minor, points, refunded_minor, reversed_points from purchase_grant
                where source = $1 and payment_id = $2 for update
                """).execute(Tuple.of(e.source(), paymentId))
                .chain(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return refundParked(conn, e.source(), paymentId, refundMinor);
                    }
                    Row g = rows.iterator().next();
                    String driver = g.getString(0);
                    long amount = g.getLong(1);
                    long points = g.getLong(2);
                    long refunded = Math.min(amount, g.getLong(3) + refundMinor);
                    long target = Points.reversedAfter(points, amount, refunded);
                    long due = target - g.getLong(4);
                    UUID id = UUID.randomUUID();
                    return ledger.claim(conn, id, driver, "REVERSAL", due, "refund:" + e.source(), refundId,
                            hash(e.source(), refundId, paymentId, Long.toString(refundMinor)), null, refundId, null,
                            "system:" + CONSUMER)
                            .chain(existing -> existing != null ? Uni.createFrom().voidItem()
                                    : reverse(conn, id, driver, due, e.source(), paymentId, refunded, target));
                });
    }

    /** Takes back what the driver still has, up to what is due; what was already spent is recorded as the shortfall. */
    private Uni<Void> reverse(SqlConnection conn, UUID id, String driver, long due, String source, String paymentId,
            long refunded, long target) {
        return ledger.debit(conn, driver, due, true).chain(taken -> {
            long shortfall = due - taken;
            if (shortfall > 0) {
                metrics.counter("wallet_reversal_shortfall_points_total").increment(shortfall);
                Log.warnf("Refund of payment %s: %d points were already spent and could not be reversed", paymentId, shortfall);
            }
            return (taken == 0 ? Uni.createFrom().voidItem()
                    : ledger.entries(conn, id, List.of(new Entry(Ledger.driverAccount(driver), 'D', taken),
                            new Entry(Ledger.ISSUER, 'C', taken))))
                    .chain(() -> ledger.settle(conn, id, driver, "COMMITTED", taken, shortfall,
                            shortfall > 0 ? "already-spent" : null))
                    .chain(() -> ledger.update(conn, "update purchase_grant set refunded_minor = $3, reversed_points = $4 "
                            + "where source = $1 and payment_id = $2", source, paymentId, refunded, target))
                    .invoke(() -> metrics.counter("wallet_operations_total", "kind", "REVERSAL", "outcome", "committed").increment())
                    .replaceWithVoid();
        });
    }

    /** A refund of a purchase still parked lowers what its attribution will grant. */
    private Uni<Void> refundParked(SqlConnection conn, String source, String paymentId, long refundMinor) {
        return ledger.update(conn, """
                update parked_purchase set refunded_minor = least(amount_minor, refunded_minor + $3)
                where source = $1 and payment_id = $2 and attributed_to is null
                """, source, paymentId, refundMinor).map(n -> {
                    if (n == 0) {
                        // Not granted, not parked: the purchase has not arrived yet. Fail so the
                        // stream redelivers; if it never arrives the entry ends in the dead-letter stream.
                        throw new IllegalStateException("refund for an unknown payment " + paymentId);
                    }
                    return null;
                }).replaceWithVoid();
    }

    private Uni<BigDecimal> rateOf(SqlConnection conn, String merchant) {
        if (merchant == null) {
            return Uni.createFrom().item(config.defaultEarnRate());
        }
        return conn.preparedQuery("select points_per_unit from merchant_earn_rate where merchant_id = $1")
                .execute(Tuple.of(merchant))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getBigDecimal(0) : config.defaultEarnRate());
    }

    private static String text(JsonNode data, String field) {
        JsonNode v = data.path(field);
        if (!v.isTextual() || v.asText().isBlank()) {
            throw new PoisonEventException("data." + field + " is missing");
        }
        return v.asText();
    }

    private static long minor(JsonNode data) {
        JsonNode v = data.path("amountMinor");
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
            throw new PoisonEventException("data.amountMinor must be a non-negative integer");
        }
        return v.asLong();
    }

    static String hash(String... parts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String p : parts) {
                sha.update((p == null ? "" : p).getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0x1f);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
