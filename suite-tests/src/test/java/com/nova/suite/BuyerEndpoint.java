package com.nova.suite;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.nova.kit.testing.HttpStubs;
import com.sun.net.httpserver.HttpServer;

/**
 * Buyers' delivery endpoints ({@code POST /buyers/<name>/leads}): each post is kept with the
 * headers a test asserts on (the credentials buyer-registry decrypted, the trace context, the
 * idempotency key). A buyer may be told to answer its next posts with an error.
 */
final class BuyerEndpoint {

    record Delivery(long atMillis, String buyer, String authorization, String traceparent, String idempotencyKey, String body,
            int answered) {
    }

    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();
    private final Map<String, Integer> failureStatus = new ConcurrentHashMap<>();
    private final HttpServer server;

    BuyerEndpoint() {
        server = HttpStubs.start(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "buyer-endpoint");
            t.setDaemon(true);
            return t;
        }), Map.of("/buyers/", exchange -> {
            String[] path = exchange.getRequestURI().getPath().split("/");
            String buyer = path.length > 2 ? path[2] : "";
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            AtomicInteger left = failuresLeft.get(buyer);
            int status = left != null && left.getAndDecrement() > 0 ? failureStatus.get(buyer) : 200;
            deliveries.add(new Delivery(System.currentTimeMillis(), buyer, exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("traceparent"), exchange.getRequestHeaders().getFirst("Idempotency-Key"),
                    body, status));
            HttpStubs.respond(exchange, status, status == 200 ? "{\"accepted\":true}" : "{\"error\":\"try later\"}");
        }));
    }

    /** The delivery URL of a buyer named {@code name}. */
    String url(String name) {
        return HttpStubs.baseUrl(server) + "/buyers/" + name + "/leads";
    }

    /** The buyer's next {@code times} posts are answered {@code status}. */
    void failNext(String name, int times, int status) {
        failureStatus.put(name, status);
        failuresLeft.put(name, new AtomicInteger(times));
    }

    List<Delivery> deliveries(String name) {
        return deliveries.stream().filter(d -> d.buyer().equals(name)).toList();
    }
}
