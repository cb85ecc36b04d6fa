package com.nova.fault;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nova.kit.testing.RunningSuite;
import com.nova.kit.testing.TestTokens;

/**
 * The drill's traffic, through the public APIs only: Stripe payment webhooks for the drivers
 * (wallet grants; one in ten delivered again after it was acknowledged, as Stripe sometimes does),
 * redemptions by those funded drivers, publishers' leads against three buyers (sold and delivered
 * to {@link BuyerStub}), and for about a third of the sold leads the buyer's signed
 * {@code lead.returned} (a revenue reversal). New requests arrive at a fixed rate whatever the
 * state of the suite (an open model, as webhooks and clients do); each is retried until
 * acknowledged by {@link Sender}.
 */
final class Load {

    /** A buyer the drill created: its vertical, bid and webhook secret. */
    record Buyer(String id, String vertical, String secret) {
    }

    static final String PUBLISHER = "fault-publisher";
    static final long FUNDING = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Cluster cluster;
    private final Profile profile;
    final Sender sender = new Sender(Duration.ofSeconds(240));
    final Queue<Op> ops = new ConcurrentLinkedQueue<>();
    final List<Buyer> buyers = new ArrayList<>();
    final List<String> drivers = new ArrayList<>();
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private volatile String phase = "setup";
    private ScheduledExecutorService ticker;
    private final ThreadPoolExecutor workers = new ThreadPoolExecutor(160, 160, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
            r -> {
                Thread t = new Thread(r, "fault-sender");
                t.setDaemon(true);
                return t;
            });

    Load(Cluster cluster, Profile profile) {
        this.cluster = cluster;
        this.profile = profile;
        for (int i = 0; i < profile.drivers(); i++) {
            drivers.add("fault-driver-" + i);
        }
    }

    void phase(String name) {
        phase = name;
    }

    String phase() {
        return phase;
    }

    // --- setup, through the same retrying sender

    /** Three buyers of their own verticals in CA, delivering to the stub (before auction-service and the gateway start). */
    void createBuyers(BuyerStub stub) {
        String[][] specs = { { "solar", "21.37" }, { "roofing", "18.05" }, { "home_insurance", "25.50" } };
        for (int i = 0; i < specs.length; i++) {
            String body = """
                    {"name":"Fault buyer %d","verticals":["%s"],"states":["CA"],"bidAmount":"%s","priority":1,
                     "deliveryUrl":"%s/buyer/%d/leads","authConfig":{"type":"bearer","token":"fault-buyer-token-%d"}}"""
                    .formatted(i, specs[i][0], specs[i][1], stub.url(), i, i);
            Op op = new Op(Op.Kind.SETUP, "setup", "buyer-" + i, null, 0);
            sender.send(op, List.of(cluster.buyerRegistryUrl()), "/v1/buyers", Map.of("Authorization", admin()), body,
                    s -> s == 201);
            JsonNode created = json(requireAcknowledged(op));
            buyers.add(new Buyer(created.path("id").asText(), specs[i][0], created.path("webhookSecret").asText()));
        }
    }

    /** Credits every driver {@link #FUNDING} Nova (an admin adjustment under its own Idempotency-Key). */
    void fundDrivers() {
        for (String driver : drivers) {
            Op op = new Op(Op.Kind.SETUP, "setup", "fund-" + driver, driver, FUNDING);
            sender.send(op, cluster.urls("wallet-service"), "/v1/wallets/" + driver + "/adjustments",
                    Map.of("Authorization", admin(), "Idempotency-Key", op.key),
                    "{\"direction\":\"CREDIT\",\"amount\":" + FUNDING + ",\"reason\":\"fault drill funding\"}", s -> s == 201);
            requireAcknowledged(op);
        }
    }

    private static String requireAcknowledged(Op op) {
        if (!op.acknowledged) {
            throw new IllegalStateException("setup request not acknowledged: " + op + " " + op.body);
        }
        return op.body;
    }

    // --- the load

    void start() {
        ticker = Executors.newScheduledThreadPool(1, r -> {
            Thread t = new Thread(r, "fault-ticker");
            t.setDaemon(true);
            return t;
        });
        every(profile.paymentsPerSecond(), this::payment);
        every(profile.redemptionsPerSecond(), this::redemption);
        every(profile.leadsPerSecond(), this::lead);
    }

    private void every(double perSecond, Runnable journey) {
        long period = Math.max(1, Math.round(1_000_000 / perSecond));
        ticker.scheduleAtFixedRate(() -> workers.execute(journey), ThreadLocalRandom.current().nextLong(period), period,
                TimeUnit.MICROSECONDS);
    }

    /** No new requests from now on; those in hand keep retrying until acknowledged or given up. */
    void stop() {
        ticker.shutdownNow();
    }

