package com.nova.load;

import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.http.HttpProtocolBuilder;

/**
 * One request each, as the real senders make them; simulations compose these. Retries behave like
 * the senders': a duplicate is the same body with the same signature (Stripe redelivering), a client
 * retry repeats its Idempotency-Key.
 */
final class Journeys {

    private Journeys() {
    }

    static HttpProtocolBuilder protocol(String baseUrl) {
        // One connection pool for all virtual users, as clients behind an ingress share keep-alive connections.
        // No warm-up request: Gatling's default one goes to https://gatling.io, and load stays on the target.
        return http.baseUrl(baseUrl).disableWarmUp().shareConnections().acceptHeader("application/json")
                .contentTypeHeader("application/json").userAgentHeader("nova-load-tests");
    }

    // --- webhook-gateway

    /** A captured Stripe payment; about one in five is delivered twice, as Stripe redelivers. */
    static ChainBuilder stripePayment(int drivers, int merchants) {
        String secret = LoadSettings.secret("STRIPE_WEBHOOK_SECRET");
        return exec(session -> {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            long now = Instant.now().getEpochSecond();
            String id = UUID.randomUUID().toString().replace("-", "");
            long amount = 500 + r.nextInt(20_000);
            String body = """
                    {"id":"evt_%s","object":"event","api_version":"2024-06-20","created":%d,"livemode":false,
                     "type":"payment_intent.succeeded","data":{"object":{"id":"pi_%s","object":"payment_intent","amount":%d,
                     "amount_received":%d,"currency":"usd","status":"succeeded",
                     "metadata":{"driver_id":"load-driver-%d","merchant_id":"load-merchant-%d"}}}}"""
                    .formatted(id, now, id, amount, amount, r.nextInt(drivers), r.nextInt(merchants));
            return session.set("body", body).set("signature", Signed.stripe(secret, now, body))
                    .set("twice", r.nextInt(5) == 0);
        }).exec(stripeDelivery("stripe payment")).doIf("#{twice}").then(exec(stripeDelivery("stripe redelivery")));
    }

    private static io.gatling.javaapi.http.HttpRequestActionBuilder stripeDelivery(String name) {
        return http(name).post("/webhooks/stripe").header("Stripe-Signature", "#{signature}").body(StringBody("#{body}"))
                .check(status().is(200));
    }

    /** A completed Square payment (driver in reference_id), signed over the notification URL and body. */
    static ChainBuilder squarePayment(int drivers, int merchants) {
        String key = LoadSettings.secret("SQUARE_WEBHOOK_SIGNATURE_KEY");
        String url = LoadSettings.secret("SQUARE_WEBHOOK_NOTIFICATION_URL");
        return exec(session -> {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            String id = "sq" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
            String body = """
                    {"merchant_id":"load-merchant-%d","type":"payment.updated","event_id":"%s","created_at":"%s",
                     "data":{"type":"payment","id":"%s","object":{"payment":{"id":"%s","status":"COMPLETED",
                     "reference_id":"load-driver-%d","location_id":"L1","amount_money":{"amount":%d,"currency":"USD"}}}}}"""
                    .formatted(r.nextInt(merchants), UUID.randomUUID(), Instant.now(), id, id, r.nextInt(drivers),
                            500 + r.nextInt(20_000));
            return session.set("body", body).set("signature", Signed.square(key, url, body));
        }).exec(http("square payment").post("/webhooks/square").header("x-square-hmacsha256-signature", "#{signature}")
                .body(StringBody("#{body}")).check(status().is(200)));
    }

    /** A partner's purchase event, authenticated by the shared secret. */
    static ChainBuilder partnerPurchase(int drivers, int merchants) {
        String secret = Signed.first(LoadSettings.secret("PURCHASE_WEBHOOK_SECRET"));
        return exec(session -> {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            String body = """
                    {"type":"purchase.completed","event_id":"%s","ts":%d,"transaction_id":"tx-%s","driver_id":"load-driver-%d",
                     "merchant_id":"load-merchant-%d","amount_cents":%d,"currency":"USD"}"""
                    .formatted(UUID.randomUUID(), Instant.now().getEpochSecond(), UUID.randomUUID(), r.nextInt(drivers),
                            r.nextInt(merchants), 500 + r.nextInt(20_000));
            return session.set("body", body);
        }).exec(http("partner purchase").post("/webhooks/purchases").header("X-Webhook-Secret", secret)
                .body(StringBody("#{body}")).check(status().is(200)));
    }

    /** A buyer's outcome for one of the leads sold to it, signed the Standard Webhooks way. */
    static ChainBuilder buyerOutcome(Seed.OutcomeBuyer buyer) {
        List<String> types = List.of("lead.accepted", "lead.accepted", "lead.converted", "lead.rejected");
        return exec(session -> {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            String body = "{\"type\":\"" + types.get(r.nextInt(types.size())) + "\",\"leadId\":\""
                    + buyer.leads().get(r.nextInt(buyer.leads().size())) + "\"}";
            String id = "msg_" + UUID.randomUUID().toString().replace("-", "");
            long now = Instant.now().getEpochSecond();
            return session.set("body", body).set("msgId", id).set("ts", Long.toString(now))
                    .set("signature", Signed.standard(buyer.secret(), id, now, body));
        }).exec(http("buyer outcome").post("/webhooks/buyers/" + buyer.id()).header("webhook-id", "#{msgId}")
                .header("webhook-timestamp", "#{ts}").header("webhook-signature", "#{signature}")
                .body(StringBody("#{body}")).check(status().is(200)));
    }

    // --- wallet-service

    static String driverToken(String driver) {
        return Tokens.bearer(driver, "driver");
    }

    /** The driver's wallet, as the app shows it. */
    static ChainBuilder walletRead() {
        return exec(http("wallet read").get("/v1/wallets/me").header("Authorization", "#{token}").check(status().is(200)));
    }

    /** A redemption at a merchant; a client retry (one in ten) repeats the same Idempotency-Key and is a replay. */
    static ChainBuilder redemption() {
        return exec(session -> session.set("key", "load-" + UUID.randomUUID())
                .set("points", 1 + ThreadLocalRandom.current().nextInt(50))
                .set("retry", ThreadLocalRandom.current().nextInt(10) == 0))
                .exec(redeem("redemption"))
                .doIf("#{retry}").then(exec(redeem("redemption retry")));
    }

    private static io.gatling.javaapi.http.HttpRequestActionBuilder redeem(String name) {
        return http(name).post("/v1/wallets/me/redemptions").header("Authorization", "#{token}")
                .header("Idempotency-Key", "#{key}")
                .body(StringBody("{\"merchantId\":\"load-merchant-1\",\"amount\":#{points}}")).check(status().is(201));
    }

    // --- auction-service

    /** A publisher's lead against the load buyers; decided in the request (sold or unsold). */
    static ChainBuilder leadSubmission() {
        return exec(session -> session.set("lead", Leads.forLoadBuyers()).set("key", "load-" + UUID.randomUUID()))
                .exec(http("lead submission").post("/v1/leads").header("Authorization", Tokens.bearer("load-publisher", "publisher"))
                        .header("Idempotency-Key", "#{key}").body(StringBody("#{lead}")).check(status().is(201)));
    }
}
