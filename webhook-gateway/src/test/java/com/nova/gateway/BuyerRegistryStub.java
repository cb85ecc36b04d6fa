package com.nova.gateway;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A local stand-in for buyer-registry's internal webhook-secrets endpoint, answering as the real
 * one does (200 with the secrets, 404 for an unknown buyer, 401 without a bearer token), and able
 * to be slow or down. Records the Authorization headers it saw.
 */
public class BuyerRegistryStub implements QuarkusTestResourceLifecycleManager {

    static final Map<String, List<String>> SECRETS = new ConcurrentHashMap<>();
    static final List<String> AUTHORIZATIONS = new CopyOnWriteArrayList<>();
    static final AtomicInteger CALLS = new AtomicInteger();
    static volatile boolean down;

    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/internal/buyers/", this::handle);
        server.start();
        return Map.of("quarkus.rest-client.buyer-registry.url", "http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        CALLS.incrementAndGet();
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        AUTHORIZATIONS.add(auth == null ? "" : auth);
        String[] parts = exchange.getRequestURI().getPath().split("/");
        // /internal/buyers/{id}/webhook-secrets
        if (down) {
            respond(exchange, 503, "{\"status\":503}");
        } else if (auth == null || !auth.startsWith("Bearer ") || !hasServiceRole(auth.substring(7))) {
            respond(exchange, 401, "{\"status\":401}");
        } else if (parts.length != 5 || !"webhook-secrets".equals(parts[4]) || !SECRETS.containsKey(parts[3])) {
            respond(exchange, 404, "{\"type\":\"urn:nova:problem:not-found\",\"status\":404}");
        } else {
            StringBuilder json = new StringBuilder("{\"buyerId\":\"" + parts[3] + "\",\"status\":\"ACTIVE\",\"secrets\":[");
            List<String> secrets = SECRETS.get(parts[3]);
            for (int i = 0; i < secrets.size(); i++) {
                json.append(i == 0 ? "" : ",").append("{\"secret\":\"").append(secrets.get(i))
                        .append("\",\"createdAt\":\"2026-01-01T00:00:00Z\",\"expiresAt\":null}");
            }
            respond(exchange, 200, json.append("]}").toString());
        }
    }

    private static boolean hasServiceRole(String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length != 3) {
            return false;
        }
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        return payload.contains("\"groups\":[\"service\"]");
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
