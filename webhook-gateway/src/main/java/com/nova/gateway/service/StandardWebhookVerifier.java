package com.nova.gateway.service;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Standard Webhooks (buyers' outcome webhooks): {@code webhook-signature} is a space-separated
 * list of {@code v1,<base64>}, each the HMAC-SHA256 of {@code "<webhook-id>.<webhook-timestamp>.<raw body>"}
 * keyed with the base64-decoded part of a {@code whsec_...} secret. Any match with any secret accepts.
 */
public final class StandardWebhookVerifier {

    private StandardWebhookVerifier() {
    }

    /** Checks the headers' shape; yields the message id. */
    public static String requireHeaders(String id, String timestamp, String signature) {
        if (id == null || !id.matches("[A-Za-z0-9_.:\\-]{1,200}") || timestamp == null || signature == null
                || signature.isBlank() || signature.length() > 4096) {
            throw new Rejection(Rejection.Reason.MISSING_SIGNATURE, "The signature headers are missing or malformed");
        }
        return id;
    }

    /** True when a signature matches one of the secrets; the caller decides what a mismatch means. */
    public static boolean matches(byte[] body, String id, String timestamp, String signature, List<String> secrets) {
        List<byte[]> candidates = new ArrayList<>();
        for (String part : signature.trim().split(" +")) {
            if (part.startsWith("v1,")) {
                try {
                    candidates.add(Base64.getDecoder().decode(part.substring(3)));
                } catch (IllegalArgumentException ignored) {
                    // a garbled entry is no candidate
                }
            }
        }
        byte[] prefix = Signatures.utf8(id + "." + timestamp + ".");
        boolean ok = false;
        for (String secret : secrets) {
            byte[] key = keyOf(secret);
            if (key == null) {
                continue;
            }
            byte[] expected = Signatures.hmac("HmacSHA256", key, prefix, body);
            for (byte[] candidate : candidates) {
                ok |= Signatures.same(expected, candidate);
            }
        }
        return ok;
    }

    public static void requireFresh(String timestamp, Clock clock, Duration tolerance, String id) {
        Signatures.requireFresh(Signatures.epochSeconds(timestamp), clock, tolerance, id);
    }

    private static byte[] keyOf(String secret) {
        String b64 = secret.startsWith("whsec_") ? secret.substring("whsec_".length()) : secret;
        try {
            return Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
