package com.nova.wallet.service;

import java.math.BigDecimal;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.nova.kit.audit.AuditTrail;
import com.nova.kit.problem.ProblemException;
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
                .map(x -> new EarnRate(merchantId, pointsPerUnit, false, config.programCurrency()));
    }

    /**
     * The rate for a currency other than the program's, for one merchant or ({@code *}) for all;
     * refunds of purchases granted under it take back at the rate their grant stored.
     */
    public Uni<EarnRate> setForCurrency(String merchantId, String currency, BigDecimal pointsPerUnit, String actor) {
        requireForeign(currency);
        return pool.withTransaction(conn -> ledger.update(conn, """
                insert into currency_earn_rate (merchant_id, currency, points_per_unit, updated_by) values ($1, $2, $3, $4)
                on conflict (merchant_id, currency) do update set points_per_unit = excluded.points_per_unit,
                    updated_at = clock_timestamp(), updated_by = excluded.updated_by
                """, merchantId, currency, pointsPerUnit, actor)
                .chain(() -> audit.record(conn, actor, "wallet.earn-rate.set", "merchant:" + merchantId,
                        Map.of("pointsPerUnit", pointsPerUnit.toPlainString(), "currency", currency))))
                .map(x -> new EarnRate(merchantId, pointsPerUnit, false, currency));
    }

    /** The rate a purchase in {@code currency} earns at {@code merchantId}; 404 when none applies. */
    public Uni<EarnRate> getForCurrency(String merchantId, String currency) {
        if (currency.equals(config.programCurrency())) {
            return merchantId.equals("*") ? Uni.createFrom().item(new EarnRate("*", config.defaultEarnRate(), true, currency))
                    : get(merchantId);
        }
        return pool.withConnection(conn -> ledger.currencyRate(conn, merchantId.equals("*") ? null : merchantId, currency))
                .map(rate -> {
                    if (rate == null) {
                        throw ProblemException.notFound("earn rate");
                    }
                    return new EarnRate(merchantId, rate, false, currency);
                });
    }

    private void requireForeign(String currency) {
        if (currency.equals(config.programCurrency())) {
            throw ProblemException.invalidField("currency", "is the program currency: its rates are the merchant rate "
                    + "(PUT .../merchants/{id}/earn-rate) and WALLET_DEFAULT_EARN_RATE");
        }
    }

    public Uni<EarnRate> get(String merchantId) {
        return pool.preparedQuery("select points_per_unit from merchant_earn_rate where merchant_id = $1")
                .execute(Tuple.of(merchantId))
                .map(rows -> rows.iterator().hasNext()
                        ? new EarnRate(merchantId, rows.iterator().next().getBigDecimal(0), false, config.programCurrency())
                        : new EarnRate(merchantId, config.defaultEarnRate(), true, config.programCurrency()));
    }
}
