package com.nova.wallet.service;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.nova.kit.audit.AuditTrail;
import com.nova.kit.problem.ProblemException;

import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/** An admin attributes a parked purchase to a driver; it is then granted like any other, once. */
@ApplicationScoped
public class ParkedPurchaseService {

    private final GrantService grants;
    private final AuditTrail audit;

    public ParkedPurchaseService(GrantService grants, AuditTrail audit) {
        this.grants = grants;
        this.audit = audit;
    }

    @WithSpan
    @WithTransaction
    public Uni<Void> attribute(long parkedId, String driverId, String actor) {
        return Panache.getSession().chain(s -> s.createNativeQuery("""
                update parked_purchase set attributed_to = ?2, attributed_at = clock_timestamp(), attributed_by = ?3
                where id = ?1 and attributed_to is null
                returning source, payment_id, merchant_id, amount_minor - refunded_minor, currency
                """, Object[].class).setParameter(1, parkedId).setParameter(2, driverId).setParameter(3, actor)
                .getResultList())
                .chain(rows -> {
                    if (rows.isEmpty()) {
                        return Uni.createFrom().failure(new ProblemException(409, "not-attributable",
                                "This parked purchase does not exist or was attributed already"));
                    }
                    Object[] p = rows.get(0);
                    return grants.grant((String) p[0], (String) p[1], driverId, (String) p[2],
                            ((Number) p[3]).longValue(), ((String) p[4]).trim(), actor)
                            .chain(() -> audit.record(actor, "wallet.parked-purchase.attributed", "driver:" + driverId,
                                    Map.of("parkedId", parkedId, "paymentId", p[1])));
                });
    }
}
