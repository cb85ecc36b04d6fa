package com.nova.suite;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

import com.nova.kit.testing.HttpStubs;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An OpenTelemetry collector stand-in: an OTLP/HTTP receiver ({@code POST /v1/traces},
 * {@code application/x-protobuf}, gzip or not) that keeps every span the services export. The
 * protobuf of {@code ExportTraceServiceRequest} is read here with the few fields a test asserts on
 * (resource {@code service.name}; span trace id, span id, parent span id, name, kind, attributes,
 * status), so the module needs no generated OTLP classes. Other signals (metrics, logs) are
 * accepted and dropped.
 */
final class OtlpReceiver {

    /** Span kinds as OTLP numbers them. */
    static final int INTERNAL = 1, SERVER = 2, CLIENT = 3, PRODUCER = 4, CONSUMER = 5;

    /** One exported span; ids are lower-case hex, {@code parentSpanId} empty for a root. */
    record Span(String service, String traceId, String spanId, String parentSpanId, String name, int kind,
            Map<String, String> attributes, int statusCode) {

        String attribute(String key) {
            return attributes.get(key);
        }

        @Override
        public String toString() {
            return service + " " + kindName(kind) + " \"" + name + "\" " + spanId + " <- " + (parentSpanId.isEmpty() ? "root" : parentSpanId)
                    + " " + attributes;
        }

        private static String kindName(int kind) {
            return switch (kind) {
                case SERVER -> "SERVER";
                case CLIENT -> "CLIENT";
                case PRODUCER -> "PRODUCER";
                case CONSUMER -> "CONSUMER";
                default -> "INTERNAL";
            };
        }
    }

