package com.nova.auction;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nova.kit.testing.HttpStubs;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Local HTTP stand-ins for what auction-service calls, answering as the documented APIs do:
 * <ul>
 * <li>TrustedForm v4 ({@code POST /tf/{certId}}): 401 without Basic API:key or without
 * {@code api-version: 4.0}; 404 for certificates whose id starts {@code expired}, 410 for
 * {@code gone}; outcome failure for {@code nomatch}; otherwise success with the lead matched.</li>
 * <li>Radar ({@code GET /radar/v1/geocode/forward}): 401 without the key; a postalCode address for
 * known ZIPs, none for unknown ones.</li>
 * <li>buyer-registry's internal API ({@code /internal/buyers/...}), service tokens only.</li>
 * <li>Buyers' delivery endpoints ({@code POST /buyer/{id}/leads}), recording every post.</li>
 * <li>Live bidders' endpoints ({@code POST /bidder/{id}}): each answers the body, status and delay
 * the test set ({@code {"bid": null}} by default), checking its own credential header.</li>
 * </ul>
 * Each can be made slow, down (503), rate limiting (429) or failing a number of times; a buyer can
 * also trickle its answer a byte at a time, answer with a huge body, or be registered with another
 * delivery URL.
 */
public class ThirdParties implements QuarkusTestResourceLifecycleManager {

    public static final String TF_KEY = "tf-test-key-0123456789";
    public static final String RADAR_KEY = "prj_test_sk_radar_0123456789";
    public static final ObjectMapper JSON = new ObjectMapper();

    /** ZIP to state, as Radar would answer. */
    public static final Map<String, String> ZIPS = Map.ofEntries(Map.entry("94105", "CA"), Map.entry("90210", "CA"),
            Map.entry("10001", "NY"), Map.entry("73301", "TX"), Map.entry("60601", "IL"), Map.entry("33101", "FL"),
            Map.entry("98101", "WA"), Map.entry("02108", "MA"), Map.entry("80202", "CO"), Map.entry("85001", "AZ"));

    public record Post(String buyerId, String idempotencyKey, String authorization, JsonNode body, String host) {
    }

    // --- behaviour, set by tests
    public static volatile int tfDelayMs;
    public static volatile int tfStatus; // 0: normal
    public static final AtomicInteger tfFailuresLeft = new AtomicInteger();
    public static volatile int tfFailureStatus = 503;
    /** TrustedForm requests to drop by closing the connection without an answer (a keep-alive connection the server ended). */
    public static final AtomicInteger tfClosesLeft = new AtomicInteger();
    public static volatile int radarDelayMs;
    public static volatile int radarStatus;
    public static volatile boolean registryDown;
    /** While set, each eligible-buyers read waits for it (at most 300 ms, inside the client's 400 ms test timeout) before it answers. */
    public static volatile java.util.concurrent.CountDownLatch eligibleGate;
    public static final Map<String, ObjectNode> BUYERS = new ConcurrentHashMap<>();
    public static final Map<String, String> BUYER_STATUS = new ConcurrentHashMap<>();
    /** Per buyer: statuses to answer before succeeding (e.g. [500, 500] then 200). */
    public static final Map<String, List<Integer>> BUYER_FAILURES = new ConcurrentHashMap<>();
    public static final Map<String, Integer> BUYER_DELAY_MS = new ConcurrentHashMap<>();
    /** Per buyer: how many answers to trickle (200, then a byte every 200 ms for 8 s) before answering normally. */
    public static final Map<String, AtomicInteger> BUYER_TRICKLES = new ConcurrentHashMap<>();
    /** Per buyer: the size of the (streamed, never held) 200 body it answers with. */
    public static final Map<String, Long> BUYER_HUGE_BODY = new ConcurrentHashMap<>();
    /** Per buyer: the 200 body its delivery endpoint answers instead of {@code {"accepted":true,...}} (a post-accept buyer's rejection). */
    public static final Map<String, String> BUYER_ANSWER = new ConcurrentHashMap<>();
    /** Per buyer: the bearer token buyer-registry gives instead of {@code buyer-token-<id>}. */
    public static final Map<String, String> BUYER_TOKEN = new ConcurrentHashMap<>();
    /** Buyers whose endpoint answers 401 to any credential but the one buyer-registry gives now (a buyer that rotated its token). */
    public static final java.util.Set<String> BUYER_CHECKS_TOKEN = ConcurrentHashMap.newKeySet();
    /** Per live bidder: how long buyer-registry takes to answer its ping endpoint. */
    public static final Map<String, Integer> PING_ENDPOINT_DELAY_MS = new ConcurrentHashMap<>();
    /** Reads of {@code /internal/buyers/{id}/ping-endpoint}, by buyer. */
    public static final Map<String, AtomicInteger> PING_ENDPOINT_READS = new ConcurrentHashMap<>();
    /** Reads of {@code /internal/buyers/{id}/delivery}, by buyer. */
    public static final Map<String, AtomicInteger> DELIVERY_READS = new ConcurrentHashMap<>();
    /** Per buyer: the delivery URL buyer-registry gives instead of this stub's own. */
    public static final Map<String, String> BUYER_URL = new ConcurrentHashMap<>();

