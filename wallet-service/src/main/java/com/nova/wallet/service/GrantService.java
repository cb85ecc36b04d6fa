package com.nova.wallet.service;

import java.math.BigDecimal;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.nova.kit.events.EventContract;
import com.nova.kit.events.EventEnvelope;
import com.nova.kit.events.PoisonEventException;
import com.nova.kit.idempotency.IdempotencyKeys;
import com.nova.kit.sql.Transactions;
import com.nova.wallet.config.WalletConfig;
import com.nova.wallet.repository.EarnRateRepository;
import com.nova.wallet.repository.InboxRepository;
import com.nova.wallet.repository.LedgerRepository.Claim;
import com.nova.wallet.repository.LedgerRepository.Entry;
import com.nova.wallet.repository.LedgerRepository;
import com.nova.wallet.repository.ParkedPurchaseRepository;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Applies {@code wallet.events}: a purchase grants points, a refund reverses them proportionally.
 * Each event applies in one database transaction with its inbox row: it commits whole
 * or not at all, and a redelivered or replayed event finds its inbox row and changes nothing.
 */
@ApplicationScoped
public class GrantService {

    public static final String CONSUMER = "wallet-grants";

    private final Transactions transactions;
    private final LedgerRepository ledger;
    private final EarnRateRepository rates;
    private final ParkedPurchaseRepository parked;
    private final InboxRepository inbox;
    private final WalletConfig config;
    private final GrantFaults faults;
    private final PointLots lots;
    private final MeterRegistry metrics;

    public GrantService(Transactions transactions, LedgerRepository ledger, EarnRateRepository rates, ParkedPurchaseRepository parked,
            InboxRepository inbox, WalletConfig config, GrantFaults faults, PointLots lots, MeterRegistry metrics) {
        this.transactions = transactions;
        this.ledger = ledger;
        this.rates = rates;
        this.parked = parked;
        this.inbox = inbox;
        this.config = config;
        this.faults = faults;
        this.lots = lots;
        this.metrics = metrics;
    }

    /** The stream handler: completes after the transaction committed. */
    @WithSpan
    public Uni<Void> apply(EventEnvelope event) {
        return switch (event.type()) {
            // A payment captured in steps sends one event per captured total: each total is its own fact.
            case EventContract.Types.PURCHASE_COMPLETED -> transactions.inTransaction(conn -> once(conn, event,
                    event.sourceEventId() + "@" + minor(event.data())).chain(fresh -> fresh
                            ? purchase(conn, event) : Uni.createFrom().voidItem()));
            case EventContract.Types.PURCHASE_REFUNDED -> transactions.inTransaction(conn -> once(conn, event, event.sourceEventId()).chain(fresh -> fresh
                    ? refund(conn, event) : Uni.createFrom().voidItem()));
            default -> {
                Log.debugf("wallet.events: %s is not for the wallet", event.type());
                yield Uni.createFrom().voidItem();
            }
        };
    }

    /** The inbox: true the first time this consumer sees the event's source id. */
    private Uni<Boolean> once(SqlConnection conn, EventEnvelope e, String key) {
        return inbox.markProcessed(conn, CONSUMER, e.source(), key, e.type());
    }

    /** How a purchase ended for the wallet. */
    public enum Granted {
        /** Points were granted (a first grant, or the difference a larger capture earns). */
        GRANTED,
        /** Nothing new: this payment was granted for at least this amount already. */
        ALREADY,
        /** No driver to grant to: parked until an admin attributes it. */
        NO_DRIVER,
        /** A currency with no earn rate: parked until an admin sets one and attributes it. */
        UNSUPPORTED_CURRENCY
    }

    /**
     * A payment as the wallet sees it: the amount is what was captured so far, never an
     * authorisation; {@code refundedMinor} is what was refunded of it before it was granted (a
     * parked purchase attributed later).
     */
    public record Purchase(String source, String paymentId, String driverId, String merchantId, long amountMinor,
            String currency, long refundedMinor) {

        Purchase(String source, String paymentId, String driverId, String merchantId, long amountMinor, String currency) {
            this(source, paymentId, driverId, merchantId, amountMinor, currency, 0);
        }
    }

