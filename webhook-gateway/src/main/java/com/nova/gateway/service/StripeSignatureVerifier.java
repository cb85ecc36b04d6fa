package com.nova.gateway.service;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Stripe's scheme: {@code Stripe-Signature: t=<unix>,v1=<hex>[,v1=...][,v0=...]}, each {@code v1} an
 * HMAC-SHA256 (hex) of {@code "<t>.<raw body>"} keyed with the whole {@code whsec_...} string. Any
 * one {@code v1} matching any configured secret accepts; {@code v0} and unknown schemes are ignored.
 */
public final class StripeSignatureVerifier {

    private StripeSignatureVerifier() {
    }

    public static void verify(byte[] body, String header, List<String> secrets, Clock clock, Duration tolerance) {
        if (header == null || header.isBlank() || header.length() > 4096) {
            throw new Rejection(Rejection.Reason.MISSING_SIGNATURE, "The signature header is missing or malformed");
        }
        String timestamp = null;
        List<byte[]> candidates = new ArrayList<>();
        for (String part : header.split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String key = part.substring(0, eq).trim();
            String value = part.substring(eq + 1).trim();
            if (key.equals("t")) {
                timestamp = value;
            } else if (key.equals("v1") && value.matches("[0-9a-fA-F]{64}")) {
                candidates.add(HexFormat.of().parseHex(value));
            }
        }
        var signedAt = Signatures.epochSeconds(timestamp);
        if (candidates.isEmpty()) {
            throw new Rejection(Rejection.Reason.MISSING_SIGNATURE, "The signature header is missing or malformed");
        }
        byte[] prefix = Signatures.utf8(timestamp + ".");
        boolean ok = false;
        for (String secret : secrets) {
            byte[] expected = Signatures.hmac("HmacSHA256", Signatures.utf8(secret), prefix, body);
            for (byte[] candidate : candidates) {
                ok |= Signatures.same(expected, candidate);
            }
        }
        if (!ok) {
            throw new Rejection(Rejection.Reason.BAD_SIGNATURE, "The signature does not verify");
        }
        // Checked after the signature, so a forger learns nothing from the answer about our clock.
        Signatures.requireFresh(signedAt, clock, tolerance, null);
    }
}
