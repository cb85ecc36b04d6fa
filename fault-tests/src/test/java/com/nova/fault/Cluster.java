package com.nova.fault;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.nova.kit.testing.DevIdentity;
import com.nova.kit.testing.RunningSuite;
import com.nova.kit.testing.TestTokens;

/**
 * The suite as the drill runs it: its own PostgreSQL and Redis under target/fault, the TrustedForm
 * and Radar stand-ins, and two instances ({@code a}, {@code b}) of each packaged service, each with
 * its own consumer name and its own proxies to PostgreSQL and Redis (so one instance can be cut
 * off while the other keeps its connections). buyer-registry's two instances sit behind a
 * round-robin balancer, as behind a Kubernetes Service; the senders pick an instance per attempt,
 * as an ingress would.
 */
final class Cluster implements AutoCloseable {

    static final List<String> SERVICES = List.of("buyer-registry", "webhook-gateway", "wallet-service", "auction-service");
    static final Map<String, String> DATABASES = Map.of("buyer-registry", "buyer_registry", "webhook-gateway", "gateway",
            "wallet-service", "wallet", "auction-service", "auction");

    final Path root = Path.of("..").toAbsolutePath().normalize();
    final Path dir = Path.of("target/fault").toAbsolutePath();
    final Path logs = dir.resolve("logs");
    /** The packaged services, copied at the start: a restart mid-drill runs the same build even if someone repackages meanwhile. */
    final Path apps = dir.resolve("apps");
    final Profile profile;
    final OwnPostgres postgres;
    final OwnRedis redis;
    private final Map<String, Instance> instances = new LinkedHashMap<>();
    private final List<TcpProxy> proxies = new ArrayList<>();
    private TcpProxy buyerRegistry;
    private Process standIns;
    private String standInsUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    Cluster(Profile profile) throws IOException {
        this.profile = profile;
        this.postgres = new OwnPostgres(dir.resolve("postgres"), RunningSuite.freePort());
        this.redis = new OwnRedis(dir.resolve("redis"), RunningSuite.freePort());
    }

    /** One running instance of a service. */
    final class Instance {
        final String service;
        final String name;
        final int port;
        final TcpProxy toPostgres;
        final TcpProxy toRedis;
        private Process process;

        Instance(String service, String name) throws IOException {
            this.service = service;
            this.name = name;
            this.port = RunningSuite.freePort();
            this.toPostgres = TcpProxy.to(id() + "->postgres", postgres.port());
            this.toRedis = TcpProxy.to(id() + "->redis", redis.port());
            proxies.add(toPostgres);
            proxies.add(toRedis);
        }

        String id() {
            return service + "-" + name;
        }

        String url() {
            return "http://127.0.0.1:" + port;
        }

        void start() throws IOException {
            ProcessBuilder pb = new ProcessBuilder("java", "-Xmx320m", "-XX:+UseSerialGC", "-jar",
                    apps.resolve(service).resolve("quarkus-run.jar").toString())
                    .directory(root.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(id() + ".log").toFile()));
            Map<String, String> env = pb.environment();
            env.putAll(RunningSuite.environment(service, port, DATABASES.get(service),
                    "redis://127.0.0.1:" + toRedis.port(), "http://127.0.0.1:" + buyerRegistry.port(), standInsUrl));
            env.put("DB_HOST", "127.0.0.1");
            env.put("DB_PORT", Integer.toString(toPostgres.port()));
            env.put("DB_USER", "postgres");
            env.put("DB_PASSWORD", "");
            // Competing consumers for real: each instance is a consumer of its own in every group.
            env.put("KIT_STREAMS_CONSUMER_NAME", id());
            env.put("BUYERS_CRYPTO_KEYSET_FILE", dir.resolve("buyer-keyset.json").toString());
            env.putAll(profile.serviceSettings());
            process = pb.start();
            Leftovers.remember(process);
        }

        /** SIGKILL: no shutdown hook, nothing acknowledged or released on the way out. */
        void kill() throws InterruptedException {
            if (process != null) {
                process.destroyForcibly().waitFor();
            }
        }

        boolean alive() {
            return process != null && process.isAlive();
        }

        /** Waits until /q/health/ready answers 200; fails when the process died or the deadline passed. */
        void awaitReady(Duration within) throws Exception {
            Instant deadline = Instant.now().plus(within);
            while (Instant.now().isBefore(deadline)) {
                if (!alive()) {
                    throw new IllegalStateException(id() + " exited; see " + logs.resolve(id() + ".log"));
                }
                if (ready()) {
                    return;
                }
                Thread.sleep(250);
            }
            throw new IllegalStateException(id() + " is not ready " + within.toSeconds() + " s after the fault; see "
                    + logs.resolve(id() + ".log"));
        }

