package com.nova.suite;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.nova.kit.testing.RunningSuite;
import com.nova.suite.OtlpReceiver.Span;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * Traces, proven on the packaged services with the OpenTelemetry SDK on, exporting over OTLP/HTTP
 * to a receiver in the test ({@link ProvingGround}): a signed Stripe webhook is one trace from the
 * gateway's request, through the stream entry (whose envelope carries the gateway span's
 * traceparent), into the wallet's grant transaction; a lead is one trace from its intake through
 * the REST call to buyer-registry, the delivery stream, the credentials read from buyer-registry
 * and the post to the buyer's endpoint, which receives the trace context. Every link is checked
 * parent to child, across services; and a consumer's log line about the lead (a failed delivery
 * attempt) names the intake's request id and the trace together.
 */
@Order(ProvingGround.ORDER)
class TraceJourneyTest {

    @RegisterExtension
    static final RunningSuite SUITE = ProvingGround.suite();

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Test
    void aSignedStripeWebhookIsOneTraceFromTheGatewayThroughTheStreamIntoTheGrant() throws Exception {
        String driver = "driver-trace-" + UUID.randomUUID().toString().substring(0, 8);
        String requestId = "trace-stripe-" + UUID.randomUUID();
        String event = "evt_trace_" + UUID.randomUUID().toString().replace("-", "");
        long t = Instant.now().getEpochSecond();
        String body = """
                {"id":"%s","object":"event","type":"payment_intent.succeeded","created":%d,
                 "data":{"object":{"id":"pi_trace_%s","object":"payment_intent","amount":4250,"amount_received":4250,"currency":"usd",
                 "status":"succeeded","metadata":{"driver_id":"%s","merchant_id":"merchant-trace"}}}}
                """.formatted(event, t, UUID.randomUUID().toString().replace("-", ""), driver);
        given().baseUri(RunningSuite.url("webhook-gateway")).contentType(ContentType.JSON).header("X-Request-ID", requestId)
                .header("Stripe-Signature", stripeSignature(body, t)).body(body).post("/webhooks/stripe").then().statusCode(200)
                .body("status", equalTo("forwarded"));
        String token = ProvingGround.IDP.bearer(driver, "driver");
        Awaitility.await().atMost(PATIENCE).until(() -> given().baseUri(RunningSuite.url("wallet-service"))
                .header("Authorization", token).get("/v1/wallets/me").then().statusCode(200).extract().jsonPath()
                .getLong("balance") == 42);

        // The entry on wallet.events: the envelope carries the webhook's request id and the gateway's trace context.
        JsonPath envelope = Awaitility.await().atMost(PATIENCE).until(() -> streamEnvelope("wallet.events", driver),
                Objects::nonNull);
        assertEquals(requestId, envelope.getString("requestId"));
        String[] traceparent = envelope.getString("traceparent").split("-");
        assertEquals(4, traceparent.length, envelope.prettify());
        String traceId = traceparent[1];

        // Every span of the journey arrives at the collector in that one trace.
        Span grant = awaitSpan(traceId, s -> s.service().equals("wallet-service") && s.name().equals("GrantService.apply"));
        Span update = awaitSpan(traceId, s -> s.service().equals("wallet-service") && s.name().equals("UPDATE driver_wallets"));
        awaitSpan(traceId, s -> s.service().equals("wallet-service") && s.name().equals("INSERT ledger_entry"));
        List<Span> trace = ProvingGround.OTLP.trace(traceId);
        Span server = only(trace, s -> s.service().equals("webhook-gateway") && s.kind() == OtlpReceiver.SERVER);
        assertEquals("/webhooks/stripe", server.attribute("http.route"), server.toString());
        assertEquals("200", server.attribute("http.response.status_code"), server.toString());
        assertEquals("", server.parentSpanId(), "the webhook's request starts the trace: " + server);
        // The span that published the entry is the gateway's, under its request span.
        Span publisher = only(trace, s -> s.spanId().equals(traceparent[2]));
        assertEquals("webhook-gateway", publisher.service());
        assertTrue(descendsFrom(trace, publisher, server), publisher + " is not under " + server);
        // The wallet consumed that entry (a span per attempt, one unless an attempt failed) as a child of the
        // publishing span, and granted inside it.
        List<Span> consumes = trace.stream().filter(s -> s.service().equals("wallet-service") && s.kind() == OtlpReceiver.CONSUMER).toList();
        assertFalse(consumes.isEmpty(), "no consumer span in " + trace);
        for (Span consume : consumes) {
            assertEquals("consume wallet.events", consume.name());
            assertEquals(publisher.spanId(), consume.parentSpanId(), consume.toString());
            assertEquals(envelope.getString("id"), consume.attribute("messaging.message.id"));
        }
        Span consume = only(consumes, s -> s.spanId().equals(grant.parentSpanId()));
        // The grant transaction's statements (balance and ledger) are the grant span's children.
        assertEquals(grant.spanId(), update.parentSpanId(), update.toString());
        for (Span s : trace) {
            if (s.service().equals("wallet-service") && s.name().startsWith("INSERT ledger_")) {
                assertEquals(grant.spanId(), s.parentSpanId(), s.toString());
            }
        }
        assertTrue(ProvingGround.OTLP.failures().isEmpty(), ProvingGround.OTLP.failures().toString());
    }

