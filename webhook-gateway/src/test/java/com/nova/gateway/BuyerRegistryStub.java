package com.nova.gateway;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.nova.kit.testing.HttpStubs;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A local stand-in for buyer-registry's internal webhook-secrets and buyer-id endpoints, answering
 * as the real ones do (200 with the secrets, 404 for an unknown buyer, 401 without a bearer token), and able
 * to be slow or down. Records the Authorization headers it saw.
 */
public class BuyerRegistryStub implements QuarkusTestResourceLifecycleManager {

    public static final Map<String, List<String>> SECRETS = new ConcurrentHashMap<>();
    public static final List<String> AUTHORIZATIONS = new CopyOnWriteArrayList<>();
    public static final AtomicInteger CALLS = new AtomicInteger();
    public static final AtomicInteger ID_LIST_CALLS = new AtomicInteger();
    public static volatile boolean down;

    private HttpServer server;

    @Override
    public Map<String, String> start() {
        server = HttpStubs.start(Map.of("/internal/buyers/", this::handle));
        return Map.of("quarkus.rest-client.buyer-registry.url", HttpStubs.baseUrl(server));
    }

    private void handle(HttpExchange exchange) throws IOException {
        CALLS.incrementAndGet();
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        AUTHORIZATIONS.add(auth == null ? "" : auth);
        String[] parts = exchange.getRequestURI().getPath().split("/");
        // /internal/buyers/{id}/webhook-secrets
        if (down) {
            HttpStubs.respond(exchange, 503, "{\"status\":503}");
        } else if (!HttpStubs.isServiceBearer(auth)) {
            HttpStubs.respond(exchange, 401, "{\"status\":401}");
        } else if (parts.length == 4 && "ids".equals(parts[3])) {
            // /internal/buyers/ids: every buyer the registry knows
            ID_LIST_CALLS.incrementAndGet();
            StringBuilder json = new StringBuilder("{\"ids\":[");
            int i = 0;
            for (String id : SECRETS.keySet()) {
                json.append(i++ == 0 ? "" : ",").append('"').append(id).append('"');
            }
            HttpStubs.respond(exchange, 200, json.append("]}").toString());
        } else if (parts.length != 5 || !"webhook-secrets".equals(parts[4]) || !SECRETS.containsKey(parts[3])) {
            HttpStubs.respond(exchange, 404, "{\"type\":\"urn:nova:problem:not-found\",\"status\":404}");
        } else {
            StringBuilder json = new StringBuilder("{\"buyerId\":\"" + parts[3] + "\",\"status\":\"ACTIVE\",\"secrets\":[");
            List<String> secrets = SECRETS.get(parts[3]);
            for (int i = 0; i < secrets.size(); i++) {
                json.append(i == 0 ? "" : ",").append("{\"secret\":\"").append(secrets.get(i))
                        .append("\",\"createdAt\":\"2026-01-01T00:00:00Z\",\"expiresAt\":null}");
            }
            HttpStubs.respond(exchange, 200, json.append("]}").toString());
        }
    }

    @Override
    public void stop() {
        HttpStubs.stop(server);
    }
}
