package com.nova.gateway;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.standardwebhooks.Webhook;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamRange;

/**
 * Deliveries signed the way each provider signs them, and what the gateway forwarded as a consumer
 * sees it. Signing uses the providers' own SDKs where they can sign (Stripe, Standard Webhooks);
 * Square's SDK can only verify, so its HMAC is computed here with the JDK and checked against the
 * SDK's verifier in the tests.
 */
public final class GatewayFixtures {

    public static final String STRIPE_SECRET = "whsec_test_primary_0123456789";
    public static final String STRIPE_SECRET_2 = "whsec_test_secondary_9876543210";
    public static final String SQUARE_KEY = "test-square-signature-key";
    public static final String SQUARE_URL = "https://gateway.test/webhooks/square";
    public static final String PURCHASE_SECRET = "test-purchase-secret-A";

    private static final ObjectMapper MAPPER = new ObjectMapper().findAndRegisterModules();

    private GatewayFixtures() {
    }

    public static String stripeHeader(String payload, String secret, long timestamp) {
        try {
            return "t=" + timestamp + ",v1=" + com.stripe.net.Webhook.Util.computeHmacSha256(secret, timestamp + "." + payload);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String squareSignature(String payload, String key, String url, String algorithm) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), algorithm));
            return Base64.getEncoder().encodeToString(mac.doFinal((url + payload).getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The {@code webhook-signature} value for a Standard Webhooks delivery, by the reference SDK. */
    public static String standardSignature(String secret, String id, long timestamp, String payload) {
        try {
            return new Webhook(secret).sign(id, timestamp, payload);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static long now() {
        return System.currentTimeMillis() / 1000;
    }

    /** Envelopes on {@code stream} whose {@code sourceEventId} is {@code id}. */
    public static List<JsonNode> withSourceEventId(RedisDataSource redis, String stream, String id) {
        return redis.stream(String.class).xrange(stream, StreamRange.of("-", "+")).stream()
                .map(m -> {
                    try {
                        return MAPPER.readTree(m.payload().get("envelope"));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                })
                .filter(e -> id.equals(e.path("sourceEventId").asText()))
                .toList();
    }
}
