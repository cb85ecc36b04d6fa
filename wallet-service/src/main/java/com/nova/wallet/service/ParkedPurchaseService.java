package com.nova.wallet.service;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.nova.kit.audit.AuditTrail;
import com.nova.kit.sql.Transactions;
import com.nova.wallet.repository.ParkedPurchaseRepository;

import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.smallrye.mutiny.Uni;

/** An admin attributes a parked purchase to a driver; it is then granted like any other, once. */
@ApplicationScoped
public class ParkedPurchaseService {

    /** Why a parked purchase could not be attributed; the transaction rolled back. */
    public static final class NotAttributed extends RuntimeException {

        private static final long serialVersionUID = 1L;

        /** What stood in the way. */
        public enum Reason {
            /** It does not exist, or was attributed already. */
            NOT_ATTRIBUTABLE,
            /** Its currency has no earn rate. */
            NO_EARN_RATE
        }

        private final Reason reason;
        private final String currency;

        NotAttributed(Reason reason, String currency) {
            super(reason == Reason.NO_EARN_RATE ? "no earn rate for " + currency : "not attributable", null, false, false);
            this.reason = reason;
            this.currency = currency;
        }

        public Reason reason() {
            return reason;
        }

        /** The purchase's currency ({@code NO_EARN_RATE} only). */
        public String currency() {
            return currency;
        }
    }

    private final Transactions transactions;
    private final ParkedPurchaseRepository parked;
    private final GrantService grants;
    private final AuditTrail audit;

    public ParkedPurchaseService(Transactions transactions, ParkedPurchaseRepository parked, GrantService grants, AuditTrail audit) {
        this.transactions = transactions;
        this.parked = parked;
        this.grants = grants;
        this.audit = audit;
    }

    /** Fails with {@link NotAttributed} when the purchase cannot be attributed. */
    @WithSpan
    public Uni<Void> attribute(long parkedId, String driverId, String actor) {
        return transactions.inTransaction(conn -> parked.attribute(conn, parkedId, driverId, actor)
                .chain(p -> {
                    if (p == null) {
                        return Uni.createFrom().failure(new NotAttributed(NotAttributed.Reason.NOT_ATTRIBUTABLE, null));
                    }
                    return grants.grant(conn, new GrantService.Purchase(p.source(), p.paymentId(), driverId, p.merchantId(),
                            p.amountMinor(), p.currency(), p.refundedMinor()), actor)
                            .chain(granted -> {
                                if (granted == GrantService.Granted.UNSUPPORTED_CURRENCY) {
                                    // Rolls the attribution back with the rest of the transaction.
                                    return Uni.createFrom().failure(
                                            new NotAttributed(NotAttributed.Reason.NO_EARN_RATE, p.currency()));
                                }
                                return audit.record(conn, actor, "wallet.parked-purchase.attributed", "driver:" + driverId,
                                        Map.of("parkedId", parkedId, "paymentId", p.paymentId()));
                            });
                }));
    }
}
