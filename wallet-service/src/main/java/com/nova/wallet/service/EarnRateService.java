package com.nova.wallet.service;

import java.math.BigDecimal;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.nova.kit.audit.AuditTrail;
import com.nova.wallet.config.WalletConfig;
import com.nova.wallet.repository.Ledger;
import com.nova.wallet.service.WalletQueries.EarnRate;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** Per-merchant earn rates, set by admins (audited); merchants without one earn the default. */
@ApplicationScoped
public class EarnRateService {

    private final Pool pool;
    private final Ledger ledger;
    private final AuditTrail audit;
    private final WalletConfig config;

    public EarnRateService(Pool pool, Ledger ledger, AuditTrail audit, WalletConfig config) {
        this.pool = pool;
        this.ledger = ledger;
        this.audit = audit;
        this.config = config;
    }

    public Uni<EarnRate> set(String merchantId, BigDecimal pointsPerUnit, String actor) {
        return pool.withTransaction(conn -> ledger.update(conn, """
                insert into merchant_earn_rate (merchant_id, points_per_unit, updated_by) values ($1, $2, $3)
                on conflict (merchant_id) do update set points_per_unit = excluded.points_per_unit,
                    updated_at = clock_timestamp(), updated_by = excluded.updated_by
                """, merchantId, pointsPerUnit, actor)
                .chain(() -> audit.record(conn, actor, "wallet.earn-rate.set", "merchant:" + merchantId,
                        Map.of("pointsPerUnit", pointsPerUnit.toPlainString()))))
                .map(x -> new EarnRate(merchantId, pointsPerUnit, false));
    }

    public Uni<EarnRate> get(String merchantId) {
        return pool.preparedQuery("select points_per_unit from merchant_earn_rate where merchant_id = $1")
                .execute(Tuple.of(merchantId))
                .map(rows -> rows.iterator().hasNext()
                        ? new EarnRate(merchantId, rows.iterator().next().getBigDecimal(0), false)
                        : new EarnRate(merchantId, config.defaultEarnRate(), true));
    }
}
