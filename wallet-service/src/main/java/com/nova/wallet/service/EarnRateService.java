package com.nova.wallet.service;

import java.math.BigDecimal;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.nova.kit.audit.AuditTrail;
import com.nova.kit.sql.Transactions;
import com.nova.wallet.WalletViews.EarnRate;
import com.nova.wallet.config.WalletConfig;
import com.nova.wallet.repository.EarnRateRepository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/** Per-merchant earn rates, set by admins (audited); merchants without one earn the default. */
@ApplicationScoped
public class EarnRateService {

    private final Pool pool;
    private final Transactions transactions;
    private final EarnRateRepository rates;
    private final AuditTrail audit;
    private final WalletConfig config;

    public EarnRateService(Pool pool, Transactions transactions, EarnRateRepository rates, AuditTrail audit, WalletConfig config) {
        this.pool = pool;
        this.transactions = transactions;
        this.rates = rates;
        this.audit = audit;
        this.config = config;
    }

    public Uni<EarnRate> set(String merchantId, BigDecimal pointsPerUnit, String actor) {
        return transactions.inTransaction(conn -> rates.upsertMerchantRate(conn, merchantId, pointsPerUnit, actor)
                .chain(() -> audit.record(conn, actor, "wallet.earn-rate.set", "merchant:" + merchantId,
                        Map.of("pointsPerUnit", pointsPerUnit.toPlainString()))))
                .map(x -> new EarnRate(merchantId, pointsPerUnit, false, config.programCurrency()));
    }

    /** True for the program currency, whose rates are the merchant rate and the default, never a currency rate. */
    public boolean isProgramCurrency(String currency) {
        return currency.equals(config.programCurrency());
    }

    /**
     * The rate for a currency other than the program's (the resource refuses the program currency),
     * for one merchant or ({@code *}) for all; refunds of purchases granted under it take back at
     * the rate their grant stored.
     */
    public Uni<EarnRate> setForCurrency(String merchantId, String currency, BigDecimal pointsPerUnit, String actor) {
        return transactions.inTransaction(conn -> rates.upsertCurrencyRate(conn, merchantId, currency, pointsPerUnit, actor)
                .chain(() -> audit.record(conn, actor, "wallet.earn-rate.set", "merchant:" + merchantId,
                        Map.of("pointsPerUnit", pointsPerUnit.toPlainString(), "currency", currency))))
                .map(x -> new EarnRate(merchantId, pointsPerUnit, false, currency));
    }

    /** The rate a purchase in {@code currency} earns at {@code merchantId}; null when none applies. */
    public Uni<EarnRate> getForCurrency(String merchantId, String currency) {
        if (currency.equals(config.programCurrency())) {
            return merchantId.equals("*") ? Uni.createFrom().item(new EarnRate("*", config.defaultEarnRate(), true, currency))
                    : get(merchantId);
        }
        return pool.withConnection(conn -> rates.currencyRate(conn, merchantId.equals("*") ? null : merchantId, currency))
                .map(rate -> rate == null ? null : new EarnRate(merchantId, rate, false, currency));
    }

    public Uni<EarnRate> get(String merchantId) {
        return rates.merchantRate(merchantId)
                .map(rate -> rate != null
                        ? new EarnRate(merchantId, rate, false, config.programCurrency())
                        : new EarnRate(merchantId, config.defaultEarnRate(), true, config.programCurrency()));
    }
}
