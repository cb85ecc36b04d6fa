package com.nova.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * What a run is pointed at and how hard it pushes, from system properties ({@code -Dload.rate=200})
 * with the local suite's defaults, so one simulation runs against `deploy/local/up.sh` and, with
 * {@code load.url}, against any environment's ingress.
 *
 * <ul>
 * <li>{@code load.url}: one base URL for every service (an ingress routes by prefix); otherwise
 * {@code load.wallet-url}, {@code load.gateway-url}, {@code load.auction-url}, {@code load.buyers-url}
 * (default the local ports 8081 to 8084).</li>
 * <li>{@code load.keys}: the development identity whose key signs the run's tokens (default
 * {@code .local/keys}); the target's JWKS must hold its public key.</li>
 * <li>{@code load.secrets}: an env file with STRIPE_WEBHOOK_SECRET, SQUARE_WEBHOOK_SIGNATURE_KEY,
 * SQUARE_WEBHOOK_NOTIFICATION_URL and PURCHASE_WEBHOOK_SECRET (default
 * {@code .local/secrets/webhooks.env}); environment variables of those names win.</li>
 * <li>{@code load.rate} (arrivals per second, default 100), {@code load.duration} (default 60s),
 * {@code load.ramp} (a warm-up ramp to the rate first, default 10s).</li>
 * <li>{@code load.p95-ms}, {@code load.p99-ms}, {@code load.max-error-percent}: each simulation's
 * own assertions unless set.</li>
 * <li>{@code load.stand-ins-url}: where the demo buyers deliver (default the local stand-ins).</li>
 * </ul>
 */
public final class LoadSettings {

    private LoadSettings() {
    }

    static Path repoRoot() {
        Path here = Path.of("").toAbsolutePath();
        return Files.exists(here.resolve("deploy/local/lib.sh")) ? here : here.getParent();
    }

    public static String walletUrl() {
        return url("wallet", 8081);
    }

    public static String gatewayUrl() {
        return url("gateway", 8082);
    }

    public static String auctionUrl() {
        return url("auction", 8083);
    }

    public static String buyersUrl() {
        return url("buyers", 8084);
    }

    public static String standInsUrl() {
        return System.getProperty("load.stand-ins-url", "http://127.0.0.1:8090");
    }

    private static String url(String service, int localPort) {
        String one = System.getProperty("load.url");
        if (one != null && !one.isBlank()) {
            return strip(one);
        }
        return strip(System.getProperty("load." + service + "-url", "http://127.0.0.1:" + localPort));
    }

    private static String strip(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    public static Path keys() {
        String dir = System.getProperty("load.keys");
        return dir != null ? Path.of(dir) : repoRoot().resolve(".local/keys");
    }

    /** Arrivals per second at full load. */
    public static double rate() {
        return Double.parseDouble(System.getProperty("load.rate", "100"));
    }

    public static Duration duration() {
        return Duration.parse("PT" + System.getProperty("load.duration", "60s").toUpperCase());
    }

    public static Duration ramp() {
        return Duration.parse("PT" + System.getProperty("load.ramp", "10s").toUpperCase());
    }

    public static int p95Millis(int simulationDefault) {
        return Integer.getInteger("load.p95-ms", simulationDefault);
    }

    public static int p99Millis(int simulationDefault) {
        return Integer.getInteger("load.p99-ms", simulationDefault);
    }

    public static double maxErrorPercent(double simulationDefault) {
        return Double.parseDouble(System.getProperty("load.max-error-percent", Double.toString(simulationDefault)));
    }

    /** How many distinct drivers, buyers, leads a run prepares; smaller in smoke runs. */
    public static int size(String what, int fullSize) {
        return Integer.getInteger("load." + what, fullSize);
    }

    /** A webhook secret: the environment first, then the secrets file. */
    public static String secret(String name) {
        String env = System.getenv(name);
        if (env != null && !env.isBlank()) {
            return env;
        }
        String fromProperty = System.getProperty("load.secret." + name);
        if (fromProperty != null) {
            return fromProperty;
        }
        String value = secretsFile().get(name);
        if (value == null) {
            throw new IllegalStateException(name + " is not set and not in " + secretsPath()
                    + " (deploy/local/up.sh generates it; or set the environment variable)");
        }
        return value;
    }

    private static Path secretsPath() {
        String file = System.getProperty("load.secrets");
        return file != null ? Path.of(file) : repoRoot().resolve(".local/secrets/webhooks.env");
    }

    private static Map<String, String> secretsFile() {
        Map<String, String> values = new HashMap<>();
        Path file = secretsPath();
        if (!Files.exists(file)) {
            return values;
        }
        try {
            for (String line : Files.readAllLines(file)) {
                int eq = line.indexOf('=');
                if (!line.isBlank() && !line.startsWith("#") && eq > 0) {
                    values.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
        return values;
    }
}
