package com.nova.kit.sql;

import static io.restassured.RestAssured.given;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.awaitility.Awaitility;

import com.nova.kit.testing.TestDatabase;

import io.restassured.response.Response;

/**
 * The test application's only pooled connection, held by a request sleeping in PostgreSQL until the
 * test releases it: the tests wait for what the database reports, never for a length of time.
 */
final class HeldConnection {

    private static final String DB = "kit_test";
    private static final String SLEEPING = "from pg_stat_activity where query like 'select pg_sleep%' and state = 'active'";

    private final CompletableFuture<Response> holder;

    private HeldConnection() {
        holder = CompletableFuture.supplyAsync(() -> given().queryParam("ms", 120_000).get("/probe/db/hold"));
    }

    /** Starts the holding request and returns once PostgreSQL runs its sleep (the connection is taken). */
    static HeldConnection take() {
        HeldConnection held = new HeldConnection();
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> TestDatabase.count(DB, "select count(*) " + SLEEPING) == 1);
        return held;
    }

    /** Cancels the sleep, which frees the connection, and waits for the holding request to end. */
    void release() {
        TestDatabase.count(DB, "select count(*) from (select pg_cancel_backend(pid) " + SLEEPING + ") c");
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(holder::isDone);
    }

    /** Terminates the holding request's session (as a server restart would) and returns what its client got. */
    Response terminate() {
        TestDatabase.count(DB, "select count(*) from (select pg_terminate_backend(pid) " + SLEEPING + ") c");
        return holder.orTimeout(60, java.util.concurrent.TimeUnit.SECONDS).join();
    }
}