    private Uni<Void> purchase(SqlConnection conn, EventEnvelope e) {
        JsonNode d = e.data();
        String merchant = d.path("merchantId").isTextual() ? d.get("merchantId").asText() : null;
        String driver = e.subject() == null || e.subject().isBlank() ? null : e.subject();
        Purchase p = new Purchase(e.source(), text(d, "paymentId"), driver, merchant, minor(d), text(d, "currency"));
        String actor = "system:" + CONSUMER;
        return grant(conn, p, actor).chain(outcome -> switch (outcome) {
            case NO_DRIVER -> park(conn, p, e, "unknown_driver", actor);
            case UNSUPPORTED_CURRENCY -> park(conn, p, e, "unsupported_currency", actor);
            default -> Uni.createFrom().voidItem();
        });
    }

    private Uni<Void> park(SqlConnection conn, Purchase p, EventEnvelope e, String reason, String actor) {
        metrics.counter("wallet_purchases_parked_total", "reason", reason).increment();
        return parked.park(conn, p.source(), p.paymentId(), p.merchantId(), p.amountMinor(), p.currency(),
                e.occurredAt().atOffset(ZoneOffset.UTC), reason, p.driverId())
                // An admin attributed it while we waited for its row: it is granted now, so this capture tops it up.
                .chain(rows -> rows > 0 ? Uni.createFrom().voidItem()
                        : ledger.lockGrant(conn, p.source(), p.paymentId()).chain(g -> g == null ? Uni.createFrom().voidItem()
                                : raise(conn, p, g, actor).replaceWithVoid()));
    }

    /**
     * Grants a purchase once per provider payment; used by the stream and by an admin attributing
     * a parked purchase. A payment granted before earns again only when more of it was captured
     * since, and then only the difference, at the rate its first grant used, for the driver it
     * was granted to.
     */
    public Uni<Granted> grant(SqlConnection conn, Purchase p, String actor) {
        return ledger.lockGrant(conn, p.source(), p.paymentId()).chain(existing -> {
            if (existing != null) {
                return raise(conn, p, existing, actor);
            }
            if (p.driverId() == null) {
                return Uni.createFrom().item(Granted.NO_DRIVER);
            }
            return rateOf(conn, p.merchantId(), p.currency()).chain(rate -> rate == null
                    ? Uni.createFrom().item(Granted.UNSUPPORTED_CURRENCY)
                    : first(conn, p, rate, actor));
        });
    }

    private Uni<Granted> first(SqlConnection conn, Purchase p, BigDecimal rate, String actor) {
        long points = Points.earned(p.amountMinor(), p.currency(), rate);
        // Refunded before it was granted (parked, then attributed): granted net of what refunds take back.
        long reversed = Points.reversedAfter(points, p.amountMinor(), Math.min(p.refundedMinor(), p.amountMinor()));
        long net = points - reversed;
        UUID id = UUID.randomUUID();
        return ledger.claim(conn, new Claim(id, p.driverId(), "GRANT", net, "grant:" + p.source(), p.paymentId(),
                IdempotencyKeys.requestHash(p.source(), p.paymentId(), p.driverId(), Long.toString(p.amountMinor()), p.currency()), p.merchantId(),
                p.paymentId(), null, actor))
                .chain(claimed -> {
                    if (claimed != null) {
                        // A concurrent event of this payment granted it first (we waited for its commit): top up, if due.
                        return ledger.lockGrant(conn, p.source(), p.paymentId()).chain(g -> g == null
                                ? Uni.createFrom().item(Granted.ALREADY)
                                : raise(conn, p, g, actor));
                    }
                    return post(conn, id, p.driverId(), net, p.source(), p.paymentId())
                            .chain(() -> ledger.insertGrant(conn, p.source(), p.paymentId(), p.driverId(), p.merchantId(),
                                    p.amountMinor(), p.currency(), points, rate, id, p.refundedMinor(), reversed))
                            .replaceWith(Granted.GRANTED);
                });
    }