    /** Per live bidder: the body it answers (default {@code {"bid":null}}), its status (default 200), its delay. */
    public static final Map<String, String> BIDDER_ANSWER = new ConcurrentHashMap<>();
    public static final Map<String, Integer> BIDDER_STATUS = new ConcurrentHashMap<>();
    public static final Map<String, Integer> BIDDER_DELAY_MS = new ConcurrentHashMap<>();
    /** Live bidders buyer-registry has no ping endpoint for (404), though it lists them as live. */
    public static final java.util.Set<String> NO_PING_ENDPOINT = ConcurrentHashMap.newKeySet();

    // --- what was seen
    public static final List<JsonNode> TF_REQUESTS = new CopyOnWriteArrayList<>();
    public static final List<Map<String, String>> TF_HEADERS = new CopyOnWriteArrayList<>();
    public static final AtomicInteger TF_CALLS = new AtomicInteger();
    public static final AtomicInteger RADAR_CALLS = new AtomicInteger();
    public static final AtomicInteger REGISTRY_CALLS = new AtomicInteger();
    /** Reads of {@code /internal/buyers/eligible}, by vertical. */
    public static final Map<String, AtomicInteger> ELIGIBLE_READS = new ConcurrentHashMap<>();
    /** Answers of {@code /internal/buyers/{id}/ping-endpoint} given (written), by buyer. */
    public static final Map<String, AtomicInteger> PING_ENDPOINT_ANSWERS = new ConcurrentHashMap<>();
    public static final List<Post> POSTS = new CopyOnWriteArrayList<>();
    /** What each live bidder was asked (the ping as it was sent). */
    public static final List<Post> BIDDER_REQUESTS = new CopyOnWriteArrayList<>();
    /** Trickled answers the caller stopped reading (its connection closed under the stub). */
    public static final AtomicInteger TRICKLES_CUT = new AtomicInteger();
    /** Bytes of a huge body written before the caller closed the connection (or all of them); -1 until one ended. */
    public static final AtomicLong HUGE_BODY_WRITTEN = new AtomicLong(-1);

    public static volatile int port;
    private HttpServer server;

    public static void reset() {
        tfDelayMs = 0;
        tfStatus = 0;
        tfFailuresLeft.set(0);
        tfFailureStatus = 503;
        tfClosesLeft.set(0);
        radarDelayMs = 0;
        radarStatus = 0;
        registryDown = false;
        BUYERS.clear();
        BUYER_STATUS.clear();
        BUYER_FAILURES.clear();
        BUYER_DELAY_MS.clear();
        BUYER_TRICKLES.clear();
        BUYER_HUGE_BODY.clear();
        BUYER_URL.clear();
        BUYER_TOKEN.clear();
        BUYER_CHECKS_TOKEN.clear();
        DELIVERY_READS.clear();
        PING_ENDPOINT_DELAY_MS.clear();
        PING_ENDPOINT_READS.clear();
        BUYER_ANSWER.clear();
        TRICKLES_CUT.set(0);
        HUGE_BODY_WRITTEN.set(-1);
        TF_REQUESTS.clear();
        TF_HEADERS.clear();
        TF_CALLS.set(0);
        RADAR_CALLS.set(0);
        REGISTRY_CALLS.set(0);
        ELIGIBLE_READS.clear();
        PING_ENDPOINT_ANSWERS.clear();
        eligibleGate = null;
        POSTS.clear();
        BIDDER_ANSWER.clear();
        BIDDER_STATUS.clear();
        BIDDER_DELAY_MS.clear();
        BIDDER_REQUESTS.clear();
        NO_PING_ENDPOINT.clear();
    }

