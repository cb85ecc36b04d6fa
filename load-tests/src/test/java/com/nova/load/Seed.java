package com.nova.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What a simulation needs before its load starts, made through the public APIs as an admin would
 * (never by writing to a database): funded wallets, 200 buyers, a buyer with a webhook secret and
 * sold leads to post outcomes for. Idempotent where a rerun would otherwise pile up data.
 */
final class Seed {

    static final String[] VERTICALS = { "auto_insurance", "home_insurance", "health_insurance", "life_insurance", "solar",
            "roofing" };
    /** ZIPs the stand-in geocoder (and Radar) place in their state. */
    static final String[][] ZIPS = { { "94105", "CA" }, { "90210", "CA" }, { "10001", "NY" }, { "73301", "TX" },
            { "60601", "IL" }, { "33101", "FL" }, { "98101", "WA" }, { "02108", "MA" }, { "80202", "CO" }, { "85001", "AZ" } };
    /** Reserved for the outcome buyer: no load buyer takes it, so every lead of it sells to that buyer. */
    static final String OUTCOME_VERTICAL = "mortgage";
    static final String OUTCOME_BUYER = "Load outcome buyer";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Seed() {
    }

    /** Credits each driver {@code points} once per run id (the Idempotency-Key makes a rerun a replay). */
    static void fundDrivers(List<String> drivers, long points, String runId) {
        parallel(drivers, driver -> post(LoadSettings.walletUrl() + "/v1/wallets/" + driver + "/adjustments", Tokens.admin(),
                "load-seed-" + runId + "-" + driver,
                "{\"direction\":\"CREDIT\",\"amount\":" + points + ",\"reason\":\"load test funding\"}", 201));
    }

    /** Makes sure {@code count} active load buyers exist (created once, reused by later runs). */
    static void ensureLoadBuyers(int count) {
        int existing = countLoadBuyers();
        List<Integer> missing = new ArrayList<>();
        for (int i = existing; i < count; i++) {
            missing.add(i);
        }
        parallel(missing, i -> {
            String vertical = VERTICALS[i % VERTICALS.length];
            String states = "\"CA\",\"NY\",\"TX\",\"IL\",\"FL\",\"WA\",\"MA\",\"CO\",\"AZ\"";
            String bid = (5 + (i * 37) % 45) + "." + String.format("%02d", (i * 13) % 100);
            post(LoadSettings.buyersUrl() + "/v1/buyers", Tokens.admin(), null, """
                    {"name":"Load buyer %d","verticals":["%s"],"states":[%s],"bidAmount":"%s","priority":%d,
                     "deliveryUrl":"%s/buyer/load-%d/leads","authConfig":{"type":"bearer","token":"load-buyer-token-%d"}}"""
                    .formatted(i, vertical, states, bid, i % 5, LoadSettings.standInsUrl(), i, i), 201);
        });
    }

    private static int countLoadBuyers() {
        return (int) activeBuyers().stream().filter(b -> b.path("name").asText().matches("Load buyer [0-9]+")).count();
    }

    private static List<JsonNode> activeBuyers() {
        List<JsonNode> buyers = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = json(get(LoadSettings.buyersUrl() + "/v1/buyers?status=ACTIVE&limit=200"
                    + (cursor == null ? "" : "&cursor=" + cursor), Tokens.admin()));
            page.path("items").forEach(buyers::add);
            cursor = page.path("nextCursor").isTextual() ? page.path("nextCursor").asText() : null;
        } while (cursor != null);
        return buyers;
    }

    /** A new buyer of its own vertical, its webhook secret, and {@code leads} leads sold to it. */
    record OutcomeBuyer(String id, String secret, List<String> leads) {
    }

    static OutcomeBuyer outcomeBuyer(String runId, int leads) {
        String id = activeBuyers().stream().filter(b -> OUTCOME_BUYER.equals(b.path("name").asText()))
                .map(b -> b.path("id").asText()).findFirst().orElse(null);
        if (id == null) {
            id = json(post(LoadSettings.buyersUrl() + "/v1/buyers", Tokens.admin(), null, """
                    {"name":"%s","verticals":["%s"],"states":["CA"],"bidAmount":"30.00","priority":1,
                     "deliveryUrl":"%s/buyer/load-outcomes/leads","authConfig":{"type":"bearer","token":"load-outcome-token"}}"""
                    .formatted(OUTCOME_BUYER, OUTCOME_VERTICAL, LoadSettings.standInsUrl()), 201)).path("id").asText();
        }
        String secret = json(post(LoadSettings.buyersUrl() + "/v1/buyers/" + id + "/webhook-secret/rotate", Tokens.admin(), null,
                "", 200)).path("webhookSecret").asText();
        String buyer = id;
        pause(1500); // auction-service and the gateway learn of the buyer from buyers.events
        List<String> sold = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Integer> n = new ArrayList<>();
        for (int i = 0; i < leads; i++) {
            n.add(i);
        }
        parallel(n, i -> {
            JsonNode answer = json(post(LoadSettings.auctionUrl() + "/v1/leads", Tokens.bearer("load-publisher", "publisher"),
                    "load-outcome-" + runId + "-" + i, Leads.body(OUTCOME_VERTICAL, "94105", "CA"), 201));
            if ("SOLD".equals(answer.path("status").asText()) && buyer.equals(answer.path("buyerId").asText())) {
                sold.add(answer.path("id").asText());
            }
        });
        if (sold.isEmpty()) {
            throw new IllegalStateException("none of the leads sold to the outcome buyer (another active buyer takes "
                    + OUTCOME_VERTICAL + " in CA?)");
        }
        return new OutcomeBuyer(buyer, secret, List.copyOf(sold));
    }

    private interface Step<T> {
        void run(T item) throws Exception;
    }

    /** Runs the steps 16 at a time; the first failure fails the seeding. */
    private static <T> void parallel(List<T> items, Step<T> step) {
        Semaphore slots = new Semaphore(16);
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (T item : items) {
            slots.acquireUninterruptibly();
            all.add(CompletableFuture.runAsync(() -> {
                try {
                    step.run(item);
                } catch (Exception e) {
                    throw new IllegalStateException(e.getMessage(), e);
                } finally {
                    slots.release();
                }
            }));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
    }

    static String post(String url, String bearer, String idempotencyKey, String body, int expected) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", bearer).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return send(request.build(), expected);
    }

    static String get(String url, String bearer) {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).header("Authorization", bearer)
                .GET().build(), 200);
    }

    private static String send(HttpRequest request, int expected) {
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expected) {
                throw new IllegalStateException(request.method() + " " + request.uri() + " answered " + response.statusCode()
                        + ": " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + body, e);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