    /**
     * A larger capture of a payment granted before: grants exactly what the extra amount earns, and
     * takes back what refunds reported before it now cover (a refund may arrive before the capture
     * it refunds). Reversals never shrink: rounding may leave the driver a point short, never over.
     */
    private Uni<Granted> raise(SqlConnection conn, Purchase p, LedgerRepository.Grant g, String actor) {
        if (p.amountMinor() <= g.amountMinor()) {
            return Uni.createFrom().item(Granted.ALREADY);
        }
        if (!p.currency().equals(g.currency())) {
            throw new PoisonEventException("payment " + p.paymentId() + " was granted in " + g.currency()
                    + ", a capture in " + p.currency() + " cannot add to it");
        }
        Uni<BigDecimal> rateUsed = g.pointsPerUnit() != null ? Uni.createFrom().item(g.pointsPerUnit())
                : rateOf(conn, p.merchantId(), g.currency()).map(r -> r == null ? BigDecimal.ZERO : r);
        return rateUsed.chain(rate -> {
            long total = Points.earned(p.amountMinor(), g.currency(), rate);
            long due = Math.max(0, total - g.points());
            long target = Points.reversedAfter(total, p.amountMinor(), Math.min(g.refundedMinor(), p.amountMinor()));
            long reverseDue = Math.max(0, target - g.reversedPoints());
            UUID id = UUID.randomUUID();
            String key = p.paymentId() + "@" + p.amountMinor();
            return ledger.claim(conn, new Claim(id, g.driverId(), "GRANT", due, "grant:" + p.source(), key,
                    IdempotencyKeys.requestHash(p.source(), key, g.driverId(), Long.toString(p.amountMinor()), p.currency()), p.merchantId(),
                    p.paymentId(), "capture-increase", actor))
                    .chain(claimed -> claimed != null ? Uni.createFrom().item(Granted.ALREADY)
                            : post(conn, id, g.driverId(), due, p.source(), p.paymentId())
                                    .chain(() -> ledger.raiseGrant(conn, p.source(), p.paymentId(), p.amountMinor(),
                                            g.points() + due, rate))
                                    .chain(() -> reverseDue == 0 ? Uni.createFrom().voidItem()
                                            : reversal(conn, g.driverId(), p.source(), p.paymentId(), "capture:" + key,
                                                    reverseDue, g.refundedMinor(), g.reversedPoints() + reverseDue, actor))
                                    .replaceWith(Granted.GRANTED));
        });
    }

    /** Credits the driver and books the balanced entries of a claimed grant. */
    private Uni<Void> post(SqlConnection conn, UUID id, String driverId, long points, String source, String paymentId) {
        return ledger.ensureWallet(conn, driverId)
                .chain(() -> ledger.credit(conn, driverId, points))
                .invoke(() -> faults.afterBalanceUpdate(paymentId))
                .chain(() -> lots.credited(conn, driverId, id, source, paymentId, points))
                .chain(() -> points == 0 ? Uni.createFrom().voidItem()
                        : ledger.entries(conn, id, List.of(new Entry(LedgerRepository.ISSUER, 'D', points),
                                new Entry(LedgerRepository.driverAccount(driverId), 'C', points))))
                .chain(() -> ledger.settle(conn, id, driverId, "COMMITTED", points, 0, null))
                .invoke(() -> {
                    metrics.counter("wallet_operations_total", "kind", "GRANT", "outcome", "committed").increment();
                    metrics.counter("wallet_points_granted_total").increment(points);
                })
                .replaceWithVoid();
    }

