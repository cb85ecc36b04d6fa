import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Benchmark client (deploy/bench/auction.sh, ONLY=live): CONNECTIONS workers, each in a loop for
 * SECONDS, ping a solar lead in 94105/CA, then post the full lead with the ping's id when it was
 * priced. Prints the pings' and the whole ping-then-post's throughput and latency percentiles.
 *   java PingPostBench.java BASE_URL TOKEN SECONDS CONNECTIONS
 */
public final class PingPostBench {

    private static final Pattern PING_ID = Pattern.compile("\"pingId\"\\s*:\\s*\"([0-9a-f-]{36})\"");
    private static final Pattern PRICED = Pattern.compile("\"price\"\\s*:\\s*\"");

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String token = args[1];
        long seconds = Long.parseLong(args[2]);
        int connections = Integer.parseInt(args[3]);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        List<Long> pings = Collections.synchronizedList(new ArrayList<>());
        List<Long> pairs = Collections.synchronizedList(new ArrayList<>());
        AtomicLong errors = new AtomicLong();
        AtomicLong unpriced = new AtomicLong();
        AtomicLong seq = new AtomicLong(System.currentTimeMillis() % 1_000_000 * 1_000);
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        for (int w = 0; w < connections; w++) {
            pool.submit(() -> {
                while (System.nanoTime() < end) {
                    long n = seq.incrementAndGet();
                    long start = System.nanoTime();
                    try {
                        HttpResponse<String> ping = http.send(post(base + "/v1/leads/ping", token, "ping-" + n,
                                "{\"vertical\":\"solar\",\"zip\":\"94105\",\"state\":\"CA\"}"), HttpResponse.BodyHandlers.ofString());
                        long pinged = System.nanoTime();
                        if (ping.statusCode() != 201) {
                            errors.incrementAndGet();
                            continue;
                        }
                        pings.add(pinged - start);
                        Matcher id = PING_ID.matcher(ping.body());
                        if (!id.find() || !PRICED.matcher(ping.body()).find()) {
                            unpriced.incrementAndGet();
                            continue;
                        }
                        long line = n % 8_000_000;
                        String lead = String.format("{\"vertical\":\"solar\",\"firstName\":\"Ada\",\"lastName\":\"Lovelace\","
                                + "\"email\":\"pp%d@bench.example\",\"phone\":\"(415) %03d-%04d\",\"zip\":\"94105\",\"state\":\"CA\","
                                + "\"trustedFormCertUrl\":\"https://cert.trustedform.com/0123456789abcdef0123456789abcdef01234567\","
                                + "\"consent\":true,\"pingId\":\"%s\"}", n, 200 + line / 10_000 % 800, line % 10_000, id.group(1));
                        HttpResponse<String> sold = http.send(post(base + "/v1/leads", token, "post-" + n, lead),
                                HttpResponse.BodyHandlers.ofString());
                        if (sold.statusCode() != 201) {
                            errors.incrementAndGet();
                            continue;
                        }
                        pairs.add(System.nanoTime() - start);
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(seconds + 60, java.util.concurrent.TimeUnit.SECONDS);
        report("pings", pings, seconds, errors.get());
        report("ping+post", pairs, seconds, errors.get());
        System.out.println("ping+post RESULT unpriced_pings=" + unpriced.get());
    }

    private static HttpRequest post(String url, String token, String key, String body) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token).header("Idempotency-Key", "bench-" + key)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static void report(String what, List<Long> nanos, long seconds, long errors) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        System.out.printf("%s RESULT requests=%d rps=%.0f p50_ms=%.1f p90_ms=%.1f p99_ms=%.1f errors=%d%n", what, sorted.size(),
                sorted.size() / (double) seconds, pct(sorted, 0.50), pct(sorted, 0.90), pct(sorted, 0.99), errors);
    }

    private static double pct(List<Long> sorted, double p) {
        return sorted.isEmpty() ? 0 : sorted.get((int) Math.min(sorted.size() - 1, Math.floor(p * sorted.size()))) / 1e6;
    }
}
