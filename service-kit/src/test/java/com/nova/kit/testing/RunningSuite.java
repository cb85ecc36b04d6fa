package com.nova.kit.testing;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts the packaged services as separate processes, each on a free port, against fresh
 * databases of their own on the local PostgreSQL and a Redis database of the module's own (7
 * unless set), signed tokens from the test identity, and known webhook secrets. Stops them afterwards; their logs stay in target/.
 */
public class RunningSuite implements BeforeAllCallback, AfterAllCallback {

    public static final String STRIPE_SECRET = "whsec_suite_test_secret_0123456789";
    public static final String SQUARE_SIGNATURE_KEY = "suite-square-signature-key-0123456789";
    public static final String SQUARE_NOTIFICATION_URL = "http://localhost/webhooks/square";
    public static final String PURCHASE_SECRET = "suite-purchase-secret-0123456789abcdef";
    /** Each module that runs the suite gets its own Redis database and database names ({@code suite.redis-db}, {@code suite.db-prefix}). */
    public static final int REDIS_DB = Integer.getInteger("suite.redis-db", 7);
    private static final String DB_PREFIX = System.getProperty("suite.db-prefix", "suite");

    private static final Map<String, Integer> PORTS = new HashMap<>();
    private static final Map<String, Process> PROCESSES = new LinkedHashMap<>();

    public static String url(String service) {
        return "http://127.0.0.1:" + PORTS.get(service);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (!PROCESSES.isEmpty()) {
            return;
        }
        DevIdentity.ensureKeys(TestTokens.KEYS);
        Path root = Path.of("..").toAbsolutePath().normalize();
        new ProcessBuilder("redis-cli", "-n", Integer.toString(REDIS_DB), "flushdb").inheritIO().start().waitFor();
        // The TrustedForm/Radar stand-ins and demo buyer endpoint the local run uses (deploy/local).
        int standIns = freePort();
        PORTS.put("stand-ins", standIns);
        Process stubs = new ProcessBuilder("java", "-Xmx64m", root.resolve("deploy/local/LocalStandIns.java").toString(),
                Integer.toString(standIns)).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(new File("target/stand-ins.log")).start();
        PROCESSES.put("stand-ins", stubs);
        for (String service : new String[] { "buyer-registry", "webhook-gateway", "wallet-service", "auction-service" }) {
            String db = DB_PREFIX + "_" + service.replace('-', '_');
            recreateDatabase(db);
            int port = freePort();
            PORTS.put(service, port);
            Path app = root.resolve(service).resolve("target/quarkus-app/quarkus-run.jar");
            if (!Files.exists(app)) {
                throw new IllegalStateException(app + " is missing: package the services first (./mvnw package)");
            }
            ProcessBuilder pb = new ProcessBuilder("java", "-Xmx384m", "-jar", app.toString())
                    .directory(root.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(new File("target/" + service + ".log"));
            Map<String, String> env = pb.environment();
            env.put("QUARKUS_PROFILE", "local");
            env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
            env.put("NOVA_DB_NAME", db);
            env.put("REDIS_URL", "redis://127.0.0.1:6379/" + REDIS_DB);
            env.put("JWKS_LOCATION", TestTokens.KEYS.resolve("jwks.json").toAbsolutePath().toUri().toString());
            env.put("KIT_SERVICE_TOKEN_SIGNING_KEY_LOCATION",
                    DevIdentity.servicePrivateKey(TestTokens.KEYS, service).toAbsolutePath().toString());
            env.put("KIT_SERVICE_TOKEN_KEY_ID_LOCATION", DevIdentity.serviceKidFile(TestTokens.KEYS, service).toAbsolutePath().toString());
            env.put("KIT_SERVICE_TOKEN_TRUSTED_KEYS", DevIdentity.trustedKeys(TestTokens.KEYS));
            env.put("STRIPE_WEBHOOK_SECRET", STRIPE_SECRET);
            env.put("SQUARE_WEBHOOK_SIGNATURE_KEY", SQUARE_SIGNATURE_KEY);
            env.put("SQUARE_WEBHOOK_NOTIFICATION_URL", SQUARE_NOTIFICATION_URL);
            env.put("PURCHASE_WEBHOOK_SECRET", PURCHASE_SECRET);
            env.put("BUYERS_CRYPTO_KEYSET_FILE", Path.of("target/suite-keyset.json").toAbsolutePath().toString());
            env.put("KIT_STREAMS_CONSUMER_NAME", service + "-suite");
            // buyer-registry starts first, so the gateway can be told where this run's registry is.
            env.put("BUYER_REGISTRY_URL", url("buyer-registry"));
            env.put("TRUSTEDFORM_API_URL", url("stand-ins") + "/trustedform");
            env.put("TRUSTEDFORM_API_KEY", "suite-stand-in");
            env.put("RADAR_API_URL", url("stand-ins") + "/radar");
            env.put("RADAR_API_KEY", "suite-stand-in");
            env.put("QUARKUS_LOG_FILE_ENABLED", "false");
            PROCESSES.put(service, pb.start());
        }
        for (Map.Entry<String, Process> e : PROCESSES.entrySet()) {
            if (!e.getKey().equals("stand-ins")) {
                awaitReady(e.getKey(), e.getValue());
            }
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        // The processes are shared by every test class of the run; the JVM shutdown hook stops them.
    }

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> PROCESSES.values().forEach(p -> {
            p.destroy();
            try {
                if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        })));
    }

    private static void awaitReady(String service, Process process) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(service + " exited during start-up; see target/" + service + ".log");
            }
            try {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url(service) + "/q/health/ready"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(service + " is not ready after 90 s; see target/" + service + ".log");
    }

    private static void recreateDatabase(String name) throws Exception {
        try (Connection c = com.nova.kit.testing.TestDatabase.connect("postgres")) {
            c.createStatement().execute("drop database if exists " + name + " with (force)");
            c.createStatement().execute("create database " + name);
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