    private Uni<Void> refund(SqlConnection conn, EventEnvelope e) {
        JsonNode d = e.data();
        String paymentId = text(d, "paymentId");
        String refundId = text(d, "refundId");
        long refundMinor = minor(d);
        String currency = text(d, "currency");
        return ledger.lockGrant(conn, e.source(), paymentId).chain(g -> {
            if (g == null) {
                return refundParked(conn, e.source(), paymentId, refundMinor);
            }
            if (!currency.equals(g.currency())) {
                // Proportions of minor units mean nothing across currencies.
                throw new PoisonEventException("refund " + refundId + " is in " + currency + ", its payment in " + g.currency());
            }
            // Kept in full: a refund may be reported before a larger capture it belongs to.
            long refunded = g.refundedMinor() + refundMinor;
            long target = Points.reversedAfter(g.points(), g.amountMinor(), Math.min(refunded, g.amountMinor()));
            long due = Math.max(0, target - g.reversedPoints());
            UUID id = UUID.randomUUID();
            return ledger.claim(conn, new Claim(id, g.driverId(), "REVERSAL", due, "refund:" + e.source(), refundId,
                    IdempotencyKeys.requestHash(e.source(), refundId, paymentId, Long.toString(refundMinor)), null, refundId, null,
                    "system:" + CONSUMER))
                    .chain(existing -> existing != null ? Uni.createFrom().voidItem()
                            : reverse(conn, id, g.driverId(), due, e.source(), paymentId)
                                    .chain(() -> ledger.recordRefunds(conn, e.source(), paymentId, refunded,
                                            g.reversedPoints() + due)));
        });
    }

    /** A reversal of its own (a capture that makes earlier refunds count), keyed so it applies once. */
    private Uni<Void> reversal(SqlConnection conn, String driver, String source, String paymentId, String key, long due,
            long refunded, long reversedTotal, String actor) {
        UUID id = UUID.randomUUID();
        return ledger.claim(conn, new Claim(id, driver, "REVERSAL", due, "refund:" + source, key,
                IdempotencyKeys.requestHash(source, key, paymentId, Long.toString(due)), null, paymentId, null, actor))
                .chain(existing -> existing != null ? Uni.createFrom().voidItem()
                        : reverse(conn, id, driver, due, source, paymentId)
                                .chain(() -> ledger.recordRefunds(conn, source, paymentId, refunded, reversedTotal)));
    }

    /**
     * Takes back what the driver still has available, up to what is due; what was already spent
     * (or is held for a session) is recorded as the shortfall.
     */
    private Uni<Void> reverse(SqlConnection conn, UUID id, String driver, long due, String source, String paymentId) {
        return ledger.debit(conn, driver, due, true).call(taken -> lots.takenBack(conn, driver, taken, source, paymentId)).chain(taken -> {
            long shortfall = due - taken;
            if (shortfall > 0) {
                metrics.counter("wallet_reversal_shortfall_points_total").increment(shortfall);
                Log.warnf("Refund of payment %s: %d points were already spent and could not be reversed", paymentId, shortfall);
            }
            return (taken == 0 ? Uni.createFrom().voidItem()
                    : ledger.entries(conn, id, List.of(new Entry(LedgerRepository.driverAccount(driver), 'D', taken),
                            new Entry(LedgerRepository.ISSUER, 'C', taken))))
                    .chain(() -> ledger.settle(conn, id, driver, "COMMITTED", taken, shortfall,
                            shortfall > 0 ? "already-spent" : null))
                    .invoke(() -> metrics.counter("wallet_operations_total", "kind", "REVERSAL", "outcome", "committed").increment())
                    .replaceWithVoid();
        });
    }

    /** A refund of a purchase still parked lowers what its attribution will grant. */
    private Uni<Void> refundParked(SqlConnection conn, String source, String paymentId, long refundMinor) {
        return parked.recordRefund(conn, source, paymentId, refundMinor).map(n -> {
                    if (n == 0) {
                        // Not granted, not parked: the purchase has not arrived yet. Fail so the
                        // stream redelivers; if it never arrives the entry ends in the dead-letter stream.
                        throw new IllegalStateException("refund for an unknown payment " + paymentId);
                    }
                    return null;
                }).replaceWithVoid();
    }

    /**
     * Nova per whole unit of {@code currency}: the program currency earns at the merchant's rate
     * (or the default); another currency only at a rate an admin set for it, else null.
     */
    private Uni<BigDecimal> rateOf(SqlConnection conn, String merchant, String currency) {
        if (!currency.equals(config.programCurrency())) {
            return rates.currencyRate(conn, merchant, currency);
        }
        if (merchant == null) {
            return Uni.createFrom().item(config.defaultEarnRate());
        }
        return rates.merchantRate(conn, merchant).map(rate -> rate != null ? rate : config.defaultEarnRate());
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
}
