package com.nova.gateway.service;

import static com.nova.gateway.GatewayFixtures.SQUARE_KEY;
import static com.nova.gateway.GatewayFixtures.SQUARE_URL;
import static com.nova.gateway.GatewayFixtures.STRIPE_SECRET;
import static com.nova.gateway.GatewayFixtures.STRIPE_SECRET_2;
import static com.nova.gateway.GatewayFixtures.squareSignature;
import static com.nova.gateway.GatewayFixtures.standardSignature;
import static com.nova.gateway.GatewayFixtures.stripeHeader;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.squareup.square.utilities.WebhooksHelper;

/** Our verifiers agree with the providers' SDKs and published vectors on valid input, and refuse every tampering. */
class SignatureVerifiersTest {

    private static final Duration TOLERANCE = Duration.ofSeconds(300);
    private static final String PAYLOAD = "{\"id\":\"evt_1\",\"type\":\"payment_intent.succeeded\",\"created\":1700000000}";

    private static Clock at(long epochSeconds) {
        return Clock.fixed(Instant.ofEpochSecond(epochSeconds), ZoneOffset.UTC);
    }

    private static Rejection.Reason stripeRefusal(String body, String header, List<String> secrets, long now) {
        return assertThrows(Rejection.class, () -> StripeSignatureVerifier.verify(
                body.getBytes(StandardCharsets.UTF_8), header, secrets, at(now), TOLERANCE)).reason();
    }

    @Test
    void stripeAcceptsWhatStripesSdkSignsAndStripesSdkAcceptsWhatWeAccept() throws Exception {
        long t = 1_700_000_000L;
        String header = stripeHeader(PAYLOAD, STRIPE_SECRET, t);
        assertDoesNotThrow(() -> StripeSignatureVerifier.verify(PAYLOAD.getBytes(StandardCharsets.UTF_8), header,
                List.of(STRIPE_SECRET), at(t + 10), TOLERANCE));
        assertTrue(com.stripe.net.Webhook.Signature.verifyHeader(PAYLOAD, header, STRIPE_SECRET, 300, at(t + 10)));
    }

    @Test
    void stripeRefusesTamperingStaleFutureAndGarbage() {
        long t = 1_700_000_000L;
        List<String> secrets = List.of(STRIPE_SECRET);
        String header = stripeHeader(PAYLOAD, STRIPE_SECRET, t);
        assertEquals(Rejection.Reason.BAD_SIGNATURE, stripeRefusal(PAYLOAD.replace("evt_1", "evt_2"), header, secrets, t));
        assertEquals(Rejection.Reason.BAD_SIGNATURE, stripeRefusal(PAYLOAD + " ", header, secrets, t));
        assertEquals(Rejection.Reason.BAD_SIGNATURE, stripeRefusal(PAYLOAD.replace(",", ", "), header, secrets, t));
        assertEquals(Rejection.Reason.BAD_SIGNATURE, stripeRefusal(PAYLOAD, header.replace("t=" + t, "t=" + (t + 1)), secrets, t));
        assertEquals(Rejection.Reason.BAD_SIGNATURE, stripeRefusal(PAYLOAD, header, List.of("whsec_other"), t));
        assertEquals(Rejection.Reason.STALE, stripeRefusal(PAYLOAD, header, secrets, t + 301));
        assertEquals(Rejection.Reason.FUTURE, stripeRefusal(PAYLOAD, header, secrets, t - 301));
        // v0 (test mode legacy) and unknown schemes are not signatures we accept.
        String v0Only = header.replace("v1=", "v0=");
        assertEquals(Rejection.Reason.MISSING_SIGNATURE, stripeRefusal(PAYLOAD, v0Only, secrets, t));
        assertEquals(Rejection.Reason.MISSING_SIGNATURE, stripeRefusal(PAYLOAD, header.replace("v1=", "v9="), secrets, t));
        for (String garbage : new String[] { null, "", "garbage", "t=,v1=", "t=abc,v1=" + "0".repeat(64), "v1=" + "0".repeat(64),
                "t=" + t + ",v1=nothex", "x".repeat(5000) }) {
            Rejection.Reason reason = stripeRefusal(PAYLOAD, garbage, secrets, t);
            assertTrue(reason == Rejection.Reason.MISSING_SIGNATURE || reason == Rejection.Reason.BAD_SIGNATURE, garbage);
        }
    }

    @Test
    void stripeAcceptsAnyMatchingV1WithAnyConfiguredSecret() {
        long t = 1_700_000_000L;
        String good = stripeHeader(PAYLOAD, STRIPE_SECRET_2, t);
        String withDecoys = "t=" + t + ",v0=" + "a".repeat(64) + ",v1=" + "b".repeat(64) + "," + good.substring(good.indexOf("v1="));
        assertDoesNotThrow(() -> StripeSignatureVerifier.verify(PAYLOAD.getBytes(StandardCharsets.UTF_8), withDecoys,
                List.of(STRIPE_SECRET, STRIPE_SECRET_2), at(t), TOLERANCE));
        // Rotation: once the old secret is removed from configuration, its signatures stop verifying.
        assertEquals(Rejection.Reason.BAD_SIGNATURE, stripeRefusal(PAYLOAD, good, List.of(STRIPE_SECRET), t));
    }