    private final List<Span> spans = new CopyOnWriteArrayList<>();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    OtlpReceiver() {
        server = HttpStubs.start(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "otlp-receiver");
            t.setDaemon(true);
            return t;
        }), Map.of("/", this::receive));
    }

    /** The base URL to give exporters ({@code OTEL_EXPORTER_OTLP_ENDPOINT}); they post to {@code /v1/traces} under it. */
    String endpoint() {
        return HttpStubs.baseUrl(server);
    }

    List<Span> spans() {
        return List.copyOf(spans);
    }

    /** Requests that could not be read; a test fails on them rather than on missing spans. */
    List<String> failures() {
        return List.copyOf(failures);
    }

    List<Span> trace(String traceId) {
        return spans.stream().filter(s -> s.traceId().equals(traceId)).toList();
    }

    Optional<Span> find(Predicate<Span> test) {
        return spans.stream().filter(test).findFirst();
    }

    private void receive(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))
                    ? new GZIPInputStream(exchange.getRequestBody()) : exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            if (exchange.getRequestURI().getPath().endsWith("/v1/traces")) {
                try {
                    spans.addAll(decode(body));
                } catch (RuntimeException e) {
                    // Kept for a look with protoc --decode_raw: target/otlp-undecodable-N.bin.
                    failures.add(exchange.getRequestURI() + ": " + e + " headers " + exchange.getRequestHeaders().entrySet());
                    java.nio.file.Files.write(java.nio.file.Path.of("target/otlp-undecodable-" + failures.size() + ".bin"), body);
                }
            }
            // An empty ExportTraceServiceResponse: everything accepted.
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
            try (OutputStream out = exchange.getResponseBody()) {
                out.flush();
            }
        }
    }

    /** ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; } */
    static List<Span> decode(byte[] request) {
        List<Span> out = new ArrayList<>();
        Proto r = new Proto(request, 0, request.length);
        while (r.more()) {
            int tag = r.tag();
            if (tag >>> 3 == 1) {
                resourceSpans(r.message(), out);
            } else {
                r.skip(tag);
            }
        }
        return out;
    }

    /** ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; } */
    private static void resourceSpans(Proto r, List<Span> out) {
        String service = "";
        List<Proto> scopes = new ArrayList<>();
        while (r.more()) {
            int tag = r.tag();
            switch (tag >>> 3) {
                case 1 -> service = resource(r.message()).getOrDefault("service.name", "");
                case 2 -> scopes.add(r.message());
                default -> r.skip(tag);
            }
        }
        for (Proto scope : scopes) {
            // ScopeSpans { InstrumentationScope scope = 1; repeated Span spans = 2; }
            while (scope.more()) {
                int tag = scope.tag();
                if (tag >>> 3 == 2) {
                    out.add(span(service, scope.message()));
                } else {
                    scope.skip(tag);
                }
            }
        }
    }

    /** Resource { repeated KeyValue attributes = 1; } */
    private static Map<String, String> resource(Proto r) {
        Map<String, String> attributes = new LinkedHashMap<>();
        while (r.more()) {
            int tag = r.tag();
            if (tag >>> 3 == 1) {
                keyValue(r.message(), attributes);
            } else {
                r.skip(tag);
            }
        }
        return attributes;
    }

    /**
     * Span { bytes trace_id = 1; bytes span_id = 2; string trace_state = 3; bytes parent_span_id = 4;
     * string name = 5; SpanKind kind = 6; ...; repeated KeyValue attributes = 9; ...; Status status = 15; }
     */
    private static Span span(String service, Proto r) {
        String traceId = "", spanId = "", parent = "", name = "";
        int kind = 0, status = 0;
        Map<String, String> attributes = new LinkedHashMap<>();
        while (r.more()) {
            int tag = r.tag();
            switch (tag >>> 3) {
                case 1 -> traceId = HexFormat.of().formatHex(r.bytes());
                case 2 -> spanId = HexFormat.of().formatHex(r.bytes());
                case 4 -> parent = HexFormat.of().formatHex(r.bytes());
                case 5 -> name = r.string();
                case 6 -> kind = (int) r.varint();
                case 9 -> keyValue(r.message(), attributes);
                case 15 -> status = statusCode(r.message());
                default -> r.skip(tag);
            }
        }
        return new Span(service, traceId, spanId, parent, name, kind, Map.copyOf(attributes), status);
    }

    /** Status { string message = 2; StatusCode code = 3; } */
    private static int statusCode(Proto r) {
        int code = 0;
        while (r.more()) {
            int tag = r.tag();
            if (tag >>> 3 == 3) {
                code = (int) r.varint();
            } else {
                r.skip(tag);
            }
        }
        return code;
    }

    /** KeyValue { string key = 1; AnyValue value = 2; }, the value as text. */
    private static void keyValue(Proto r, Map<String, String> into) {
        String key = null, value = "";
        while (r.more()) {
            int tag = r.tag();
            switch (tag >>> 3) {
                case 1 -> key = r.string();
                case 2 -> value = anyValue(r.message());
                default -> r.skip(tag);
            }
        }
        if (key != null) {
            into.put(key, value);
        }
    }

    /** AnyValue { oneof: string_value = 1; bool_value = 2; int_value = 3; double_value = 4; ... } */
    private static String anyValue(Proto r) {
        String value = "";
        while (r.more()) {
            int tag = r.tag();
            switch (tag >>> 3) {
                case 1 -> value = r.string();
                case 2 -> value = Boolean.toString(r.varint() != 0);
                case 3 -> value = Long.toString(r.varint());
                case 4 -> value = Double.toString(Double.longBitsToDouble(r.fixed64()));
                default -> {
                    r.skip(tag);
                    value = "<complex>";
                }
            }
        }
        return value;
    }

    /** The protobuf wire format, the part OTLP uses. */
    private static final class Proto {
        private final byte[] b;
        private int pos;
        private final int end;

        Proto(byte[] b, int from, int to) {
            this.b = b;
            this.pos = from;
            this.end = to;
        }

        boolean more() {
            return pos < end;
        }

        int tag() {
            return (int) varint();
        }

        long varint() {
            long result = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= end) {
                    throw new IllegalArgumentException("truncated varint");
                }
                byte x = b[pos++];
                result |= (long) (x & 0x7f) << shift;
                if ((x & 0x80) == 0) {
                    return result;
                }
            }
            throw new IllegalArgumentException("malformed varint");
        }

        long fixed64() {
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v |= (long) (b[pos + i] & 0xff) << (8 * i);
            }
            pos += 8;
            return v;
        }

        private int length() {
            long len = varint();
            if (len < 0 || pos + len > end) {
                throw new IllegalArgumentException("length past the end");
            }
            return (int) len;
        }

        byte[] bytes() {
            int len = length();
            byte[] out = java.util.Arrays.copyOfRange(b, pos, pos + len);
            pos += len;
            return out;
        }

        String string() {
            return new String(bytes(), StandardCharsets.UTF_8);
        }

        Proto message() {
            int len = length();
            Proto sub = new Proto(b, pos, pos + len);
            pos += len;
            return sub;
        }

        void skip(int tag) {
            switch (tag & 7) {
                case 0 -> varint();
                case 1 -> pos += 8;
                case 2 -> {
                    int len = length(); // not pos += length(): that would add to pos as it was before the length was read
                    pos += len;
                }
                case 5 -> pos += 4;
                default -> throw new IllegalArgumentException("unsupported wire type " + (tag & 7));
            }
        }
    }
}
