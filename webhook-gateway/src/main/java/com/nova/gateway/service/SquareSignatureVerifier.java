package com.nova.gateway.service;

import java.util.Base64;
import java.util.List;

/**
 * Square's scheme: {@code x-square-hmacsha256-signature} is the Base64 HMAC-SHA256 of the
 * notification URL followed by the raw body, keyed with the subscription's signature key. The
 * legacy {@code x-square-signature} (HMAC-SHA1, same input) only when explicitly enabled.
 */
public final class SquareSignatureVerifier {

    private SquareSignatureVerifier() {
    }

    public static void verify(byte[] body, String sha256Header, String sha1Header, String notificationUrl,
            List<String> keys, boolean legacySha1Enabled) {
        String header = sha256Header;
        String algorithm = "HmacSHA256";
        if ((header == null || header.isBlank()) && legacySha1Enabled) {
            header = sha1Header;
            algorithm = "HmacSHA1";
        }
        if (header == null || header.isBlank() || header.length() > 200) {
            throw new Rejection(Rejection.Reason.MISSING_SIGNATURE, "The signature header is missing or malformed");
        }
        byte[] given;
        try {
            given = Base64.getDecoder().decode(header.trim());
        } catch (IllegalArgumentException e) {
            throw new Rejection(Rejection.Reason.BAD_SIGNATURE, "The signature does not verify");
        }
        byte[] url = Signatures.utf8(notificationUrl);
        boolean ok = false;
        for (String key : keys) {
            ok |= Signatures.same(Signatures.hmac(algorithm, Signatures.utf8(key), url, body), given);
        }
        if (!ok) {
            throw new Rejection(Rejection.Reason.BAD_SIGNATURE, "The signature does not verify");
        }
    }

    /** The fallback for Square accounts without a signature key: a shared secret in {@code X-Webhook-Secret}, compared in constant time. */
    public static void verifySharedSecret(String header, List<String> secrets) {
        PurchaseSecretVerifier.verify(header, secrets);
    }
}
