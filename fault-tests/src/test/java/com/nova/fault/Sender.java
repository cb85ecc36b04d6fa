package com.nova.fault;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntPredicate;

/**
 * Sends one request the way Stripe or a careful client does: the very same body and headers (the
 * same signature, the same Idempotency-Key) on every attempt, retried with exponential backoff and
 * jitter until an answer acknowledges it; each attempt goes to one of the service's instances in
 * turn, as an ingress spreads retries. No answer, a timeout, 408, 425, 429 and 5xx are retried;
 * another status is final (an acknowledgement when {@code acknowledges} says so, else a refusal).
 */
final class Sender {

    private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(10);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .version(HttpClient.Version.HTTP_1_1).build();
    /** A sender stops retrying this long after its first attempt (well inside the signatures' 300 s tolerance). */
    private final Duration giveUpAfter;
    /** Per phase, the answers that were retried: HTTP status, or "no answer" (connection refused, reset, timeout). */
    final Map<String, Map<String, java.util.concurrent.atomic.AtomicInteger>> retried = new java.util.concurrent.ConcurrentHashMap<>();

    Sender(Duration giveUpAfter) {
        this.giveUpAfter = giveUpAfter;
    }

    void send(Op op, List<String> instances, String path, Map<String, String> headers, String body, IntPredicate acknowledges) {
        Instant giveUp = Instant.now().plus(giveUpAfter);
        int first = ThreadLocalRandom.current().nextInt(instances.size());
        long backoff = 200;
        while (true) {
            String base = instances.get((first + op.attempts) % instances.size());
            op.attempts++;
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(ATTEMPT_TIMEOUT)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
            headers.forEach(request::header);
            try {
                HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                op.status = r.statusCode();
                op.body = r.body();
                if (acknowledges.test(r.statusCode())) {
                    op.acknowledged = true;
                    return;
                }
                if (!retryable(r.statusCode())) {
                    op.refused = true;
                    op.lastError = "HTTP " + r.statusCode() + ": " + abbreviate(r.body());
                    return;
                }
                op.lastError = "HTTP " + r.statusCode();
                count(op, Integer.toString(r.statusCode()));
            } catch (IOException e) {
                op.status = 0;
                op.lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
                count(op, "no answer");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                op.lastError = "interrupted";
                return;
            }
            if (Instant.now().isAfter(giveUp)) {
                return;
            }
            sleep(backoff + ThreadLocalRandom.current().nextLong(backoff / 2 + 1));
            backoff = Math.min(backoff * 2, 4000);
        }
    }

    private void count(Op op, String answer) {
        retried.computeIfAbsent(op.phase, k -> new java.util.concurrent.ConcurrentSkipListMap<>())
                .computeIfAbsent(answer, k -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
    }

    static boolean retryable(int status) {
        return status == 408 || status == 425 || status == 429 || status >= 500;
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
