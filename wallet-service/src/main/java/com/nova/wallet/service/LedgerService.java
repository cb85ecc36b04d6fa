package com.nova.wallet.service;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.nova.kit.audit.AuditTrail;
import com.nova.kit.idempotency.IdempotencyKeys;
import com.nova.kit.sql.Transactions;
import com.nova.wallet.repository.LedgerRepository.Claim;
import com.nova.wallet.repository.LedgerRepository.Entry;
import com.nova.wallet.repository.LedgerRepository.Stored;
import com.nova.wallet.repository.LedgerRepository;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Redemptions and admin adjustments: debits and credits asked for over HTTP, each under an
 * idempotency key whose outcome never flips. A refused debit (insufficient balance) is recorded
 * too, so retrying the key answers the same rejection; a key reused for another request fails
 * with {@link KeyReused}.
 */
@ApplicationScoped
public class LedgerService {

    /** The outcome of a request, new or replayed. */
    public record Outcome(Stored transaction, boolean replayed) {
        public boolean rejected() {
            return "REJECTED".equals(transaction.status());
        }
    }

    /** An idempotency key retried with a different request; nothing was written. */
    public static final class KeyReused extends RuntimeException {

        private static final long serialVersionUID = 1L;

        public KeyReused() {
            super("idempotency key reused for a different request", null, false, false);
        }
    }

    private final Transactions transactions;
    private final LedgerRepository ledger;
    private final AuditTrail audit;
    private final PointLots lots;
    private final MeterRegistry metrics;

    public LedgerService(Transactions transactions, LedgerRepository ledger, AuditTrail audit, PointLots lots,
            MeterRegistry metrics) {
        this.transactions = transactions;
        this.ledger = ledger;
        this.audit = audit;
        this.lots = lots;
        this.metrics = metrics;
    }

    @WithSpan
    public Uni<Outcome> redeem(String driverId, String merchantId, long points, String idempotencyKey) {
        String hash = IdempotencyKeys.requestHash("redeem", merchantId, Long.toString(points));
        return transactions.inTransaction(conn -> debitOnce(conn, driverId, "REDEEM", "redeem:" + driverId, idempotencyKey,
                hash, points, merchantId, null, driverId, LedgerRepository.merchantAccount(merchantId)))
                .invoke(o -> {
                    if (!o.replayed()) {
                        metrics.counter("wallet_operations_total", "kind", "REDEEM", "outcome",
                                o.rejected() ? "insufficient_balance" : "committed").increment();
                        if (o.rejected()) {
                            metrics.counter("wallet_insufficient_balance_total").increment();
                        } else {
                            metrics.counter("wallet_points_redeemed_total").increment(points);
                        }
                    }
                });
    }

    /** An admin correction, credit or debit, with a reason; audited in the same transaction. */
    @WithSpan
    public Uni<Outcome> adjust(String driverId, boolean credit, long points, String reason, String idempotencyKey,
            String actor) {
        return transactions.inTransaction(conn -> adjust(conn, driverId, credit, points, reason, idempotencyKey, actor));
    }

    private Uni<Outcome> adjust(SqlConnection conn, String driverId, boolean credit, long points, String reason,
            String idempotencyKey, String actor) {
        String hash = IdempotencyKeys.requestHash("adjust", driverId, credit ? "credit" : "debit", Long.toString(points), reason);
        String scope = "adjust:" + driverId;
        Uni<Outcome> outcome;
        if (credit) {
            UUID id = UUID.randomUUID();
            outcome = ledger.claim(conn, new Claim(id, driverId, "ADJUSTMENT", points, scope, idempotencyKey, hash, null,
                    null, reason, actor))
                    .chain(existing -> existing != null ? replay(existing, hash)
                            : ledger.ensureWallet(conn, driverId)
                                    .chain(() -> ledger.credit(conn, driverId, points))
                                    .chain(() -> lots.credited(conn, driverId, id, null, null, points))
                                    .chain(() -> ledger.entries(conn, id, List.of(new Entry(LedgerRepository.ADJUSTMENTS, 'D', points),
                                            new Entry(LedgerRepository.driverAccount(driverId), 'C', points))))
                                    .chain(() -> settled(conn, id, driverId, "COMMITTED", points, null)));
        } else {
            outcome = debitOnce(conn, driverId, "ADJUSTMENT", scope, idempotencyKey, hash, points, null, reason, actor,
                    LedgerRepository.ADJUSTMENTS);
        }
        return outcome.call(o -> o.replayed() ? Uni.createFrom().voidItem()
                : audit.record(conn, actor, credit ? "wallet.adjusted.credit" : "wallet.adjusted.debit", "driver:" + driverId,
                        Map.of("points", points, "reason", reason, "status", o.transaction().status(),
                                "transactionId", o.transaction().id().toString())));
    }

    /** Claims the key, then the guarded debit decides; its answer is stored either way. */
    private Uni<Outcome> debitOnce(SqlConnection conn, String driverId, String kind, String scope, String key,
            String hash, long points, String merchantId, String reason, String actor, String counterAccount) {
        UUID id = UUID.randomUUID();
        return ledger.claim(conn, new Claim(id, driverId, kind, points, scope, key, hash, merchantId, null, reason, actor))
                .chain(existing -> existing != null ? replay(existing, hash)
                        : ledger.debit(conn, driverId, points, false).chain(taken -> taken == 0
                                ? settled(conn, id, driverId, "REJECTED", points, "insufficient-balance")
                                : lots.debited(conn, driverId, points)
                                        .chain(() -> ledger.entries(conn, id, List.of(new Entry(LedgerRepository.driverAccount(driverId), 'D', points),
                                                new Entry(counterAccount, 'C', points))))
                                        .chain(() -> settled(conn, id, driverId, "COMMITTED", points, null))));
    }

    private Uni<Outcome> settled(SqlConnection conn, UUID id, String driverId, String status, long points, String reason) {
        return ledger.settle(conn, id, driverId, status, points, 0, reason).map(stored -> new Outcome(stored, false));
    }

    static Uni<Outcome> replay(Stored existing, String hash) {
        if (!existing.requestHash().equals(hash)) {
            return Uni.createFrom().failure(new KeyReused());
        }
        return Uni.createFrom().item(new Outcome(existing, true));
    }
}
