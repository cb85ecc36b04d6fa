package com.nova.kit.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

/**
 * The one way tests stand in for peers and third parties over HTTP: a JDK HttpServer on the
 * loopback address and a free port ({@link #start}), JSON answers ({@link #respond}), query strings
 * ({@link #query}) and the service-token check of peers' internal endpoints ({@link #isServiceBearer}).
 */
public final class HttpStubs {

    private HttpStubs() {
    }

    /** A started server on 127.0.0.1 and a free port, answering each path prefix with its handler on the server's own thread. */
    public static HttpServer start(Map<String, HttpHandler> contexts) {
        return start(null, contexts);
    }

    /** As {@link #start(Map)}, the handlers running on {@code executor} (null: the server's own thread). */
    public static HttpServer start(Executor executor, Map<String, HttpHandler> contexts) {
        // Headers and body leave in two writes; with Nagle's algorithm and the client's delayed ACK every
        // keep-alive answer would wait ~40 ms (JDK-6968351), slower than the API a stub stands in for.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot open a stub server on 127.0.0.1", e);
        }
        server.setExecutor(executor);
        contexts.forEach(server::createContext);
        server.start();
        return server;
    }

    /** {@code http://127.0.0.1:PORT} of a server from {@link #start}. */
    public static String baseUrl(HttpServer server) {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Stops a server from {@link #start} at once; null (never started) is fine. */
    public static void stop(HttpServer server) {
        if (server != null) {
            server.stop(0);
        }
    }

    /**
     * The decoded parameters of a raw query string ({@code null}: none). A name given twice keeps
     * its last value; a part without a name or without {@code =} is ignored.
     */
    public static Map<String, String> query(String rawQuery) {
        Map<String, String> parameters = new HashMap<>();
        if (rawQuery == null) {
            return parameters;
        }
        for (String parameter : rawQuery.split("&")) {
            int equals = parameter.indexOf('=');
            if (equals <= 0) {
                continue;
            }
            String name = URLDecoder.decode(parameter.substring(0, equals), StandardCharsets.UTF_8);
            parameters.put(name, URLDecoder.decode(parameter.substring(equals + 1), StandardCharsets.UTF_8));
        }
        return parameters;
    }

    /** Whether the Authorization header carries a service token (the {@code service} group), as peers' internal endpoints demand. */
    public static boolean isServiceBearer(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return false;
        }
        String[] parts = authorization.substring("Bearer ".length()).split("\\.");
        if (parts.length != 3) {
            return false;
        }
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        return payload.contains("\"groups\":[\"service\"]");
    }

    /** Answers with a JSON body. */
    public static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
