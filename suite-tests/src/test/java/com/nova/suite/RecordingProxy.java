package com.nova.suite;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.nova.kit.testing.HttpStubs;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * What a Kubernetes Service is to its callers: one stable address in front of a service whose
 * instances come and go ({@code RunningSuite.rollOut}), each request going to the instance the
 * target names at that moment. It also records every call as it passed on the wire: method, path,
 * status, and the {@code kid} and {@code sub} of the bearer token it carried, so a test can say
 * which key signed the calls a peer made and what they were answered. A GET whose connection
 * breaks (the old instance stopping) is tried once more on the current instance, as a client
 * retrying an idempotent request would; other failures answer 502.
 */
final class RecordingProxy {

    /** One call; {@code kid}/{@code subject} null without a bearer token. */
    record Call(long atMillis, String method, String path, int status, String kid, String subject) {
    }

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "expect", "host", "upgrade",
            "keep-alive", "transfer-encoding", "te", "trailer", "proxy-authorization", "proxy-connection");
    private static final Pattern KID = Pattern.compile("\"kid\"\\s*:\\s*\"([^\"]*)\"");
    private static final Pattern SUB = Pattern.compile("\"sub\"\\s*:\\s*\"([^\"]*)\"");

    private final Supplier<String> target;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    RecordingProxy(Supplier<String> target) {
        this.target = target;
        this.server = HttpStubs.start(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "recording-proxy");
            t.setDaemon(true);
            return t;
        }), Map.of("/", this::forward));
    }

    String url() {
        return HttpStubs.baseUrl(server);
    }

    List<Call> calls() {
        return List.copyOf(calls);
    }

    private void forward(HttpExchange exchange) {
        try {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String method = exchange.getRequestMethod();
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            HttpResponse<byte[]> response;
            try {
                response = send(exchange, method, body);
            } catch (IOException broken) {
                if (!method.equals("GET")) {
                    throw broken;
                }
                response = send(exchange, method, body);
            }
            calls.add(new Call(System.currentTimeMillis(), method, exchange.getRequestURI().getPath(), response.statusCode(),
                    claim(authorization, 0, KID), claim(authorization, 1, SUB)));
            response.headers().map().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            byte[] answer = response.body();
            exchange.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        } catch (IOException e) {
            calls.add(new Call(System.currentTimeMillis(), exchange.getRequestMethod(), exchange.getRequestURI().getPath(), 502,
                    null, null));
            try {
                exchange.sendResponseHeaders(502, -1);
            } catch (IOException ignored) {
                // the caller is gone too
            }
        } finally {
            exchange.close();
        }
    }

    private HttpResponse<byte[]> send(HttpExchange exchange, String method, byte[] body) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target.get() + exchange.getRequestURI()))
                .timeout(Duration.ofSeconds(10))
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(v -> request.header(name, v));
            }
        });
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** A claim of the JWT's header (part 0) or payload (part 1), read without verifying: the proxy only watches. */
    static String claim(String authorization, int part, Pattern claim) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return null;
        }
        String[] parts = authorization.substring("Bearer ".length()).split("\\.");
        if (parts.length != 3) {
            return null;
        }
        try {
            Matcher m = claim.matcher(new String(Base64.getUrlDecoder().decode(parts[part]), StandardCharsets.UTF_8));
            return m.find() ? m.group(1) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
