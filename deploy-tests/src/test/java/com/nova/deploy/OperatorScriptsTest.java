package com.nova.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The scripts the runbooks tell an operator to run, run as written: back up a wallet database,
 * restore it into a scratch database and check it (row counts, reconciliation); list and replay a
 * dead-letter stream.
 */
class OperatorScriptsTest {

    record Run(int exit, String output) {
    }

    static Run run(Map<String, String> env, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(Rendered.ROOT.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), String.join(" ", command));
        return new Run(p.exitValue(), out);
    }

    static void sql(String db, String... statements) throws Exception {
        // The same settings the services and the operator scripts read.
        String url = "jdbc:postgresql://" + env("DB_HOST", "127.0.0.1") + ":" + env("DB_PORT", "5432") + "/" + db;
        try (Connection c = DriverManager.getConnection(url, env("DB_USER", "postgres"), env("DB_PASSWORD", ""));
                Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }

    @Test
    void aWalletDatabaseIsBackedUpRestoredAndChecked() throws Exception {
        String source = "deploy_backup_source";
        sql("postgres", "drop database if exists " + source + " with (force)", "create database " + source);
        // The schema as production has it: wallet-service's own migration Job, run as the Job runs it.
        Path jar = Rendered.ROOT.resolve("wallet-service/target/quarkus-app/quarkus-run.jar");
        assertTrue(Files.exists(jar), "package wallet-service first");
        Run migrate = run(Map.of("QUARKUS_PROFILE", "prod", "NOVA_DB_NAME", source, "QUARKUS_INIT_AND_EXIT", "true",
                "QUARKUS_FLYWAY_MIGRATE_AT_START", "true", "QUARKUS_OTEL_SDK_DISABLED", "true", "QUARKUS_HTTP_PORT", "0",
                "JWKS_LOCATION", "file:" + Rendered.ROOT.resolve("deploy-tests/target/none.json"), "REDIS_URL", "redis://127.0.0.1:6379/6"),
                "java", "-Xmx256m", "-jar", jar.toString());
        assertEquals(0, migrate.exit(), migrate.output());
        for (int i = 0; i < 3; i++) {
            UUID tx = UUID.randomUUID();
            String d = "backup-" + i;
            sql(source, "insert into driver_wallets (driver_id, nova_balance) values ('" + d + "', " + (10 + i) + ")",
                    "insert into ledger_transaction (id, driver_id, kind, status, points, idempotency_scope, idempotency_key, request_hash) "
                            + "values ('" + tx + "', '" + d + "', 'ADJUSTMENT', 'COMMITTED', " + (10 + i) + ", 'backup', '" + tx + "', '"
                            + "0".repeat(64) + "')",
                    "insert into ledger_entry (transaction_id, account, direction, amount) values ('" + tx + "', 'driver:" + d
                            + "', 'C', " + (10 + i) + "), ('" + tx + "', 'adjustments', 'D', " + (10 + i) + ")");
        }
        Path dump = Path.of("target/" + source + ".dump").toAbsolutePath();
        Files.deleteIfExists(dump);
        Run backup = run(Map.of(), "deploy/ops/db-backup.sh", source, dump.toString());
        assertEquals(0, backup.exit(), backup.output());
        Run check = run(Map.of(), "deploy/ops/db-restore-check.sh", dump.toString(), "deploy_backup_restored", source);
        assertEquals(0, check.exit(), check.output());
        assertTrue(check.output().contains("row counts: identical to " + source), check.output());
        assertTrue(check.output().contains("driver_wallets\t3"), check.output());
        assertTrue(check.output().contains("ledger_entry\t6"), check.output());
        assertTrue(check.output().contains("reconciliation: consistent"), check.output());

        // A copy that does not match its source, or whose ledger does not reconcile, fails the check.
        sql(source, "insert into driver_wallets (driver_id, nova_balance) values ('after-backup', 5)");
        Run stale = run(Map.of(), "deploy/ops/db-restore-check.sh", dump.toString(), "deploy_backup_restored", source);
        assertEquals(1, stale.exit(), stale.output());
        assertTrue(stale.output().contains("row counts: DIFFER"), stale.output());
        Path drifted = Path.of("target/drifted.dump").toAbsolutePath();
        assertEquals(0, run(Map.of(), "deploy/ops/db-backup.sh", source, drifted.toString()).exit());
        Run unreconciled = run(Map.of(), "deploy/ops/db-restore-check.sh", drifted.toString(), "deploy_backup_restored");
        assertEquals(1, unreconciled.exit(), unreconciled.output());
        assertTrue(unreconciled.output().contains("reconciliation: 1 wallet differences"), unreconciled.output());
        sql("postgres", "drop database if exists deploy_backup_restored with (force)", "drop database if exists " + source + " with (force)");
    }

    @Test
    void deadLetteredEntriesAreListedAndReplayedOntoTheirStream() throws Exception {
        String stream = "deploy.test." + UUID.randomUUID();
        Map<String, String> redis = Map.of("REDIS_CLI", "redis-cli -n 6");
        // Two entries as the kit's consumer writes them to <stream>.dlq.
        for (int i = 1; i <= 2; i++) {
            Run add = run(Map.of(), "redis-cli", "-n", "6", "XADD", stream + ".dlq", "*", "envelope",
                    "{\"version\":1,\"id\":\"e" + i + "\",\"type\":\"lead.sold\",\"subject\":\"lead " + i + "\"}",
                    "dlq.originalId", i + "-0", "dlq.group", "g", "dlq.reason", "poison: no delivery for lead " + i,
                    "dlq.failedAt", "2026-11-23T00:00:0" + i + "Z");
            assertEquals(0, add.exit(), add.output());
        }
        Run list = run(redis, "deploy/ops/dlq.sh", "list", stream);
        List<String> lines = list.output().lines().toList();
        assertEquals(2, lines.size(), list.output());
        assertTrue(lines.get(0).contains("poison: no delivery for lead 1") && lines.get(0).endsWith("lead.sold"), lines.get(0));
        String firstId = lines.get(0).split("\t")[0];
        Run one = run(redis, "deploy/ops/dlq.sh", "replay", stream, firstId);
        assertTrue(one.output().contains("1 entries replayed"), one.output());
        Run all = run(redis, "deploy/ops/dlq.sh", "replay", stream, "all");
        assertTrue(all.output().contains("1 entries replayed"), all.output());
        assertEquals("2", run(Map.of(), "redis-cli", "-n", "6", "XLEN", stream).output().trim());
        assertEquals("0", run(Map.of(), "redis-cli", "-n", "6", "XLEN", stream + ".dlq").output().trim());
        String replayed = run(Map.of(), "redis-cli", "-n", "6", "--raw", "XRANGE", stream, "-", "+").output();
        assertTrue(replayed.contains("\"subject\":\"lead 1\"") && replayed.contains("\"subject\":\"lead 2\""), replayed);
        run(Map.of(), "redis-cli", "-n", "6", "DEL", stream, stream + ".dlq");
        assertTrue(new File(Rendered.ROOT.toFile(), "deploy/ops/dlq.sh").canExecute());
    }

    @Test
    void aWebhookSecretRotationAcceptsBothValuesThenOnlyTheNewOne() throws Exception {
        Path current = Path.of("target/secret-current.json").toAbsolutePath();
        Files.writeString(current, "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"type\":\"Opaque\","
                + "\"metadata\":{\"name\":\"webhook-gateway-providers\",\"namespace\":\"nova\",\"resourceVersion\":\"7\"},"
                + "\"data\":{\"stripe-webhook-secret\":\"" + b64("whsec_old") + "\",\"purchase-webhook-secret\":\"" + b64("p-1") + "\"}}");
        Run add = run(Map.of("SECRET_JSON", current.toString()), "deploy/ops/secret-value.sh", "add", "nova",
                "webhook-gateway-providers", "stripe-webhook-secret", "whsec_new");
        assertEquals(0, add.exit(), add.output());
        com.fasterxml.jackson.databind.JsonNode during = new com.fasterxml.jackson.databind.ObjectMapper().readTree(add.output());
        assertEquals("whsec_new,whsec_old", unb64(during.at("/data/stripe-webhook-secret").asText()));
        assertEquals("p-1", unb64(during.at("/data/purchase-webhook-secret").asText()), "other keys untouched");
        assertEquals("nova", during.at("/metadata/namespace").asText());
        assertTrue(during.at("/metadata/resourceVersion").isMissingNode(), "applies over whatever version is current");

        Path switching = Path.of("target/secret-switching.json").toAbsolutePath();
        Files.writeString(switching, add.output());
        Run again = run(Map.of("SECRET_JSON", switching.toString()), "deploy/ops/secret-value.sh", "add", "nova",
                "webhook-gateway-providers", "stripe-webhook-secret", "whsec_new");
        assertEquals(2, again.exit(), "adding the same value twice is refused: " + again.output());
        Run show = run(Map.of("SECRET_JSON", switching.toString()), "deploy/ops/secret-value.sh", "show", "nova",
                "webhook-gateway-providers", "stripe-webhook-secret");
        assertTrue(show.output().contains("2 value(s)") && !show.output().contains("whsec_"), show.output());
        Run finish = run(Map.of("SECRET_JSON", switching.toString()), "deploy/ops/secret-value.sh", "finish", "nova",
                "webhook-gateway-providers", "stripe-webhook-secret");
        assertEquals(0, finish.exit(), finish.output());
        assertEquals("whsec_new", unb64(new com.fasterxml.jackson.databind.ObjectMapper().readTree(finish.output())
                .at("/data/stripe-webhook-secret").asText()));
    }

    @Test
    void theBuyerKeysetRotatesAndRetiresItsOldKey() throws Exception {
        Path keyset = Path.of("target/rotation-keyset.json").toAbsolutePath();
        Files.deleteIfExists(keyset);
        assertEquals(0, run(Map.of(), "deploy/local/buyer-keyset.sh", "generate", keyset.toString()).exit());
        String first = run(Map.of(), "deploy/local/buyer-keyset.sh", "show", keyset.toString()).output();
        Run rotate = run(Map.of(), "deploy/local/buyer-keyset.sh", "rotate", keyset.toString());
        assertEquals(0, rotate.exit(), rotate.output());
        List<String> keys = keyLines(run(Map.of(), "deploy/local/buyer-keyset.sh", "show", keyset.toString()).output());
        assertEquals(2, keys.size(), keys.toString());
        assertEquals(1, keys.stream().filter(k -> k.endsWith("primary")).count());
        assertTrue(!keyLines(first).get(0).equals(keys.stream().filter(k -> k.endsWith("primary")).findFirst().orElseThrow()),
                "a new key is primary");
        assertEquals(0, run(Map.of(), "deploy/local/buyer-keyset.sh", "retire", keyset.toString()).exit());
        List<String> after = keyLines(run(Map.of(), "deploy/local/buyer-keyset.sh", "show", keyset.toString()).output());
        assertEquals(1, after.size(), after.toString());
        assertTrue(after.get(0).endsWith("primary"));
        assertTrue(!Files.readString(keyset).isBlank());
    }

    private static List<String> keyLines(String output) {
        return output.lines().filter(l -> l.matches("key [0-9]+( primary)?")).toList();
    }

    private static String b64(String s) {
        return java.util.Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String unb64(String s) {
        return new String(java.util.Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
