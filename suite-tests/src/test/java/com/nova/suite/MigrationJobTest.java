package com.nova.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.nova.kit.testing.DevIdentity;
import com.nova.kit.testing.RunningSuite;
import com.nova.kit.testing.TestTokens;

/**
 * The deployment's migration model, with the packaged service: pods of a release start
 * against a database their migrations have not reached and stay unready; the release's migration
 * Job (the same image with QUARKUS_INIT_AND_EXIT=true and migrate-at-start) runs, here twice at
 * once as a retried or duplicated Job would; both runs succeed, each migration is applied exactly
 * once, and then both pods become ready.
 */
class MigrationJobTest {

    static final String DB = "suite_migration_job";
    final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (Process p : processes) {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    private Process start(String name, int port, Map<String, String> extra) throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        ProcessBuilder pb = new ProcessBuilder("java", "-Xmx256m", "-jar",
                root.resolve("buyer-registry/target/quarkus-app/quarkus-run.jar").toString())
                .directory(root.toFile()).redirectErrorStream(true).redirectOutput(new File("target/" + name + ".log"));
        Map<String, String> env = pb.environment();
        env.put("QUARKUS_PROFILE", "prod");
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("NOVA_DB_NAME", DB);
        env.put("REDIS_URL", "redis://127.0.0.1:6379/" + RunningSuite.REDIS_DB);
        env.put("JWKS_LOCATION", TestTokens.KEYS.resolve("jwks.json").toAbsolutePath().toUri().toString());
        env.put("BUYERS_CRYPTO_KEYSET_FILE", Path.of("target/suite-keyset.json").toAbsolutePath().toString());
        env.put("BUYERS_CRYPTO_GENERATE_IF_MISSING", "true");
        env.put("QUARKUS_OTEL_SDK_DISABLED", "true");
        env.put("KIT_STREAMS_CONSUMER_NAME", name);
        env.putAll(extra);
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    private static int ready(int port) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception notListening) {
            return -1;
        }
    }

    @Test
    void podsWaitForTheJobAndTwoJobsAtOnceMigrateOnce() throws Exception {
        DevIdentity.ensureKeys(TestTokens.KEYS);
        try (Connection c = com.nova.kit.testing.TestDatabase.connect("postgres")) {
            c.createStatement().execute("drop database if exists " + DB + " with (force)");
            c.createStatement().execute("create database " + DB);
        }
        int port1 = RunningSuite.freePort();
        int port2 = RunningSuite.freePort();
        Process pod1 = start("migration-pod-1", port1, Map.of());
        Process pod2 = start("migration-pod-2", port2, Map.of());
        // Both pods come up (liveness) but are not ready: the schema is behind.
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> ready(port1) == 503 && ready(port2) == 503);
        assertTrue(pod1.isAlive() && pod2.isAlive());

        Map<String, String> job = Map.of("QUARKUS_INIT_AND_EXIT", "true", "QUARKUS_FLYWAY_MIGRATE_AT_START", "true");
        Process job1 = start("migration-job-1", 0, job);
        Process job2 = start("migration-job-2", 0, job);
        assertTrue(job1.waitFor(120, TimeUnit.SECONDS) && job2.waitFor(120, TimeUnit.SECONDS), "the jobs end");
        assertEquals(0, job1.exitValue(), "job 1 succeeded (target/migration-job-1.log)");
        assertEquals(0, job2.exitValue(), "job 2 succeeded (target/migration-job-2.log)");

        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> ready(port1) == 200 && ready(port2) == 200);
        try (Connection c = com.nova.kit.testing.TestDatabase.connect(DB);
                ResultSet rs = c.createStatement().executeQuery(
                        "select count(*), count(distinct version), bool_and(success) from flyway_schema_history where version is not null")) {
            rs.next();
            assertTrue(rs.getInt(1) >= 4, "the kit's and buyer-registry's migrations");
            assertEquals(rs.getInt(1), rs.getInt(2), "each migration applied exactly once");
            assertTrue(rs.getBoolean(3));
        }
    }
}