    @Test
    void aLeadIsOneTraceFromIntakeThroughBuyerRegistryToTheBuyersEndpointAndItsLogsNameRequestAndTrace() throws Exception {
        String buyerName = "trace-roofer";
        ProvingGround.createBuyer(buyerName, "roofing", "CA", "20.00", "trace-buyer-token-0123456789");
        // The buyer's first post fails: the delivery is tried again, and the failed attempt is logged.
        ProvingGround.BUYERS.failNext(buyerName, 1, 503);
        String publisher = ProvingGround.IDP.bearer("trace-publisher", "publisher");
        // The buyer list is cached and dropped on buyers.events: wait for a lead to sell (each try a request of its own).
        String[] sold = Awaitility.await().atMost(PATIENCE).until(() -> {
            String attempt = "trace-lead-" + UUID.randomUUID();
            var r = given().baseUri(RunningSuite.url("auction-service")).header("Authorization", publisher)
                    .header("X-Request-ID", attempt).header("Idempotency-Key", "trace-" + System.nanoTime())
                    .contentType(ContentType.JSON).body(ProvingGround.lead("roofing")).post("/v1/leads");
            return r.statusCode() == 201 && "SOLD".equals(r.jsonPath().getString("status"))
                    ? new String[] { r.jsonPath().getString("id"), attempt } : null;
        }, Objects::nonNull);
        String lead = sold[0];
        String requestId = sold[1];
        Awaitility.await().atMost(PATIENCE).until(() -> "DELIVERED".equals(given().baseUri(RunningSuite.url("auction-service"))
                .header("Authorization", publisher).get("/v1/leads/" + lead).jsonPath().getString("delivery")));

        // The buyer received the trace context with both posts (the failed one and the retry).
        List<BuyerEndpoint.Delivery> posts = ProvingGround.BUYERS.deliveries(buyerName).stream()
                .filter(d -> lead.equals(d.idempotencyKey())).toList();
        assertTrue(posts.size() >= 2 && posts.get(0).answered() == 503 && posts.get(posts.size() - 1).answered() == 200,
                "the failed post, then the one delivered: " + posts);
        String traceId = posts.get(0).traceparent().split("-")[1];
        for (BuyerEndpoint.Delivery post : posts) {
            assertEquals(traceId, post.traceparent().split("-")[1], "one trace for every attempt: " + post.traceparent());
        }

        // Intake: the request span, the lead decision, the call for eligible buyers answered by buyer-registry in the same trace.
        Span intake = awaitSpan(traceId, s -> s.service().equals("auction-service") && s.kind() == OtlpReceiver.SERVER
                && "/v1/leads".equals(s.attribute("http.route")));
        assertEquals("", intake.parentSpanId(), "the lead's request starts the trace: " + intake);
        Span eligibleServer = awaitSpan(traceId, s -> s.service().equals("buyer-registry") && s.kind() == OtlpReceiver.SERVER
                && "/internal/buyers/eligible".equals(s.attribute("http.route")));
        // Delivery: a consumer span per attempt, each asking buyer-registry for the credentials, then posting to the buyer.
        String postPath = "/buyers/" + buyerName + "/leads";
        for (BuyerEndpoint.Delivery post : posts) {
            awaitSpan(traceId, s -> s.spanId().equals(post.traceparent().split("-")[2]));
        }
        awaitSpan(traceId, s -> s.service().equals("buyer-registry") && s.kind() == OtlpReceiver.SERVER
                && String.valueOf(s.attribute("http.route")).endsWith("/delivery"));
        List<Span> trace = ProvingGround.OTLP.trace(traceId);

        Span eligibleCall = only(trace, s -> s.spanId().equals(eligibleServer.parentSpanId()));
        assertEquals("auction-service", eligibleCall.service());
        assertEquals(OtlpReceiver.CLIENT, eligibleCall.kind(), eligibleCall.toString());
        assertTrue(descendsFrom(trace, eligibleCall, intake), eligibleCall + " is not under " + intake);

        List<Span> consumes = trace.stream().filter(s -> s.service().equals("auction-service") && s.kind() == OtlpReceiver.CONSUMER
                && s.name().equals("consume auction.deliveries")).toList();
        assertTrue(consumes.size() >= posts.size(), "a consumer span per attempt: " + consumes);
        for (Span consume : consumes) {
            Span producer = only(trace, s -> s.spanId().equals(consume.parentSpanId()));
            assertTrue(descendsFrom(trace, producer, intake), "the delivery entry was written under the intake: " + producer);
        }
        for (BuyerEndpoint.Delivery post : posts) {
            // The traceparent the buyer got names auction-service's client span of that very post, under a consumer span.
            Span client = only(trace, s -> s.spanId().equals(post.traceparent().split("-")[2]));
            assertEquals("auction-service", client.service());
            assertEquals(OtlpReceiver.CLIENT, client.kind(), client.toString());
            assertTrue(String.valueOf(client.attribute("url.full")).endsWith(postPath), client.toString());
            assertEquals(Integer.toString(post.answered()), client.attribute("http.response.status_code"), client.toString());
            Span consume = only(consumes, s -> s.spanId().equals(client.parentSpanId()));
            // In the same attempt, before the post: the credentials from buyer-registry, answered in the same trace.
            Span credentials = only(trace, s -> s.service().equals("auction-service") && s.kind() == OtlpReceiver.CLIENT
                    && s.parentSpanId().equals(consume.spanId()) && String.valueOf(s.attribute("url.full")).endsWith("/delivery"));
            assertTrue(trace.stream().anyMatch(s -> s.service().equals("buyer-registry") && s.kind() == OtlpReceiver.SERVER
                    && s.parentSpanId().equals(credentials.spanId())), "buyer-registry answered " + credentials + " in the trace");
        }

        // The consumer's line about the failed attempt names the intake's request id and the lead's trace (JSON logs, mdc).
        JsonPath line = Awaitility.await().atMost(PATIENCE).until(() -> logLine("auction-service",
                l -> String.valueOf(l.getString("message")).contains("auction.deliveries/auction-delivery")
                        && String.valueOf(l.getString("message")).contains("failed")
                        && requestId.equals(l.getString("mdc.requestId"))), Optional::isPresent).get();
        assertEquals(traceId, line.getString("mdc.traceId"), line.prettify());
        assertTrue(consumes.stream().anyMatch(c -> c.spanId().equals(line.getString("mdc.spanId"))),
                "the line names the failed attempt's span: " + line.prettify());
        // And no line of the run names this request id with another trace.
        for (String service : List.of("auction-service", "buyer-registry")) {
            for (JsonPath l : logLines(service, l -> requestId.equals(l.getString("mdc.requestId")) && l.getString("mdc.traceId") != null)) {
                assertEquals(traceId, l.getString("mdc.traceId"), service + ": " + l.prettify());
            }
        }
        assertTrue(ProvingGround.OTLP.failures().isEmpty(), ProvingGround.OTLP.failures().toString());
    }

