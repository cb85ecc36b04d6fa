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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts the packaged services as separate processes, each on a free port, against fresh
 * databases of their own on the local PostgreSQL and a Redis database of the module's own (7
 * unless set), signed tokens from the test identity, and known webhook secrets. Stops them afterwards; their logs stay in target/.
 *
 * <p>The processes are shared by every test class of the run that uses the same configuration:
 * {@code @ExtendWith(RunningSuite.class)} is the default one; a class that needs the services to run
 * with more or other environment variables registers {@link #withEnvironment} (a
 * {@code @RegisterExtension} static field) under a name of its own, and the processes are started
 * again, fresh databases and Redis included, whenever a class needs another configuration than the
 * running one. {@link #rollOut} replaces one running service by a new instance, as a rolling update does.
 */
public class RunningSuite implements BeforeAllCallback, AfterAllCallback {

    public static final String STRIPE_SECRET = "whsec_suite_test_secret_0123456789";
    public static final String SQUARE_SIGNATURE_KEY = "suite-square-signature-key-0123456789";
    public static final String SQUARE_NOTIFICATION_URL = "http://localhost/webhooks/square";
    public static final String PURCHASE_SECRET = "suite-purchase-secret-0123456789abcdef";
    /** Each module that runs the suite gets its own Redis database and database names ({@code suite.redis-db}, {@code suite.db-prefix}). */
    public static final int REDIS_DB = Integer.getInteger("suite.redis-db", 7);
    private static final String DB_PREFIX = System.getProperty("suite.db-prefix", "suite");

    private static final Map<String, Integer> PORTS = new ConcurrentHashMap<>();
    private static final Map<String, Process> PROCESSES = new LinkedHashMap<>();
    /** The environment each running service was started with. */
    private static final Map<String, Map<String, String>> ENVIRONMENTS = new HashMap<>();
    /** The configuration the running processes were started for; null when none run. */
    private static String runningConfiguration;
    private static int rollouts;
    /** The log file of each running process. */
    private static final Map<String, File> LOGS = new HashMap<>();
    private static DevIdentity.Provider devSignIn;
    /** Configurations started earlier in this JVM: started again, they append to their logs. */
    private static final Set<String> STARTED = new HashSet<>();

    private static final String DEFAULT_CONFIGURATION = "default";

    private final String configuration;
    private final Function<String, Map<String, String>> extraEnvironment;

    /** The default configuration ({@code @ExtendWith(RunningSuite.class)}). */
    public RunningSuite() {
        this(DEFAULT_CONFIGURATION, service -> Map.of());
    }

    private RunningSuite(String configuration, Function<String, Map<String, String>> extraEnvironment) {
        this.configuration = configuration;
        this.extraEnvironment = extraEnvironment;
    }

    /**
     * A configuration of its own: each service gets {@code extra.apply(service)} on top of
     * {@link #environment} (evaluated when the services start, after the stand-ins and, for the
     * others, buyer-registry, so their {@link #url}s are known). Classes registering the same
     * {@code name} share the processes; use it as a {@code @RegisterExtension} static field.
     */
    public static RunningSuite withEnvironment(String name, Function<String, Map<String, String>> extra) {
        if (name == null || name.equals(DEFAULT_CONFIGURATION)) {
            throw new IllegalArgumentException("name the configuration; \"" + DEFAULT_CONFIGURATION + "\" is the plain one");
        }
        return new RunningSuite(name, extra);
    }

    /**
     * The log of a running service's process: {@code target/<service>.log} in the default
     * configuration, {@code target/<service>-<configuration>.log} in others, after a rollout that of the new instance.
     */
    public static synchronized Path log(String service) {
        File log = LOGS.get(service);
        if (log == null) {
            throw new IllegalStateException(service + " is not running");
        }
        return log.toPath();
    }

    /** The environment a running service was started with (a copy). */
    public static synchronized Map<String, String> environmentOf(String service) {
        Map<String, String> env = ENVIRONMENTS.get(service);
        if (env == null) {
            throw new IllegalStateException(service + " is not running");
        }
        return new LinkedHashMap<>(env);
    }

    /**
     * A rolling update of one service: a new instance with the environment of the running one plus
     * {@code overrides} starts on a port of its own, against the same database and Redis, under a
     * consumer name of its own (pods have their own names); once it is ready, {@link #url} names it
     * and the old instance is stopped. Peers were told the old instance's URL: a test that rolls out a
     * service others call points them at an address of its own that follows {@link #url} (a proxy,
     * as a Kubernetes Service would be). Its log is {@code target/<service>-rollout-<n>.log}.
     */
    public static synchronized void rollOut(String service, Map<String, String> overrides) throws Exception {
        Process old = PROCESSES.get(service);
        if (old == null || !ENVIRONMENTS.containsKey(service)) {
            throw new IllegalStateException(service + " is not running");
        }
        int n = ++rollouts;
        Map<String, String> env = new LinkedHashMap<>(ENVIRONMENTS.get(service));
        env.put("KIT_STREAMS_CONSUMER_NAME", service + "-suite-" + n);
        env.putAll(overrides);
        int port = freePort();
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        Path root = Path.of("..").toAbsolutePath().normalize();
        File log = new File("target/" + service + "-rollout-" + n + ".log");
        ProcessBuilder pb = new ProcessBuilder("java", "-Xmx384m", "-jar", app(root, service).toString())
                .directory(root.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log);
        pb.environment().putAll(env);
        Process next = pb.start();
        try {
            awaitReady(service, "http://127.0.0.1:" + port, next, log.getPath());
        } catch (Exception e) {
            stop(next);
            throw e;
        }
        LOGS.put(service, log);
        PORTS.put(service, port);
        PROCESSES.put(service, next);
        ENVIRONMENTS.put(service, env);
        stop(old);
    }

    public static String url(String service) {
        return "http://127.0.0.1:" + PORTS.get(service);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        synchronized (RunningSuite.class) {
            if (!PROCESSES.isEmpty()) {
                if (configuration.equals(runningConfiguration)) {
                    return;
                }
                // Running for another configuration: start again with this one's environment.
                stopAll();
            }
            start();
        }
    }

    private void start() throws Exception {
        runningConfiguration = configuration;
        boolean again = !STARTED.add(configuration);
        String suffix = configuration.equals(DEFAULT_CONFIGURATION) ? "" : "-" + configuration;
        DevIdentity.ensureKeys(TestTokens.KEYS);
        Path root = Path.of("..").toAbsolutePath().normalize();
        new ProcessBuilder("redis-cli", "-n", Integer.toString(REDIS_DB), "flushdb").inheritIO().start().waitFor();
        // The TrustedForm/Radar stand-ins and demo buyer endpoint the local run uses (deploy/local).
        int standIns = freePort();
        PORTS.put("stand-ins", standIns);
        File standInsLog = new File("target/stand-ins" + suffix + ".log");
        Process stubs = new ProcessBuilder("java", "-Xmx64m", root.resolve("deploy/local/LocalStandIns.java").toString(),
                Integer.toString(standIns)).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(again ? ProcessBuilder.Redirect.appendTo(standInsLog) : ProcessBuilder.Redirect.to(standInsLog))
                .start();
        PROCESSES.put("stand-ins", stubs);
        LOGS.put("stand-ins", standInsLog);
        for (String service : new String[] { "buyer-registry", "webhook-gateway", "wallet-service", "auction-service" }) {
            String db = DB_PREFIX + "_" + service.replace('-', '_');
            recreateDatabase(db);
            int port = freePort();
            PORTS.put(service, port);
            Path app = app(root, service);
            File log = new File("target/" + service + suffix + ".log");
            ProcessBuilder pb = new ProcessBuilder("java", "-Xmx384m", "-jar", app.toString())
                    .directory(root.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(again ? ProcessBuilder.Redirect.appendTo(log) : ProcessBuilder.Redirect.to(log));
            LOGS.put(service, log);
            // buyer-registry starts first, so the gateway can be told where this run's registry is.
            Map<String, String> env = environment(service, port, db, "redis://127.0.0.1:6379/" + REDIS_DB,
                    url("buyer-registry"), url("stand-ins"));
            if (service.equals("wallet-service")) {
                env.putAll(driverAppEnvironment(port));
            }
            env.putAll(extraEnvironment.apply(service));
            pb.environment().putAll(env);
            ENVIRONMENTS.put(service, env);
            PROCESSES.put(service, pb.start());
        }
        for (Map.Entry<String, Process> e : PROCESSES.entrySet()) {
            if (!e.getKey().equals("stand-ins")) {
                awaitReady(e.getKey(), url(e.getKey()), e.getValue(), LOGS.get(e.getKey()).getPath());
            }
        }
    }

    /**
     * The driver app as up.sh configures it: the development sign-in (one for the run, signing with
     * the test identity's keys) and the API at the address the browser opens the app on.
     */
    private static Map<String, String> driverAppEnvironment(int walletPort) throws Exception {
        synchronized (RunningSuite.class) {
            if (devSignIn == null) {
                devSignIn = DevIdentity.Provider.start(TestTokens.KEYS, 0, 3600, DevIdentity.Provider.CLIENT_ID,
                        java.util.List.of("http://localhost:*/app/")); // a wallet started again may be on another port
            }
        }
        return Map.of("WALLET_FRONTEND_IDENTITY_AUTHORIZATION_ENDPOINT", devSignIn.url("/authorize"),
                "WALLET_FRONTEND_IDENTITY_TOKEN_ENDPOINT", devSignIn.url("/token"),
                "WALLET_FRONTEND_API_BASE_URL", "http://localhost:" + walletPort);
    }

    /** The development sign-in the suite's wallet-service names (the default configuration's). */
    public static DevIdentity.Provider devSignIn() {
        return devSignIn;
    }

    /**
     * The environment one packaged service runs with in a suite (the {@code local} profile, the test
     * identity's keys, the known webhook secrets, the stand-ins): its HTTP port, its database, its
     * Redis, where buyer-registry and the stand-ins are. PostgreSQL comes from DB_HOST/DB_PORT as the
     * caller's environment has them unless the caller adds its own. Other launchers (fault-tests, which
     * runs two instances of each service against a PostgreSQL and Redis of its own) start from it.
     */
    public static Map<String, String> environment(String service, int port, String database, String redisUrl,
            String buyerRegistryUrl, String standInsUrl) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_PROFILE", "local");
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("NOVA_DB_NAME", database);
        env.put("REDIS_URL", redisUrl);
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
        env.put("BUYER_REGISTRY_URL", buyerRegistryUrl);
        env.put("TRUSTEDFORM_API_URL", standInsUrl + "/trustedform");
        env.put("TRUSTEDFORM_API_KEY", "suite-stand-in");
        env.put("RADAR_API_URL", standInsUrl + "/radar");
        env.put("RADAR_API_KEY", "suite-stand-in");
        env.put("QUARKUS_LOG_FILE_ENABLED", "false");
        return env;
    }

    @Override
    public void afterAll(ExtensionContext context) {
        // The processes are shared by every test class of the run; the JVM shutdown hook stops them.
    }

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> PROCESSES.values().forEach(RunningSuite::stop)));
    }

    /** Stops every process of the running configuration. */
    private static void stopAll() {
        PROCESSES.values().forEach(RunningSuite::stop);
        PROCESSES.clear();
        PORTS.clear();
        ENVIRONMENTS.clear();
        LOGS.clear();
        runningConfiguration = null;
    }

    private static void stop(Process p) {
        p.destroy();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
        }
    }

    private static void awaitReady(String service, String baseUrl, Process process, String log) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(180));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(service + " exited during start-up; see " + log);
            }
            try {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(baseUrl + "/q/health/ready"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(service + " is not ready after 180 s; see " + log);
    }

    private static void recreateDatabase(String name) throws Exception {
        try (Connection c = com.nova.kit.testing.TestDatabase.connect("postgres")) {
            c.createStatement().execute("drop database if exists " + name + " with (force)");
            c.createStatement().execute("create database " + name);
        }
    }

    /** The packaged service's runnable jar under the repository root; fails when it was not packaged. */
    public static Path app(Path root, String service) {
        Path app = root.resolve(service).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(app)) {
            throw new IllegalStateException(app + " is missing: package the services first (./mvnw package)");
        }
        return app;
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
