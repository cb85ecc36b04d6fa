package com.nova.wallet.service;

import java.math.BigDecimal;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.nova.kit.audit.AuditTrail;
import com.nova.wallet.config.WalletConfig;
import com.nova.wallet.repository.Ledger;
import com.nova.wallet.service.WalletQueries.EarnRate;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/** Per-merchant earn rates, set by admins (audited); merchants without one earn the default. */
@ApplicationScoped
public class EarnRateService {

    private final Ledger ledger;
    private final AuditTrail audit;
    private final WalletConfig config;

    public EarnRateService(Ledger ledger, AuditTrail audit, WalletConfig config) {
        this.ledger = ledger;
        this.audit = audit;
        this.config = config;
    }

    @WithTransaction
    public Uni<EarnRate> set(String merchantId, BigDecimal pointsPerUnit, String actor) {
        return ledger.update("""
                insert into merchant_earn_rate (merchant_id, points_per_unit, updated_by) values (?1, ?2, ?3)
                on conflict (merchant_id) do update set points_per_unit = excluded.points_per_unit,
                    updated_at = clock_timestamp(), updated_by = excluded.updated_by
                """, merchantId, pointsPerUnit, actor)
                .chain(() -> audit.record(actor, "wallet.earn-rate.set", "merchant:" + merchantId,
                        Map.of("pointsPerUnit", pointsPerUnit.toPlainString())))
                .map(x -> new EarnRate(merchantId, pointsPerUnit, false));
    }

    public Uni<EarnRate> get(String merchantId) {
        return Panache.withSession(() -> Panache.getSession().chain(s -> s.createNativeQuery(
                "select points_per_unit from merchant_earn_rate where merchant_id = ?1", BigDecimal.class)
                .setParameter(1, merchantId).getResultList()))
                .map(rows -> rows.isEmpty() ? new EarnRate(merchantId, config.defaultEarnRate(), true)
                        : new EarnRate(merchantId, rows.get(0), false));
    }
}
