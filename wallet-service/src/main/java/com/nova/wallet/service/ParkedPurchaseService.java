package com.nova.wallet.service;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.nova.kit.audit.AuditTrail;
import com.nova.kit.problem.ProblemException;

import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** An admin attributes a parked purchase to a driver; it is then granted like any other, once. */
@ApplicationScoped
public class ParkedPurchaseService {

    private final Pool pool;
    private final GrantService grants;
    private final AuditTrail audit;

    public ParkedPurchaseService(Pool pool, GrantService grants, AuditTrail audit) {
        this.pool = pool;
        this.grants = grants;
        this.audit = audit;
    }

    @WithSpan
    public Uni<Void> attribute(long parkedId, String driverId, String actor) {
        return pool.withTransaction(conn -> conn.preparedQuery("""
                update parked_purchase set attributed_to = $2, attributed_at = clock_timestamp(), attributed_by = $3
                where id = $1 and attributed_to is null
                returning source, payment_id, merchant_id, amount_minor, currency, refunded_minor
                """).execute(Tuple.of(parkedId, driverId, actor))
                .chain(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return Uni.createFrom().failure(new ProblemException(409, "not-attributable",
                                "This parked purchase does not exist or was attributed already"));
                    }
                    Row p = rows.iterator().next();
                    String currency = p.getString(4).trim();
                    return grants.grant(conn, new GrantService.Purchase(p.getString(0), p.getString(1), driverId, p.getString(2),
                            p.getLong(3), currency, p.getLong(5)), actor)
                            .chain(granted -> {
                                if (granted == GrantService.Granted.UNSUPPORTED_CURRENCY) {
                                    // Rolls the attribution back with the rest of the transaction.
                                    return Uni.createFrom().failure(new ProblemException(409, "no-earn-rate",
                                            "No earn rate is set for " + currency + ": set one, then attribute again"));
                                }
                                return audit.record(conn, actor, "wallet.parked-purchase.attributed", "driver:" + driverId,
                                        Map.of("parkedId", parkedId, "paymentId", p.getString(1)));
                            });
                }));
    }
}