    @Test
    void squareAgreesWithSquaresSdk() {
        String body = "{\"merchant_id\":\"M1\",\"type\":\"payment.updated\",\"event_id\":\"e-1\",\"created_at\":\"2026-11-23T00:00:00Z\"}";
        String signature = squareSignature(body, SQUARE_KEY, SQUARE_URL, "HmacSHA256");
        assertTrue(WebhooksHelper.verifySignature(body, signature, SQUARE_KEY, SQUARE_URL),
                "Square's own SDK accepts the signature we test with");
        assertDoesNotThrow(() -> SquareSignatureVerifier.verify(body.getBytes(StandardCharsets.UTF_8), signature, null,
                SQUARE_URL, List.of("old-key", SQUARE_KEY), false));

        assertFalse(WebhooksHelper.verifySignature(body + " ", signature, SQUARE_KEY, SQUARE_URL));
        for (String[] tampered : new String[][] { { body + " ", SQUARE_URL }, { body, SQUARE_URL + "/" },
                { body, "http://gateway.test/webhooks/square" }, { body.replace("e-1", "e-2"), SQUARE_URL } }) {
            Rejection r = assertThrows(Rejection.class, () -> SquareSignatureVerifier.verify(
                    tampered[0].getBytes(StandardCharsets.UTF_8), signature, null, tampered[1], List.of(SQUARE_KEY), false));
            assertEquals(Rejection.Reason.BAD_SIGNATURE, r.reason());
        }
        assertEquals(Rejection.Reason.BAD_SIGNATURE, assertThrows(Rejection.class, () -> SquareSignatureVerifier.verify(
                body.getBytes(StandardCharsets.UTF_8), "not base64!!", null, SQUARE_URL, List.of(SQUARE_KEY), false)).reason());
        assertEquals(Rejection.Reason.MISSING_SIGNATURE, assertThrows(Rejection.class, () -> SquareSignatureVerifier.verify(
                body.getBytes(StandardCharsets.UTF_8), null, null, SQUARE_URL, List.of(SQUARE_KEY), false)).reason());
    }

    @Test
    void squareLegacySha1OnlyWhenEnabled() {
        String body = "{\"event_id\":\"e-9\"}";
        String sha1 = squareSignature(body, SQUARE_KEY, SQUARE_URL, "HmacSHA1");
        assertEquals(Rejection.Reason.MISSING_SIGNATURE, assertThrows(Rejection.class, () -> SquareSignatureVerifier.verify(
                body.getBytes(StandardCharsets.UTF_8), null, sha1, SQUARE_URL, List.of(SQUARE_KEY), false)).reason());
        assertDoesNotThrow(() -> SquareSignatureVerifier.verify(body.getBytes(StandardCharsets.UTF_8), null, sha1,
                SQUARE_URL, List.of(SQUARE_KEY), true));
    }

    @Test
    void standardWebhooksPublishedVectorAndReferenceSdk() {
        // The test vector of the Standard Webhooks specification.
        String secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        String id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
        long ts = 1614265330;
        String payload = "{\"test\": 2432232314}";
        String expected = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
        assertEquals(expected, standardSignature(secret, id, ts, payload));
        byte[] body = payload.getBytes(StandardCharsets.UTF_8);
        assertTrue(StandardWebhookVerifier.matches(body, id, Long.toString(ts), expected, List.of(secret)));
        assertTrue(StandardWebhookVerifier.matches(body, id, Long.toString(ts), "v1,AAAA v2,xyz " + expected,
                List.of("whsec_" + "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE=", secret)), "any signature of the list, any secret");
        assertFalse(StandardWebhookVerifier.matches(payload.replace("2", "3").getBytes(StandardCharsets.UTF_8), id,
                Long.toString(ts), expected, List.of(secret)));
        assertFalse(StandardWebhookVerifier.matches(body, id + "x", Long.toString(ts), expected, List.of(secret)));
        assertFalse(StandardWebhookVerifier.matches(body, id, Long.toString(ts + 1), expected, List.of(secret)));
        assertFalse(StandardWebhookVerifier.matches(body, id, Long.toString(ts), "v1a," + expected.substring(3), List.of(secret)));
        assertThrows(Rejection.class, () -> StandardWebhookVerifier.requireFresh(Long.toString(ts), at(ts + 301), TOLERANCE, id));
        assertThrows(Rejection.class, () -> StandardWebhookVerifier.requireFresh(Long.toString(ts), at(ts - 301), TOLERANCE, id));
        assertDoesNotThrow(() -> StandardWebhookVerifier.requireFresh(Long.toString(ts), at(ts + 299), TOLERANCE, id));
    }

    @Test
    void purchaseSecretIsComparedExactly() {
        assertDoesNotThrow(() -> PurchaseSecretVerifier.verify("s3cret-B", List.of("s3cret-A", "s3cret-B")));
        for (String wrong : new String[] { "s3cret-b", "s3cret-B ", "s3cret", "", null }) {
            assertThrows(Rejection.class, () -> PurchaseSecretVerifier.verify(wrong, List.of("s3cret-A", "s3cret-B")), wrong);
        }
    }
}