        boolean ready() {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url() + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
                return r.statusCode() == 200;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        void stop() {
            if (process != null) {
                process.destroy();
                try {
                    if (!process.waitFor(15, TimeUnit.SECONDS)) {
                        process.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    process.destroyForcibly();
                }
            }
        }
    }

    /** Everything up to (not including) the services that need buyers first: PostgreSQL, Redis, stand-ins, buyer-registry. */
    void startInfrastructure() throws Exception {
        Leftovers.endEarlierRuns();
        deleteTree(logs);
        Files.createDirectories(logs);
        DevIdentity.ensureKeys(TestTokens.KEYS);
        postgres.init().start();
        for (String service : SERVICES) {
            postgres.createDatabase(DATABASES.get(service));
        }
        deleteTree(apps);
        for (String service : SERVICES) {
            copyTree(RunningSuite.app(root, service).getParent(), apps.resolve(service));
        }
        deleteAof();
        redis.start();
        int standInsPort = RunningSuite.freePort();
        standInsUrl = "http://127.0.0.1:" + standInsPort;
        standIns = new ProcessBuilder("java", "-Xmx64m", root.resolve("deploy/local/LocalStandIns.java").toString(),
                Integer.toString(standInsPort)).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(new File(logs.resolve("stand-ins.log").toString())).start();
        Leftovers.remember(standIns);
        for (String service : SERVICES) {
            for (String name : List.of("a", "b")) {
                Instance i = new Instance(service, name);
                instances.put(i.id(), i);
            }
        }
        buyerRegistry = new TcpProxy("buyer-registry", List.of(
                new InetSocketAddress("127.0.0.1", instance("buyer-registry", "a").port),
                new InetSocketAddress("127.0.0.1", instance("buyer-registry", "b").port)));
        proxies.add(buyerRegistry);
        startBoth("buyer-registry");
    }

    /** The gateway, the wallet and auction-service, two instances each: the first ones migrate their databases. */
    void startServices() throws Exception {
        for (String service : List.of("webhook-gateway", "wallet-service", "auction-service")) {
            instance(service, "a").start();
        }
        for (String service : List.of("webhook-gateway", "wallet-service", "auction-service")) {
            instance(service, "a").awaitReady(profile.readyDeadline());
        }
        for (String service : List.of("webhook-gateway", "wallet-service", "auction-service")) {
            instance(service, "b").start();
        }
        for (String service : List.of("webhook-gateway", "wallet-service", "auction-service")) {
            instance(service, "b").awaitReady(profile.readyDeadline());
        }
    }

    private void startBoth(String service) throws Exception {
        instance(service, "a").start();
        instance(service, "a").awaitReady(profile.readyDeadline());
        instance(service, "b").start();
        instance(service, "b").awaitReady(profile.readyDeadline());
    }

    Instance instance(String service, String name) {
        Instance i = instances.get(service + "-" + name);
        if (i == null) {
            throw new IllegalArgumentException("no instance " + service + "-" + name);
        }
        return i;
    }

    List<Instance> instances() {
        return List.copyOf(instances.values());
    }

    /** The base URLs of a service's instances, for senders that choose one per attempt. */
    List<String> urls(String service) {
        return List.of(instance(service, "a").url(), instance(service, "b").url());
    }

    String buyerRegistryUrl() {
        return "http://127.0.0.1:" + buyerRegistry.port();
    }

    /** Every instance ready again, each within the deadline; the first that is not fails the drill. */
    void awaitAllReady(Duration within) throws Exception {
        for (Instance i : instances.values()) {
            i.awaitReady(within);
        }
    }

    private void deleteAof() throws IOException {
        deleteTree(dir.resolve("redis"));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void deleteTree(Path path) throws IOException {
        if (Files.exists(path)) {
            try (var all = Files.walk(path)) {
                for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private boolean closed;

    /** Stops everything the drill started (idempotent: the test and a shutdown hook both call it). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<Thread> stopping = new ArrayList<>();
        for (Instance i : instances.values()) {
            Thread t = new Thread(i::stop);
            t.start();
            stopping.add(t);
        }
        for (Thread t : stopping) {
            try {
                t.join(20_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (standIns != null) {
            standIns.destroy();
        }
        proxies.forEach(TcpProxy::close);
        redis.stop();
        postgres.stop();
    }
}
