package com.nova.wallet.repository;

import java.math.BigDecimal;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/** Earn rates: per merchant in the program currency, and per currency for one merchant or ({@code *}) all. */
@ApplicationScoped
public class EarnRateRepository {

    private static final String MERCHANT_RATE = "select points_per_unit from merchant_earn_rate where merchant_id = $1";

    private final Pool pool;

    public EarnRateRepository(Pool pool) {
        this.pool = pool;
    }

    /** Sets the merchant's own rate in the program currency. */
    public Uni<Void> upsertMerchantRate(SqlConnection conn, String merchantId, BigDecimal pointsPerUnit, String actor) {
        return conn.preparedQuery("""
                insert into merchant_earn_rate (merchant_id, points_per_unit, updated_by) values ($1, $2, $3)
                on conflict (merchant_id) do update set points_per_unit = excluded.points_per_unit,
                    updated_at = clock_timestamp(), updated_by = excluded.updated_by
                """).execute(Tuple.of(merchantId, pointsPerUnit, actor)).replaceWithVoid();
    }

    /** Sets the rate for another currency, for one merchant or ({@code *}) for all. */
    public Uni<Void> upsertCurrencyRate(SqlConnection conn, String merchantId, String currency, BigDecimal pointsPerUnit,
            String actor) {
        return conn.preparedQuery("""
                insert into currency_earn_rate (merchant_id, currency, points_per_unit, updated_by) values ($1, $2, $3, $4)
                on conflict (merchant_id, currency) do update set points_per_unit = excluded.points_per_unit,
                    updated_at = clock_timestamp(), updated_by = excluded.updated_by
                """).execute(Tuple.of(merchantId, currency, pointsPerUnit, actor)).replaceWithVoid();
    }

    /** The merchant's own rate in the program currency, or null; read in the caller's transaction. */
    public Uni<BigDecimal> merchantRate(SqlConnection conn, String merchantId) {
        return merchantRate((SqlClient) conn, merchantId);
    }

    /** The merchant's own rate in the program currency, or null; a single read outside any transaction. */
    public Uni<BigDecimal> merchantRate(String merchantId) {
        return merchantRate(pool, merchantId);
    }

    /** The rate for another currency: the merchant's own, else the one for every merchant ({@code *}), else null. */
    public Uni<BigDecimal> currencyRate(SqlConnection conn, String merchantId, String currency) {
        return conn.preparedQuery("""
                select points_per_unit from currency_earn_rate
                where currency = $2 and merchant_id in (coalesce($1, '*'), '*')
                order by merchant_id = '*' limit 1
                """).execute(Tuple.of(merchantId, currency))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getBigDecimal(0) : null);
    }

    private static Uni<BigDecimal> merchantRate(SqlClient client, String merchantId) {
        return client.preparedQuery(MERCHANT_RATE).execute(Tuple.of(merchantId))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getBigDecimal(0) : null);
    }
}
