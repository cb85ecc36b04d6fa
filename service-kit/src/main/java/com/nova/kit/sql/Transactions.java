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

    /**
     * The connection to the database (or Redis: the same Vert.x transport) was lost or could not be
     * made (the server restarted, crashed, terminated the session, or refused the connection): the request may or may not have been
     * applied, so the caller sends it again with the same idempotency key, which replays the first
     * answer if it was. The pool drops the broken connection and opens new ones once the server is back.
     */
    public static boolean isConnectionLost(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            // SocketException: refused (ConnectException) or reset by the server or on the way.
            if (c instanceof java.net.SocketException || c instanceof io.vertx.sqlclient.ClosedConnectionException) {
                return true;
            }
            // Netty's native transport reports a reset as a plain IOException.
            if (c instanceof java.io.IOException && c.getMessage() != null
                    && (c.getMessage().contains("Connection reset") || c.getMessage().contains("Broken pipe"))) {
                return true;
            }
            if (c instanceof PgException pg) {
                String state = String.valueOf(pg.getSqlState());
                // 08: connection exceptions; 57P01-03: administrator or crash shutdown, not accepting connections yet.
                if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")) {
                    return true;
                }
            }
            // Vert.x reports a connection closed under a pending request as a plain VertxException.
            if (c instanceof io.vertx.core.VertxException && "Connection was closed".equals(c.getMessage())) {
                return true;
            }
        }
        return false;
    }
}
