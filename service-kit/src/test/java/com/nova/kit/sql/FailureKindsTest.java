package com.nova.kit.sql;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;

import org.junit.jupiter.api.Test;

import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;

/**
 * The failures the fault drill saw while PostgreSQL restarted, was cut off or reset connections, as
 * the Vert.x clients report them, each recognised as what it is (and so answered 503, not 500):
 * an unreachable or lost database, or a pool that had no connection in time.
 */
class FailureKindsTest {

    @Test
    void aRefusedResetOrClosedConnectionIsALostConnection() {
        assertTrue(Transactions.isConnectionLost(new ConnectException("Connection refused: /127.0.0.1:5432")));
        assertTrue(Transactions.isConnectionLost(new SocketException("Connection reset")));
        assertTrue(Transactions.isConnectionLost(new IOException("Connection reset by peer")));
        assertTrue(Transactions.isConnectionLost(new RuntimeException("wrapped", ClosedConnectionException.INSTANCE)));
        assertTrue(Transactions.isConnectionLost(new PgException("terminating connection due to administrator command", "FATAL", "57P01", null)));
        assertTrue(Transactions.isConnectionLost(new PgException("the database system is starting up", "FATAL", "57P03", null)));
    }

    @Test
    void otherFailuresAreNot() {
        assertFalse(Transactions.isConnectionLost(new IOException("No space left on device")));
        assertFalse(Transactions.isConnectionLost(new PgException("duplicate key", "ERROR", "23505", null)));
        assertFalse(Transactions.isConnectionLost(new IllegalStateException("a bug")));
        assertFalse(BoundedPool.isExhausted(new NoStackTraceThrowable("Timeout after 5000 ms")));
        assertFalse(BoundedPool.isExhausted(new IllegalStateException("Timeout")));
    }

    @Test
    void theSqlPoolsOwnWaitTimeoutIsAnExhaustedPool() {
        assertTrue(BoundedPool.isExhausted(new NoStackTraceThrowable("Timeout")));
        assertTrue(BoundedPool.isExhausted(new io.vertx.core.VertxException("Timeout waiting for connection")));
    }
}