    /** Waits for every request in hand to be settled; true when all were within the deadline. */
    boolean awaitSettled(Duration within) throws InterruptedException {
        workers.shutdown();
        return workers.awaitTermination(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A captured Stripe payment: the gateway forwards it, the wallet grants floor(amount / 100) Nova. */
    private void payment() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        String id = UUID.randomUUID().toString().replace("-", "");
        String driver = drivers.get(r.nextInt(drivers.size()));
        long amount = 500 + r.nextInt(20_000);
        long now = Instant.now().getEpochSecond();
        String body = """
                {"id":"evt_%s","object":"event","api_version":"2024-06-20","created":%d,"livemode":false,
                 "type":"payment_intent.succeeded","data":{"object":{"id":"pi_%s","object":"payment_intent","amount":%d,
                 "amount_received":%d,"currency":"usd","status":"succeeded",
                 "metadata":{"driver_id":"%s","merchant_id":"fault-merchant-%d"}}}}"""
                .formatted(id, now, id, amount, amount, driver, r.nextInt(5));
        Map<String, String> headers = Map.of("Stripe-Signature", stripeSignature(now, body));
        Op op = record(new Op(Op.Kind.PAYMENT, phase, "pi_" + id, driver, amount));
        sender.send(op, cluster.urls("webhook-gateway"), "/webhooks/stripe", headers, body, s -> s >= 200 && s < 300);
        if (op.acknowledged && r.nextInt(10) == 0) {
            // Stripe delivers an event again now and then, even after a 2xx: the same bytes, the same signature.
            Op again = new Op(Op.Kind.PAYMENT, phase, op.key, driver, amount);
            sender.send(again, cluster.urls("webhook-gateway"), "/webhooks/stripe", headers, body, s -> s >= 200 && s < 300);
        }
    }

    /** A redemption by a funded driver: 201 (applied) and 409 insufficient-balance (stored, refused) are both answers. */
    private void redemption() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        String driver = drivers.get(r.nextInt(drivers.size()));
        long points = 1 + r.nextInt(30);
        Op op = record(new Op(Op.Kind.REDEMPTION, phase, "fault-" + UUID.randomUUID(), driver, points));
        sender.send(op, cluster.urls("wallet-service"), "/v1/wallets/me/redemptions",
                Map.of("Authorization", bearer(driver, "driver"), "Idempotency-Key", op.key),
                "{\"merchantId\":\"fault-merchant-1\",\"amount\":" + points + "}", s -> s == 201 || s == 409);
    }

    /** A publisher's lead for one of the three buyers' verticals; a sold one may be returned by its buyer. */
    private void lead() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        Buyer target = buyers.get(r.nextInt(buyers.size()));
        Op op = record(new Op(Op.Kind.LEAD, phase, "fault-" + UUID.randomUUID(), null, 0));
        sender.send(op, cluster.urls("auction-service"), "/v1/leads",
                Map.of("Authorization", bearer(PUBLISHER, "publisher"), "Idempotency-Key", op.key), leadBody(target.vertical()),
                s -> s >= 200 && s < 300);
        if (!op.acknowledged) {
            return;
        }
        JsonNode answer = json(op.body);
        op.leadId = answer.path("id").asText(null);
        op.leadStatus = answer.path("status").asText(null);
        op.buyerId = answer.path("buyerId").asText(null);
        op.price = answer.path("price").asText(null);
        if ("SOLD".equals(op.leadStatus) && r.nextDouble() < profile.returnShare()) {
            returned(op);
        }
    }

    /** The buyer's signed lead.returned (Standard Webhooks), the same id, timestamp and signature on every retry. */
    private void returned(Op lead) {
        Buyer buyer = buyers.stream().filter(b -> b.id().equals(lead.buyerId)).findFirst().orElse(null);
        if (buyer == null) {
            return;
        }
        String messageId = "msg_" + UUID.randomUUID().toString().replace("-", "");
        long now = Instant.now().getEpochSecond();
        String body = "{\"type\":\"lead.returned\",\"leadId\":\"" + lead.leadId + "\",\"reason\":\"fault drill\"}";
        Op op = record(new Op(Op.Kind.RETURN, phase, messageId, null, 0));
        op.leadId = lead.leadId;
        op.buyerId = buyer.id();
        op.price = lead.price;
        sender.send(op, cluster.urls("webhook-gateway"), "/webhooks/buyers/" + buyer.id(),
                Map.of("webhook-id", messageId, "webhook-timestamp", Long.toString(now), "webhook-signature",
                        standardSignature(buyer.secret(), messageId, now, body)),
                body, s -> s >= 200 && s < 300);
    }

    private Op record(Op op) {
        ops.add(op);
        return op;
    }

    // --- bodies, signatures, tokens

    private static String leadBody(String vertical) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        String[] areaCodes = { "415", "510", "650", "408", "916", "213", "310", "619", "714", "818" };
        String phone = areaCodes[r.nextInt(areaCodes.length)] + (200 + r.nextInt(800)) + String.format("%04d", r.nextInt(10_000));
        String person = Long.toHexString(r.nextLong() & Long.MAX_VALUE);
        String cert = Long.toHexString(r.nextLong() | Long.MIN_VALUE) + Long.toHexString(r.nextLong() | Long.MIN_VALUE);
        return """
                {"vertical":"%s","firstName":"Fault","lastName":"Drill","email":"fault.%s@example.com","phone":"%s",
                 "zip":"94105","state":"CA","trustedFormCertUrl":"https://cert.trustedform.com/%s","consent":true,
                 "comments":"fault drill lead"}""".formatted(vertical, person, phone, cert);
    }

    private static String stripeSignature(long timestamp, String body) {
        return "t=" + timestamp + ",v1=" + HexFormat.of().formatHex(
                hmac(RunningSuite.STRIPE_SECRET.getBytes(StandardCharsets.UTF_8), timestamp + "." + body));
    }

    private static String standardSignature(String secret, String id, long timestamp, String body) {
        byte[] key = Base64.getDecoder().decode(secret.substring(secret.indexOf('_') + 1));
        return "v1," + Base64.getEncoder().encodeToString(hmac(key, id + "." + timestamp + "." + body));
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    String bearer(String subject, String role) {
        return tokens.computeIfAbsent(subject + "|" + role, k -> "Bearer " + TestTokens.token(subject, 4 * 3600, role));
    }

    String admin() {
        return bearer("fault-admin", "admin");
    }

    static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new IllegalStateException("not JSON: " + body, e);
        }
    }
}
