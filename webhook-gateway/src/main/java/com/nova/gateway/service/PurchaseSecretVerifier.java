package com.nova.gateway.service;

import java.security.MessageDigest;
import java.util.List;

import com.nova.kit.text.Digests;

/** The legacy partner hook: {@code X-Webhook-Secret} equal to a configured secret, compared in constant time. */
public final class PurchaseSecretVerifier {

    private PurchaseSecretVerifier() {
    }

    public static void verify(String header, List<String> secrets) {
        if (header == null || header.isEmpty() || header.length() > 512) {
            throw new Rejection(Rejection.Reason.MISSING_SIGNATURE, "The shared secret is missing");
        }
        // Compare digests so neither the length nor the content of a secret leaks through timing.
        byte[] given = sha256(header);
        boolean ok = false;
        for (String secret : secrets) {
            ok |= MessageDigest.isEqual(given, sha256(secret));
        }
        if (!ok) {
            throw new Rejection(Rejection.Reason.BAD_SIGNATURE, "The shared secret does not match");
        }
    }

    private static byte[] sha256(String s) {
        return Digests.sha256(Signatures.utf8(s));
    }
}
