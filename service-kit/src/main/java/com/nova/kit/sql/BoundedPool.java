package com.nova.kit.sql;

import java.util.concurrent.TimeUnit;

import jakarta.inject.Singleton;

import com.nova.kit.config.KitConfig;

import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

/**
 * The PostgreSQL pool with a bounded wait: Vert.x's default lets requests queue without limit for
 * 30 s when every connection is busy, so an exhausted pool looks like a hang. Here a request waits
 * at most {@code kit.database.acquire-timeout} in a queue of {@code kit.database.max-wait-queue},
 * and otherwise fails at once; the kit's problem mapping answers that 503 with Retry-After.
 */
@Singleton
public class BoundedPool implements PgPoolCreator {

    private final KitConfig.Database config;

    public BoundedPool(KitConfig config) {
        this.config = config.database();
    }

    @Override
    @SuppressWarnings("deprecation")
    public Pool create(Input input) {
        PoolOptions options = new PoolOptions(input.poolOptions())
                .setConnectionTimeout((int) Math.max(1, config.acquireTimeout().toMillis()))
                .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS)
                .setMaxWaitQueueSize(config.maxWaitQueue());
        // The same construction Quarkus uses for its own pool (several hosts are tried in turn), with the bounded options.
        return io.vertx.pgclient.PgPool.pool(input.vertx(), input.pgConnectOptionsList(), options);
    }

    /** The pool had no connection for this request in time, or too many were waiting already. */
    public static boolean isExhausted(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            // Vert.x says so only in a message: of a plain VertxException, or of a NoStackTraceThrowable
            // "Timeout" (its SQL pool's wait timed out, e.g. while no new connection could be opened);
            // or with its own type when the wait queue is full.
            if (c instanceof io.vertx.core.http.ConnectionPoolTooBusyException
                    || c instanceof io.vertx.core.VertxException && c.getMessage() != null
                            && c.getMessage().startsWith("Timeout waiting for connection")
                    || c instanceof io.vertx.core.impl.NoStackTraceThrowable && "Timeout".equals(c.getMessage())) {
                return true;
            }
        }
        return false;
    }
}