    private static String stripeSignature(String body, long t) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(RunningSuite.STRIPE_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "t=" + t + ",v1=" + HexFormat.of().formatHex(mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8)));
    }

    private static Span awaitSpan(String traceId, Predicate<Span> test) {
        return Awaitility.await().atMost(PATIENCE).until(() -> ProvingGround.OTLP.trace(traceId).stream().filter(test).findFirst(),
                Optional::isPresent).get();
    }

    private static Span only(List<Span> spans, Predicate<Span> test) {
        List<Span> found = spans.stream().filter(test).toList();
        assertEquals(1, found.size(), "expected exactly one such span among " + spans.size() + ": " + found + "\n"
                + String.join("\n", spans.stream().map(Span::toString).toList()));
        return found.get(0);
    }

    /** Whether {@code span} is {@code ancestor} or below it, following parent ids within the trace. */
    private static boolean descendsFrom(List<Span> trace, Span span, Span ancestor) {
        Span at = span;
        for (int hops = 0; at != null && hops < 64; hops++) {
            if (at.spanId().equals(ancestor.spanId())) {
                return true;
            }
            String parent = at.parentSpanId();
            at = trace.stream().filter(s -> s.spanId().equals(parent)).findFirst().orElse(null);
        }
        return false;
    }

    /** The envelope on {@code stream} whose subject is {@code subject}, or null (redis-cli, the suite's Redis database). */
    private static JsonPath streamEnvelope(String stream, String subject) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("redis-cli", "-n", Integer.toString(RunningSuite.REDIS_DB), "--raw", "XRANGE", stream, "-", "+")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        for (String line : out.split("\n")) {
            if (line.startsWith("{") && line.contains("\"subject\":\"" + subject + "\"")) {
                return JsonPath.from(line);
            }
        }
        return null;
    }

    private static Optional<JsonPath> logLine(String service, Predicate<JsonPath> test) throws IOException {
        return logLines(service, test).stream().findFirst();
    }

    /** The JSON records of a service's log (this configuration's processes) that pass {@code test}. */
    private static List<JsonPath> logLines(String service, Predicate<JsonPath> test) throws IOException {
        return Files.readAllLines(RunningSuite.log(service)).stream().filter(l -> l.startsWith("{")).map(l -> {
            try {
                return JsonPath.from(l);
            } catch (RuntimeException notJson) {
                return null;
            }
        }).filter(Objects::nonNull).filter(l -> l.get("mdc") instanceof Map && test.test(l)).toList();
    }
}