    public static long bidderCalls(String id) {
        return BIDDER_REQUESTS.stream().filter(r -> r.buyerId().equals(id)).count();
    }

    public static List<Post> postsFor(String leadId) {
        return POSTS.stream().filter(p -> leadId.equals(p.body().path("leadId").asText())).toList();
    }

    @Override
    public Map<String, String> start() {
        server = HttpStubs.start(Executors.newFixedThreadPool(32), Map.of("/tf/", this::trustedForm,
                "/radar/v1/geocode/forward", this::radar, "/internal/buyers/", this::registry, "/buyer/", this::buyer,
                "/bidder/", this::bidder));
        port = server.getAddress().getPort();
        String base = HttpStubs.baseUrl(server);
        Map<String, String> config = new HashMap<>();
        config.put("quarkus.rest-client.trustedform.url", base + "/tf");
        config.put("quarkus.rest-client.radar.url", base + "/radar");
        config.put("quarkus.rest-client.buyer-registry.url", base);
        config.put("auction.compliance.trustedform.api-key", TF_KEY);
        config.put("auction.compliance.radar.api-key", RADAR_KEY);
        return config;
    }

    @Override
    public void stop() {
        HttpStubs.stop(server);
    }

    private void trustedForm(HttpExchange ex) throws IOException {
        TF_CALLS.incrementAndGet();
        sleep(tfDelayMs);
        String certId = ex.getRequestURI().getPath().substring("/tf/".length());
        JsonNode body = JSON.readTree(ex.getRequestBody());
        TF_REQUESTS.add(body);
        Map<String, String> headers = new HashMap<>();
        ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), v.get(0)));
        TF_HEADERS.add(headers);
        String expectedAuth = "Basic " + Base64.getEncoder().encodeToString(("API:" + TF_KEY).getBytes(StandardCharsets.UTF_8));
        if (tfClosesLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            ex.close();
        } else if (tfStatus != 0) {
            HttpStubs.respond(ex, tfStatus, "{\"message\":\"unavailable\"}");
        } else if (tfFailuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            HttpStubs.respond(ex, tfFailureStatus, "{\"message\":\"try again\"}");
        } else if (!expectedAuth.equals(headers.get("authorization"))) {
            HttpStubs.respond(ex, 401, "{\"message\":\"Incorrect API key\"}");
        } else if (!"4.0".equals(headers.get("api-version"))) {
            HttpStubs.respond(ex, 400, "{\"message\":\"unsupported api version\"}");
        } else if (!body.has("match_lead") || body.path("match_lead").isEmpty()) {
            HttpStubs.respond(ex, 400, "{\"message\":\"match_lead is required when running retain\"}");
        } else if (certId.startsWith("expired")) {
            HttpStubs.respond(ex, 404, "{\"message\":\"TrustedForm certificate has expired or could not be found\"}");
        } else if (certId.startsWith("gone")) {
            HttpStubs.respond(ex, 410, "{\"message\":\"TrustedForm certificate has expired\"}");
        } else {
            boolean match = !certId.startsWith("nomatch");
            ObjectNode answer = JSON.createObjectNode();
            answer.put("outcome", match ? "success" : "failure");
            answer.put("reason", match ? null : "Lead data did not match the certificate");
            ObjectNode ml = answer.putObject("match_lead");
            ml.put("email", body.at("/match_lead/email").asText());
            ml.put("phone", body.at("/match_lead/phone").asText());
            ml.putObject("result").put("success", match).put("email_match", match).put("phone_match", match);
            ObjectNode retain = answer.putObject("retain");
            retain.put("reference", body.at("/retain/reference").asText());
            retain.put("vendor", body.at("/retain/vendor").asText());
            retain.putObject("results").put("expires_at", "2031-11-23T00:00:00.000Z").put("previously_retained", false);
            HttpStubs.respond(ex, 200, answer.toString());
        }
    }

    private void radar(HttpExchange ex) throws IOException {
        RADAR_CALLS.incrementAndGet();
        sleep(radarDelayMs);
        Map<String, String> q = HttpStubs.query(ex.getRequestURI().getRawQuery());
        if (radarStatus != 0) {
            HttpStubs.respond(ex, radarStatus, "{\"meta\":{\"code\":" + radarStatus + ",\"message\":\"Internal server error.\"}}");
        } else if (!RADAR_KEY.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
            HttpStubs.respond(ex, 401, "{\"meta\":{\"code\":401,\"message\":\"Unauthorized.\"}}");
        } else if (!"postalCode".equals(q.get("layers")) || !"US".equals(q.get("country"))) {
            HttpStubs.respond(ex, 400, "{\"meta\":{\"code\":400,\"message\":\"Bad request.\"}}");
        } else {
            ObjectNode answer = JSON.createObjectNode();
            answer.putObject("meta").put("code", 200);
            ArrayNode addresses = answer.putArray("addresses");
            String zip = q.get("query");
            if (ZIPS.containsKey(zip)) {
                addresses.addObject().put("latitude", 37.79).put("longitude", -122.39).put("country", "United States")
                        .put("countryCode", "US").put("countryFlag", "US").put("stateCode", ZIPS.get(zip))
                        .put("postalCode", zip).put("layer", "postalCode").put("formattedAddress", zip + " USA");
            }
            HttpStubs.respond(ex, 200, answer.toString());
        }
    }

    private void registry(HttpExchange ex) throws IOException {
        REGISTRY_CALLS.incrementAndGet();
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        String path = ex.getRequestURI().getPath();
        if (registryDown) {
            HttpStubs.respond(ex, 503, "{\"status\":503}");
        } else if (!HttpStubs.isServiceBearer(auth)) {
            HttpStubs.respond(ex, 401, "{\"status\":401}");
        } else if (path.equals("/internal/buyers/eligible")) {
            String vertical = HttpStubs.query(ex.getRequestURI().getRawQuery()).get("vertical");
            ArrayNode list = JSON.createArrayNode();
            BUYERS.values().stream()
                    .filter(b -> "ACTIVE".equals(BUYER_STATUS.getOrDefault(b.get("id").asText(), "ACTIVE")))
                    .filter(b -> vertical == null || b.get("verticals").toString().contains("\"" + vertical + "\""))
                    .sorted((a, b) -> Long.compare(a.get("registrationSeq").asLong(), b.get("registrationSeq").asLong()))
                    .forEach(list::add);
            // The list as it was when asked, however long the answer takes (counted once it is taken).
            java.util.concurrent.CountDownLatch gate = eligibleGate;
            ELIGIBLE_READS.computeIfAbsent(String.valueOf(vertical), k -> new AtomicInteger()).incrementAndGet();
            if (gate != null) {
                try {
                    gate.await(300, java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            HttpStubs.respond(ex, 200, JSON.createObjectNode().set("buyers", list).toString());
        } else if (path.endsWith("/delivery")) {
            String id = path.split("/")[3];
            if (!BUYERS.containsKey(id)) {
                HttpStubs.respond(ex, 404, "{\"type\":\"urn:nova:problem:not-found\",\"status\":404}");
                return;
            }
            DELIVERY_READS.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            ObjectNode d = JSON.createObjectNode().put("buyerId", id).put("status", BUYER_STATUS.getOrDefault(id, "ACTIVE"))
                    .put("deliveryUrl", BUYER_URL.getOrDefault(id, "http://127.0.0.1:" + port + "/buyer/" + id + "/leads"));
            d.putObject("authConfig").put("type", "bearer").put("token", tokenOf(id));
            HttpStubs.respond(ex, 200, d.toString());
        } else if (path.endsWith("/ping-endpoint")) {
            String id = path.split("/")[3];
            PING_ENDPOINT_READS.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            sleep(PING_ENDPOINT_DELAY_MS.getOrDefault(id, 0));
            ObjectNode b = BUYERS.get(id);
            if (b == null || !b.path("liveBidding").asBoolean() || NO_PING_ENDPOINT.contains(id)) {
                HttpStubs.respond(ex, 404, "{\"type\":\"urn:nova:problem:not-found\",\"status\":404}");
                return;
            }
            ObjectNode d = JSON.createObjectNode().put("buyerId", id).put("status", BUYER_STATUS.getOrDefault(id, "ACTIVE"))
                    .put("pingUrl", "http://127.0.0.1:" + port + "/bidder/" + id);
            d.putObject("authConfig").put("type", "header").put("name", "X-Bid-Key").put("value", "bid-key-" + id);
            if (b.hasNonNull("bidFloor")) {
                d.put("bidFloor", b.get("bidFloor").asText());
            }
            HttpStubs.respond(ex, 200, d.toString());
            PING_ENDPOINT_ANSWERS.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
        } else {
            HttpStubs.respond(ex, 404, "{\"status\":404}");
        }
    }

    private void bidder(HttpExchange ex) throws IOException {
        String id = ex.getRequestURI().getPath().split("/")[2];
        JsonNode body = JSON.readTree(ex.getRequestBody());
        BIDDER_REQUESTS.add(new Post(id, null, ex.getRequestHeaders().getFirst("X-Bid-Key"), body, ex.getRequestHeaders().getFirst("Host")));
        sleep(BIDDER_DELAY_MS.getOrDefault(id, 0));
        if (!("bid-key-" + id).equals(ex.getRequestHeaders().getFirst("X-Bid-Key"))) {
            HttpStubs.respond(ex, 401, "{\"error\":\"bad key\"}");
            return;
        }
        HttpStubs.respond(ex, BIDDER_STATUS.getOrDefault(id, 200), BIDDER_ANSWER.getOrDefault(id, "{\"bid\":null}"));
    }

    /** A buyer that also bids {@code sharedBid} for a lead it shares, with an optional daily cap. */
    public static ObjectNode sharer(String id, long seq, String bid, String sharedBid, Integer dailyCap, String... verticals) {
        ObjectNode b = buyer(id, seq, bid, 0, List.of("CA"), List.of(), dailyCap, null, null, verticals);
        b.put("sharedBidAmount", sharedBid);
        return b;
    }

    /** A buyer that bids live on pings from its own endpoint (its static bid serves direct posts), with an optional floor. */
    public static ObjectNode liveBidder(String id, long seq, String staticBid, String floor, List<String> states, String... verticals) {
        ObjectNode b = buyer(id, seq, staticBid, 0, states, List.of(), null, null, null, verticals);
        b.put("liveBidding", true);
        if (floor != null) {
            b.put("bidFloor", floor);
        }
        return b;
    }

    private static String tokenOf(String buyerId) {
        return BUYER_TOKEN.getOrDefault(buyerId, "buyer-token-" + buyerId);
    }

    public static int eligibleReads(String vertical) {
        AtomicInteger reads = ELIGIBLE_READS.get(vertical);
        return reads == null ? 0 : reads.get();
    }

    public static int pingEndpointAnswers(String buyerId) {
        AtomicInteger answers = PING_ENDPOINT_ANSWERS.get(buyerId);
        return answers == null ? 0 : answers.get();
    }

    public static int pingEndpointReads(String buyerId) {
        AtomicInteger reads = PING_ENDPOINT_READS.get(buyerId);
        return reads == null ? 0 : reads.get();
    }

    public static int deliveryReads(String buyerId) {
        AtomicInteger reads = DELIVERY_READS.get(buyerId);
        return reads == null ? 0 : reads.get();
    }

    private void buyer(HttpExchange ex) throws IOException {
        String id = ex.getRequestURI().getPath().split("/")[2];
        // Received (and recorded) first, then slow to answer: the caller may give up meanwhile.
        JsonNode body = JSON.readTree(ex.getRequestBody());
        String authorization = ex.getRequestHeaders().getFirst("Authorization");
        POSTS.add(new Post(id, ex.getRequestHeaders().getFirst("Idempotency-Key"), authorization, body, ex.getRequestHeaders().getFirst("Host")));
        if (BUYER_CHECKS_TOKEN.contains(id) && !("Bearer " + tokenOf(id)).equals(authorization)) {
            HttpStubs.respond(ex, 401, "{\"error\":\"unknown token\"}");
            return;
        }
        sleep(BUYER_DELAY_MS.getOrDefault(id, 0));
        AtomicInteger trickles = BUYER_TRICKLES.get(id);
        if (trickles != null && trickles.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            trickle(ex);
            return;
        }
        if (BUYER_HUGE_BODY.containsKey(id)) {
            huge(ex, BUYER_HUGE_BODY.get(id));
            return;
        }
        List<Integer> failures = BUYER_FAILURES.get(id);
        Integer status = null;
        if (failures != null) {
            synchronized (failures) {
                if (!failures.isEmpty()) {
                    status = failures.remove(0);
                }
            }
        }
        if (status != null) {
            HttpStubs.respond(ex, status, "{\"error\":\"unavailable\"}");
        } else if (BUYER_ANSWER.containsKey(id)) {
            HttpStubs.respond(ex, 200, BUYER_ANSWER.get(id));
        } else {
            HttpStubs.respond(ex, 200, "{\"accepted\":true,\"leadId\":\"" + body.path("leadId").asText() + "\"}");
        }
    }

    public static ObjectNode buyer(String id, long seq, String bid, int priority, List<String> states, List<String> zipPrefixes,
            Integer dailyCap, Integer monthlyCap, String dailyBudget, String... verticals) {
        ObjectNode b = JSON.createObjectNode();
        b.put("id", id);
        b.put("registrationSeq", seq);
        b.put("registeredAt", "2026-01-01T00:00:00Z");
        b.put("name", "Buyer " + seq);
        ArrayNode v = b.putArray("verticals");
        for (String s : verticals) {
            v.add(s);
        }
        ArrayNode st = b.putArray("states");
        states.forEach(st::add);
        ArrayNode z = b.putArray("zipPrefixes");
        zipPrefixes.forEach(z::add);
        b.put("bidAmount", bid);
        b.put("priority", priority);
        if (dailyCap != null) {
            b.put("dailyCap", dailyCap);
        }
        if (monthlyCap != null) {
            b.put("monthlyCap", monthlyCap);
        }
        if (dailyBudget != null) {
            b.put("dailyBudget", dailyBudget);
        }
        b.put("version", 0);
        BUYERS.put(id, b);
        return b;
    }

    /** A 200 whose body arrives a byte every 200 ms: never idle long enough for an idle timeout. */
    private static void trickle(HttpExchange ex) {
        try {
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            for (int i = 0; i < 40; i++) {
                out.write(' ');
                out.flush();
                sleep(200);
            }
            out.write("{}".getBytes(StandardCharsets.UTF_8));
            out.close();
        } catch (IOException e) {
            TRICKLES_CUT.incrementAndGet();
        } finally {
            ex.close();
        }
    }

    /** A 200 with a body of {@code size} bytes, written as fast as the caller reads it. */
    private static void huge(HttpExchange ex, long size) {
        byte[] chunk = new byte[64 * 1024];
        java.util.Arrays.fill(chunk, (byte) 'x');
        long written = 0;
        try {
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, size);
            OutputStream out = ex.getResponseBody();
            while (written < size) {
                int n = (int) Math.min(chunk.length, size - written);
                out.write(chunk, 0, n);
                written += n;
            }
            out.close();
        } catch (IOException e) {
            // the caller closed the connection: what was written so far is the measure
        } finally {
            HUGE_BODY_WRITTEN.set(written);
            ex.close();
        }
    }

    public static void failBuyer(String id, Integer... statuses) {
        BUYER_FAILURES.put(id, new ArrayList<>(List.of(statuses)));
    }

    private static void sleep(int ms) {
        if (ms > 0) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

}
