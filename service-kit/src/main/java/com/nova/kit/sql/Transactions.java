package com.nova.kit.sql;

import java.time.Duration;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import com.nova.kit.config.KitConfig;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;

/**
 * Database transactions with a time budget. A transaction that holds row locks while it waits on a
 * slow statement, or sits idle, stalls every request behind it; bounded, it rolls back instead and
 * the caller sends it again (its idempotency key makes that safe).
 */
@ApplicationScoped
public class Transactions {

    private final Pool pool;
    private final Duration budget;

    public Transactions(Pool pool, KitConfig config) {
        this.pool = pool;
        this.budget = config.transactionTimeout();
    }

    /** Runs {@code work} in one transaction bounded by {@code kit.transaction-timeout}. */
    public <T> Uni<T> inTransaction(Function<SqlConnection, Uni<T>> work) {
        return pool.withTransaction(conn -> limit(conn).chain(() -> work.apply(conn)));
    }

    /**
     * Bounds every statement of the connection's open transaction and its idle time between them
     * (SET LOCAL: this transaction only).
     */
    public Uni<Void> limit(SqlConnection conn) {
        return conn.preparedQuery("select set_config('statement_timeout', $1, true), "
                + "set_config('idle_in_transaction_session_timeout', $1, true)")
                .execute(Tuple.of(Long.toString(budget.toMillis())))
                .replaceWithVoid();
    }

    /**
     * The transaction ran out of its time budget (statement or idle timeout), or lost a lock or
     * serialization race: everything rolled back and the same request can simply be sent again.
     */
    public static boolean isTransient(Throwable e) {
        return e instanceof PgException pg && switch (String.valueOf(pg.getSqlState())) {
            case "57014", "25P03", "55P03", "40001", "40P01" -> true;
            default -> false;
        };
    }
}
