package com.nova.fault;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nova.kit.testing.HttpStubs;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The buyers' delivery endpoint: records every post by its Idempotency-Key (auction-service sends
 * the lead id), which buyer's path it came to and the lead id in its body, and answers 200 as a
 * buyer that deduplicates by that key would, every time.
 */
final class BuyerStub implements AutoCloseable {

    record Delivery(String buyerPath, String bodyLeadId) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    final Map<String, AtomicInteger> postsByKey = new ConcurrentHashMap<>();
    final Map<String, Delivery> firstByKey = new ConcurrentHashMap<>();
    final AtomicInteger withoutKey = new AtomicInteger();

    BuyerStub() {
        server = HttpStubs.start(Executors.newFixedThreadPool(8), Map.of("/buyer/", this::handle));
    }

    String url() {
        return HttpStubs.baseUrl(server);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
        byte[] body = exchange.getRequestBody().readAllBytes();
        if (key == null) {
            withoutKey.incrementAndGet();
        } else {
            String leadId = null;
            try {
                JsonNode json = JSON.readTree(new String(body, StandardCharsets.UTF_8));
                leadId = json.path("leadId").asText(null);
            } catch (IOException ignored) {
                // recorded without a body lead id
            }
            firstByKey.putIfAbsent(key, new Delivery(exchange.getRequestURI().getPath(), leadId));
            postsByKey.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        }
        HttpStubs.respond(exchange, 200, "{\"accepted\":true}");
    }

    @Override
    public void close() {
        HttpStubs.stop(server);
    }
}
